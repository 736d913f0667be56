"""`python -m bot.worker`: an RQ worker on this deployment's own queue, with its app built before the first job.

The queue comes from HUNAR_REDIS_PREFIX by the app's own rule (`jobs.queue_name`), so a custom prefix cannot leave
jobs on a queue nobody works; the name is unique per start, so a restarted worker never waits for its dead
predecessor's registration to expire.
"""
from __future__ import annotations

import argparse
import os
import socket
import uuid

from rq import Queue
from rq.worker import SimpleWorker

from bot import jobs, spool_drain


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-scheduler", action="store_true", help="do not run RQ's scheduler for delayed jobs")
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--verbose", action="store_true", help="log every job RQ runs (three lines a job)")
    args = parser.parse_args(argv)

    from app import create_app, settle

    app = create_app()
    services = app.extensions["hunar"]
    if services.jobs.inline:
        raise SystemExit("HUNAR_REDIS_URL is not set: jobs run inline in the web process; no worker is needed")
    jobs.serve(services)  # built before the first job, not inside it
    spool_drain.drain_quietly(services)  # what a web process spooled while the stores were down
    settle()
    queue = Queue(jobs.queue_name(services.settings), connection=services.redis)
    name = f"{queue.name}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    worker = SimpleWorker([queue], connection=services.redis, name=name)
    # RQ logs three INFO lines per job: at hundreds of messages a second that is most of the log, and none of it
    # says more than the metrics do. Warnings and errors (a failed job, a lost connection) still show.
    worker.work(with_scheduler=not args.no_scheduler, burst=args.burst,
                logging_level="INFO" if args.verbose else "WARNING")


if __name__ == "__main__":
    main()
