"""Twilio's delivery reports for the messages we sent (the status callback, on the webhook's blueprint and checks)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response, current_app, request

from bot import delivery
from bot.jobs import apply_delivery_status

if TYPE_CHECKING:
    from bot.services import Services


def status():
    """A delivery report: the message's status only ever moves forward. 200 with no body."""
    form = request.form
    # SMS and older callbacks name them Sms…
    sid, state = form.get("MessageSid") or form.get("SmsSid"), form.get("MessageStatus") or form.get("SmsStatus")
    if sid and state:
        _apply_status(current_app.extensions["hunar"], sid, state, form.get("ErrorCode") or None)
    return Response(status=200)


def _apply_status(services: Services, sid: str, state: str, code: str | None) -> None:
    """Record the report; one that beats its message's commit is tried again shortly."""
    if not delivery.apply_status(services, sid, state, code):
        services.jobs.enqueue_in(2.0, apply_delivery_status, sid, state, code, 1)

