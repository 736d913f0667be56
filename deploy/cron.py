"""Periodic jobs for `rq cron deploy/cron.py --url $REDIS_URL`, put on the queue the workers take.

The queue is HUNAR_REDIS_PREFIX by the app's own rule (`bot.jobs.queue_name`), read from the same environment."""
from rq import cron

import config
from bot import jobs

QUEUE = jobs.queue_name(config.load())

cron.register(jobs.recover_stalled, QUEUE, interval=60)  # messages a killed worker left waiting
cron.register(jobs.drain_spool, QUEUE, interval=15)  # messages the webhook spooled during an outage
cron.register(jobs.sweep_stuck, QUEUE, interval=300)  # flag conversations gone quiet or waiting for review
cron.register(jobs.send_reminders, QUEUE, interval=900)  # one nudge for a half-done listing, inside 24 hours
cron.register(jobs.cleanup_upload_links, QUEUE, interval=3600)  # forget expired SMS upload links
cron.register(jobs.expire_raw_media, QUEUE, interval=86400)  # voice notes and documents past their retention
cron.register(jobs.forget_unanswered_consent, QUEUE, interval=86400)  # no answer to consent in a week: erased
cron.register(jobs.sweep_media, QUEUE, interval=86400)  # files nothing refers to, found by walking the store
cron.register(jobs.refresh_feeds, QUEUE, interval=600)  # the stored feeds, also rebuilt soon after each change
