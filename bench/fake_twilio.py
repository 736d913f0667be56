"""bench/load.py's fake Twilio in a process of its own: its threads then do not share the artisans' GIL.

The child (`python -m bench.fake_twilio LATENCY`, from the repository's root) serves tests/twilio/fakes.py's
FakeTwilio (REST API and media host), writes one JSON line to stdout per accepted create, reads media to serve
from stdin, and ends when stdin closes. RecordingTwilio is the load generator's handle on it: it starts the child
and keeps every accepted create by recipient, with the time the child accepted it.
"""
from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from tests.twilio.fakes import FakeTwilio

ROOT = Path(__file__).resolve().parents[1]


# --- the child -----------------------------------------------------------------------------------------------


class StreamingTwilio(FakeTwilio):
    """FakeTwilio that writes each create it accepts to stdout, as it accepts it."""

    def __init__(self, latency: float):
        super().__init__()
        # The fake writes headers and body in two send()s: without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK hold every response ~40 ms, which would be charged to Hunar's workers.
        self.server.RequestHandlerClass.disable_nagle_algorithm = True
        self.latency = latency
        self.out_lock = threading.Lock()

    def emit(self, **message) -> None:
        line = json.dumps(message).encode() + b"\n"
        with self.out_lock:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()

    def _create(self, seen):
        status, headers, payload = super()._create(seen)
        if status == 201:
            # Written before the answer leaves: a create its sender saw succeed is already in the pipe.
            self.emit(create=[time.time(), seen.one("To"), json.loads(payload)["sid"], seen.one("Body") or ""])
        return status, headers, payload


def serve(latency: float) -> None:
    """Serve the fake until stdin closes: each line there asks for media (its bytes follow) or a sync."""
    # The parent ends the child by closing stdin (also when it dies): Ctrl-C at the terminal is the parent's.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fake = StreamingTwilio(latency)
    fake.emit(port=fake.port)
    control = sys.stdin.buffer
    for line in iter(control.readline, b""):
        ask = json.loads(line)
        if "media" in ask:
            fake.emit(media=fake.media(control.read(ask["media"]), ask["type"]))
        else:
            fake.emit(synced=True)  # after every create accepted so far, as the pipe keeps order
    fake.close()


# --- the parent's handle -------------------------------------------------------------------------------------


class RecordingTwilio:
    """The fake Twilio's process, seen from the load generator: its URL, media to serve, and every accepted create."""

    def __init__(self, latency: float = 0.0):
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.fake_twilio", str(latency)], cwd=ROOT,
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
            else:
                self._answers.put(message)

    def _record(self, when: float, to: str, sid: str, body: str) -> None:
        self.by_to[to].append((when, sid, body))
        self.sid_time[sid] = when
        self.creates += 1
        tell = self.on_create.get(to)
        if tell:
            tell()

    def _ask(self, ask: dict, payload: bytes = b"") -> dict:
        with self._asking:
            self.proc.stdin.write(json.dumps(ask).encode() + b"\n" + payload)
            self.proc.stdin.flush()
            return self._answers.get(timeout=30)

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
    serve(float(sys.argv[1]))
