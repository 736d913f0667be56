"""The helpdesk blueprint and what every request to it goes through: login, CSRF, headers, template helpers."""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from bot.window import aware
from db.models import StaffUser

bp = Blueprint("helpdesk", __name__, url_prefix="/helpdesk", template_folder="templates",
               static_folder="static", static_url_path="/static")

PUBLIC_ENDPOINTS = {"helpdesk.login", "helpdesk.static"}
IST = timezone(timedelta(hours=5, minutes=30), "IST")  # the desk works in India
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def services():
    return current_app.extensions["hunar"]


def now() -> datetime:
    return services().clock()


def csrf_token() -> str:
    """This session's token; every form posts it back."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _fingerprint(user: StaffUser) -> str:
    """Changes when the password does, so a new password ends every other session."""
    return hmac.new(current_app.secret_key.encode() if isinstance(current_app.secret_key, str)
                    else current_app.secret_key, user.password_hash.encode(), "sha256").hexdigest()[:32]


def start_session(user: StaffUser) -> None:
    session.clear()
    session.permanent = True
    session["staff_id"] = user.id
    session["fp"] = _fingerprint(user)
    csrf_token()


def _current_user() -> StaffUser | None:
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None
    with services().db.session() as s:
        user = s.get(StaffUser, staff_id)
        if user is None or not user.active or not hmac.compare_digest(session.get("fp", ""), _fingerprint(user)):
            return None
        if user.locked_until is not None and aware(user.locked_until) > now():
            return None
        s.expunge(user)
        return user


@bp.before_request
def _guard():
    """Anonymous visitors go to the login page (API calls get 401); every POST needs this session's token."""
    g.user = _current_user()
    endpoint = request.endpoint or ""
    if endpoint not in PUBLIC_ENDPOINTS:
        if g.user is None:
            session.pop("staff_id", None)
            if request.method == "GET" and not request.headers.get("X-Requested-With") \
                    and endpoint != "helpdesk.events":
                return redirect(url_for("helpdesk.login", next=request.full_path.rstrip("?")))
            abort(401)
        if g.user.must_change_password and endpoint not in ("helpdesk.password", "helpdesk.logout"):
            return redirect(url_for("helpdesk.password"))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
        expected = session.get("csrf") or ""
        if not expected or not hmac.compare_digest(sent, expected):
            abort(400, "The form expired or did not come from this site; reload the page and try again.")


@bp.after_request
def _headers(resp):
    resp.headers.setdefault("Content-Security-Policy", CSP)  # staff media carry a stricter one of their own
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "helpdesk.static":
        resp.headers["Cache-Control"] = "no-store"
    return resp


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None or g.user.role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapped


@bp.app_template_global("csrf_token")
def _csrf_global() -> str:
    return csrf_token()


@bp.app_template_filter("ago")
def ago(moment: datetime | None) -> str:
    """"5 min", "2 h 10 min", "3 d": how long ago, short enough for a queue row."""
    if moment is None:
        return "—"
    seconds = max(0, int((now() - aware(moment)).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} d"


@bp.app_template_filter("clock")
def clock(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return aware(moment).astimezone(IST).strftime("%d %b %H:%M IST")


def media_url(key: str) -> str:
    """A photo derivative through our own public /media route (same origin, whatever the store)."""
    return url_for("marketplace.media", key=key)
