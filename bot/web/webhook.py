"""Twilio's doors: inbound messages and delivery status. Verify Twilio's signature, hand the message to the inbox,
answer at once with empty TwiML."""
from __future__ import annotations

import logging
import os
import re
import time
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from flask import Blueprint, Response, current_app, g, request
from twilio.request_validator import (
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    add_port,
    compare,
    get_signature_algorithm,
    remove_port,
)

from bot.inbox import Attachment, InboundMessage, is_number
from bot.spool import CLAIMED, OPEN
from bot.web.status import status
from bot.web.webhook_spool import keep, record_or_spool

if TYPE_CHECKING:
    from bot.services import Services

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
    refusal = _cheap_refusal()
    if refusal is not None:
        return refusal
    if _signed(current_app.config["HUNAR"]):
        return None
    log.warning("refused %s %s from %s: bad signature", request.method, request.path, request.remote_addr)
    return Response(status=403)


def _cheap_refusal() -> Response | None:
    """403 without a plausible signature header, 413 for a body over 64 KB; None when the request may be read."""
    if not PLAUSIBLE_SIGNATURE.fullmatch(request.headers.get(SIGNATURE_HEADER, "")):
        log.warning("refused %s %s from %s: no signature", request.method, request.path, request.remote_addr)
        return Response(status=403)
    request.max_content_length = MAX_BODY
    if (request.content_length or 0) > MAX_BODY:
        return Response(status=413)
    return None


def _signed(settings: dict) -> bool:
    """True when the request carries Twilio's signature over our public URL and its form (or JSON body)."""
    url = public_url(settings["PUBLIC_BASE_URL"], request.path, request.query_string)
    raw = request.get_data(as_text=True) if request.mimetype == "application/json" else None
    fragment = settings.get("TWILIO_WEBHOOK_OVERRIDES")  # "#rp=…" never reaches us; Twilio may sign it (README)
    return any(is_valid(candidate, request.form, request.headers.get(SIGNATURE_HEADER),
                        auth_token=settings.get("TWILIO_AUTH_TOKEN"),
                        shared_key=settings.get("TWILIO_WEBHOOK_SHARED_KEY"),
                        settings_header=request.headers.get(SIGNATURE_SETTINGS_HEADER), raw_body=raw)
               for candidate in (url, f"{url}#{fragment}" if fragment else None) if candidate)


@bp.post("")
def inbound():
    """One message from an artisan: record it exactly once, queue its handling, answer empty TwiML."""
    services = current_app.extensions["hunar"]
    with services.metrics.batch():
        return _inbound(services)


def _timed(services: Services) -> None:
    """Time the webhook up to here: what is left is the one Redis round trip its writes go out in."""
    services.metrics.observe("webhook_seconds", time.perf_counter() - g.hunar_webhook_start)


def _inbound(services: Services) -> Response:
    token = request.headers.get(IDEMPOTENCY_HEADER)
    msg = parse(request.form, token)
    if msg is None:
        log.warning("inbound webhook without a usable From or MessageSid ignored")
        _timed(services)
        return _twiml()
    if not _accepted(services, msg, token):
        return Response(status=503, headers={"Retry-After": "5"})  # not even the spool: Twilio retries (#rp)
    return _twiml()


def _accepted(services: Services, msg: InboundMessage, token: str | None) -> bool:
    """Hand the message to the inbox; if the inbox fails, or spooled messages wait before it, spool it
    (bot/web/webhook_spool.py). False only when even the spool cannot be written."""
    try:
        if not _spool_waiting(services.settings["SPOOL_DIR"]):
            if services.inbox.accept(msg, before_queueing=lambda: _timed(services)) is None:
                _timed(services)  # a redelivery: already recorded, nothing more to do
            return True
    except Exception as exc:  # Twilio does not retry a 5xx unless told to (#rp): keep the message ourselves
        return keep(services, request.form, token, failure=exc)
    return record_or_spool(services, msg, request.form, token, before_queueing=lambda: _timed(services))


def _spool_waiting(folder: str) -> bool:
    """True when messages wait in the spool. bot/spool.py's own check, here: every message runs it."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith((OPEN, CLAIMED)) for entry in entries)
    except OSError:  # none yet (or a broken one: the write, if ever needed, says so)
        return False


bp.add_url_rule("/status", view_func=status, methods=["POST"])  # delivery reports: bot/web/status.py


def parse(form, idempotency_token: str | None = None) -> InboundMessage | None:
    """Twilio's form as an `InboundMessage`: text, media, location, button reply, WhatsApp ids; None if unusable."""
    sender = _sender(form)
    sid = _first(form, "MessageSid", "SmsMessageSid", "SmsSid")
    if sender is None or not sid or len(sid) > MAX_SID:
        return None
    address, channel, raw_id = sender
    return InboundMessage(
        address=address, channel=channel, text=_text(form), media=_media(form), sid=sid,
        idempotency_token=_trimmed(idempotency_token, 128), profile_name=_trimmed(form.get("ProfileName"), 200),
        wa_id=_short(form.get("WaId"), MAX_WA_ID), button=form.get("ButtonPayload") or None,
        location=_location(form), source="twilio", extra=_extra(form, _bsuid(form, raw_id)))


def _first(form, *names: str) -> str | None:
    """The first of these fields that is given: Twilio names some differently for SMS, and older callbacks too."""
    return next((form.get(name) for name in names if form.get(name)), None)


def _trimmed(value: str | None, longest: int) -> str | None:
    """A free-text field without surrounding space, cut to `longest`; None when empty."""
    return (value or "").strip()[:longest] or None


def _bsuid(form, raw_id: str) -> str | None:
    """WhatsApp's business-scoped user id: given as ExternalUserId, or the sender itself when it is no number."""
    return _short(form.get("ExternalUserId")) or (None if is_number(raw_id) else raw_id)


def _sender(form) -> tuple[str, str, str] | None:
    """(address, channel, the id after "whatsapp:") of the sender; None when From is missing or cannot be one."""
    sender = _short(form.get("From"), MAX_ADDRESS)
    if sender is None:
        return None
    address, channel, raw_id = _address(sender)
    if is_number(raw_id) and len(raw_id) > 16:  # E.164 has at most 15 digits
        return None
    return address, channel, raw_id


def _address(sender: str) -> tuple[str, str, str]:
    """(address, channel, raw id) of a From: "whatsapp:" (any case) is WhatsApp's, anything else an SMS number."""
    if sender.lower().startswith("whatsapp:"):
        raw_id = sender.split(":", 1)[1]
        return f"whatsapp:{raw_id}", "whatsapp", raw_id
    return sender, "sms", sender


def _text(form) -> str:
    """The message's text: its body, or a tapped button's label when the body is empty."""
    text = (form.get("Body") or "").replace("\x00", "")
    if not text.strip() and form.get("ButtonText"):
        return form.get("ButtonText")
    return text


# Twilio's optional WhatsApp fields, kept under our own names (the first one given wins).
EXTRA_FIELDS = (("ProfileUsername", "username"), ("Username", "username"), ("MessageType", "type"),
                ("OriginalRepliedMessageSid", "replied_to"), ("ReferralSourceUrl", "referral_url"),
                ("ReferralCtwaClid", "referral_clid"), ("Address", "place"), ("Label", "place_label"))


def _extra(form, bsuid: str | None) -> dict:
    """The message's WhatsApp extras: its BSUID, username, type, reply and referral ids, place, forwarding."""
    extra: dict = {"bsuid": bsuid} if bsuid else {}
    for name, key in EXTRA_FIELDS:
        if form.get(name):
            extra.setdefault(key, form.get(name))
    if "true" in (form.get("Forwarded"), form.get("FrequentlyForwarded")):
        extra["forwarded"] = True
    return extra


def _short(value: str | None, longest: int = MAX_ID) -> str | None:
    """An identifier as sent, or None when absent or too long to be one."""
    value = (value or "").strip()
    return value if value and len(value) <= longest else None


def _media(form) -> tuple[Attachment, ...]:
    attachments = (_attachment(form, n) for n in range(_media_count(form)))
    return tuple(a for a in attachments if a is not None)


def _media_count(form) -> int:
    """NumMedia, at most MAX_MEDIA; 0 when it is no number."""
    try:
        return min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        return 0


def _attachment(form, n: int) -> Attachment | None:
    """The n-th media item; None without its URL."""
    url = form.get(f"MediaUrl{n}")
    if not url:
        return None
    kind = (form.get(f"MediaContentType{n}") or "application/octet-stream").strip().lower()
    return Attachment(content_type=kind, url=url)


def _location(form) -> tuple[float, float] | None:
    try:
        lat, lon = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


# --- Twilio's signature ------------------------------------------------------------------------

def public_url(base: str, path: str, raw_query: bytes | str = b"") -> str:
    """The URL as Twilio was told to call it: behind a proxy `request.url` shows an internal host, so rebuild it."""
    query = raw_query.decode("latin-1") if isinstance(raw_query, bytes) else raw_query
    return base.rstrip("/") + path + (f"?{query}" if query else "")


def is_valid(url: str, params, signature: str | None, *, auth_token: str | None, shared_key: str | None = None,
             settings_header: str | None = None, raw_body: str | None = None) -> bool:
    """True when `signature` is Twilio's for this URL and form (or JSON body, when the URL carries bodySHA256).

    HMAC-SHA1 with the auth token is the default; a Webhook Rule's `X-Twilio-Webhooks-Signature-Settings:
    key=…,algorithm=HMAC_SHA256` asks for HMAC-SHA256 with its shared key. The URL is tried without and with the
    default port (the library's rule); the library sorts repeated names and compares in constant time.
    """
    if not signature:
        return False
    algorithm = get_signature_algorithm(settings_header).upper()
    secret = _secret(algorithm, auth_token, shared_key)
    if not secret:
        return False
    validator = RequestValidator(secret)
    try:
        return _signature_matches(validator, url, params, signature, algorithm, raw_body)
    except (TypeError, ValueError, AttributeError):
        return False  # e.g. a string body without bodySHA256 in the URL


def _secret(algorithm: str, auth_token: str | None, shared_key: str | None) -> str | None:
    """The key the algorithm signs with: a Webhook Rule's shared key for HMAC-SHA256, else the auth token; None
    for an algorithm we do not take."""
    if algorithm not in (HMAC_SHA1, HMAC_SHA256):
        return None
    return shared_key if algorithm == HMAC_SHA256 and shared_key else auth_token


def _signature_matches(validator: RequestValidator, url: str, params, signature: str, algorithm: str,
                       raw_body: str | None) -> bool:
    """`is_valid`'s comparison: over the JSON body when the URL carries its hash, else over the form."""
    if raw_body is not None and "bodySHA256=" in url:
        return validator.validate(url, raw_body, signature, algorithm=algorithm)
    # A form: the library's two candidate URLs (Twilio signs with or without the default port), but the
    # second HMAC only when the first does not match: the common case costs one.
    parsed = urlparse(url)
    return any(compare(validator.compute_signature(candidate, params, algorithm), signature)
               for candidate in (remove_port(parsed), add_port(parsed)))


def sign(url: str, params, token: str, algorithm: str = HMAC_SHA1) -> str:
    """Twilio's signature for a request (used by tests, the benchmark and local tools that act as Twilio)."""
    return RequestValidator(token).compute_signature(url, params, algorithm)
