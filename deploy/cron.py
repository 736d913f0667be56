"""Periodic jobs for `rq cron deploy/cron.py --url $REDIS_URL`, put on the queue the workers take.

The queue is HUNAR_REDIS_PREFIX by the app's own rule (`bot.jobs.queue_name`), read from the same environment. It
refuses to start when the Redis `rq cron` was given is not the app's (an unset REDIS_URL where the environment
file sets only HUNAR_REDIS_URL, say): its jobs would go where no worker looks."""
import sys
from urllib.parse import urlsplit

from rq import cron

import config
from bot import jobs


def given_url(argv: list[str]) -> str | None:
    """The Redis URL on `rq cron`'s command line (`--url X`, `-u X`, `--url=X`); None when there is none."""
    for i, arg in enumerate(argv):
        if arg in ("--url", "-u"):
            return argv[i + 1] if i + 1 < len(argv) else ""
        if arg.startswith("--url="):
            return arg.split("=", 1)[1]
    return None


def _where(url: str) -> str:
    """A Redis URL without its password, for an error message."""
    parts = urlsplit(url)
    return f"{parts.hostname or '?'}:{parts.port or 6379}{parts.path or '/0'}" if url else "(empty)"


def check_redis(settings: dict, argv: list[str]) -> None:
    """Fail loudly when the periodic jobs would be queued on another Redis than the workers take jobs from."""
    url = settings["REDIS_URL"] or ""
    given = given_url(argv)
    if given is not None and given != url:
        raise SystemExit(f"deploy/cron.py: rq cron was given Redis {_where(given)} but the app and its workers use "
                         f"{_where(url) if url else 'none (jobs inline)'}: give rq cron the same URL (--url \"$REDIS_URL\", with REDIS_URL set)")


SETTINGS = config.load()
check_redis(SETTINGS, sys.argv)
QUEUE = jobs.queue_name(SETTINGS)

cron.register(jobs.recover_stalled, QUEUE, interval=60)  # messages a killed worker left waiting
cron.register(jobs.drain_spool, QUEUE, interval=15)  # messages the webhook spooled during an outage
cron.register(jobs.sweep_stuck, QUEUE, interval=300)  # flag conversations gone quiet or waiting for review
cron.register(jobs.send_reminders, QUEUE, interval=900)  # one nudge for a half-done listing, inside 24 hours
cron.register(jobs.cleanup_upload_links, QUEUE, interval=3600)  # forget expired SMS upload links
cron.register(jobs.expire_raw_media, QUEUE, interval=86400)  # voice notes and documents past their retention
cron.register(jobs.forget_unanswered_consent, QUEUE, interval=86400)  # no answer to consent in a week: erased
cron.register(jobs.sweep_media, QUEUE, interval=86400)  # files nothing refers to, found by walking the store
cron.register(jobs.refresh_feeds, QUEUE, interval=600)  # the stored feeds, also rebuilt soon after each change
