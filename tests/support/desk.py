"""A test driver for the helpdesk: staff accounts and one staff member's browser through Flask's test client."""
from __future__ import annotations

import re

from sqlalchemy import or_, select

from db.models import Artisan, Conversation
from helpdesk import accounts

PASSWORD = "correct horse battery"


def make_staff(app, name: str, role: str = "agent", password: str = PASSWORD):
    with app.extensions["hunar"].db.session() as s:
        user = accounts.create_user(s, name, password, role, now=app.extensions["hunar"].clock())
        s.flush()
        s.expunge(user)
        return user


class Desk:
    """One staff member's browser, through Flask's test client: logs in, reads pages, posts forms with the token."""

    def __init__(self, client, user):
        self.client = client
        self.user = user

    def token(self) -> str:
        with self.client.session_transaction() as sess:
            return sess["csrf"]

    def login(self, password: str = PASSWORD):
        page = self.client.get("/helpdesk/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.client.post("/helpdesk/login", data={"name": self.user.name, "password": password,
                                                         "csrf_token": token})

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, **kw):
        return self.client.post(path, data={"csrf_token": self.token(), **(data or {})}, **kw)


def conversation_id(app, number: str) -> int:
    """The conversation of the artisan with this phone number (on WhatsApp/SMS or in the simulator)."""
    with app.extensions["hunar"].db.session() as s:
        artisan = s.scalar(select(Artisan).where(or_(Artisan.phone == number, Artisan.address == f"sim:{number}")))
        return s.scalar(select(Conversation.id).where(Conversation.artisan_id == artisan.id))
