"""The staff dashboard: login, queue, takeover and hand-back, replies, notes, draft editing, analytics."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and `flask helpdesk …`, and make the session cookie fit for staff logins."""
    from helpdesk import admin, analytics, auth, cli, live, media, views  # noqa: F401  (routes register on import)
    from helpdesk.web import bp

    settings = app.config["HUNAR"]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(settings["PUBLIC_BASE_URL"]).startswith("https://"),
        SESSION_COOKIE_NAME="hunar_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(settings["HELPDESK_SESSION_HOURS"])),
    )
    app.register_blueprint(bp)
    cli.register(app)
