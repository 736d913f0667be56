"""Download media an artisan sent through Twilio, safely: allowed hosts only, credentials only to Twilio, capped."""
from __future__ import annotations

import fnmatch
import ipaddress
import logging
import socket
import time
from urllib.parse import urljoin, urlsplit

import requests

from bot.filetypes import sniff_type
from bot.media import FetchError

log = logging.getLogger("hunar.media")

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
GONE = (200, 204, 404)  # what Twilio answers a DELETE of media it no longer holds


def _hosts(value) -> tuple[str, ...]:
    """Host patterns from a setting, lower case, blanks dropped."""
    return tuple(h.strip().lower() for h in _items(value) if h and h.strip())


def _items(value) -> list:
    """A list setting, given as a list or as comma-separated text."""
    return value.split(",") if isinstance(value, str) else list(value or ())


def _host_and_port(parts) -> tuple[str, int]:
    """An http(s) URL's host and port; FetchError for any other scheme, credentials in the URL or a bad port."""
    _check_scheme(parts)
    if parts.username or parts.password:
        raise FetchError("refused media URL carrying credentials", retry=False)
    return parts.hostname.lower(), _port(parts)


def _check_scheme(parts) -> None:
    """Only http and https URLs, with a host."""
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise FetchError(f"refused media URL with scheme {parts.scheme or '-'!r}", retry=False)


def _port(parts) -> int:
    """The URL's port, or its scheme's default."""
    try:
        return parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise FetchError("refused media URL with a bad port", retry=False) from None


def _matches(netloc: str, host: str, port: int, patterns: tuple[str, ...]) -> str | None:
    """The pattern that allows host:port: `api.twilio.com` (ports 80/443), `*.twiliocdn.com`, `127.0.0.1:8765`."""
    return next((pattern for pattern in patterns if _allows(pattern, netloc, host, port)), None)


def _allows(pattern: str, netloc: str, host: str, port: int) -> bool:
    """A pattern with a port allows exactly that host and port; one without, the host on 80 or 443."""
    if ":" in pattern and not pattern.startswith("["):
        return pattern in (netloc, f"{host}:{port}")
    return port in (80, 443) and fnmatch.fnmatchcase(host, pattern)


def _public(host: str, port: int) -> bool:
    """True when every address the host resolves to is a public one (no loopback, private, link-local…)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(infos) and all(_public_address(info[4][0]) for info in infos)


def _public_address(address: str) -> bool:
    """A global unicast address (an IPv6 zone is ignored)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


class TwilioMediaFetcher:
    """A `MediaFetcher` for Twilio's `MediaUrl{N}`.

    - only http(s) URLs on `hosts` (HUNAR_TWILIO_MEDIA_HOSTS; a pattern without a port allows 80/443 only);
      a host matched only by a wildcard must also resolve to public addresses (no SSRF into our network);
    - Basic auth (AccountSid:AuthToken) only to `auth_hosts` (api.twilio.com, *.twilio.com), first request only;
      redirects are followed by hand, without credentials, and each hop is checked like the first URL;
    - the size cap is enforced while streaming; the content type is sniffed from the bytes, not trusted;
    - transient failures (network, 429, 5xx) are retried with backoff, then `FetchError` (the artisan is asked
      to send again);
    - `release(url)` deletes the media at Twilio once it is stored (HUNAR_TWILIO_MEDIA_DELETE).
    """

    def __init__(self, *, account_sid: str | None, auth_token: str | None, hosts, auth_hosts, delete: bool = True,
                 attempts: int = 3, backoff: float = 0.5, timeout: float = 10.0, session=None):
        self.auth = (account_sid, auth_token) if account_sid and auth_token else None
        self.hosts = _hosts(hosts)
        self.auth_hosts = _hosts(auth_hosts)
        self.delete = delete
        self.attempts = max(1, int(attempts))
        self.backoff = backoff
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment

    @classmethod
    def from_settings(cls, settings: dict) -> "TwilioMediaFetcher":
        return cls(account_sid=settings["TWILIO_ACCOUNT_SID"], auth_token=settings["TWILIO_AUTH_TOKEN"],
                   hosts=settings["TWILIO_MEDIA_HOSTS"], auth_hosts=settings["TWILIO_MEDIA_AUTH_HOSTS"],
                   delete=bool(int(settings["TWILIO_MEDIA_DELETE"])),
                   attempts=int(settings["TWILIO_MEDIA_ATTEMPTS"]),
                   backoff=float(settings["TWILIO_MEDIA_BACKOFF_SECONDS"]),
                   timeout=float(settings["TWILIO_TIMEOUT_SECONDS"]))

    # --- checks ---------------------------------------------------------------------------------

    def check(self, url: str) -> bool:
        """Raise FetchError unless the URL may be fetched; returns whether it is a Twilio (credentialed) host."""
        parts = urlsplit(url)
        host, port = _host_and_port(parts)
        netloc = parts.netloc.lower()
        allowed = _matches(netloc, host, port, self.hosts)
        if allowed is None:
            raise FetchError(f"refused media from {host}:{port}: not an allowed media host", retry=False)
        if "*" in allowed and not _public(host, port):
            raise FetchError(f"refused media from {host}: it resolves to a private address", retry=False)
        return _matches(netloc, host, port, self.auth_hosts) is not None

    # --- fetching -------------------------------------------------------------------------------

    def fetch(self, url: str, *, max_bytes: int) -> tuple[bytes, str]:
        """The bytes and their sniffed content type; transient failures are retried, then FetchError."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._fetch_once(url, max_bytes)
            except FetchError as exc:
                if not exc.retry or attempt == self.attempts:
                    raise
                log.info("media fetch attempt %d failed (%s); retrying", attempt, exc)
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _fetch_once(self, url: str, max_bytes: int) -> tuple[bytes, str]:
        first = True
        for _ in range(MAX_REDIRECTS + 1):
            with self._get(url, credentials=first) as resp:
                location = _redirect(resp)
                if location is None:
                    _check_status(resp)
                    data = _read(resp, max_bytes)
                    return data, sniff_type(data, resp.headers.get("Content-Type"))
            url, first = urljoin(url, location), False
        raise FetchError("too many redirects", retry=False)

    def _get(self, url: str, *, credentials: bool):
        """GET the checked URL, streamed, with our credentials if it is Twilio's and `credentials` allows."""
        credentialed = self.check(url)  # raises unless the URL may be fetched at all
        auth = self.auth if credentials and credentialed else None
        try:
            return self.session.get(url, auth=auth, stream=True, allow_redirects=False, timeout=self.timeout,
                                    headers={"Accept": "*/*"})
        except requests.RequestException as exc:
            raise FetchError(f"media host unreachable: {type(exc).__name__}") from exc

    def release(self, url: str) -> None:
        """Delete the media at Twilio now that we keep our own copy (only Twilio's own media URLs)."""
        if not self.delete or self.auth is None:
            return
        try:
            self._delete(url)
        except (FetchError, requests.RequestException) as exc:
            log.warning("media at Twilio not deleted: %s", exc)

    def _delete(self, url: str) -> None:
        """DELETE the media if it is Twilio's (a credentialed host); anything else is not ours to delete."""
        if not self.check(url):
            return
        resp = self.session.delete(url, auth=self.auth, allow_redirects=False, timeout=self.timeout)
        if resp.status_code not in GONE:
            log.warning("media at Twilio not deleted: %s", resp.status_code)


def _redirect(resp) -> str | None:
    """Where a redirect points; None when the answer is no redirect."""
    if resp.status_code not in REDIRECTS:
        return None
    location = resp.headers.get("Location")
    if not location:
        raise FetchError("redirect without a Location", retry=False)
    return location


def _check_status(resp) -> None:
    """FetchError unless the media is there; a retry may help after a 429 or a 5xx, not after any other answer."""
    if resp.status_code != 200:
        retry = resp.status_code == 429 or resp.status_code >= 500
        raise FetchError(f"media host answered {resp.status_code}", retry=retry)


def _read(resp, max_bytes: int) -> bytes:
    """The body, read up to `max_bytes` and refused beyond; FetchError when it is empty."""
    _check_declared_size(resp, max_bytes)
    try:
        data = _capped(resp.iter_content(CHUNK), max_bytes)
    except requests.RequestException as exc:
        raise FetchError(f"media download broke off: {type(exc).__name__}") from exc
    if not data:
        raise FetchError("media is empty", retry=False)
    return data


def _check_declared_size(resp, max_bytes: int) -> None:
    """Refuse before reading when the declared length is over the limit already."""
    declared = resp.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"media is {int(declared)} bytes, over the {max_bytes} byte limit", retry=False,
                         too_large=True)


def _capped(chunks, max_bytes: int) -> bytes:
    """The chunks joined, stopping with FetchError as soon as they exceed `max_bytes`."""
    kept, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"media is over the {max_bytes} byte limit", retry=False, too_large=True)
        kept.append(chunk)
    return b"".join(kept)
