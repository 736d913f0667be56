"""Fakes Twilio on 127.0.0.1: its REST API (Messages, Media) and its media CDN, recording every request."""
from __future__ import annotations

import base64
import json
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT = "AC" + "a" * 32
TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"  # the shape of a real auth token: production checks it


@dataclass
class Seen:
    """One request the fake received."""

    method: str
    path: str
    headers: dict
    form: dict = field(default_factory=dict)  # name -> list of values
    target: str = ""  # the path with its query, as requested

    @property
    def auth(self) -> tuple[str, str] | None:
        value = self.headers.get("authorization", "")
        if not value.startswith("Basic "):
            return None
        user, _, secret = base64.b64decode(value[6:]).decode().partition(":")
        return user, secret

    def one(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[0] if values else None


class FakeHost:
    """A threaded HTTP server with a route table: path -> (status, headers, body) or a callable(Seen)."""

    def __init__(self):
        self.routes: dict[tuple[str, str], object] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                form = parse_qs(body.decode(), keep_blank_values=True) if body else {}
                seen = Seen(self.command, path, {k.lower(): v for k, v in self.headers.items()}, form, self.path)
                with host.lock:
                    host.seen.append(seen)
                status, headers, payload = host.answer(seen)
                chunked = headers.pop("X-Chunked", None)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if chunked:  # no Content-Length: the client only learns the size by reading
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(payload), 65536):
                        part = payload[start:start + 65536]
                        try:
                            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                        except OSError:
                            return
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def route(self, path: str, answer, method: str = "GET") -> str:
        self.routes[(method, path)] = answer
        return self.url + path

    def answer(self, seen: Seen):
        route = self.routes.get((seen.method, seen.path))
        if route is None:
            return 404, {"Content-Type": "application/json"}, b'{"code": 20404, "message": "not found"}'
        result = route(seen) if callable(route) else route
        status, headers, body = result
        return status, dict(headers), body if isinstance(body, bytes) else body.encode()

    def requests(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if (method is None or s.method == method)
                    and (path is None or s.path.startswith(path))]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class FakeTwilio(FakeHost):
    """Twilio's REST API: `POST …/Messages.json` answers like Twilio (or as scripted), media by path."""

    def __init__(self):
        super().__init__()
        self.messages_path = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
        self.scripted: deque = deque()  # (status, json) answers for the next creates, then 201s
        self.latency = 0.0  # seconds before answering a create (real Twilio takes 100-300 ms)
        self.fail_rate = 0.0  # this share of creates (beyond the scripted ones) is answered 500, at once
        self.accepted: list[dict] = []  # every message taken, as Twilio's list shows it, oldest first
        self.route(self.messages_path, self._create, method="POST")
        self.route(self.messages_path, self._list)

    def fail_next(self, status: int, code: int, message: str = "error", times: int = 1,
                  retry_after: int | None = None) -> None:
        """The next creates are refused (`retry_after`: with that Retry-After header, as a 429 may have)."""
        headers = {"Content-Type": "application/json", **({"Retry-After": str(retry_after)} if retry_after else {})}
        for _ in range(times):
            self.scripted.append((status, headers, {"code": code, "message": message, "status": status,
                                                    "more_info": f"https://www.twilio.com/docs/errors/{code}"}))

    def _create(self, seen: Seen):
        if self.scripted:
            status, headers, payload = self.scripted.popleft()
            return status, headers, json.dumps(payload)
        if self.fail_rate and random.random() < self.fail_rate:
            return 500, {"Content-Type": "application/json"}, '{"code": 20500, "message": "Internal Server Error"}'
        now = format_datetime(datetime.now(timezone.utc))
        payload = {"sid": "SM" + uuid.uuid4().hex, "status": "queued", "error_code": None, "to": seen.one("To"),
                   "from": seen.one("From"), "body": seen.one("Body") or "", "account_sid": ACCOUNT,
                   "num_media": "0", "num_segments": "1", "api_version": "2010-04-01", "direction": "outbound-api",
                   "date_created": now, "date_updated": now, "date_sent": now}
        with self.lock:
            self.accepted.append(payload)
        if self.latency:  # taken before the answer leaves: a client that gives up meanwhile has sent it all the same
            time.sleep(self.latency)
        return 201, {"Content-Type": "application/json"}, json.dumps(payload)

    def _list(self, seen: Seen):
        """`GET …/Messages.json?To=…&From=…&PageSize=…`: the messages taken, newest first, as one page."""
        query = parse_qs(urlsplit(seen.target).query)
        wanted = {name: query[name][0] for name in ("To", "From") if name in query}
        size = int(query.get("PageSize", ["50"])[0])
        with self.lock:
            found = [m for m in reversed(self.accepted)
                     if all(m[name.lower()] == value for name, value in wanted.items())][:size]
        page = {"messages": found, "page": 0, "page_size": size, "start": 0, "end": max(0, len(found) - 1),
                "uri": self.messages_path, "first_page_uri": self.messages_path, "next_page_uri": None,
                "previous_page_uri": None}
        return 200, {"Content-Type": "application/json"}, json.dumps(page)

    @property
    def sent(self) -> list[Seen]:
        """Creates asked for, in order (refused ones too: `accepted` holds the messages taken)."""
        return [s for s in self.requests("POST", self.messages_path)]

    def media(self, data: bytes, content_type: str = "image/jpeg", name: str | None = None) -> str:
        """Serve bytes as Twilio media (credentials required, as Twilio enforces); returns the MediaUrl."""
        path = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{uuid.uuid4().hex}/Media/ME{name or uuid.uuid4().hex}"

        def serve(seen: Seen):
            if seen.auth != (ACCOUNT, TOKEN):
                return 401, {"Content-Type": "application/json"}, '{"code": 20003}'
            return 200, {"Content-Type": content_type}, data

        self.route(path, serve)
        self.route(path, (204, {}, b""), method="DELETE")
        return self.url + path

    def media_redirect(self, location: str, status: int = 307) -> str:
        """Media that redirects (as Twilio does to its CDN) once the credentials are right."""
        path = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{uuid.uuid4().hex}/Media/ME{uuid.uuid4().hex}"

        def serve(seen: Seen):
            if seen.auth != (ACCOUNT, TOKEN):
                return 401, {}, b""
            return status, {"Location": location}, b""

        self.route(path, serve)
        return self.url + path
