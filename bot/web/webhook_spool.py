"""The webhook's way past an outage: a message the inbox cannot take now is spooled (bot/spool.py), then 200.

Before a new message is recorded, whatever waits in the spool is recorded first, so a spooled message keeps its
place in the conversation. Only when the spool itself cannot be written (a full disk) does Twilio get a 503, which
it retries when the webhook URL carries `#rp=…,5xx` (README, "Twilio console").
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Callable

from bot.spool import Spool
from bot.spool_drain import drain

if TYPE_CHECKING:
    from bot.inbox import InboundMessage
    from bot.services import Services

log = logging.getLogger("hunar.webhook")

DRAIN_WAIT = 1.0  # seconds a request waits for another process's drain before spooling its own message behind it
# After a failed drain, messages go straight to the spool for this long: during a long outage each request would
# otherwise read the whole, growing spool again only to fail on its first line.
DRAIN_BACKOFF = 1.0
DRAIN_BUDGET = 5.0  # seconds of draining a request may do (Twilio waits 15 s); the periodic job does the rest
_failed_at: dict[str, float] = {}  # spool folder -> when this process last failed to drain it (monotonic seconds)


def record_or_spool(services: Services, msg: InboundMessage, form, token: str | None,
                    before_queueing: Callable[[], None]) -> bool:
    """Spooled messages wait: record them first, then `msg`; or spool `msg` behind them. False only when even
    the spool cannot be written."""
    folder = services.settings["SPOOL_DIR"]
    if time.monotonic() - _failed_at.get(folder, float("-inf")) < DRAIN_BACKOFF:
        return keep(services, form, token)  # the stores failed a moment ago: no drain attempt per message
    try:
        if drain(services, wait=DRAIN_WAIT, budget=DRAIN_BUDGET) is None:  # still some: behind them it goes
            return keep(services, form, token)
        services.inbox.accept(msg, before_queueing=before_queueing)
        return True
    except Exception as exc:  # the stores are still down (or the inbox fails): behind the others it goes
        _failed_at[folder] = time.monotonic()
        return keep(services, form, token, failure=exc)


def keep(services: Services, form, token: str | None, failure: Exception | None = None) -> bool:
    """Keep Twilio's form durably in the spool; False when the disk refuses it."""
    if failure is not None:
        log.warning("message %s spooled: the inbox failed: %s: %s", form.get("MessageSid"), type(failure).__name__,
                    str(getattr(failure, "orig", None) or failure)[:200])
    try:
        Spool.of(services.settings).keep(list(form.items(multi=True)), token, services.clock().timestamp())
    except OSError:
        log.exception("the spool cannot be written either: 503, for Twilio to retry")
        return False
    services.metrics.inc("messages_spooled")
    return True
