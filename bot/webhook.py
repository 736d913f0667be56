"""Twilio's doors: inbound messages and delivery status. Verify, record once, queue, answer at once."""
from __future__ import annotations

import logging
import re
import time

from flask import Blueprint, Response, current_app, g, request

from bot import album, jobs
from bot import conversations as store
from bot.inbound import Attachment, InboundMessage
from bot.ratelimit import InboundLimit
from bot.signature import SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, is_valid, public_url
from db.models import Conversation, Message

log = logging.getLogger("hunar.webhook")

bp = Blueprint("twilio_webhook", __name__, url_prefix="/webhooks/twilio")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
MAX_MEDIA = 10  # MMS carries at most 10; WhatsApp one
MAX_BODY = 64 * 1024  # Twilio's form is a few KB: 1,600 characters of text, ten media URLs, WhatsApp fields
PLAUSIBLE_SIGNATURE = re.compile(r"[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{43}=")
# Longest accepted values: beyond them a form is not Twilio's, and nothing that long reaches the database or logs.
MAX_SID, MAX_ADDRESS, MAX_ID, MAX_WA_ID = 64, 160, 160, 40  # the columns' sizes


def _twiml() -> Response:
    return Response(EMPTY_TWIML, status=200, mimetype="text/xml")


@bp.before_request
def _verify():
    """Every request must carry Twilio's signature over our public URL; otherwise 403 with no body.

    What costs nothing is checked before the body is read: a signature header of the right shape (base64 of a
    20-byte SHA-1 or 32-byte SHA-256 HMAC) and a body under 64 KB, so an anonymous sender cannot make a worker
    read and parse megabytes."""
    g.hunar_webhook_start = time.perf_counter()
    settings = current_app.config["HUNAR"]
    if not PLAUSIBLE_SIGNATURE.fullmatch(request.headers.get(SIGNATURE_HEADER, "")):
        log.warning("refused %s %s from %s: no signature", request.method, request.path, request.remote_addr)
        return Response(status=403)
    request.max_content_length = MAX_BODY
    if (request.content_length or 0) > MAX_BODY:
        return Response(status=413)
    url = public_url(settings["PUBLIC_BASE_URL"], request.path, request.query_string)
    raw = request.get_data(as_text=True) if request.mimetype == "application/json" else None
    if is_valid(url, request.form, request.headers.get(SIGNATURE_HEADER),
                auth_token=settings.get("TWILIO_AUTH_TOKEN"), shared_key=settings.get("TWILIO_WEBHOOK_SHARED_KEY"),
                settings_header=request.headers.get(SIGNATURE_SETTINGS_HEADER), raw_body=raw):
        return None
    log.warning("refused %s %s from %s: bad signature", request.method, request.path, request.remote_addr)
    return Response(status=403)


@bp.post("")
def inbound():
    """One message from an artisan: record it exactly once, queue its handling, answer empty TwiML."""
    services = current_app.extensions["hunar"]
    with services.metrics.batch():
        return _inbound(services)


def _timed(services) -> None:
    """Time the webhook up to here: what is left is the one Redis round trip its writes go out in."""
    services.metrics.observe("webhook_seconds", time.perf_counter() - g.hunar_webhook_start)


def _inbound(services) -> Response:
    msg = parse(request.form, request.headers.get(IDEMPOTENCY_HEADER))
    if msg is None:
        log.warning("inbound webhook without a usable From or MessageSid ignored")
        _timed(services)
        return _twiml()
    received = services.dispatcher.receive(msg)
    if received is None:
        _timed(services)
        return _twiml()  # a redelivery: already recorded, nothing more to do
    conversation_id, message_id = received
    settings = services.settings
    limit = InboundLimit(services.redis, limit=int(settings["INBOUND_RATE_LIMIT"]),
                         window=float(settings["INBOUND_RATE_WINDOW_SECONDS"]), prefix=settings["REDIS_PREFIX"],
                         clock=lambda: services.clock().timestamp())
    photos = bool(msg.media) and all(a.kind == "image" for a in msg.media)
    # A text's conversation is marked ready in the same round trip as the count, and the counters and live event
    # of the batch go with them. Should the count be over the limit, a drain job may look at the conversation
    # before `_skip` marks the message: at worst that message is answered.
    together = not photos and not services.jobs.inline

    def count_and_mark(pipe):
        limit.add(pipe, msg.address)
        if together:
            jobs.mark_ready(services, pipe, conversation_id)

    _timed(services)
    try:
        results = services.metrics.writes.send(count_and_mark)
        count = int(results[0])
        if limit.over(count):
            _skip(services, message_id)
            if limit.first_over(count):
                services.jobs.enqueue("send_notice", conversation_id, "slow_down")
        elif photos:
            album.schedule(services, conversation_id)
        elif together:
            jobs.marked(services, results[-1])
        else:
            jobs.queue_conversation(services, conversation_id)
    except Exception:  # recorded is what matters: the next job of this conversation picks it up
        log.exception("message %s recorded but not queued", message_id)
    return _twiml()


@bp.post("/status")
def status():
    """A delivery report: the message's status only ever moves forward. 200 with no body."""
    services = current_app.extensions["hunar"]
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid")
    state = form.get("MessageStatus") or form.get("SmsStatus")
    if sid and state:
        code = form.get("ErrorCode") or None
        from bot import delivery

        if not delivery.apply_status(services, sid, state, code):
            services.jobs.enqueue_in(2.0, "apply_delivery_status", sid, state, code, 1)
    return Response(status=200)


def _skip(services, message_id: int) -> None:
    """Over the sender's limit: keep the message for the record, but the bot will not handle it."""
    with services.db.session() as session:
        message = session.get(Message, message_id)
        if message is None or message.status != "received":
            return
        message.status, message.error_code = "skipped", "rate_limited"
        store.note_inbound(session.get(Conversation, message.conversation_id), message)  # it still opens the window


def parse(form, idempotency_token: str | None = None) -> InboundMessage | None:
    """Twilio's form as an `InboundMessage`: text, media, location, button reply, WhatsApp ids; None if unusable."""
    sender = (form.get("From") or "").strip()
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid")
    if not sender or not sid or len(sid) > MAX_SID or len(sender) > MAX_ADDRESS:
        return None
    channel = "whatsapp" if sender.lower().startswith("whatsapp:") else "sms"
    raw_id = sender.split(":", 1)[1] if channel == "whatsapp" else sender
    external = _short(form.get("ExternalUserId"))
    is_number = raw_id.startswith("+") and raw_id[1:].isdigit()
    if is_number and len(raw_id) > 16:  # E.164 has at most 15 digits
        return None
    extra: dict = {}
    bsuid = external or (None if is_number else raw_id)
    if bsuid:
        extra["bsuid"] = bsuid
    for field, key in (("ProfileUsername", "username"), ("Username", "username"), ("MessageType", "type"),
                       ("OriginalRepliedMessageSid", "replied_to"), ("ReferralSourceUrl", "referral_url"),
                       ("ReferralCtwaClid", "referral_clid"), ("Address", "place"), ("Label", "place_label")):
        if form.get(field) and key not in extra:
            extra[key] = form.get(field)
    if form.get("Forwarded") == "true" or form.get("FrequentlyForwarded") == "true":
        extra["forwarded"] = True
    text = (form.get("Body") or "").replace("\x00", "")
    button = form.get("ButtonPayload") or None
    if not text.strip() and form.get("ButtonText"):
        text = form.get("ButtonText")
    return InboundMessage(
        address=f"whatsapp:{raw_id}" if channel == "whatsapp" else sender, channel=channel, text=text,
        media=_media(form), sid=sid, idempotency_token=(idempotency_token or "").strip()[:128] or None,
        profile_name=(form.get("ProfileName") or "").strip()[:200] or None,
        wa_id=_short(form.get("WaId"), MAX_WA_ID), button=button, location=_location(form), source="twilio",
        extra=extra)


def _short(value: str | None, longest: int = MAX_ID) -> str | None:
    """An identifier as sent, or None when absent or too long to be one."""
    value = (value or "").strip()
    return value if value and len(value) <= longest else None


def _media(form) -> tuple[Attachment, ...]:
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    items = []
    for n in range(count):
        url = form.get(f"MediaUrl{n}")
        if url:
            kind = (form.get(f"MediaContentType{n}") or "application/octet-stream").strip().lower()
            items.append(Attachment(content_type=kind, url=url))
    return tuple(items)


def _location(form) -> tuple[float, float] | None:
    try:
        lat, lon = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
