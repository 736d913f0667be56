"""bench/load.py's fake Twilio in a process of its own: its work then does not share the artisans' GIL.

The child (`python -m bench.fake_twilio LATENCY`, from the repository's root) answers as fakes/twilio.py's
FakeTwilio does (message creates, media by path; HTTP Basic auth required, as Twilio does) from a single-threaded
asyncio server, lean because its CPU comes from the two cores of the deployment being measured: serving
FakeTwilio itself (a thread per connection, email-based header parsing, parse_qs) cost ~0.4 ms per reply, this
~0.2 ms. It writes one JSON line to stdout per accepted create, reads media to serve from stdin, and ends when
stdin closes. RecordingTwilio is the load generator's handle on it: it starts the child and keeps every accepted
create by recipient, with the time the child accepted it.
"""
from __future__ import annotations

import asyncio
import base64
import functools
import json
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from fakes.twilio import ACCOUNT, TOKEN

ROOT = Path(__file__).resolve().parents[1]


# --- the child -----------------------------------------------------------------------------------------------

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
JSON = "application/json"
UNAUTHORIZED = (401, JSON, json.dumps({"code": 20003, "message": "Authenticate", "status": 401,
                                       "more_info": "https://www.twilio.com/docs/errors/20003"}).encode())
NOT_FOUND = (404, JSON, b'{"code": 20404, "message": "not found"}')
RETRY_AFTER = 1  # seconds, in a refused create's 429 (bench/faults.py)
REASONS = {s.value: s.phrase for s in HTTPStatus}


class Head(NamedTuple):
    """A request's line and headers."""

    method: str
    path: str
    headers: dict  # lower-case name -> value
    length: int  # of the body
    close: bool  # the connection ends with the answer
    query: str = ""  # after the "?"


def parse_head(head: bytes) -> Head:
    """The request line and headers before the blank line (ValueError if malformed)."""
    request, *lines = head.decode("latin-1").split("\r\n")
    method, target, version = request.split(" ")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.lower()] = value.strip()  # HTTP allows no space before the colon
    length = int(headers.get("content-length") or 0)
    if length < 0:
        raise ValueError(length)
    tokens = headers.get("connection", "").lower()
    close = "close" in tokens or (version != "HTTP/1.1" and "keep-alive" not in tokens)
    parts = urlsplit(target)
    return Head(method, parts.path, headers, length, close, parts.query)


def authorized(headers: dict) -> bool:
    """Whether the request carries HTTP Basic credentials for ACCOUNT:TOKEN."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        return base64.b64decode(value.strip()).decode() == f"{ACCOUNT}:{TOKEN}"
    except ValueError:  # bad base64 or UTF-8
        return False


# The replies are Hindi, so a body is mostly percent-escapes, which unquote_plus (and parse_qs) decode one at a time
# in Python: ~35 us a reply measured alone, more than the rest of a create. Runs of them (and "+", a space) are
# decoded in one go instead, about three times faster.
ESCAPED = re.compile(r"(?:%[0-9A-Fa-f]{2}|\+)+")


def unquote_run(run: re.Match) -> str:
    """A run of escapes and "+" as the text it encodes."""
    return bytes.fromhex(run[0].replace("+", "%20").replace("%", "")).decode("utf-8", "replace")


def form_values(body: bytes, *names: str) -> list[str | None]:
    """The first value of each name in an urlencoded body (None if absent), decoded as unquote_plus does."""
    found: dict[str, str] = {}
    for pair in body.decode().split("&"):
        name, _, value = pair.partition("=")
        found.setdefault(name, value)  # the names asked for need no escaping: compared as sent
    return [ESCAPED.sub(unquote_run, found[name]) if name in found else None for name in names]


def response(status: int, content_type: str | None, body: bytes, close: bool) -> bytes:
    """The whole response as one buffer, so it leaves in one write (no Nagle and delayed-ACK stall)."""
    head = f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    if status == 429:  # Twilio says when to try again
        head += f"Retry-After: {RETRY_AFTER}\r\n"
    if status != 204:  # a 204 has no body, hence no length
        head += f"Content-Length: {len(body)}\r\n"
    if close:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode("latin-1") + body


class StreamingTwilio:
    """Twilio's REST API and media host, answering on the event loop and writing each accepted create to stdout."""

    def __init__(self, loop: asyncio.AbstractEventLoop, latency: float, failure: float = 0.0):
        self.loop = loop
        self.latency = latency  # seconds before answering a create (real Twilio takes 100-300 ms)
        self.failure = failure  # share of creates refused (bench/faults.py): half 429 + Retry-After, half 500
        self.port = 0
        self.files: dict[str, tuple[bytes, str]] = {}  # media path -> (bytes, content type)
        self.taken: dict[str, list[dict]] = defaultdict(list)  # To -> messages accepted, oldest first (the list)

    def emit(self, **message) -> None:
        """One complete JSON line to the parent, flushed: it waits on these (only ever called on the loop)."""
        sys.stdout.buffer.write(json.dumps(message).encode() + b"\n")
        sys.stdout.buffer.flush()

    def media(self, data: bytes, content_type: str) -> None:
        """Serve bytes at a new media path, as FakeTwilio.media does, and tell the parent its URL."""
        path = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{uuid.uuid4().hex}/Media/ME{uuid.uuid4().hex}"
        self.files[path] = (data, content_type)
        self.emit(media=f"http://127.0.0.1:{self.port}{path}")

    def delayed(self, head: Head) -> bool:
        """Whether this request's answer waits `latency` seconds (creates only, as FakeTwilio)."""
        return bool(self.latency) and head.method == "POST" and head.path == MESSAGES

    def answer(self, head: Head, body: bytes) -> tuple[int, str | None, bytes]:
        """(status, content type, body) for one request."""
        if head.method == "POST" and head.path == MESSAGES:
            refused = self.refuse() if authorized(head.headers) else None
            return refused or self.create(head.headers, body)
        if head.method == "GET" and head.path == MESSAGES:
            return self.listed(head)
        file = self.files.get(head.path)
        if file is None:
            return NOT_FOUND
        if head.method == "GET":
            return (200, file[1], file[0]) if authorized(head.headers) else UNAUTHORIZED
        if head.method == "DELETE":
            return 204, None, b""
        return NOT_FOUND

    def refuse(self) -> tuple[int, str, bytes] | None:
        """With probability `failure`, Twilio's answer to a create it does not accept (the parent is told)."""
        if not self.failure or random.random() >= self.failure:
            return None
        status = random.choice((429, 500))
        self.emit(refused=[time.time(), status])
        error = json.dumps({"code": 20429 if status == 429 else 20500, "status": status,
                            "message": "Too Many Requests" if status == 429 else "Internal Server Error"})
        return status, JSON, error.encode()  # response() adds a 429's Retry-After

    def create(self, headers: dict, body: bytes) -> tuple[int, str, bytes]:
        """Accept a message as Twilio does and tell the parent, before the answer leaves."""
        if not authorized(headers):
            return UNAUTHORIZED
        to, sender, text = form_values(body, "To", "From", "Body")
        sid = f"SM{random.getrandbits(128):032x}"  # as uuid4().hex, without a getrandom call each
        # Written before the answer leaves: a create its sender saw succeed is already in the pipe.
        self.emit(create=[time.time(), to, sid, text or ""])
        payload = {"sid": sid, "status": "queued", "error_code": None, "to": to, "from": sender, "body": text,
                   "account_sid": ACCOUNT, "num_media": "0", "num_segments": "1", "direction": "outbound-api",
                   "date_created": formatdate(usegmt=True), "api_version": "2010-04-01"}
        self.taken[to].append(payload)
        return 201, JSON, json.dumps(payload).encode()

    def listed(self, head: Head) -> tuple[int, str, bytes]:
        """`GET Messages.json?To=…&From=…&PageSize=…`, newest first, one page: what bot/send_once.py asks after
        an interrupted send."""
        if not authorized(head.headers):
            return UNAUTHORIZED
        query = parse_qs(head.query)
        to, sender = (query.get(name, [None])[0] for name in ("To", "From"))
        size = int(query.get("PageSize", ["50"])[0])
        found = [m for m in reversed(self.taken.get(to, [])) if sender in (None, m["from"])][:size]
        return 200, JSON, json.dumps({"messages": found, "page": 0, "page_size": size, "uri": MESSAGES,
                                      "first_page_uri": MESSAGES, "next_page_uri": None,
                                      "previous_page_uri": None}).encode()


class Connection(asyncio.BufferedProtocol):
    """One client's HTTP/1.1 connection: requests parsed from a buffer as they complete, answered in order."""

    def __init__(self, fake: StreamingTwilio):
        self.fake = fake
        # Reads land here (a plain Protocol gets a fresh 256 KiB bytes per read: an mmap, mremap and munmap each).
        self.landing = memoryview(bytearray(65536))
        self.buffer = bytearray()  # received, not yet handled
        self.head: Head | None = None  # the request whose body is awaited
        self.waiting = False  # a delayed answer is due: later requests stay in the buffer, to keep the order
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        # asyncio sets it already; said here because a response held ~40 ms would be charged to Hunar's workers.
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get_buffer(self, sizehint: int) -> memoryview:
        """Where the next read lands."""
        return self.landing

    def buffer_updated(self, nbytes: int) -> None:
        self.buffer += self.landing[:nbytes]
        self.handle()

    def handle(self) -> None:
        """Answer every complete request in the buffer, unless one is waiting for its delayed answer."""
        while not self.waiting and not self.transport.is_closing():
            if self.head is None:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                try:
                    self.head = parse_head(bytes(self.buffer[:end]))
                except ValueError:
                    self.write(400, None, b"", close=True)
                    return
                del self.buffer[:end + 4]
                if "chunked" in self.head.headers.get("transfer-encoding", "").lower():  # no client sends one
                    self.write(411, None, b"", close=True)
                    return
            head = self.head
            if len(self.buffer) < head.length:
                return  # the body is still on its way: clients send it in a write of its own
            body = bytes(self.buffer[:head.length])
            del self.buffer[:head.length]
            self.head = None
            if self.fake.delayed(head):
                self.waiting = True  # never block the loop: the answer is scheduled
                self.fake.loop.call_later(self.fake.latency, self.answer, head, body)
            else:
                self.answer(head, body)

    def answer(self, head: Head, body: bytes) -> None:
        """Answer one request (a create is accepted, and reported, even if its client has gone meanwhile)."""
        self.write(*self.fake.answer(head, body), close=head.close)
        if self.waiting:
            self.waiting = False
            self.handle()  # requests that arrived while this one waited

    def write(self, status: int, content_type: str | None, body: bytes, close: bool) -> None:
        """Send one response (unless the client has gone), then close the connection if asked."""
        if self.transport.is_closing():
            return
        self.transport.write(response(status, content_type, body, close))
        if close:
            self.transport.close()


def control(loop: asyncio.AbstractEventLoop, fake: StreamingTwilio, done: asyncio.Future) -> None:
    """Read the parent's requests from stdin (blocking, hence a thread) and hand each to the loop, in order."""
    pipe = sys.stdin.buffer
    try:
        for line in iter(pipe.readline, b""):
            ask = json.loads(line)
            if "media" in ask:
                loop.call_soon_threadsafe(fake.media, pipe.read(ask["media"]), ask["type"])
            else:
                # Run on the loop, after the creates it has emitted: synced follows every create accepted so far.
                loop.call_soon_threadsafe(functools.partial(fake.emit, synced=True))
    finally:  # stdin closed, or a request garbled: the parent can no longer be heard, so the child ends
        loop.call_soon_threadsafe(done.set_result, None)


async def main(latency: float, failure: float = 0.0) -> None:
    """Serve on 127.0.0.1 until stdin closes."""
    loop = asyncio.get_running_loop()
    fake = StreamingTwilio(loop, latency, failure)
    server = await loop.create_server(lambda: Connection(fake), "127.0.0.1", 0)
    fake.port = server.sockets[0].getsockname()[1]
    fake.emit(port=fake.port)
    done = loop.create_future()
    threading.Thread(target=control, args=(loop, fake, done), daemon=True).start()
    await done
    server.close()


def serve(latency: float, failure: float = 0.0) -> None:
    """Serve the fake until stdin closes: each line there asks for media (its bytes follow) or a sync."""
    # The parent ends the child by closing stdin (also when it dies): Ctrl-C at the terminal is the parent's.
    # Set before asyncio.run, which then leaves SIGINT alone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    asyncio.run(main(latency, failure))


# --- the parent's handle -------------------------------------------------------------------------------------


class RecordingTwilio:
    """The fake Twilio's process, seen from the load generator: its URL, media to serve, and every accepted create."""

    def __init__(self, latency: float = 0.0, failure: float = 0.0):
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.fake_twilio", str(latency), str(failure)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        first = self.proc.stdout.readline()
        if not first:
            self.proc.wait(timeout=10)
            raise RuntimeError(f"the fake Twilio exited with {self.proc.returncode} while starting")
        self.port = json.loads(first)["port"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.by_to: dict[str, list[tuple[float, str, str]]] = defaultdict(list)  # to -> [(time, sid, body)]
        self.sid_time: dict[str, float] = {}
        self.creates = 0
        self.refused: list[tuple[float, int]] = []  # (time, status) of each create refused (failure > 0)
        self.on_create: dict[str, object] = {}  # to -> callable, told of each reply (instead of polling counts)
        self._answers: queue.SimpleQueue = queue.SimpleQueue()  # the child's answers to media and sync, in order
        self._asking = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        for line in self.proc.stdout:
            message = json.loads(line)
            if "create" in message:
                self._record(*message["create"])
            elif "refused" in message:
                self.refused.append(tuple(message["refused"]))
            else:
                self._answers.put(message)

    def _record(self, when: float, to: str, sid: str, body: str) -> None:
        self.by_to[to].append((when, sid, body))
        self.sid_time[sid] = when
        self.creates += 1
        tell = self.on_create.get(to)
        if tell:
            tell()

    def _ask(self, ask: dict, payload: bytes = b"", seconds: float = 300) -> dict:
        """The child's answer, however long a loaded machine makes it wait, as long as the child lives."""
        with self._asking:
            self.proc.stdin.write(json.dumps(ask).encode() + b"\n" + payload)
            self.proc.stdin.flush()
            deadline = time.monotonic() + seconds
            while True:
                try:
                    return self._answers.get(timeout=1)
                except queue.Empty:
                    if self.proc.poll() is not None:
                        raise RuntimeError(f"the fake Twilio exited with {self.proc.returncode}") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the fake Twilio did not answer {ask} in {seconds:.0f} s") from None

    def media(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve bytes as Twilio media (credentials required, as Twilio enforces); returns the MediaUrl."""
        return self._ask({"media": len(data), "type": content_type}, data)["media"]

    def sync(self) -> None:
        """Return once every create the child has accepted so far is recorded here."""
        self._ask({"sync": True})

    def count(self, to: str) -> int:
        return len(self.by_to.get(to, ()))

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._reader.join(timeout=10)
        self.proc.stdout.close()


if __name__ == "__main__":
    serve(float(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
