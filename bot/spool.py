"""The webhook's local spool: a message that cannot reach PostgreSQL or Redis is kept on disk before Twilio hears 200.

Each web process appends to its own file (`<host>-<pid>.jsonl` in HUNAR_SPOOL_DIR, default INSTANCE_PATH/spool):
one JSON line per message with Twilio's whole form (so its MessageSid and media URLs), its idempotency token and
when it came, written and fsync'd before the answer. `bot/spool_drain.py` records them later through the inbox.

Files are handed over by rename under an exclusive `flock`: the writer takes the same lock for each append and
checks that its path still names the file it opened, so a line is never appended to a file being drained. A
drainer claims `*.jsonl` by renaming it to `*.draining`, and deletes it only once every line is recorded: a crash
mid-drain leaves the `.draining` file for the next drain, which records again (a no-op by MessageSid).
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("hunar.spool")

OPEN = ".jsonl"  # being written by a web process
CLAIMED = ".draining"  # taken by a drainer
REJECTED = "rejected.bad"  # lines the inbox refused for a reason other than an outage: kept for a person
DRAIN_LOCK = "drain.lock"


def directory(settings: dict) -> Path:
    """Where the spool lives: HUNAR_SPOOL_DIR, else the instance folder's `spool/`."""
    return Path(settings.get("SPOOL_DIR") or Path(str(settings["INSTANCE_PATH"])) / "spool")  # config fills it in


class Spool:
    """Append-only files of messages waiting to be recorded; one writer file per process."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def of(cls, settings: dict) -> "Spool":
        return cls(directory(settings))

    # --- writing (the webhook) -----------------------------------------------------------------

    def own_file(self) -> Path:
        """This process's file: a pid is unique on its host while the process lives."""
        return self.path / f"{socket.gethostname()}-{os.getpid()}{OPEN}"

    def keep(self, form: list[tuple[str, str]], token: str | None, at: float) -> None:
        """Append one message (its form, idempotency token, and when it came, as a Unix time) durably: written
        and fsync'd. Raises OSError when it cannot (a full disk)."""
        line = json.dumps({"form": form, "token": token, "at": at}, ensure_ascii=False) + "\n"
        self.path.mkdir(parents=True, exist_ok=True)
        with self._locked_own_file() as fd:
            _end_torn_line(fd)
            rest = memoryview(line.encode("utf-8"))
            while rest:  # a short write (the disk filling up) goes on until it raises: never a torn line acknowledged
                rest = rest[os.write(fd, rest):]
            os.fsync(fd)

    @contextmanager
    def _locked_own_file(self):
        """This process's file, opened for appending and locked; reopened if a drainer renamed it meanwhile."""
        path = self.own_file()
        while True:
            created = not path.exists()
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)  # read: the torn-line check
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _names(path, fd):
                break
            os.close(fd)  # claimed between our open and our lock: start a new file
        try:
            if created:
                _sync_directory(self.path)  # the new name survives a power cut too
            yield fd
        finally:
            os.close(fd)  # releases the lock

    def ready(self) -> None:
        """Fail loudly at start when the folder cannot be written (a read-only mount, a unit's ReadWritePaths)."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path / DRAIN_LOCK, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise RuntimeError(f"the webhook's spool folder {self.path} cannot be written ({exc}): fix "
                               "HUNAR_SPOOL_DIR or the unit's ReadWritePaths") from exc

    # --- draining ------------------------------------------------------------------------------

    def pending(self) -> bool:
        """True when any message waits in the spool (one directory read: cheap enough for every request)."""
        try:
            with os.scandir(self.path) as entries:
                return any(e.name.endswith((OPEN, CLAIMED)) for e in entries)
        except OSError:  # none yet, or no folder there at all
            return False

    @contextmanager
    def drain_lock(self, wait: float):
        """One drainer at a time on this spool; yields False when another held it for longer than `wait` s."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / DRAIN_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            yield _lock_within(fd, wait)
        finally:
            os.close(fd)

    def claim(self) -> list[Path]:
        """Rename every writer's file to a claimed one; returns all claimed files (also a crashed drain's)."""
        for path in sorted(self.path.glob(f"*{OPEN}")):
            self._claim(path)
        return sorted(self.path.glob(f"*{CLAIMED}"))

    @staticmethod
    def _claim(path: Path) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for an append in progress: it is short
            if _names(path, fd):
                os.rename(path, path.with_name(f"{path.stem}.{uuid.uuid4().hex[:8]}{CLAIMED}"))
        finally:
            os.close(fd)

    @staticmethod
    def read(path: Path) -> list[dict]:
        """The whole lines of a claimed file; a torn line (a crash mid-append, never acknowledged) is skipped."""
        entries = []
        for number, raw in enumerate(path.read_bytes().split(b"\n")[:-1], 1):
            entry = _entry(raw)
            if entry is None:
                log.warning("spool %s line %d is torn or unreadable: skipped (it was never acknowledged)",
                            path.name, number)
            else:
                entries.append(entry)
        return entries

    def reject(self, entry: dict) -> None:
        """Keep a line the inbox refused (not an outage) where no drain takes it again, for a person to look at."""
        fd = os.open(self.path / REJECTED, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # numbers, texts
        try:
            os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def keep_claimed(self, entries: list[dict]) -> None:
        """Write entries a drain did not get to as one claimed file (fsync'd), for the next drain."""
        final = self.path / f"rest-{uuid.uuid4().hex[:8]}{CLAIMED}"
        temporary = final.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
            out.flush()
            os.fsync(out.fileno())
        os.rename(temporary, final)
        _sync_directory(self.path)

    @staticmethod
    def done(paths: list[Path]) -> None:
        """Every line of these files is recorded: delete them."""
        for path in paths:
            path.unlink(missing_ok=True)


def _names(path: Path, fd: int) -> bool:
    """True when `path` still names the open file `fd` (a drainer may have renamed it)."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _end_torn_line(fd: int) -> None:
    """A writer killed mid-append left a line without its newline: end it, so the next line stays whole."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")


def _sync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock_within(fd: int, wait: float) -> bool:
    """Take an exclusive lock on `fd`, trying for up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


def _entry(raw: bytes) -> dict | None:
    """One spooled message, or None when the line is not a whole one."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("form"), list):
        return None
    return entry
