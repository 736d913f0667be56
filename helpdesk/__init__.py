"""The staff dashboard: login, queue, takeover and hand-back, replies, notes, draft editing, analytics."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, request


def init_app(app: Flask) -> None:
    """Register the blueprint and `flask helpdesk …`; server-side sessions with a cookie fit for staff logins; the
    login's per-address rate limit."""
    from helpdesk import admin, analytics, auth, cli, live, media, profile, sessions, views  # noqa: F401  (routes register)
    from helpdesk import english  # noqa: F401  (issue 19: the listing's English, its own routes)
    from helpdesk import photo_views  # noqa: F401  (the photo strip's routes and template globals register)
    from helpdesk import listing_weight  # noqa: F401  (the price breakdown and weight form)
    from helpdesk.web import bp, current_staff

    settings = app.config["HUNAR"]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(settings["PUBLIC_BASE_URL"]).startswith("https://"),
        SESSION_COOKIE_NAME="hunar_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(settings["HELPDESK_SESSION_HOURS"])),
    )
    sessions.init_app(app, app.extensions["hunar"].redis, settings["REDIS_PREFIX"])
    app.register_blueprint(bp)
    _login_rate_limit(app, settings)
    app.extensions["helpdesk"] = {"current_staff": current_staff, "live_streams": live.stream_slots(settings)}
    cli.register(app)


def _login_rate_limit(app: Flask, settings: dict) -> None:
    """Every POST to the login page counts against its client address (HELPDESK_LOGIN_RATE_PER_IP), whatever the
    name, before anything else is looked at: Flask-Limiter, on the app's Redis (memory:// without one, as in the
    embedded default and tests). One Limiter per app, so apps in one process (tests) never share counts."""
    from flask_limiter import Limiter

    from helpdesk.auth import login_refused_by_rate
    from helpdesk.web import bp, client_address

    url = str(settings.get("REDIS_URL") or "")
    storage = ("redis+unix://" + url[len("unix://"):]) if url.startswith("unix://") else (url or "memory://")
    limiter = Limiter(client_address, app=app, storage_uri=storage,
                      storage_options={"socket_timeout": 5, "socket_connect_timeout": 5} if url else {},
                      key_prefix=f"{settings['REDIS_PREFIX']}limiter", strategy="moving-window",
                      headers_enabled=False, on_breach=login_refused_by_rate)
    limiter.request_filter(lambda: request.path != "/helpdesk/login" or request.method != "POST")
    limiter.limit(str(settings["HELPDESK_LOGIN_RATE_PER_IP"]), methods=["POST"], scope="helpdesk-login",
                  exempt_when=lambda: request.endpoint != "helpdesk.login")(bp)
    app.extensions["helpdesk_limiter"] = limiter
