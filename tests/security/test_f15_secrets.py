"""F15: /metrics is closed in production without a token, and production refuses the example's placeholders."""
from __future__ import annotations

from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[2]
STRONG = "8f3a1c9e2b7d4f6a0c5e9b2d7f1a3c8e"
DESK = "+919812345678"  # production needs a buyer contact (issue 19)


def _example() -> dict:
    """deploy/env.example as settings, the way a copy of it would be loaded."""
    env = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


def test_f15_production_refuses_the_example_files_placeholders():
    with pytest.raises(config.ConfigError, match="placeholder"):
        config.check(config.load(environ={**_example(), "HUNAR_ENV": "production"}))


@pytest.mark.parametrize("secret, token", [("short", None), ("change-me-" + STRONG, None), ("a" * 40, None),
                                           (STRONG, "change-me"), (STRONG, "abc")])
def test_f15_weak_secrets_are_refused(secret, token):
    with pytest.raises(config.ConfigError):
        config.check(config.load({"ENV": "production", "SECRET_KEY": secret, "METRICS_TOKEN": token}, environ={}))


def test_f15_metrics_are_closed_in_production_without_a_token(make_app):
    app = make_app(config={"ENV": "production", "SECRET_KEY": STRONG, "DESK_WHATSAPP": DESK})
    assert app.test_client().get("/metrics").status_code == 404
    opened = make_app(config={"ENV": "production", "SECRET_KEY": STRONG, "METRICS_TOKEN": STRONG[::-1],
                                     "DESK_WHATSAPP": DESK})
    assert opened.test_client().get("/metrics").status_code == 401
    assert opened.test_client().get("/metrics", headers={"Authorization": f"Bearer {STRONG[::-1]}"}).status_code == 200
