"""Startup of `python app.py` to its first answer, fresh (migrating a new database) and warm; prints seconds."""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "5"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_answer(instance: str) -> float:
    """Seconds from starting the process to the simulator page answering 200."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUNAR_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORT=str(port), HUNAR_INSTANCE_PATH=instance)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/simulator/", timeout=1) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - start
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("app.py exited before answering")
                time.sleep(0.01)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    fresh, warm = [], []
    for _ in range(RUNS):
        instance = tempfile.mkdtemp(prefix="hunar-bench-")
        try:
            fresh.append(first_answer(instance))
            warm.append(first_answer(instance))
        finally:
            shutil.rmtree(instance, ignore_errors=True)
    print(f"python app.py → first response ({RUNS} runs; target under 2 s)")
    print(f"  fresh (new SQLite, migrations): median {statistics.median(fresh):.2f} s, max {max(fresh):.2f} s")
    print(f"  warm  (database already there):  median {statistics.median(warm):.2f} s, max {max(warm):.2f} s")


if __name__ == "__main__":
    main()
