"""README's Twilio quick start and production steps name real URLs and commands (issue 19): the webhook paths
a newcomer pastes into the console are the app's routes, and the first-admin command makes an admin."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from sqlalchemy import select

from db.models import StaffUser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(title)
    return README[start:README.index("\n#", start + len(title))]


def test_make_run_and_make_test_still_come_first():
    first_block = README.split("```")[1]
    assert first_block.split()[1:4] == ["make", "run", "#"] and "make test" in first_block
    assert README.index("make run") < README.index("Sandbox quick start") < README.index("Install, step by step")


def test_the_sandbox_webhook_urls_are_the_apps_post_routes(app):
    sandbox = _section("### WhatsApp Sandbox quick start")
    base = re.search(r"HUNAR_PUBLIC_BASE_URL=(https://\S+)", sandbox).group(1)
    pasted = re.findall(r"`" + re.escape(base) + r"(/[\w/]+)`, method `POST`", sandbox)
    routes = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert pasted == ["/webhooks/twilio", "/webhooks/twilio/status"] and set(pasted) <= routes
    assert "join <code>" in sandbox and "72 hours" in sandbox and "+1 415 523 8886" in sandbox
    assert "{{1}}" in sandbox and "HUNAR_TWILIO_TEMPLATES" in sandbox


def test_the_first_admin_command_in_the_install_steps_makes_an_admin(app):
    steps = _section("**Install, step by step**")
    command = re.search(r"`\.venv/bin/flask --app app (helpdesk create-user [^`]+)`", steps).group(1)
    result = app.test_cli_runner().invoke(args=[*shlex.split(command), "--password", "Jutti-loom-Panipat-2026"])
    assert result.exit_code == 0, result.output
    with app.extensions["hunar"].db.session() as s:
        assert [(u.name, u.role) for u in s.scalars(select(StaffUser))] == [("admin", "admin")]
