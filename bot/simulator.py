"""The simulator: a WhatsApp-like page and its API, entering the same dispatcher the Twilio webhook uses."""
from __future__ import annotations

import base64
import binascii
import re
import uuid

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from sqlalchemy import select

from bot import conversations as store
from bot.filetypes import sniff_type
from bot.inbound import CHANNELS, Attachment, InboundMessage
from bot.locks import LockTimeout
from db.models import Artisan, Conversation, Message, Photo
from marketplace.serialize import listing_json

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates", static_folder="static")

PHONE = re.compile(r"\+\d{8,15}")
TRANSCRIPT_LENGTH = 200  # messages the side panel shows


class BadRequest(ValueError):
    """The simulator request cannot be taken; the message says what to fix."""


@bp.before_request
def _enabled():
    if not current_app.config["HUNAR"]["SIMULATOR"]:
        abort(404)


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
    received = services.dispatcher.receive(msg)
    if received is None:
        return jsonify(replies=[])
    conversation_id, message_id = received
    try:
        services.dispatcher.process(conversation_id)
    except LockTimeout:
        return jsonify(error="the conversation is busy; try again in a moment"), 503
    replies = services.simulator_outbox.take({message_id})
    return jsonify(replies=[{"text": r.text, "media": list(r.media_urls), "buttons": list(r.buttons)}
                            for r in replies])


def _inbound(payload, services) -> InboundMessage:
    """Validate the JSON body completely before anything is stored."""
    settings = services.settings
    if not isinstance(payload, dict):
        raise BadRequest("send a JSON object: {\"from\": \"+9198…\", \"text\": \"…\"}")
    sender = payload.get("from")
    if not isinstance(sender, str) or not PHONE.fullmatch(sender):
        raise BadRequest("'from' must be a phone number in international form, like +919812345678")
    channel = payload.get("channel", "whatsapp")
    if channel not in CHANNELS:
        raise BadRequest(f"'channel' must be one of {', '.join(CHANNELS)}")
    text = payload.get("text", "")
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string")
    if len(text) > int(settings["SIMULATOR_MAX_TEXT"]):
        raise BadRequest(f"'text' is too long: at most {settings['SIMULATOR_MAX_TEXT']} characters")
    button = payload.get("button")
    if button is not None and (not isinstance(button, str) or len(button) > 256):
        raise BadRequest("'button' must be a button id of at most 256 characters")
    media = _media(payload.get("media", []), settings)
    if not text.strip() and not media and button is None:
        raise BadRequest("send some 'text' or at least one item in 'media'")
    intake = services.dispatcher.intake
    staged = tuple(Attachment(content_type=ct, staged=intake.stage(data, ct)) for ct, data in media)
    address = f"whatsapp:{sender}" if channel == "whatsapp" else sender
    return InboundMessage(address=address, channel=channel, text=text, media=staged,
                          sid=f"SIM{uuid.uuid4().hex}", button=button, source="simulator")


def _media(items, settings) -> list[tuple[str, bytes]]:
    if not isinstance(items, list):
        raise BadRequest("'media' must be a list of {content_type, data_base64}")
    if len(items) > int(settings["SIMULATOR_MAX_MEDIA"]):
        raise BadRequest(f"at most {settings['SIMULATOR_MAX_MEDIA']} media items in one message")
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("content_type"), str) \
                or not isinstance(item.get("data_base64"), str):
            raise BadRequest(f"media[{n}] needs 'content_type' and 'data_base64' strings")
        content_type = item["content_type"].strip().lower()
        if not re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", content_type):
            raise BadRequest(f"media[{n}].content_type is not a media type, like image/jpeg")
        try:
            data = base64.b64decode(item["data_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"media[{n}].data_base64 is not valid base64") from None
        if not data:
            raise BadRequest(f"media[{n}] is empty")
        if len(data) > int(settings["MEDIA_MAX_OTHER_BYTES"]):
            raise BadRequest(f"media[{n}] is larger than {int(settings['MEDIA_MAX_OTHER_BYTES']) // 2**20} MB")
        out.append((sniff_type(data, content_type), data))  # what the bytes are, not what the caller says
    return out


@bp.get("/api/conversations/<sender>")
def conversation(sender: str):
    """The conversation's state, draft and listings, for the page's live side panel."""
    services = current_app.extensions["hunar"]
    with services.db.session() as session:
        artisan = session.scalar(select(Artisan).where(Artisan.phone == sender)) or session.scalar(
            select(Artisan).where(Artisan.address.in_((sender, f"whatsapp:{sender}"))))
        conv = artisan and session.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
        if conv is None:
            return jsonify(error="no conversation with this number yet"), 404
        store_ = services.media_store
        draft_photos = [
            {"id": p.id, "verdict": p.verdict, "reason": p.reason,
             "url": store_.url(p.files["thumb"]["key"]) if "thumb" in (p.files or {}) else None}
            for p in session.scalars(select(Photo).where(Photo.artisan_id == artisan.id,
                                                         Photo.listing_id.is_(None)).order_by(Photo.id))
        ]
        messages = list(session.scalars(select(Message).where(Message.conversation_id == conv.id)
                                        .order_by(Message.id.desc()).limit(TRANSCRIPT_LENGTH)))
        thumbs: dict[int, list[str]] = {}
        for photo in session.scalars(select(Photo).where(Photo.message_id.in_([m.id for m in messages]))
                                     .order_by(Photo.id)):
            if "thumb" in (photo.files or {}):
                thumbs.setdefault(photo.message_id, []).append(store_.url(photo.files["thumb"]["key"]))
        return jsonify(
            conversation={"flow": conv.flow, "step": conv.step, "mode": conv.mode, "language": conv.language,
                          "flagged": conv.flag_reason if conv.flagged_at else None},
            artisan={"name": artisan.name, "district": artisan.district, "craft": artisan.craft},
            draft=conv.slots or {},
            draft_photos=draft_photos,
            listings=[listing_json(session, listing, store_) for listing in store.listings_of(session, artisan.id)],
            messages=[{"id": m.id, "direction": m.direction, "author": m.author, "text": m.body,
                       "status": m.status, "buttons": (m.extra or {}).get("buttons", []),
                       "photos": thumbs.get(m.id, [])}
                      for m in reversed(messages)],
        )
