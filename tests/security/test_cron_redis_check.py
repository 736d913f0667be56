"""Issue 20, finding 6: `rq cron` given another Redis than the app's refuses to start, loudly, instead of queueing
the periodic jobs (recovery among them) where no worker looks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cron_config(app_env: dict, *argv: str) -> subprocess.CompletedProcess:
    """Load deploy/cron.py as `rq cron` does, in a process of its own with the app's environment `app_env`, with
    `argv` as its command line."""
    code = "import runpy, sys; sys.argv = ['rq', 'cron', 'deploy/cron.py', *sys.argv[1:]]; " \
           "runpy.run_path('deploy/cron.py')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUNAR_") and k not in ("REDIS_URL", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env=env | app_env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("app_env, argv, refused", [
    ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, ("--url", "redis://127.0.0.1:6379/3"), False),
    ({"HUNAR_REDIS_URL": "redis://127.0.0.1:6379/3"}, ("--url", "redis://127.0.0.1:6379/3"), False),
    ({"HUNAR_REDIS_URL": "redis://127.0.0.1:6379/3"}, ("--url", ""), True),  # the unit's "$REDIS_URL", unset
    ({"REDIS_URL": "redis://:secret@127.0.0.1:6379/3"}, ("--url=redis://127.0.0.1:6379/0",), True),
    ({}, ("-u", "redis://127.0.0.1:6379/0"), True),  # the app would run its jobs inline
])
def test_cron_starts_only_on_the_apps_own_redis(app_env, argv, refused):
    result = run_cron_config(app_env, *argv)
    if refused:
        assert result.returncode != 0 and "deploy/cron.py: rq cron was given Redis" in result.stderr, result.stderr
        assert "secret" not in result.stderr, "no password in the message"
    else:
        assert result.returncode == 0, result.stderr[-2000:]
