"""Twilio webhook signatures: the URL Twilio called (our public base + path + query) and its form, HMAC-checked."""
from __future__ import annotations

from urllib.parse import urlparse

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
    if algorithm not in (HMAC_SHA1, HMAC_SHA256):
        return False
    secret = shared_key if algorithm == HMAC_SHA256 and shared_key else auth_token
    if not secret:
        return False
    validator = RequestValidator(secret)
    try:
        if raw_body is not None and "bodySHA256=" in url:
            return validator.validate(url, raw_body, signature, algorithm=algorithm)
        # A form: the library's two candidate URLs (Twilio signs with or without the default port), but the
        # second HMAC only when the first does not match: the common case costs one.
        parsed = urlparse(url)
        return any(compare(validator.compute_signature(candidate, params, algorithm), signature)
                   for candidate in (remove_port(parsed), add_port(parsed)))
    except (TypeError, ValueError, AttributeError):
        return False  # e.g. a string body without bodySHA256 in the URL


def sign(url: str, params, token: str, algorithm: str = HMAC_SHA1) -> str:
    """Twilio's signature for a request (used by tests, the benchmark and local tools that act as Twilio)."""
    return RequestValidator(token).compute_signature(url, params, algorithm)


__all__ = ["HMAC_SHA1", "HMAC_SHA256", "SIGNATURE_HEADER", "SIGNATURE_SETTINGS_HEADER", "is_valid", "public_url",
           "sign"]
