"""One-time photo upload links for SMS artisans: a small mobile page that puts photos into the draft."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.filetypes import sniff_type
from bot.inbox import Attachment, InboundMessage
from db import aware
from db.models import Artisan, Conversation, UploadLink
from flows import prompts

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
    return {**{key: prompts.say(key, lang) for key in keys}, "upload_done": prompts.say("upload_done", lang, count=count)}


@bp.route("/u/<token>", methods=["GET", "POST"])
def page(token: str):
    """GET shows the picker; POST takes the photos into the draft, once."""
    services = current_app.extensions["hunar"]
    max_image = int(services.settings["MEDIA_MAX_IMAGE_BYTES"])  # the body cap is raised for this page in app.py
    now = services.clock()
    with services.db.session() as session:
        link = _live_link(session, token, now)
        if link is None:
            return render_template("upload.html", t=_texts("hi"), state="expired"), 410
        conv = session.get(Conversation, link.conversation_id)
        artisan = session.get(Artisan, conv.artisan_id)
        link_id, lang, address, channel = link.id, conv.language or "hi", artisan.address, conv.channel
    if request.method == "GET":
        return render_template("upload.html", t=_texts(lang), state="ready")
    try:
        photos, problem = _photos(request.files.getlist("photos")[:MAX_FILES], max_image)
    except RequestEntityTooLarge:
        photos, problem = [], "too_large"
    if problem:
        return render_template("upload.html", t=_texts(lang), state=problem), 413 if problem == "too_large" else 400
    if not _claim(services, link_id, now):  # another upload with this link got there first
        return render_template("upload.html", t=_texts(lang), state="expired"), 410
    media = tuple(Attachment(content_type=ct, staged=services.intake.stage(data, ct)) for ct, data in photos)
    services.inbox.accept(InboundMessage(
        address=address, channel=channel, media=media, sid=f"UPL{uuid.uuid4().hex}", source="upload"))
    return render_template("upload.html", t=_texts(lang, len(photos)), state="done")


def _photos(files, max_bytes: int) -> tuple[list[tuple[str, bytes]], str | None]:
    """The chosen files as (type, bytes) if every one is a picture of an allowed size; else what is wrong."""
    photos = []
    for f in files:
        if not f or not f.filename:
            continue
        data = f.read(max_bytes + 1)
        if len(data) > max_bytes:
            return [], "too_large"
        kind = sniff_type(data)  # the browser's declared type is the uploader's claim, not a fact
        if not kind.startswith("image/"):
            return [], "not_photo"
        photos.append((kind, data))
    return photos, None if photos else "none"


def _claim(services, link_id: int, now: datetime) -> bool:
    """Mark the link used in one conditional UPDATE: of two uploads at once, exactly one wins."""
    with services.db.session() as session:
        done = session.execute(update(UploadLink).where(
            UploadLink.id == link_id, UploadLink.used_at.is_(None), UploadLink.expires_at > now,
        ).values(used_at=now))
        return done.rowcount == 1
