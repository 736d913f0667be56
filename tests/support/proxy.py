"""The app under gunicorn behind the rendered nginx (deploy/nginx/), and raw-socket clients to poke it with."""
from __future__ import annotations

import importlib.util
import os
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def load_render():
    """deploy/nginx/render.py as a module (deploy/ holds scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("hunar_nginx_render", ROOT / "deploy" / "nginx" / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


render = load_render()

# The limits the proxy tests render nginx with. Short enough to keep the suite quick, long enough that a loaded CI
# machine never trips them by accident.
CLIENT_TIMEOUT = 5
CONN_PER_IP = 4
PUBLIC_CONCURRENCY = 2
NO_NGINX = "needs nginx (Debian: apt-get install nginx; .ci/run installs it)"
needs_nginx = pytest.mark.skipif(render.nginx_binary() is None, reason=NO_NGINX)


class Gunicorn:
    """The embedded stack (SQLite, in-process Redis, jobs inline) under gunicorn.conf.py on a free loopback port."""

    def __init__(self, directory: Path, public_base: str, env: dict, workers: int = 1, threads: int = 2):
        from db import Database

        self.port = render.free_port()
        self.log_path = directory / "gunicorn.log"
        database = directory / "hunar.db"
        db = Database(f"sqlite:///{database}")
        db.upgrade()
        db.dispose()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("HUNAR_") and k not in ("DATABASE_URL", "REDIS_URL", "PORT", "BIND")}
        self.env.update(HUNAR_INSTANCE_PATH=str(directory), HUNAR_DATABASE_URL=f"sqlite:///{database}",
                        HUNAR_PUBLIC_BASE_URL=public_base, HUNAR_SECRET_KEY="proxy-" + uuid.uuid4().hex,
                        HUNAR_LOG_LEVEL="WARNING", BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers),
                        WEB_THREADS=str(threads), ACCESS_LOG="1", **env)
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
                                     env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

        def ready():
            assert self.proc.poll() is None, f"gunicorn exited: {self.log()[-2000:]}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    s.sendall(b"GET /readyz HTTP/1.0\r\n\r\n")
                    return status_of(s.recv(64)) == 200
            except OSError:
                return False

        wait_until(ready, 60, "gunicorn to be ready", every=0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=10)
        if self.proc:
            self._log.close()


def request(port: int, raw: bytes, *, source: str = "127.0.0.1", timeout: float = 30) -> bytes:
    """Send `raw` on a new connection from `source` (any 127.x address is loopback); read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as s:
        s.sendall(raw)
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
                if complete(data):
                    break  # nginx may reset a refused upload's connection once it stops lingering
        except ConnectionResetError:
            if not complete(data):
                raise
    return data


def complete(data: bytes) -> bool:
    """A whole response with a Content-Length (answers without one are read until the server closes)."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0


def get(port: int, path: str, *, source: str = "127.0.0.1", headers: str = "") -> bytes:
    return request(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n".encode(),
                   source=source)


def post_form(port: int, path: str, form: dict, headers: dict, *, source: str = "127.0.0.1") -> bytes:
    body = urlencode(form).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return request(port, (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}"
                          f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                          "Connection: close\r\n\r\n").encode() + body, source=source)


class SlowLoris(threading.Thread):
    """Sends `head` at once, then `tail` one byte every `every` seconds; notes when the server hangs up.

    The default is the classic attack: a request's headers a byte at a time, never finished."""

    def __init__(self, port: int, *, head: bytes = b"GET /catalogue HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                 tail: bytes = b"X-Padding: " + b"a" * 100_000, every: float = 0.5, source: str = "127.0.0.1"):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
        self.head, self.tail, self.every = head, tail, every
        self.opened = time.monotonic()
        self.closed_at: float | None = None  # monotonic time the server ended the connection
        self.sent = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            self.sock.sendall(self.head)
            for byte in self.tail:
                self.sock.sendall(bytes([byte]))
                self.sent += 1
                # The server's hang-up shows as readable (EOF or a 408): waiting on it paces the trickle too.
                readable, _, _ = select.select([self.sock], [], [], self.every)
                if readable or self.stopping.is_set():
                    break
        except OSError:
            pass
        if not self.stopping.is_set():
            self.closed_at = time.monotonic()
        self.sock.close()

    @property
    def held_for(self) -> float | None:
        return None if self.closed_at is None else self.closed_at - self.opened

    def stop(self) -> None:
        self.stopping.set()
