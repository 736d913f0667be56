"""The app factory: settings, start-up checks, health endpoints, and the `python app.py` default."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import config
from bot.telemetry import mask

ROOT = Path(__file__).resolve().parent.parent


def test_settings_come_from_hunar_variables_and_plain_urls():
    env = {"HUNAR_LISTING_REVIEW": "0", "HUNAR_PUBLIC_BASE_URL": "https://hunar.example",
           "DATABASE_URL": "postgresql://db/x", "REDIS_URL": "redis://r:6379/0", "HUNAR_SIMULATOR": "false"}
    s = config.load(environ=env)
    assert s["LISTING_REVIEW"] == 0 and s["PUBLIC_BASE_URL"] == "https://hunar.example"
    assert s["DATABASE_URL"] == "postgresql://db/x" and s["REDIS_URL"] == "redis://r:6379/0"
    assert s["SIMULATOR"] is False and s["JOBS_INLINE"] is False


def test_embedded_defaults_need_no_servers(tmp_path):
    s = config.load({"INSTANCE_PATH": str(tmp_path)}, environ={})
    assert s["DATABASE_URL"] == f"sqlite:///{tmp_path / 'hunar.db'}"
    assert s["REDIS_URL"] is None and s["JOBS_INLINE"] is True and s["SIMULATOR"] is True


@pytest.mark.parametrize("settings, missing", [
    ({"ENV": "production"}, "HUNAR_SECRET_KEY"),
    ({"ENV": "production", "SECRET_KEY": "k", "TWILIO_ENABLED": True}, "HUNAR_TWILIO_AUTH_TOKEN"),
])
def test_production_refuses_to_start_without_its_secrets(settings, missing):
    with pytest.raises(config.ConfigError, match=missing):
        config.check(config.load(settings, environ={}))


def test_production_starts_with_its_secrets():
    config.check(config.load({"ENV": "production", "SECRET_KEY": "k3y-" + "0123456789abcdef" * 2, "TWILIO_ENABLED": True,
                              "TWILIO_AUTH_TOKEN": "0123456789abcdef" * 2, "DESK_WHATSAPP": "+919812345678"},
                             environ={}))


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readiness_says_which_service_is_down(make_app, tmp_path):
    app = make_app(config={"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/that/cannot/exist/\0.db"})
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503 and resp.get_json()["checks"]["database"].startswith("error")


@pytest.mark.parametrize("address, masked", [
    ("+919812343210", "+91•••••43210"),
    ("whatsapp:+919812343210", "whatsapp:+91•••••43210"),
    ("whatsapp:IN.a8f3kq29xx", "whatsapp:IN.…29xx"),
])
def test_phone_numbers_are_masked(address, masked):
    assert mask(address) == masked


def test_one_log_line_per_message_with_the_number_masked(whatsapp, caplog):
    whatsapp.number = "+919812343210"
    with caplog.at_level(logging.INFO, logger="hunar.messages"):
        whatsapp.say("नमस्ते")
    lines = [r.getMessage() for r in caplog.records if r.name == "hunar.messages"]
    assert len(lines) == 2 and lines[0].startswith("in whatsapp") and lines[1].startswith("out whatsapp")
    assert all("+91•••••43210" in line and "9812343210" not in line for line in lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_python_app_py_serves_the_simulator(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUNAR_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORT=str(port), HUNAR_INSTANCE_PATH=str(tmp_path / "instance"))
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        body = None
        deadline = time.monotonic() + 120  # generous: this checks that it serves, bench/startup.py measures how fast
        while body is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/simulator/", timeout=10).read()
            except OSError:
                time.sleep(0.1)
        assert body is not None and "हुनर".encode() in body
        assert (tmp_path / "instance" / "hunar.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = [key for key in config.DEFAULTS if f"`HUNAR_{key}`" not in readme]
    assert not undocumented, f"README's configuration table lacks: {undocumented}"
    assert readme.index("make run") < readme.index("## Configuration")


def test_metrics_count_messages_and_time_jobs(whatsapp, client):
    whatsapp.say("नमस्ते")
    whatsapp.say("हाँ")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'hunar_messages_total{channel="whatsapp",direction="in"} 2.0' in text
    assert 'hunar_messages_total{channel="whatsapp",direction="out"} 2.0' in text
    assert "hunar_job_seconds_count 2.0" in text
    assert "hunar_queue_depth 0.0" in text and "hunar_conversations_flagged 0.0" in text


def test_histograms_are_cumulative_as_prometheus_reads_them(app, client):
    metrics = app.extensions["hunar"].metrics
    for seconds in (0.003, 0.02, 0.02, 7.0, 45.0):
        metrics.observe("job_seconds", seconds)
    text = client.get("/metrics").get_data(as_text=True)
    for bound, count in (("0.005", 1), ("0.01", 1), ("0.025", 3), ("5.0", 3), ("10.0", 4), ("30.0", 4),
                         ("+Inf", 5)):
        assert f'hunar_job_seconds_bucket{{le="{bound}"}} {count}.0' in text, bound
    assert "hunar_job_seconds_count 5.0" in text and "hunar_job_seconds_sum 52.043" in text


def test_metrics_count_nlu_misses_by_step(whatsapp, client):
    whatsapp.say("नमस्ते")
    whatsapp.say("हाँ")
    whatsapp.say("12345")  # not a name
    assert 'hunar_nlu_misses_total{step="name"} 1.0' in client.get("/metrics").get_data(as_text=True)


def test_metrics_can_require_a_token(make_app):
    client = make_app(config={"METRICS_TOKEN": "s3cret"}).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_any_phone_number_in_any_log_line_is_masked():
    from bot.telemetry import JsonFormatter, MaskNumbers

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "failed for %s and whatsapp:+919812343210",
                               ("+919876501234",), None)
    MaskNumbers().filter(record)
    line = JsonFormatter().format(record)
    assert "9876501234" not in line and "9812343210" not in line
    assert "+91•••••01234" in line and "whatsapp:+91•••••43210" in line and '"level": "INFO"' in line


def test_pages_carry_security_headers(client):
    resp = client.get("/simulator/")
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in resp.headers, "HSTS only when served over HTTPS"


def test_hsts_when_the_public_address_is_https(make_app):
    client = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"}).test_client()
    assert client.get("/healthz").headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_database_outage_answers_503_and_stores_nothing(make_app, tmp_path):
    from sqlalchemy.exc import OperationalError

    app = make_app()
    services = app.extensions["hunar"]

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    services.inbox.record = down
    resp = app.test_client().post("/simulator/api/messages", json={"from": "+919812345678", "text": "नमस्ते"})
    assert resp.status_code == 503 and resp.headers["Retry-After"] and "unavailable" in resp.get_json()["error"]


def test_the_migration_head_read_from_the_files_is_alembics():
    from alembic.script import ScriptDirectory

    from db import alembic_config, head_revision

    assert [head_revision()] == ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()


def test_upgrade_migrates_a_new_database_and_skips_one_at_the_head(tmp_path):
    from db import Database, head_revision

    db = Database(f"sqlite:///{tmp_path}/x.db")
    assert db.current_revision() is None
    db.upgrade()
    assert db.current_revision() == head_revision()
    db.upgrade()  # at the head: one query, no Alembic run
    assert db.current_revision() == head_revision()



def test_each_web_process_is_settled_once_the_app_is_loaded():
    """gunicorn's post_worker_init warms the app and freezes the heap, so a full garbage collection never stops
    the process to walk it (the RQ worker does the same when it builds its app)."""
    import gc
    import runpy

    hooks = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_database_pool_has_room_for_every_sending_thread(make_app):
    """A sending thread holds a connection while Twilio answers: a pool smaller than the threads would make them
    take turns (with Twilio at 150 ms, 32 threads sent half as fast with the old fixed 5 + 10 overflow)."""
    app = make_app("services", {"SEND_THREADS": 32})
    assert app.extensions["hunar"].db.engine.pool.size() == 34
