"""The path of one text message, traced: the files of ours it runs code in, from Twilio's POST to Twilio's REST call.

docs/architecture.md lists them; this keeps the list true and short (issue 18: at most 12 files). The engine
(flows/) and the NLU (nlu/) count as one file each, as an outsider calls them: `flows.step` and `nlu.parse`.
Counted is what runs inside the webhook's own functions and inside the job; the hooks Flask runs around every
request of the app (the staff session, security headers, body limits: app.py, helpdesk/) are not the message's.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from bot import jobs
from tests.support.twilio import Twilio, twilio_settings

ROOT = Path(__file__).resolve().parents[2]
ENTRY = {"flows": "flows/engine.py", "nlu": "nlu/parse.py"}  # a package we enter as one call
DOORS = ("bot/web/webhook.py", "bot/jobs.py")  # where the message's own handling starts


def _ours(filename: str) -> str | None:
    """The repository file a code object belongs to, as the path is counted; None for tests and libraries."""
    path = Path(filename)
    if not path.is_absolute() or ROOT not in path.parents or ".venv" in path.parts:
        return None
    relative = path.relative_to(ROOT).as_posix()
    top = relative.split("/", 1)[0]
    if top in ("tests", "bench"):
        return None
    return ENTRY.get(top, relative)


def _inside_a_door(frame) -> bool:
    """True when the call is made, at some depth, by the webhook's functions or a job."""
    while frame is not None:
        if _ours(frame.f_code.co_filename) in DOORS:
            return True
        frame = frame.f_back
    return False


def traced(action) -> list[str]:
    """The files of ours whose code ran during `action()`, in the order they were first entered."""
    seen: dict[str, None] = {}

    def profile(frame, event, arg):
        if event == "call":
            name = _ours(frame.f_code.co_filename)
            if name and _inside_a_door(frame):
                seen.setdefault(name)

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return list(seen)


def test_a_text_answer_crosses_at_most_twelve_files(make_app, fake_twilio, cdn):
    # The production shape in one process: jobs queued (not inline), a drain job run as a worker would run it.
    app = make_app("embedded", twilio_settings(fake_twilio, cdn, JOBS_INLINE=False, SEND_THREADS=0))
    services = app.extensions["hunar"]
    twilio = Twilio(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता", "पानीपत", "दरी बुनती हूँ", "दरी"):  # to a question mid-listing
        assert twilio.say(text).status_code == 200
        jobs.drain_ready(services=services)
    sent = len(fake_twilio.sent)

    def one_message():
        assert twilio.say("सूती").status_code == 200
        jobs.drain_ready(services=services)

    path = traced(one_message)
    assert len(fake_twilio.sent) > sent, "the answer left through Twilio's REST API"
    assert path[0] == "bot/web/webhook.py" and "bot/twilio_api.py" in path
    assert len(path) <= 12, "\n".join(path)
    assert path == DOCUMENTED, "docs/architecture.md's path of a message must be the one the code takes"


DOCUMENTED = [
    "bot/web/webhook.py",
    "bot/telemetry.py",
    "bot/inbox.py",
    "db/__init__.py",
    "bot/conversations.py",
    "bot/jobs.py",
    "bot/turns.py",
    "bot/locks.py",
    "nlu/parse.py",
    "flows/engine.py",
    "bot/outbox.py",
    "bot/twilio_api.py",
]
