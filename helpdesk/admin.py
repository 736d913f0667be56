"""Admin pages: staff accounts (create, role, lock out, reset password) and the canned replies."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db import aware
from db import audit
from db.models import CannedReply, StaffUser
from helpdesk import accounts, staff_profile
from helpdesk.web import admin_required, bp, form_id, now, services


@bp.get("/admin/staff")
@admin_required
def staff():
    with services().db.session() as s:
        users = list(s.scalars(select(StaffUser).order_by(StaffUser.name)))
    locked = {u.id for u in users if u.locked_until is not None and aware(u.locked_until) > now()}
    return render_template("helpdesk/staff.html", users=users, roles=accounts.ROLES, locked=locked,
                           genders=staff_profile.GENDERS)


@bp.post("/admin/staff")
@admin_required
def staff_create():
    password = accounts.one_time_password(request.form.get("name", ""))
    try:
        with services().db.session() as s:
            user = accounts.create_user(s, request.form.get("name", ""), password, request.form.get("role", "agent"),
                                        now=now(), must_change=True, actor=f"staff:{g.user.id}")
            staff_profile.set_profile(s, user, request.form.get("display_name"), request.form.get("gender"),
                                      now=now(), actor=f"staff:{g.user.id}")
    except accounts.AccountError as exc:
        flash(accounts.sentence(exc), "error")
    else:
        flash(f"Created. One-time password: {password} (they must change it at first login).")
    return redirect(url_for("helpdesk.staff"), 303)


@bp.post("/admin/staff/<int:user_id>")
@admin_required
def staff_update(user_id: int):
    action = request.form.get("action")
    with services().db.session() as s:
        user = s.get(StaffUser, user_id)
        if user is None:
            flash("No such user.", "error")
        elif user.id == g.user.id and action in ("deactivate", "role"):
            flash("You cannot lock yourself out or change your own role.", "error")
        else:
            _STAFF_ACTIONS.get(action, _unknown)(s, user, action)
    return redirect(url_for("helpdesk.staff"), 303)


def _set_role(s, user: StaffUser, action: str) -> None:
    if request.form.get("role") not in accounts.ROLES:
        return _unknown(s, user, action)
    user.role = request.form["role"]
    audit.record(s, "staff.role", actor=f"staff:{g.user.id}", at=now(), user=user.id, role=user.role)
    flash(f"{user.name} is now {user.role}.")


def _set_active(s, user: StaffUser, action: str) -> None:
    user.active = action == "activate"
    audit.record(s, f"staff.{action}", actor=f"staff:{g.user.id}", at=now(), user=user.id)
    flash(f"{user.name} {'can' if user.active else 'can no longer'} log in.")


def _reset(s, user: StaffUser, action: str) -> None:
    password = accounts.one_time_password(user.name)
    accounts.set_password(s, user, password, now=now(), must_change=True, actor=f"staff:{g.user.id}")
    flash(f"New one-time password for {user.name}: {password}")


def _set_profile(s, user: StaffUser, action: str) -> None:
    """The display name and greeting form artisans hear (issue 19)."""
    try:
        staff_profile.set_profile(s, user, request.form.get("display_name"), request.form.get("gender"), now=now(),
                                  actor=f"staff:{g.user.id}")
    except accounts.AccountError as exc:
        flash(accounts.sentence(exc), "error")
    else:
        flash(f"Artisans now hear {user.name} as {staff_profile.spoken_name(user)}.")


def _unknown(s, user: StaffUser, action: str) -> None:
    flash("Unknown action.", "error")


_STAFF_ACTIONS = {"role": _set_role, "deactivate": _set_active, "activate": _set_active, "reset": _reset,
                  "profile": _set_profile}


@bp.get("/admin/canned")
@admin_required
def canned():
    with services().db.session() as s:
        replies = list(s.scalars(select(CannedReply).order_by(CannedReply.title)))
    return render_template("helpdesk/canned.html", replies=replies)


@bp.post("/admin/canned")
@admin_required
def canned_save():
    title = request.form.get("title", "").strip()[:80]
    body = request.form.get("body", "").strip()
    if not title or not body:
        flash("A canned reply needs a title and a text.", "error")
        return redirect(url_for("helpdesk.canned"), 303)
    try:
        with services().db.session() as s:
            reply = _canned_saved(s, title, body)
            audit.record(s, "helpdesk.canned", actor=f"staff:{g.user.id}", at=now(), reply=reply.id, title=title)
    except IntegrityError:
        flash("There is already a canned reply with that title.", "error")
    else:
        flash("Saved.")
    return redirect(url_for("helpdesk.canned"), 303)


def _canned_saved(s, title: str, body: str) -> CannedReply:
    """The canned reply the form edits (its `id`), or a new one, with this title and text."""
    reply_id = form_id("id")
    reply = s.get(CannedReply, reply_id) if reply_id else None
    if reply is None:
        reply = CannedReply(title=title, body=body)
        s.add(reply)
    else:
        reply.title, reply.body = title, body
    s.flush()
    return reply


@bp.post("/admin/canned/<int:reply_id>/delete")
@admin_required
def canned_delete(reply_id: int):
    with services().db.session() as s:
        reply = s.get(CannedReply, reply_id)
        if reply is not None:
            s.delete(reply)
            audit.record(s, "helpdesk.canned_deleted", actor=f"staff:{g.user.id}", at=now(), reply=reply_id)
    flash("Deleted.")
    return redirect(url_for("helpdesk.canned"), 303)
