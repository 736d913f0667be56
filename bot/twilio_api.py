"""Twilio's REST API: replies leave here (`TwilioSender`), within WhatsApp's 24-hour window and the sender's rate.
The only module that imports the Twilio REST client."""
from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable
from urllib.parse import urlencode

import requests
import urllib3
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.outbound import OutboundMessage, RecipientOptedOut, SendError, SendResult
from bot.outbox import MAX_BODY, numbered
from db import aware

log = logging.getLogger("hunar.twilio")

TWILIO_API = "https://api.twilio.com"
# Twilio error codes that no retry can fix: the number, the artisan or the window says no.
PERMANENT = {21211: "not a valid phone number", 21610: "the artisan blocked messages (STOP)",
             21614: "not a mobile number", 63016: "outside WhatsApp's 24-hour window", 63015: "not in the Sandbox"}
TRANSIENT = {20429, 63018}  # too many requests; WhatsApp sender rate exceeded
WINDOW = timedelta(hours=24)  # WhatsApp's customer service window: free-form text within a day of their last message


def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True while free-form text may be sent on WhatsApp: the artisan wrote less than 24 hours ago."""
    last = aware(last_inbound_at)
    return last is not None and aware(now) - last < WINDOW


class PooledHttpClient(HttpClient):
    """Twilio's HTTP client interface on a urllib3 connection pool, aimed at a configurable API base.

    Twilio's own client goes through requests, whose per-call work (hooks, cookies, environment lookups, a
    prepared request) was a fifth of a worker's time under load; this sends the same request on the same
    kind of pool. The base can be a local fake; proxy settings come from the environment once, at start."""

    def __init__(self, api_base: str = TWILIO_API, timeout: float = 10.0):
        super().__init__(logger=log, is_async=False, timeout=timeout)
        self.api_base = api_base.rstrip("/")
        proxy = requests.utils.get_environ_proxies(self.api_base).get(self.api_base.split(":", 1)[0])
        options = {"maxsize": 32, "retries": False, "timeout": urllib3.Timeout(connect=timeout, read=timeout)}
        self.pool = urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
        self._last = threading.local()  # per sending thread: the Retry-After of its last answer

    def retry_after(self) -> float | None:
        """Seconds this thread's last answer asked to wait (a 429's Retry-After, in seconds as Twilio sends it)."""
        value = getattr(self._last, "retry_after", None)
        try:
            return max(0.0, float(value)) if value else None
        except ValueError:  # the HTTP-date form
            return None

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False) -> Response:
        headers = dict(headers or {})
        if auth:
            headers.update(urllib3.make_headers(basic_auth=f"{auth[0]}:{auth[1]}"))
        answer = self.pool.request(method.upper(), self._url(url, params), body=_body(data, headers), headers=headers,
                                   redirect=allow_redirects, **_timeout(timeout))
        self._last.retry_after = answer.headers.get("Retry-After")
        return Response(answer.status, answer.data.decode("utf-8", "replace"), answer.headers)

    def _url(self, url: str, params) -> str:
        """The URL on our API base, with the query."""
        if self.api_base != TWILIO_API and url.startswith(TWILIO_API):
            url = self.api_base + url[len(TWILIO_API):]
        return url + "?" + urlencode(params, doseq=True) if params else url


def _body(data, headers: dict) -> bytes | None:
    """The request body: JSON when the headers say so, else a form (and the headers then say that)."""
    if data is None:
        return None
    if headers.get("Content-Type", "").endswith("json"):
        return json.dumps(data).encode()
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return urlencode(data, doseq=True).encode()


def _timeout(seconds: float | None) -> dict:
    """The pool's request options for a call's own timeout, if it has one."""
    return {} if seconds is None else {"timeout": urllib3.Timeout(connect=seconds, read=seconds)}


def _as_dict(value) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value.strip() else {}
    return dict(value or {})


class TwilioSender:
    """An Outbox: sends one message with `messages.create`, with a status callback, inside the rules.

    Free-form text only inside the 24-hour window (WhatsApp); outside it an approved template (by ContentSid,
    or by name from `HUNAR_TWILIO_TEMPLATES`), or a permanent `SendError` with code "outside_window" saying why. Every
    vendor failure becomes a `SendError` here: transient ones (429, 5xx, network) are retried by the
    outbox's flush with backoff, permanent ones (21610, 21211, 63016, other 4xx) never.
    """

    def __init__(self, *, account_sid: str, auth_token: str, public_base_url: str, whatsapp_from: str | None,
                 sms_from: str | None, bucket: SendBucket | None = None, templates=None, button_content=None,
                 api_base: str = TWILIO_API, timeout: float = 10.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc), http_client=None):
        if not (account_sid and auth_token):
            raise SendError("Twilio needs HUNAR_TWILIO_ACCOUNT_SID and HUNAR_TWILIO_AUTH_TOKEN", permanent=True)
        self.client = Client(account_sid, auth_token,
                             http_client=http_client or PooledHttpClient(api_base, timeout=timeout))
        self.status_callback = public_base_url.rstrip("/") + "/webhooks/twilio/status"
        self.senders = {"whatsapp": whatsapp_from, "sms": sms_from}
        self.bucket = bucket
        self.templates = _as_dict(templates)
        self.button_content = _as_dict(button_content)
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: dict, redis_client, clock=None) -> "TwilioSender":
        bucket = SendBucket(redis_client, rate=float(settings["TWILIO_SEND_RATE"]), prefix=settings["REDIS_PREFIX"])
        return cls(account_sid=settings["TWILIO_ACCOUNT_SID"], auth_token=settings["TWILIO_AUTH_TOKEN"],
                   public_base_url=settings["PUBLIC_BASE_URL"], whatsapp_from=settings["TWILIO_WHATSAPP_FROM"],
                   sms_from=settings["TWILIO_SMS_FROM"], bucket=bucket, templates=settings["TWILIO_TEMPLATES"],
                   button_content=settings["TWILIO_BUTTON_CONTENT"], api_base=settings["TWILIO_API_BASE"],
                   timeout=float(settings["TWILIO_TIMEOUT_SECONDS"]), **({"clock": clock} if clock else {}))

    def send(self, message: OutboundMessage) -> SendResult:
        sender = self._sender(message.channel)
        fields = {"to": message.address, "from_": sender, "status_callback": self.status_callback,
                  **self._content(message)}
        if self.bucket is not None and not self.bucket.take(sender):
            raise SendError(f"sender {sender} is over its rate; try again shortly", code="rate_limited")
        return _result(self._create(fields))

    def find(self, message: OutboundMessage, since: datetime) -> list[SendResult]:
        """What Twilio holds of this message since then (bot/twilio_list.py): the reconcile of an interrupted send."""
        from bot.twilio_list import find_sent  # only after an interrupted send: kept off the common path
        return find_sent(self, message, since)

    def _sender(self, channel: str) -> str:
        """Our number (or WhatsApp sender) on the channel; a permanent SendError when none is configured."""
        sender = self.senders.get(channel)
        if not sender:
            raise SendError(f"no Twilio sender for {channel} (set HUNAR_TWILIO_{channel.upper()}_FROM)",
                            code="no_sender", permanent=True)
        return sender

    def _create(self, fields: dict):
        """`messages.create`, its failures as SendErrors."""
        try:
            return self.client.messages.create(**fields)
        except TwilioRestException as exc:
            retry_after = getattr(self.client.http_client, "retry_after", lambda: None)()
            raise _send_error(exc, retry_after) from exc
        except (TwilioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise SendError(f"Twilio could not be reached: {exc}", code="network") from exc

    def _content(self, message: OutboundMessage) -> dict:
        """Body (and media), or an approved template: WhatsApp's window decides which may be sent."""
        if message.template:
            return self._template(message.template)
        self._check_window(message)
        return self._quick_reply(message) or _text(message)

    def _check_window(self, message: OutboundMessage) -> None:
        """Free-form text on WhatsApp only inside the 24-hour window; a permanent SendError outside it."""
        if message.channel == "whatsapp" and not window_open(message.last_inbound_at, self.clock()):
            raise SendError("outside WhatsApp's 24-hour window: the artisan last wrote more than 24 hours ago, "
                            "so only an approved template can be sent", code="outside_window", permanent=True)

    def _quick_reply(self, message: OutboundMessage) -> dict | None:
        """An approved quick-reply content for these buttons, with the text as {{1}}; None when there is none."""
        ids = "|".join(b["id"] for b in message.buttons)
        if not message.buttons or ids not in self.button_content:
            return None
        return {"content_sid": self.button_content[ids],
                "content_variables": json.dumps({"1": message.text}, ensure_ascii=False)}

    def _template(self, template: dict) -> dict:
        """`{"sid": "HX…"}` or `{"name": "resume"}` (looked up in HUNAR_TWILIO_TEMPLATES), plus `"variables"`."""
        name, variables = template.get("name"), template.get("variables")
        sid = template.get("sid") or self.templates.get(name)
        if not sid:
            raise SendError(f"no approved template named {name!r} (add it to HUNAR_TWILIO_TEMPLATES)",
                            code="no_template", permanent=True)
        # Body and MediaUrl must be left out when a ContentSid is sent.
        return {"content_sid": sid, "content_variables": json.dumps(
            {str(k): str(v) for k, v in (variables or {}).items()}, ensure_ascii=False)}


def _text(message: OutboundMessage) -> dict:
    """The text with its buttons numbered under it, and the media."""
    fields = {"body": numbered(message.text, message.buttons)[:MAX_BODY]}
    if message.media_urls:
        fields["media_url"] = list(message.media_urls)
    return fields


def _result(sent) -> SendResult:
    """What `messages.create` answered."""
    code = getattr(sent, "error_code", None)
    return SendResult(sid=sent.sid, status=str(sent.status or "queued"), error_code=str(code) if code else None)


def _send_error(exc: TwilioRestException, retry_after: float | None = None) -> SendError:
    """The one place a Twilio REST error becomes ours."""
    code, status = exc.code, int(exc.status or 0)
    text = f"Twilio refused the message ({status}, code {code}): {_reason(exc)}"
    if code == 21610:
        return RecipientOptedOut(text, code="21610", permanent=True)
    return SendError(text, code=str(code or status), permanent=not _transient(status, code), retry_after=retry_after)


def _reason(exc: TwilioRestException) -> str:
    """Why, in our words for the codes we know, else Twilio's."""
    return PERMANENT.get(exc.code) or (exc.msg or "").strip() or "error"


def _transient(status: int, code) -> bool:
    """Too many requests, a server error, or a rate code: trying again later may help."""
    return status == 429 or status >= 500 or code in TRANSIENT


class UnconfiguredOutbox:
    """Stands in for Twilio when it is not configured: says so clearly instead of pretending to send."""

    def send(self, message: OutboundMessage) -> SendResult:
        raise SendError("Twilio is not configured (set HUNAR_TWILIO_ENABLED and its credentials)", permanent=True)


# The whole reservation in one round trip, atomic in Redis: no WATCH/retry loop for workers to race on.
# ARGV: rate, burst, max_wait, ttl, now ("" for Redis's own TIME). Returns the wait in seconds, or nil.
_RESERVE = """
local rate, burst, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = tonumber(ARGV[5])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local stamp = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate) - 1
local wait = math.max(0, -tokens) / rate
if wait > max_wait then
  return false
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return string.format('%.6f', wait)
"""


class SendBucket:
    """A token bucket per outbound sender (WhatsApp allows 80 messages/second by default), shared by all workers.

    `take()` reserves a token and returns how long to wait for it, so waiters line up instead of retrying;
    the bucket is a Redis hash changed by one Lua script, so a reservation is one round trip however many
    workers send at once.
    """

    def __init__(self, client, *, rate: float, burst: float | None = None, prefix: str = "hunar:",
                 max_wait: float = 30.0, clock=None):
        self.redis = client
        self.clock = clock  # seconds as a float; default Redis's own TIME, one clock for every worker
        self.rate = float(rate)
        self.burst = float(burst or rate)
        self.prefix = prefix
        self.max_wait = max_wait
        self._reserve = client.register_script(_RESERVE)

    def reserve(self, sender: str) -> float | None:
        """Reserve one token; the seconds to wait before using it, or None if the wait would exceed `max_wait`."""
        if self.rate <= 0:
            return 0.0
        ttl = int(self.burst / self.rate + self.max_wait) + 5
        now = "" if self.clock is None else repr(float(self.clock()))
        wait = self._reserve(keys=[f"{self.prefix}rl:out:{sender}"],
                             args=[repr(self.rate), repr(self.burst), repr(self.max_wait), ttl, now])
        return None if wait is None else float(wait)

    def take(self, sender: str) -> bool:
        """Block (sleeping, not spinning) until a token is ours; False if the queue is too long to wait."""
        wait = self.reserve(sender)
        if wait is None:
            return False
        if wait > 0:
            time.sleep(wait)
        return True
