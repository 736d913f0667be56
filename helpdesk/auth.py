"""Logging in and out, and changing one's own password (forced after a one-time password)."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from db.models import StaffUser
from helpdesk import accounts
from helpdesk.web import bp, now, services, start_session


def _safe_next(target: str | None) -> str:
    """Only our own helpdesk paths, never another site."""
    if target and target.startswith("/helpdesk") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("helpdesk.queue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if g.user is not None and request.method == "GET":
        return redirect(url_for("helpdesk.queue"))
    error = None
    if request.method == "POST":
        settings = services().settings
        with services().db.session() as s:
            result = accounts.login(s, request.form.get("name", ""), request.form.get("password", ""), now(),
                                    max_failed=int(settings["HELPDESK_MAX_FAILED_LOGINS"]),
                                    lockout=timedelta(minutes=float(settings["HELPDESK_LOCKOUT_MINUTES"])))
            user = result.user
            if user is not None:
                s.flush()
                s.expunge(user)
        if user is not None:
            start_session(user)
            return redirect(url_for("helpdesk.password") if user.must_change_password
                            else _safe_next(request.args.get("next")))
        error = result.error
    return render_template("helpdesk/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("helpdesk.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    error = None
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        with services().db.session() as s:
            user = s.get(StaffUser, g.user.id)
            if not check_password_hash(user.password_hash, request.form.get("current", "")):
                error = "The current password is wrong."
            elif new != again:
                error = "The two new passwords differ."
            elif new == request.form.get("current"):
                error = "Choose a new password, not the one-time one."
            else:
                try:
                    accounts.set_password(s, user, new, must_change=False, actor=f"staff:{user.id}")
                except accounts.AccountError as exc:
                    error = str(exc).capitalize() + "."
            if error is None:
                s.flush()
                s.expunge(user)
        if error is None:
            start_session(user)
            flash("Password changed.")
            return redirect(url_for("helpdesk.queue"))
    return render_template("helpdesk/password.html", error=error)
