"""F18: the periodic jobs and the workers use the app's own queue, whatever HUNAR_REDIS_PREFIX says."""
from __future__ import annotations

import runpy
import subprocess
import sys
import uuid
from pathlib import Path

import rq.cron
from rq import Queue

from bot import jobs
from tests.support.workers import worker_env

ROOT = Path(__file__).resolve().parents[2]


def test_f18_cron_registers_on_the_apps_queue_under_any_prefix(make_app, monkeypatch):
    app = make_app(config={"REDIS_PREFIX": "sec:"})
    monkeypatch.setenv("HUNAR_REDIS_PREFIX", "sec:")
    queues = []
    monkeypatch.setattr(rq.cron, "register", lambda func, queue, **kw: queues.append(queue))
    runpy.run_path(str(ROOT / "deploy" / "cron.py"))
    assert len(queues) == 9 and set(queues) == {app.extensions["hunar"].jobs.queue.name} == {"sec"}


def test_f18_deploy_files_name_no_queue_of_their_own():
    for path in ("Procfile", "deploy/hunar-worker@.service", "deploy/hunar-cron.service"):
        text = (ROOT / path).read_text()
        assert "rq worker" not in text and " hunar'" not in text and not text.rstrip().endswith(" hunar"), path
    assert "python -m bot.worker" in (ROOT / "Procfile").read_text()


def test_f18_a_worker_takes_jobs_queued_under_a_custom_prefix(make_app):
    app = make_app("services", {"JOBS_INLINE": False, "REDIS_PREFIX": f"sec{uuid.uuid4().hex[:6]}:"})
    services = app.extensions["hunar"]
    services.jobs.enqueue(jobs.cleanup_upload_links)
    queue = Queue(services.jobs.queue.name, connection=services.redis)
    assert queue.count == 1
    worker = subprocess.run([sys.executable, "-m", "bot.worker", "--burst", "--no-scheduler"], cwd=ROOT,
                            env=worker_env(app), capture_output=True, text=True, timeout=300)
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert queue.count == 0 and queue.finished_job_registry.count == 1
