"""F11: phone numbers are masked in tracebacks and the access log, and over-long ids never reach the database."""
from __future__ import annotations

import logging
import runpy
from pathlib import Path

from sqlalchemy import select, text

from bot.telemetry import JsonFormatter, MaskNumbers
from db.models import Artisan

ROOT = Path(__file__).resolve().parents[2]
NUMBER = "+919800000021"


def _record_of_a_failure() -> logging.LogRecord:
    try:
        raise RuntimeError(f"insert failed: {{'phone': '{NUMBER}', 'address': 'whatsapp:{NUMBER}'}}")
    except RuntimeError:
        import sys

        return logging.LogRecord("hunar.x", logging.ERROR, __file__, 1, "job failed", None, sys.exc_info())


def test_f11_a_traceback_is_masked_in_text_and_json_lines():
    for formatter in (logging.Formatter("%(levelname)s %(message)s"), JsonFormatter()):
        record = _record_of_a_failure()
        MaskNumbers().filter(record)
        line = formatter.format(record)
        assert "RuntimeError" in line and "9800000021" not in line and "+91•••••00021" in line


def test_f11_database_errors_do_not_quote_their_parameters(app):
    services = app.extensions["hunar"]
    try:
        with services.db.session() as s:
            s.execute(text("INSERT INTO no_such_table (phone) VALUES (:phone)"), {"phone": NUMBER})
    except Exception as exc:  # the error the log would show
        assert "9800000021" not in str(exc)
    else:
        raise AssertionError("the insert should have failed")


def test_f11_the_access_log_has_no_query_strings_and_gunicorn_lines_are_masked():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    fmt = conf["access_log_format"]
    assert "%(U)s" in fmt and "%(r)s" not in fmt and "%(q)s" not in fmt and "%(f)s" not in fmt
    handler = logging.StreamHandler()
    logging.getLogger("gunicorn.access").addHandler(handler)
    try:
        conf["post_worker_init"](worker=None)
        assert any(isinstance(f, MaskNumbers) for f in handler.filters)
    finally:
        logging.getLogger("gunicorn.access").removeHandler(handler)


def test_f11_over_long_ids_from_a_signed_webhook_are_not_stored(twilio_app, twilio):
    assert twilio.say("नमस्ते", WaId="9" * 60, ExternalUserId="x" * 500).status_code == 200
    assert twilio.say("नमस्ते", sender="whatsapp:+" + "9" * 40).status_code == 200
    with twilio_app.extensions["hunar"].db.session() as s:
        artisans = list(s.scalars(select(Artisan)))
    assert len(artisans) == 1 and artisans[0].wa_id is None
