"""The simulator: a WhatsApp-like page and its API, entering the same inbox the Twilio webhook uses."""
from __future__ import annotations

import base64
import binascii
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import conversations as store
from bot.filetypes import sniff_type
from bot.inbox import CHANNELS, SIMULATED, Attachment, InboundMessage
from bot.locks import LockTimeout
from bot.outbound import OutboundMessage, SendResult
from db.models import Artisan, Conversation, Message, Photo
from marketplace.serialize import listing_json

if TYPE_CHECKING:
    from bot.services import Services

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates", static_folder="static")

PHONE = re.compile(r"\+\d{8,15}")
TRANSCRIPT_LENGTH = 200  # messages the side panel shows


@dataclass
class RecordingOutbox:
    """Keeps what was sent, so the simulator can return the replies to a message in its API response."""

    sent: list[OutboundMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, message: OutboundMessage) -> SendResult:
        with self._lock:
            self.sent.append(message)
        return SendResult(sid=f"SIM{message.message_id:031d}", status="delivered")

    def take(self, in_reply_to: set[int]) -> list[OutboundMessage]:
        """Remove and return the messages that answer the given inbound ids, in the order they were sent."""
        with self._lock:
            mine = [m for m in self.sent if m.in_reply_to in in_reply_to]
            self.sent = [m for m in self.sent if m.in_reply_to not in in_reply_to]
        return mine


class BadRequest(ValueError):
    """The simulator request cannot be taken; the message says what to fix."""


@bp.before_request
def _enabled():
    """Off unless enabled; outside development only for logged-in staff (the helpdesk's login)."""
    settings = current_app.config["HUNAR"]
    if not settings["SIMULATOR"]:
        abort(404)
    if settings["ENV"] != "development" and not _staff_logged_in():
        return _log_in_first()
    return None


def _staff_logged_in() -> bool:
    """True when someone is logged in to the helpdesk."""
    staff = current_app.extensions.get("helpdesk", {}).get("current_staff")  # its login; bot may not import it
    return staff is not None and staff() is not None


def _log_in_first():
    """The API says 401; the page sends the browser to the helpdesk's login, and back."""
    if request.path.startswith("/simulator/api/"):
        return jsonify(error="log in to the helpdesk first"), 401
    return redirect(url_for("helpdesk.login", next=request.full_path.rstrip("?")))


@bp.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return jsonify(error=str(exc)), 400


@bp.get("/")
def page():
    """The chat page."""
    return render_template("simulator.html")


@bp.post("/api/messages")
def post_message():
    """Take one message as the artisan `from` would send it and answer with the bot's replies to it."""
    services = current_app.extensions["hunar"]
    msg = _inbound(request.get_json(silent=True), services)
    try:
        recorded = services.inbox.accept(msg)
    except LockTimeout:
        return jsonify(error="the conversation is busy; try again in a moment"), 503
    if recorded is None:
        return jsonify(replies=[])
    replies = services.simulator_outbox.take({recorded.message_id})
    return jsonify(replies=[{"text": r.text, "media": list(r.media_urls), "buttons": list(r.buttons)}
                            for r in replies])


def _inbound(payload, services: Services) -> InboundMessage:
    """Validate the JSON body completely before anything is stored."""
    settings = services.settings
    if not isinstance(payload, dict):
        raise BadRequest("send a JSON object: {\"from\": \"+9198…\", \"text\": \"…\"}")
    sender, channel = _sender(payload), _channel(payload)
    text, button = _text(payload, int(settings["SIMULATOR_MAX_TEXT"])), _button(payload)
    media = _media(payload.get("media", []), settings)
    _check(text.strip() or media or button is not None, "send some 'text' or at least one item in 'media'")
    staged = tuple(Attachment(content_type=ct, staged=services.intake.stage(data, ct)) for ct, data in media)
    address = SIMULATED + sender  # never a real artisan's address, whatever number is typed
    return InboundMessage(address=address, channel=channel, text=text, media=staged,
                          sid=f"SIM{uuid.uuid4().hex}", button=button, source="simulator")


def _check(condition, problem: str) -> None:
    """Refuse the request, saying what to fix, unless `condition` holds."""
    if not condition:
        raise BadRequest(problem)


def _sender(payload: dict) -> str:
    sender = payload.get("from")
    _check(isinstance(sender, str) and PHONE.fullmatch(sender),
           "'from' must be a phone number in international form, like +919812345678")
    return sender


def _channel(payload: dict) -> str:
    channel = payload.get("channel", "whatsapp")
    _check(channel in CHANNELS, f"'channel' must be one of {', '.join(CHANNELS)}")
    return channel


def _button(payload: dict) -> str | None:
    button = payload.get("button")
    _check(button is None or (isinstance(button, str) and len(button) <= 256),
           "'button' must be a button id of at most 256 characters")
    return button


def _text(payload: dict, longest: int) -> str:
    text = payload.get("text", "")
    _check(isinstance(text, str), "'text' must be a string")
    _check(len(text) <= longest, f"'text' is too long: at most {longest} characters")
    return text


def _media(items, settings) -> list[tuple[str, bytes]]:
    """The media items as (type sniffed from the bytes, bytes)."""
    _check(isinstance(items, list), "'media' must be a list of {content_type, data_base64}")
    _check(len(items) <= int(settings["SIMULATOR_MAX_MEDIA"]),
           f"at most {settings['SIMULATOR_MAX_MEDIA']} media items in one message")
    return [_one_media(n, item, int(settings["MEDIA_MAX_OTHER_BYTES"])) for n, item in enumerate(items)]


def _one_media(n: int, item, largest: int) -> tuple[str, bytes]:
    _check(isinstance(item, dict) and isinstance(item.get("content_type"), str)
           and isinstance(item.get("data_base64"), str), f"media[{n}] needs 'content_type' and 'data_base64' strings")
    content_type = item["content_type"].strip().lower()
    _check(re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", content_type),
           f"media[{n}].content_type is not a media type, like image/jpeg")
    try:
        data = base64.b64decode(item["data_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"media[{n}].data_base64 is not valid base64") from None
    _check(data, f"media[{n}] is empty")
    _check(len(data) <= largest, f"media[{n}] is larger than {largest // 2**20} MB")
    return sniff_type(data, content_type), data  # what the bytes are, not what the caller says


@bp.get("/api/conversations/<sender>")
def conversation(sender: str):
    """The conversation's state, draft and listings, for the page's live side panel."""
    services = current_app.extensions["hunar"]
    with services.db.session() as session:
        artisan = session.scalar(select(Artisan).where(Artisan.address == SIMULATED + sender))
        conv = artisan and session.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
        if conv is None:
            return jsonify(error="no conversation with this number yet"), 404
        return jsonify(_panel(session, services.media_store, conv, artisan))


def _panel(session, media_store, conv: Conversation, artisan: Artisan) -> dict:
    """What the side panel shows: state, profile, draft, listings and the latest messages."""
    return dict(
        conversation={"flow": conv.flow, "step": conv.step, "mode": conv.mode, "language": conv.language,
                      "flagged": conv.flag_reason if conv.flagged_at else None},
        artisan={"name": artisan.name, "district": artisan.district, "craft": artisan.craft},
        draft=conv.slots or {},
        draft_photos=_draft_photos(session, media_store, artisan.id),
        listings=[listing_json(session, listing, media_store) for listing in store.listings_of(session, artisan.id)],
        messages=_transcript(session, media_store, conv.id),
    )


def _transcript(session, media_store, conversation_id: int) -> list[dict]:
    """The latest messages, oldest first, with the photos each brought."""
    messages = list(session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id.desc()).limit(TRANSCRIPT_LENGTH)))
    thumbs = _thumbs_by_message(session, media_store, [m.id for m in messages])
    return [{"id": m.id, "direction": m.direction, "author": m.author, "text": m.body, "status": m.status,
             "buttons": (m.extra or {}).get("buttons", []), "photos": thumbs.get(m.id, [])}
            for m in reversed(messages)]


def _thumb(media_store, photo: Photo) -> str | None:
    """The URL of the photo's thumbnail, if it has one."""
    files = photo.files or {}
    return media_store.url(files["thumb"]["key"]) if "thumb" in files else None


def _draft_photos(session, media_store, artisan_id: int) -> list[dict]:
    """The draft's photos with the check's verdict on each."""
    photos = session.scalars(select(Photo).where(Photo.artisan_id == artisan_id, Photo.listing_id.is_(None))
                             .order_by(Photo.id))
    return [{"id": p.id, "verdict": p.verdict, "reason": p.reason, "url": _thumb(media_store, p)} for p in photos]


def _thumbs_by_message(session, media_store, message_ids: list[int]) -> dict[int, list[str]]:
    """Thumbnail URLs of the photos each message brought."""
    thumbs: dict[int, list[str]] = {}
    for photo in session.scalars(select(Photo).where(Photo.message_id.in_(message_ids)).order_by(Photo.id)):
        url = _thumb(media_store, photo)
        if url:
            thumbs.setdefault(photo.message_id, []).append(url)
    return thumbs
