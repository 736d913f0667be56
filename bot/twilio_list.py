"""Twilio's message list, asked after an interrupted send (bot/send_once.py): does Twilio hold this reply?

Twilio's `messages.create` has no idempotency key, so this list is the only way to learn whether it took a message.
It is filtered by To and From, not DateSent: a message Twilio still queues has no date_sent yet. A candidate was
created since the intent (less a margin for the two clocks) and carries the reply's text."""
from __future__ import annotations

from datetime import datetime, timedelta

import urllib3
from twilio.base.exceptions import TwilioException, TwilioRestException

from bot.outbound import OutboundMessage, SendError, SendResult
from bot.outbox import MAX_BODY, numbered
from bot.twilio_api import TwilioSender, _result, _send_error
from db import aware

CLOCK_MARGIN = timedelta(minutes=2)  # our clock against Twilio's


def find_sent(sender: TwilioSender, message: OutboundMessage, since: datetime) -> list[SendResult]:
    """Messages Twilio holds from our sender to this recipient, created since `since`, that carry this message's
    text, newest first."""
    expected = _expected_body(message)
    try:
        found = sender.client.messages.list(to=message.address, from_=sender._sender(message.channel), limit=50,
                                            page_size=50)
    except TwilioRestException as exc:
        raise _send_error(exc) from exc
    except (TwilioException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise SendError(f"Twilio could not be reached: {exc}", code="network") from exc
    return [_result(m) for m in found if _created_since(m, since) and _carries(m.body, expected)]


def _expected_body(message: OutboundMessage) -> tuple[str, bool] | None:
    """The body Twilio shows for what we sent, and whether it is exact (text) or inside a content's body; None
    for a template, whose words Twilio fills in."""
    if message.template:
        return None
    if message.buttons:  # perhaps sent as quick-reply content with the text as {{1}}
        return message.text, False
    return numbered(message.text, message.buttons)[:MAX_BODY], True


def _carries(body: str | None, expected: tuple[str, bool] | None) -> bool:
    """Whether a listed message's body is (or holds) what we sent."""
    if expected is None:
        return True
    text, exact = expected
    return (body or "") == text if exact else text in (body or "")


def _created_since(listed, since: datetime) -> bool:
    """Created at or after `since`, less a margin for the two clocks (ours and Twilio's)."""
    created = aware(listed.date_created)
    return created is None or created >= aware(since) - CLOCK_MARGIN
