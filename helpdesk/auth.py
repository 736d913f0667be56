"""Logging in and out, and changing one's own password (forced after a one-time password).

How guessing is slowed (security report F8, F9), and why this way:

- Per client address: every POST to /helpdesk/login counts (Flask-Limiter, HUNAR_HELPDESK_LOGIN_RATE_PER_IP, on the
  app's Redis), whatever the name and before anything else is read; past it the answer is 429.
- Per name: tries from browsers the name never logged in from are counted atomically before the password is hashed
  (accounts.count_attempt); past HUNAR_HELPDESK_MAX_FAILED_LOGINS the name is locked for HUNAR_HELPDESK_LOCKOUT_MINUTES
  and no try is judged, not even the right password.
- The owner is not locked out with the guesser: a successful login leaves a signed, long-lived "known device" cookie
  (OWASP's device cookie pattern). Tries carrying it are counted per device instead, so a stolen one gives a few
  guesses, not a way round the lock.
- A hard lock plus the device cookie rather than growing delays: a delay served by sleeping would hold a web thread
  that Twilio's webhook needs, and one applied to the name would slow the owner as much as the guesser.
- Nothing about a name shows in the answer: one message, one status, one password hash (a dummy one for unknown
  names), locked or not; and a lock never ends a session that is already open.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Response, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.security import check_password_hash

from db.models import StaffUser
from helpdesk import accounts, web
from helpdesk.web import bp, now, services, start_session

DEVICE_COOKIE = "hunar_device"


def _safe_next(target: str | None) -> str:
    """Only our own helpdesk paths, never another site."""
    if target and target.startswith("/helpdesk") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("helpdesk.queue")


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="helpdesk-known-device")


def _known_device(settings: dict, max_failed: int, lockout: timedelta):
    """`known_device(user_id)` for accounts.login: True when this browser carries a device cookie for that staff
    member (signed, made at a successful login, HELPDESK_DEVICE_DAYS long) that has not itself failed
    `max_failed` times in the lock period. Its tries are counted per device, in Redis, atomically (INCR)."""
    def known_device(user_id: int) -> bool:
        raw = request.cookies.get(DEVICE_COOKIE)
        if not raw:
            return False
        try:
            data = _device_signer().loads(raw, max_age=int(float(settings["HELPDESK_DEVICE_DAYS"]) * 86400))
        except BadData:
            return False
        if not isinstance(data, dict) or data.get("u") != user_id or not isinstance(data.get("d"), str):
            return False
        key = f"{settings['REDIS_PREFIX']}helpdesk:device:{data['d']}"
        pipe = services().redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, max(1, int(lockout.total_seconds())))
        tries = pipe.execute()[0]
        g.helpdesk_device_key = key
        return int(tries) <= max_failed
    return known_device


def _remember_device(resp, user: StaffUser) -> None:
    """Mark this browser as one `user` logs in from: the per-name lockout will not refuse it."""
    settings = services().settings
    key = g.get("helpdesk_device_key")
    if key:
        services().redis.delete(key)
    value = _device_signer().dumps({"u": user.id, "d": secrets.token_urlsafe(16)})
    resp.set_cookie(DEVICE_COOKIE, value, max_age=int(float(settings["HELPDESK_DEVICE_DAYS"]) * 86400),
                    path="/helpdesk", httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])


def login_refused_by_rate(limit) -> Response:
    """Flask-Limiter's answer when one address posts too many logins: the login page, 429."""
    page = render_template("helpdesk/login.html",
                           error="Too many login attempts from your network; wait a few minutes and try again.")
    resp = make_response(page, 429)
    resp.headers["Retry-After"] = "60"
    return resp


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method != "POST":
        if g.user is not None and request.method == "GET":
            return redirect(url_for("helpdesk.queue"))
        return render_template("helpdesk/login.html", error=None)
    settings = services().settings
    max_failed = int(settings["HELPDESK_MAX_FAILED_LOGINS"])
    lockout = timedelta(minutes=float(settings["HELPDESK_LOCKOUT_MINUTES"]))
    result = accounts.login(services().db, request.form.get("name", ""), request.form.get("password", ""), now(),
                            max_failed=max_failed, lockout=lockout,
                            known_device=_known_device(settings, max_failed, lockout))
    if result.user is None:
        return render_template("helpdesk/login.html", error=result.error), 401
    start_session(result.user)
    resp = redirect(url_for("helpdesk.password") if result.user.must_change_password
                    else _safe_next(request.args.get("next")))
    _remember_device(resp, result.user)
    return resp


@bp.post("/logout")
def logout():
    """End the session in the store, not only in this browser: a copy of the cookie is worth nothing after."""
    session.clear()
    return redirect(url_for("helpdesk.login"))


def current_staff() -> StaffUser | None:
    """The staff member logged in on this request, or None; usable from any blueprint (helpdesk.web)."""
    return web.current_staff()


@bp.route("/password", methods=["GET", "POST"])
def password():
    if request.method != "POST":
        return render_template("helpdesk/password.html", error=None)
    error, user = _change_password(request.form)
    if error is not None:
        return render_template("helpdesk/password.html", error=error)
    start_session(user)
    flash("Password changed.")
    return redirect(url_for("helpdesk.queue"))


def _change_password(form) -> tuple[str | None, StaffUser]:
    """Set the staff member's new password from the form; (why it was refused or None, the user, detached)."""
    with services().db.session() as s:
        user = s.get(StaffUser, g.user.id)
        error = _refused_change(user, form) or _set_password(s, user, form.get("new", ""))
        if error is None:
            s.flush()
            s.expunge(user)
    return error, user


def _refused_change(user: StaffUser, form) -> str | None:
    new = form.get("new", "")
    if not check_password_hash(user.password_hash, form.get("current", "")):
        return "The current password is wrong."
    if new != form.get("again", ""):
        return "The two new passwords differ."
    if new == form.get("current"):
        return "Choose a new password, not the one-time one."
    return None


def _set_password(s, user: StaffUser, new: str) -> str | None:
    try:
        accounts.set_password(s, user, new, now=now(), must_change=False, actor=f"staff:{user.id}")
    except accounts.AccountError as exc:
        return accounts.sentence(exc)
    return None
