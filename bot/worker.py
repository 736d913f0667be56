"""`python -m bot.worker`: an RQ worker on this deployment's own queue, with its app built before the first job.

The queue comes from HUNAR_REDIS_PREFIX by the app's own rule (`jobs.queue_name`), so a custom prefix cannot leave
jobs on a queue nobody works; the name is unique per start, so a restarted worker never waits for its dead
predecessor's registration to expire. When Redis goes away the process stays: it waits for Redis (with backoff)
and works again under a new name, and its watchdog (bot/heal.py) re-queues what the outage left behind.
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import time
import uuid

import redis
from rq import Queue
from rq.exceptions import StopRequested
from rq.worker import SimpleWorker

from bot import jobs, spool_drain
from bot.heal import Watchdog
from bot.liveness import Liveness

log = logging.getLogger("hunar.worker")

LONGEST_PAUSE = 4.0  # seconds between looks for a Redis that is away: short, replies wait on it


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
    watch = None
    if not args.burst:
        alive(services).start()  # beating before the first job: what it holds is written down from then on
        watchdog = Watchdog(services)
        watchdog.start()
        watch = watchdog.watch
    work(queue, burst=args.burst, scheduler=not args.no_scheduler, verbose=args.verbose, watch=watch)


def alive(services) -> Liveness:
    """This process's heartbeat and holdings (bot/liveness.py), wired into its lock and sending threads."""
    services.liveness = Liveness(services.redis, services.inbox.prefix)
    services.lock.holding = services.liveness.holding
    return services.liveness


def work(queue: Queue, *, burst: bool, scheduler: bool, verbose: bool, watch=None) -> None:
    """Work the queue until asked to stop (or, in a burst, until it is empty); a lost Redis only pauses it.
    `watch(worker)` is told of each RQ worker before it starts (the watchdog keeps its scheduler alive)."""
    pause = 0.25
    while True:
        name = f"{queue.name}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        started, worker = time.monotonic(), None
        try:
            worker = SimpleWorker([queue], connection=queue.connection, name=name)  # it already talks to Redis
            if watch is not None:
                watch(worker)
            # RQ logs three INFO lines per job: at hundreds of messages a second that is most of the log, and none
            # of it says more than the metrics do. Warnings and errors (a failed job, a lost connection) still show.
            worker.work(with_scheduler=scheduler, burst=burst, logging_level="INFO" if verbose else "WARNING")
        except StopRequested:  # a signal before RQ's loop caught it
            return
        except Exception:  # Redis lost while starting or cleaning up: the same as RQ's loop ending on it
            log.warning("worker %s could not work", name, exc_info=True)
        finally:
            _let_go(worker, watch)
        # RQ ends its loop on a signal, on a burst's end, and on any error (a lost Redis among them); only the
        # signal handler sets the date, and only an error is worth starting again.
        if burst or (worker is not None and worker._shutdown_requested_date is not None):
            return
        pause = 0.25 if time.monotonic() - started > 60 else min(pause * 2, LONGEST_PAUSE)
        log.warning("worker %s stopped working (Redis lost?); starting again once Redis answers", name)
        try:
            wait_for_redis(queue.connection, pause)
        except StopRequested:  # SIGTERM while waiting: RQ's handler, still installed, says so
            return


def _let_go(worker, watch) -> None:
    """Done with `worker`: the watchdog no longer keeps its scheduler, and one it started late is stopped too (a
    scheduler process left behind would outlive this one)."""
    if watch is not None:
        watch(None)
    process = getattr(getattr(worker, "scheduler", None), "_process", None)
    if process is not None and process.is_alive():
        process.terminate()
        process.join(timeout=10)


def wait_for_redis(client, pause: float) -> None:
    """Return once Redis answers a PING, looking every `pause` seconds (doubling up to LONGEST_PAUSE)."""
    while True:
        time.sleep(pause)  # backoff between attempts, not a wait for a condition we could poll faster
        try:
            client.ping()
            return
        except redis.RedisError:
            pause = min(pause * 2, LONGEST_PAUSE)


if __name__ == "__main__":
    main()
