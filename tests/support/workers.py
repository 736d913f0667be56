"""RQ workers in processes of their own, configured like a test's app, as the Procfile runs them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def worker_env(app) -> dict:
    """The environment of a worker process configured like the app (HUNAR_* variables)."""
    settings = app.extensions["hunar"].settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUNAR_")}
    for key in ("DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "INSTANCE_PATH", "PUBLIC_BASE_URL", "TWILIO_ENABLED",
                "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_SMS_FROM",
                "TWILIO_API_BASE", "TWILIO_MEDIA_HOSTS", "TWILIO_MEDIA_AUTH_HOSTS", "ALBUM_DEBOUNCE_SECONDS",
                "SECRET_KEY", "TWILIO_RETRY_SECONDS", "TWILIO_MEDIA_BACKOFF_SECONDS", "LOCK_TIMEOUT_SECONDS"):
        value = settings[key]
        if value is not None:
            env[f"HUNAR_{key}"] = str(value).lower() if isinstance(value, bool) else str(value)
    env["HUNAR_JOBS_INLINE"] = "false"
    return env


def start_workers(app, count: int = 2, scheduler: bool = True) -> list[subprocess.Popen]:
    """RQ workers in their own processes (`python -m bot.worker`, as the Procfile runs them), configured like the
    app, with the scheduler unless told otherwise."""
    command = [sys.executable, "-m", "bot.worker", *([] if scheduler else ["--no-scheduler"])]
    return [subprocess.Popen(command, cwd=ROOT, env=worker_env(app), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            for _ in range(count)]


def stop(processes: list[subprocess.Popen]) -> None:
    for proc in processes:
        proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
