"""The helpdesk blueprint and what every request to it goes through: login, CSRF, headers, template helpers."""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from db import aware
from db.models import StaffUser

if TYPE_CHECKING:
    from bot.services import Services

bp = Blueprint("helpdesk", __name__, url_prefix="/helpdesk", template_folder="templates",
               static_folder="static", static_url_path="/static")

PUBLIC_ENDPOINTS = {"helpdesk.login", "helpdesk.static"}
IST = timezone(timedelta(hours=5, minutes=30), "IST")  # the desk works in India
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def services() -> Services:
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
    """A fresh server-side session for this staff member (a new id: one planted before login is worth nothing)."""
    session.clear()
    session.permanent = True
    session["staff_id"] = user.id
    session["fp"] = _fingerprint(user)
    csrf_token()
    regenerate = getattr(current_app.session_interface, "regenerate", None)
    if regenerate is not None:
        regenerate(session)


def _current_user() -> StaffUser | None:
    """The staff member of this session. Other people's failed logins never end it (a locked name keeps its open
    sessions); logout, a new password, deactivation or the session's expiry do."""
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None
    with services().db.session() as s:
        user = s.get(StaffUser, staff_id)
        if user is None or not user.active or not hmac.compare_digest(session.get("fp", ""), _fingerprint(user)):
            return None
        s.expunge(user)
        return user


def form_id(name: str) -> int | None:
    """A row id posted in a form, or None when it is missing or outside BIGINT (no row, not a database error)."""
    value = request.form.get(name, type=int)
    return value if value is not None and 0 < value < 2**63 else None


def current_staff() -> StaffUser | None:
    """The staff member logged in on this request, or None: for any blueprint (the simulator, …), once per request.

    Also reachable without importing the helpdesk as `current_app.extensions["helpdesk"]["current_staff"]`."""
    if "_helpdesk_staff" not in g:
        g._helpdesk_staff = _current_user()
    return g._helpdesk_staff


def client_address() -> str:
    """The client's address: the peer's, or the X-Forwarded-For that a trusted proxy in front (nginx) set."""
    peer = request.remote_addr or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if peer in _trusted_proxies() and forwarded:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _trusted_proxies() -> set[str]:
    """The addresses in TRUSTED_PROXIES (comma-separated)."""
    listed = str(services().settings.get("TRUSTED_PROXIES") or "").split(",")
    return {address.strip() for address in listed if address.strip()}


@bp.before_request
def _guard():
    """Anonymous visitors go to the login page (API calls get 401); every POST needs this session's token."""
    g.user = current_staff()
    endpoint = request.endpoint or ""
    if endpoint not in PUBLIC_ENDPOINTS:
        answer = _login_first(endpoint)
        if answer is not None:
            return answer
    _check_csrf()
    return None


def _login_first(endpoint: str):
    """A redirect to the login (or password-change) page when this request may not go on yet; None when it may."""
    if g.user is None:
        session.pop("staff_id", None)
        if _page_visit(endpoint):
            return redirect(url_for("helpdesk.login", next=request.full_path.rstrip("?")))
        abort(401)
    if g.user.must_change_password and endpoint not in ("helpdesk.password", "helpdesk.logout"):
        return redirect(url_for("helpdesk.password"))
    return None


def _page_visit(endpoint: str) -> bool:
    """A person opening a page (not a script's request nor the live stream): worth a redirect to the login."""
    return request.method == "GET" and not request.headers.get("X-Requested-With") and endpoint != "helpdesk.events"


def _check_csrf() -> None:
    """Every request that changes something carries this session's token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
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


@bp.app_template_filter("iso")
def iso(moment: datetime | None) -> str:
    """The moment as ISO 8601 with its offset, for the ticking Waiting column (helpdesk.js)."""
    return aware(moment).isoformat() if moment is not None else ""


@bp.app_template_global("now_iso")
def now_iso() -> str:
    """The server's now, so the page's clock counts from it whatever the browser's clock says."""
    return iso(now())


def media_url(key: str) -> str:
    """A photo derivative through our own public /media route (same origin, whatever the store)."""
    return url_for("marketplace.media", key=key)
