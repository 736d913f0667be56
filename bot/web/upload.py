"""One-time photo upload links for SMS artisans: a small mobile page that puts photos into the draft."""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.filetypes import sniff_type
from bot.inbox import Attachment, InboundMessage
from db import aware
from db.models import Artisan, Conversation, UploadLink
from flows import prompts

if TYPE_CHECKING:
    from bot.services import Services

bp = Blueprint("upload", __name__, template_folder="templates")

MAX_FILES = 8


class UploadLinks:
    """Makes and checks links; a link lasts `hours` and takes one upload."""

    def __init__(self, base_url: str, hours: float = 24):
        self.base_url = base_url.rstrip("/")
        self.lifetime = timedelta(hours=hours)

    def link_for(self, session: Session, conv: Conversation, now: datetime) -> str:
        """The conversation's live link, or a new one: artisans get one link at a time, not one per message."""
        link = session.scalar(select(UploadLink).where(
            UploadLink.conversation_id == conv.id, UploadLink.used_at.is_(None),
            UploadLink.expires_at > now).order_by(UploadLink.id.desc()).limit(1))
        if link is None:
            link = UploadLink(token=secrets.token_urlsafe(24), conversation_id=conv.id, created_at=now,
                              expires_at=now + self.lifetime)
            session.add(link)
            session.flush()
        return f"{self.base_url}/u/{link.token}"


def _live_link(session: Session, token: str, now: datetime) -> UploadLink | None:
    link = session.scalar(select(UploadLink).where(UploadLink.token == token))
    if link is None or link.used_at is not None or aware(link.expires_at) <= now:
        return None
    return link


def _texts(lang: str, count: int = 0) -> dict:
    """The page's words from the prompt catalogue, in the artisan's language."""
    keys = ("upload_title", "upload_hint", "upload_button", "upload_expired", "upload_none", "upload_not_photo",
            "upload_too_large")
    return {**{key: prompts.say(key, lang) for key in keys}, "upload_done": prompts.say("upload_done_one" if count == 1 else "upload_done", lang, count=count)}


@dataclass(frozen=True)
class _Upload:
    """What a live link's page needs once its session has closed."""

    link_id: int
    lang: str
    address: str
    channel: str


PROBLEM_STATUS = {"too_large": 413, "not_photo": 400, "none": 400}


@bp.route("/u/<token>", methods=["GET", "POST"])
def page(token: str):
    """GET shows the picker; POST takes the photos into the draft, once."""
    services = current_app.extensions["hunar"]
    now = services.clock()
    with services.db.session() as session:
        upload = _upload(session, token, now)
    if upload is None:
        return _render("hi", "expired", 410)
    if request.method == "GET":
        return _render(upload.lang, "ready")
    return _take(services, upload, now)


def _render(lang: str, state: str, status: int = 200, count: int = 0):
    """The page in `state`, in the artisan's language."""
    return render_template("upload.html", t=_texts(lang, count), state=state), status


def _upload(session: Session, token: str, now: datetime) -> _Upload | None:
    """The link's conversation and where its photos go; None when the link is unknown, used or expired."""
    link = _live_link(session, token, now)
    if link is None:
        return None
    conv = session.get(Conversation, link.conversation_id)
    artisan = session.get(Artisan, conv.artisan_id)
    return _Upload(link.id, conv.language or "hi", artisan.address, conv.channel)


def _take(services: Services, upload: _Upload, now: datetime):
    """The chosen photos into the draft, if they are all pictures of an allowed size and the link is still free."""
    photos, problem = _chosen(int(services.settings["MEDIA_MAX_IMAGE_BYTES"]))
    if problem:
        return _render(upload.lang, problem, PROBLEM_STATUS[problem])
    if not _claim(services, upload.link_id, now):  # another upload with this link got there first
        return _render(upload.lang, "expired", 410)
    media = tuple(Attachment(content_type=ct, staged=services.intake.stage(data, ct)) for ct, data in photos)
    services.inbox.accept(InboundMessage(
        address=upload.address, channel=upload.channel, media=media, sid=f"UPL{uuid.uuid4().hex}", source="upload"))
    return _render(upload.lang, "done", count=len(photos))


def _chosen(max_bytes: int) -> tuple[list[tuple[str, bytes]], str | None]:
    """The photos of the form (the body cap is raised for this page in app.py)."""
    try:
        return _photos(request.files.getlist("photos")[:MAX_FILES], max_bytes)
    except RequestEntityTooLarge:
        return [], "too_large"


def _photos(files, max_bytes: int) -> tuple[list[tuple[str, bytes]], str | None]:
    """The chosen files as (type, bytes) if every one is a picture of an allowed size; else what is wrong."""
    photos = []
    for f in filter(_given, files):
        data = f.read(max_bytes + 1)
        kind = sniff_type(data)  # the browser's declared type is the uploader's claim, not a fact
        problem = _problem(data, kind, max_bytes)
        if problem:
            return [], problem
        photos.append((kind, data))
    return photos, None if photos else "none"


def _given(field) -> bool:
    """A file field that holds a file (an empty one has no name)."""
    return bool(field and field.filename)


def _problem(data: bytes, kind: str, max_bytes: int) -> str | None:
    """What is wrong with one chosen file, if anything."""
    if len(data) > max_bytes:
        return "too_large"
    return None if kind.startswith("image/") else "not_photo"


def _claim(services: Services, link_id: int, now: datetime) -> bool:
    """Mark the link used in one conditional UPDATE: of two uploads at once, exactly one wins."""
    with services.db.session() as session:
        done = session.execute(update(UploadLink).where(
            UploadLink.id == link_id, UploadLink.used_at.is_(None), UploadLink.expires_at > now,
        ).values(used_at=now))
        return done.rowcount == 1
