"""Server-side sessions (Flask-Session on the app's Redis): the cookie holds only a random id, so logout ends the
session for every copy of the cookie (security report F12).

With REDIS_URL the sessions live in that Redis, shared by every web process; in the embedded default they live in
the app's in-process Redis (fakeredis), like its locks and dedupe keys. Keys are `<REDIS_PREFIX>session:<id>`, and
expire with the login (HELPDESK_SESSION_HOURS after it).
"""
from __future__ import annotations

from flask import Flask
from flask_session.redis import RedisSessionInterface

from flask_session._utils import total_seconds


class StaffSessions(RedisSessionInterface):
    """Flask-Session's Redis sessions, with three changes:

    - Twilio's webhooks get no session: Twilio sends no cookie, and they must not wait on a session store.
    - A session read from the store is written back only while it still exists there (SET … XX KEEPTTL): a request
      that was in flight while its session was logged out cannot bring it back, and its lifetime never grows.
    - A new id (login) is stored as new, with the full lifetime.
    """

    def open_session(self, app: Flask, request):
        if request.path.startswith("/webhooks/"):
            return self.make_null_session(app)
        sent = request.cookies.get(self.get_cookie_name(app))
        session = super().open_session(app, request)
        session.stored = bool(sent) and session.sid == sent  # loaded from the store, not a new one
        return session

    def regenerate(self, session) -> None:
        super().regenerate(session)
        session.stored = False

    def _upsert_session(self, session_lifetime, session, store_id: str) -> None:
        data = self.serializer.encode(session)
        if getattr(session, "stored", False):
            self.client.set(name=store_id, value=data, xx=True, keepttl=True)
        else:
            self.client.set(name=store_id, value=data, ex=total_seconds(session_lifetime))
            session.stored = True


def init_app(app: Flask, redis_client, prefix: str) -> None:
    """Put staff sessions in `redis_client` under `prefix`."""
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False  # a login lasts its hours; no store write on every request
    app.session_interface = StaffSessions(app, client=redis_client, key_prefix=prefix + "session:",
                                          use_signer=False, permanent=True, sid_length=32,
                                          serialization_format="msgpack")
