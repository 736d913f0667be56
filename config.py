"""Settings: safe defaults for the embedded app, overridden by HUNAR_* environment variables, then by a test's dict."""
from __future__ import annotations

import os
from pathlib import Path

# Every setting Hunar reads, with its default. The environment overrides them as HUNAR_<NAME>
# (values are parsed as JSON when they can be, so HUNAR_LISTING_REVIEW=0 is the integer 0).
DEFAULTS: dict[str, object] = {
    "ENV": "development",  # "production" turns on the start-up checks below
    "SECRET_KEY": None,  # required in production; a random one is made for development
    "INSTANCE_PATH": "instance",  # SQLite file and media live here by default
    "DATABASE_URL": None,  # default: sqlite:///<INSTANCE_PATH>/hunar.db
    "REDIS_URL": None,  # default: an in-process fakeredis, with jobs run inline
    "JOBS_INLINE": None,  # default: inline when there is no REDIS_URL, else queued for RQ workers
    "REDIS_PREFIX": "hunar:",  # every Redis key and the job queue's name start with this
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",  # what Twilio calls; signatures are checked against it
    "SIMULATOR": None,  # default: on in development, off in production
    "TWILIO_ENABLED": False,
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_WHATSAPP_FROM": None,  # e.g. whatsapp:+14155238886
    "TWILIO_SMS_FROM": None,
    "TWILIO_API_BASE": "https://api.twilio.com",
    "TWILIO_MEDIA_HOSTS": "api.twilio.com,*.twilio.com,*.twiliocdn.com,s3-external-1.amazonaws.com",
    "TWILIO_MEDIA_AUTH_HOSTS": "api.twilio.com,*.twilio.com",  # the only hosts our credentials are sent to
    "TWILIO_MEDIA_DELETE": 1,  # delete media at Twilio once our copy is stored
    "TWILIO_MEDIA_ATTEMPTS": 3,  # tries per media download before the artisan is asked to send again
    "TWILIO_MEDIA_BACKOFF_SECONDS": 0.5,  # first pause between those tries (doubles each time)
    "TWILIO_WEBHOOK_SHARED_KEY": None,  # secret of a Webhook Rule signing with HMAC-SHA256 (default: auth token)
    "TWILIO_TEMPLATES": {},  # approved WhatsApp templates by name, e.g. {"resume": "HX…"}
    "TWILIO_BUTTON_CONTENT": {},  # quick-reply contents by button ids ("intent:affirm|intent:deny": "HX…")
    "TWILIO_SEND_RATE": 80,  # messages per second per sender, shared by all workers
    "TWILIO_TIMEOUT_SECONDS": 10,  # per request to Twilio's API or media
    "TWILIO_RETRY_SECONDS": 2,  # first wait before a failed send is tried again (doubles each time)
    "ALBUM_DEBOUNCE_SECONDS": 2,  # a photo's job waits this long after the conversation's latest photo
    "INBOUND_RATE_LIMIT": 20,  # messages per sender per window run through the bot; the rest are kept, skipped
    "INBOUND_RATE_WINDOW_SECONDS": 60,
    "EBAY_API_BASE": "https://api.sandbox.ebay.com",
    "EBAY_CLIENT_ID": None,  # eBay app keys (App ID / Cert ID) for the OAuth refresh-token flow
    "EBAY_CLIENT_SECRET": None,
    "EBAY_REFRESH_TOKEN": None,  # the seller's long-lived refresh token (from the one-time consent)
    "EBAY_MARKETPLACE": "EBAY_US",  # cross-border: eBay.in takes no orders; prices go out in USD
    "EBAY_CATEGORY_ID": None,  # a leaf category id, or {"rug": "…", "footwear": "…", "default": "…"}
    "EBAY_FULFILLMENT_POLICY_ID": None,  # business policies (Account API); all three are needed to publish
    "EBAY_PAYMENT_POLICY_ID": None,
    "EBAY_RETURN_POLICY_ID": None,
    "EBAY_LOCATION_KEY": "hunar-haryana",  # our inventory location, created once (max 36 characters)
    "EBAY_LOCATION_CITY": "Panipat",  # where parcels ship from (state Haryana, country IN)
    "EBAY_AUTO_PUBLISH": 0,  # 1 puts every published listing on eBay; 0 only those sent with the CLI or helpdesk
    "EBAY_TIMEOUT_SECONDS": 20,
    "INR_PER_USD": 88.0,  # rupees per US dollar for eBay prices; keep it current
    "DESK_WHATSAPP": None,  # the desk's WhatsApp number (E.164) buyers reach from "Buy on WhatsApp"
    "LISTING_REVIEW": 1,  # 0 publishes listings without staff review
    "NLU_BACKEND": "builtin",  # or "rasa": a Rasa server is asked when the built-in NLU understood nothing
    "RASA_URL": None,  # the Rasa server's base URL (default http://127.0.0.1:5005)
    "RASA_TIMEOUT_SECONDS": 0.5,  # per /model/parse; past it the built-in reading is used
    "MEDIA_MAX_IMAGE_BYTES": 5 * 1024 * 1024,
    "MEDIA_MAX_OTHER_BYTES": 16 * 1024 * 1024,
    "UPLOAD_LINK_HOURS": 24,
    "RAW_MEDIA_RETENTION_DAYS": 30,  # voice notes and documents an artisan sent are deleted after this  # how long an SMS artisan's one-time photo upload link works
    "SIMULATOR_MAX_TEXT": 4096,  # characters in one simulator message (WhatsApp's own limit is 4096)
    "SIMULATOR_MAX_MEDIA": 10,
    "LOCK_TIMEOUT_SECONDS": 30,  # a conversation lock is released after this even if its holder died
    "LOCK_WAIT_SECONDS": 60,  # how long a job waits its turn for a conversation
    "SEND_THREADS": 8,  # threads per RQ worker process that send replies (Twilio takes 100-300 ms per message)
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "text",  # "json": one JSON object per line, for log collectors
    "METRICS_TOKEN": None,  # when set, GET /metrics needs "Authorization: Bearer <token>"
    "STUCK_AFTER_MINUTES": 30,  # an artisan silent this long mid-listing is flagged for the helpdesk
    "HELPDESK_MAX_FAILED_LOGINS": 5,  # login tries for one name (from unknown browsers) before it is locked
    "HELPDESK_LOCKOUT_MINUTES": 15,  # how long a locked name stays locked (known browsers can still log in)
    "HELPDESK_SESSION_HOURS": 12,  # a staff login lasts this long (server-side session in Redis; logout ends it)
    "HELPDESK_LOGIN_RATE_PER_IP": "10 per minute;100 per hour",  # login POSTs per client address (Flask-Limiter)
    "HELPDESK_DEVICE_DAYS": 180,  # a browser that logged in is "known" this long: the per-name lockout spares it
    "TRUSTED_PROXIES": "127.0.0.1,::1",  # peers whose X-Forwarded-For names the client (nginx in front)
    "HELPDESK_LIVE_STREAMS": 2,  # live (SSE) streams per web process; more staff pages poll every 5 s instead
}


def _coerce(raw: str) -> object:
    """Read an environment value as JSON when it is JSON (numbers, true/false), else as a string."""
    import json

    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load(overrides: dict | None = None, environ: dict | None = None) -> dict:
    """Defaults, then HUNAR_* (and plain DATABASE_URL/REDIS_URL/PORT) from the environment, then overrides."""
    env = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    if env.get("PORT"):  # the embedded default's links (media, upload pages) point at the port it serves on
        settings["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{env['PORT']}"
    for plain in ("DATABASE_URL", "REDIS_URL"):
        if env.get(plain):
            settings[plain] = env[plain]
    for key, raw in env.items():
        if key.startswith("HUNAR_") and raw != "":
            settings[key[len("HUNAR_"):]] = _coerce(raw)
    settings.update(overrides or {})

    instance = Path(str(settings["INSTANCE_PATH"])).resolve()
    settings["INSTANCE_PATH"] = str(instance)
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'hunar.db'}"
    if settings["JOBS_INLINE"] is None:
        settings["JOBS_INLINE"] = not settings["REDIS_URL"]
    if settings["SIMULATOR"] is None:
        settings["SIMULATOR"] = settings["ENV"] != "production"
    return settings


class ConfigError(RuntimeError):
    """The settings cannot run safely; the message says which one to set."""


def check(settings: dict) -> None:
    """Refuse to start in production without the secrets that keep artisans' data safe."""
    if settings["ENV"] != "production":
        return
    missing = []
    if not settings.get("SECRET_KEY"):
        missing.append("HUNAR_SECRET_KEY")
    if settings.get("TWILIO_ENABLED") and not settings.get("TWILIO_AUTH_TOKEN"):
        missing.append("HUNAR_TWILIO_AUTH_TOKEN (Twilio is enabled)")
    if missing:
        raise ConfigError("Production needs: " + ", ".join(missing))
    secrets = [("HUNAR_SECRET_KEY", settings["SECRET_KEY"], 32), ("HUNAR_METRICS_TOKEN", settings.get("METRICS_TOKEN"), 16)]
    if settings.get("TWILIO_ENABLED"):
        secrets.append(("HUNAR_TWILIO_AUTH_TOKEN", settings.get("TWILIO_AUTH_TOKEN"), 32))  # Twilio's are 32 hex
    weak = [name for name, value, least in secrets if value is not None and _weak(str(value), least)]
    if weak:
        raise ConfigError(", ".join(weak) + " still hold the example's placeholder or are too short: make each with "
                          "`python -c 'import secrets; print(secrets.token_hex(32))'`")


def _weak(secret: str, least: int) -> bool:
    """A placeholder copied from deploy/env.example, or too short to resist guessing."""
    return len(secret) < least or "change-me" in secret.lower() or len(set(secret)) < 8
