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
    # --- the webhook's spool and Twilio's retries (bot/spool.py, README "Twilio console") ---
    "TWILIO_WEBHOOK_OVERRIDES": None,  # the "#…" part of the console's webhook URL, e.g. "rp=ct,rt,5xx&rc=3"
    "SPOOL_DIR": None,  # where the webhook keeps messages during an outage (default: <INSTANCE_PATH>/spool)
    "TWILIO_TEMPLATES": {},  # approved WhatsApp templates by name, e.g. {"resume": "HX…"}
    "TWILIO_BUTTON_CONTENT": {},  # quick-reply contents by button ids ("intent:affirm|intent:deny": "HX…")
    "TWILIO_SEND_RATE": 80,  # messages per second per sender, shared by all workers
    "TWILIO_TIMEOUT_SECONDS": 10,  # per request to Twilio's API or media
    "TWILIO_RETRY_SECONDS": 0.5,  # first wait before a failed send is tried again (doubles, jittered: send_backoff)
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
    "INR_PER_USD": None,  # rupees per US dollar; default: the price schedule's dated rate
    # --- prices per channel (marketplace/pricing.py, docs/marketplace.md "Prices") ---
    "PRICE_SCHEDULE": None,  # a price_schedule.yml of your own (default: marketplace/data/price_schedule.yml)
    "PRICE_OVERRIDES": {},  # single figures by dotted path, e.g. {"ebay.international_fee_pct": 1.65}
    "DESK_WHATSAPP": None,  # the desk's WhatsApp number (E.164) buyers reach from "Buy on WhatsApp"
    "DESK_HOURS": None,  # e.g. "10-18": the hours staff answer, told to an artisan waiting for a person
    "LISTING_REVIEW": 1,  # 0 publishes listings without staff review
    "NLU_BACKEND": "builtin",  # or "rasa": a Rasa server is asked when the built-in NLU understood nothing
    "RASA_URL": None,  # the Rasa server's base URL (default http://127.0.0.1:5005)
    "RASA_TIMEOUT_SECONDS": 0.5,  # per /model/parse; past it the built-in reading is used
    "MEDIA_MAX_IMAGE_BYTES": 5 * 1024 * 1024,
    "MEDIA_MAX_OTHER_BYTES": 16 * 1024 * 1024,
    "UPLOAD_LINK_HOURS": 24,  # how long an SMS artisan's one-time photo upload link works
    "RAW_MEDIA_RETENTION_DAYS": 30,  # voice notes and documents an artisan sent are deleted after this
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


PREFIX = "HUNAR_"
PLAIN = ("DATABASE_URL", "REDIS_URL")  # also read without the prefix: the names hosting platforms set
# The secrets production checks: the length each needs at least, which may be left unset, and why one is needed.
LEAST = {"HUNAR_SECRET_KEY": 32, "HUNAR_METRICS_TOKEN": 16, "HUNAR_TWILIO_AUTH_TOKEN": 32}  # Twilio's are 32 hex
OPTIONAL = {"HUNAR_METRICS_TOKEN"}  # without it /metrics is closed in production
WHY = {"HUNAR_TWILIO_AUTH_TOKEN": " (Twilio is enabled)"}


def load(overrides: dict | None = None, environ: dict | None = None) -> dict:
    """Defaults, then HUNAR_* (and plain DATABASE_URL/REDIS_URL/PORT) from the environment, then overrides."""
    env = os.environ if environ is None else environ
    return _completed({**DEFAULTS, **_port(env), **_plain(env), **_prefixed(env), **(overrides or {})})


def _port(env) -> dict:
    """With PORT set, the embedded default's links (media, upload pages) point at the port it serves on."""
    return {"PUBLIC_BASE_URL": f"http://127.0.0.1:{env['PORT']}"} if env.get("PORT") else {}


def _plain(env) -> dict:
    return {name: env[name] for name in PLAIN if env.get(name)}


def _prefixed(env) -> dict:
    """Every HUNAR_<NAME> that is not empty, as <NAME>."""
    return {key[len(PREFIX):]: _coerce(raw) for key, raw in env.items() if key.startswith(PREFIX) and raw != ""}


def _coerce(raw: str) -> object:
    """Read an environment value as JSON when it is JSON (numbers, true/false), else as a string."""
    import json

    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _completed(settings: dict) -> dict:
    """The settings whose defaults follow from others: the database in the instance folder, jobs inline without
    Redis, the simulator on outside production."""
    instance = Path(str(settings["INSTANCE_PATH"])).resolve()
    return {**settings, "INSTANCE_PATH": str(instance),
            "DATABASE_URL": settings["DATABASE_URL"] or f"sqlite:///{instance / 'hunar.db'}",
            "SPOOL_DIR": str(settings["SPOOL_DIR"] or instance / "spool"),
            "JOBS_INLINE": _unless_none(settings["JOBS_INLINE"], not settings["REDIS_URL"]),
            "SIMULATOR": _unless_none(settings["SIMULATOR"], settings["ENV"] != "production")}


def _unless_none(value, default):
    return default if value is None else value


class ConfigError(RuntimeError):
    """The settings cannot run safely; the message says which one to set."""


def check(settings: dict) -> None:
    """Refuse to start in production without the secrets that keep artisans' data safe."""
    if settings["ENV"] != "production":
        return
    secrets = _secrets(settings)
    missing = _missing(secrets)
    if missing:
        raise ConfigError("Production needs: " + ", ".join(missing))
    weak = _too_weak(secrets)
    if weak:
        raise ConfigError(", ".join(weak) + " still hold the example's placeholder or are too short: make each with "
                          "`python -c 'import secrets; print(secrets.token_hex(32))'`")
    _check_buyer_contact(settings)


def _secrets(settings: dict) -> dict[str, object]:
    """The secrets production checks, by variable; Twilio's token only when Twilio is on."""
    secrets = {"HUNAR_SECRET_KEY": settings.get("SECRET_KEY"), "HUNAR_METRICS_TOKEN": settings.get("METRICS_TOKEN")}
    if settings.get("TWILIO_ENABLED"):
        secrets["HUNAR_TWILIO_AUTH_TOKEN"] = settings.get("TWILIO_AUTH_TOKEN")
    return secrets


def _missing(secrets: dict[str, object]) -> list[str]:
    return [name + WHY.get(name, "") for name, value in secrets.items() if not value and name not in OPTIONAL]


def _too_weak(secrets: dict[str, object]) -> list[str]:
    return [name for name, value in secrets.items() if value is not None and _weak(str(value), LEAST[name])]


def _weak(secret: str, least: int) -> bool:
    """A placeholder copied from deploy/env.example, or too short to resist guessing."""
    return len(secret) < least or "change-me" in secret.lower() or len(set(secret)) < 8


# --- A way to buy, always (issue 19, M8) ---
# A listing page's only way to buy is "Buy on WhatsApp" to the desk's number, so production needs that number.


def _check_buyer_contact(settings: dict) -> None:
    """Refuse production without HUNAR_DESK_WHATSAPP as a full international number (E.164: 8 to 15 digits)."""
    digits = "".join(ch for ch in str(settings.get("DESK_WHATSAPP") or "") if ch.isdigit())
    if not 8 <= len(digits) <= 15:
        raise ConfigError("Production needs a way for buyers to reach the desk: set HUNAR_DESK_WHATSAPP to the desk's "
                          "WhatsApp number with its country code, e.g. +919812345678 (listing pages show "
                          "'Buy on WhatsApp' to it)")
