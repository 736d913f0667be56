"""Hunar's web app: `create_app()` wires settings and services; `python app.py` runs the embedded default."""
from __future__ import annotations

import logging
import os
import secrets

import click
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

import config as settings_module


def create_app(config: dict | None = None, services: dict | None = None) -> Flask:
    """Defaults, then HUNAR_* from the environment, then `config`; services built unless handed in."""
    settings = settings_module.load(config)
    settings_module.check(settings)
    _logging(settings)

    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"])
    app.url_map.converters["int"] = IdConverter  # before any route is added: every <int:...> is bounded
    app.config["HUNAR"] = settings
    app.config["SECRET_KEY"] = settings["SECRET_KEY"] or secrets.token_hex(32)
    # Small by default, so that no anonymous request makes a worker read and parse megabytes; the few routes that
    # take files raise it for themselves (`_body_limits`), and the webhook lowers it to 64 KB.
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.config["MAX_FORM_PARTS"] = 200
    app.json.ensure_ascii = False

    from bot import services as service_builder

    app.extensions["hunar"] = service_builder.build(settings, **(services or {}))

    from bot.web import health, simulator, upload, webhook
    from marketplace import web as marketplace_web

    app.register_blueprint(health.bp)
    app.register_blueprint(simulator.bp)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(marketplace_web.bp)
    import helpdesk

    helpdesk.init_app(app)  # also the sessions (server-side, in Redis) and the login's rate limits
    _errors(app)
    _body_limits(app, settings)
    _security_headers(app, https=str(settings["PUBLIC_BASE_URL"]).startswith("https://"))
    _cli(app)
    return app


class IdConverter(IntegerConverter):
    """<int:...> in URLs, at most BIGINT's largest value: a larger one is no row (404), not a database error (500)."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**63 - 1,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def settle() -> None:
    """Ready a long-running process (gunicorn worker, RQ worker) for steady work, once its app is built.

    Loads what the first message would (NLU data, the prompt catalogue), then freezes the heap: the garbage
    collector never walks those ~100,000 long-lived objects again. A full collection of them took ~55 ms on an
    idle machine, and several times that on a busy one, with every thread of the process stopped meanwhile.
    """
    import gc

    import flows
    import nlu

    nlu.parse("namaste, 500 rupaye")
    for lang in flows.prompts.LANGUAGES:
        flows.prompts.catalogue(lang)
    gc.collect()
    gc.freeze()


def _logging(settings: dict) -> None:
    """One format for the whole app (text or JSON lines), numbers masked; the level comes from HUNAR_LOG_LEVEL."""
    from bot.telemetry import JsonFormatter, MaskNumbers

    level = getattr(logging, str(settings["LOG_LEVEL"]).upper(), logging.INFO)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        if not any(isinstance(f, MaskNumbers) for f in handler.filters):
            handler.addFilter(MaskNumbers())
        if settings["LOG_FORMAT"] == "json":
            handler.setFormatter(JsonFormatter())
    logging.getLogger("hunar").setLevel(level)


# Pages load only our own scripts; inline styles are allowed (small pages carry their own), frames never.
DEFAULT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")


def _security_headers(app: Flask, *, https: bool) -> None:
    """Safe defaults on every response; a blueprint that sets its own (the helpdesk) keeps them."""

    @app.after_request
    def headers(resp):
        h = resp.headers
        h.setdefault("Content-Security-Policy", DEFAULT_CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if https:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return resp


def _body_limits(app: Flask, settings: dict) -> None:
    """Raise the body cap on the routes that take files, before anything (the CSRF check) reads the form."""
    image = int(settings["MEDIA_MAX_IMAGE_BYTES"])
    limits = {
        "upload.page": 8 * image + 2**20,  # eight photos from the SMS upload page
        "helpdesk.reply": image + 2**20,  # a staff reply with one photo
    }
    simulator = 64 * 2**20  # a simulated album: eight photos in base64

    def raise_limit():
        endpoint = request.endpoint or ""
        if endpoint in limits:
            request.max_content_length = limits[endpoint]
        elif endpoint.startswith("simulator."):
            request.max_content_length = simulator

    app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


def _errors(app: Flask) -> None:
    """API callers get JSON errors; nobody ever sees a traceback."""

    def wants_json() -> bool:
        return "/api/" in request.path or request.path.startswith("/webhooks/")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            return jsonify(error=exc.description or exc.name), exc.code
        return exc

    from redis.exceptions import ConnectionError as RedisDown, TimeoutError as RedisSlow
    from sqlalchemy.exc import OperationalError

    @app.errorhandler(OperationalError)
    @app.errorhandler(RedisDown)
    @app.errorhandler(RedisSlow)
    def service_down(exc: Exception):
        """Database or Redis unreachable: 503 so Twilio (and callers) try again later; nothing half-written."""
        app.logger.error("service unavailable on %s %s: %s: %s", request.method, request.path, type(exc).__name__,
                         str(getattr(exc, "orig", None) or exc)[:300])
        resp = jsonify(error="temporarily unavailable; try again shortly") if wants_json() else \
            app.response_class("Temporarily unavailable; try again shortly.", content_type="text/plain")
        resp.status_code = 503
        resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error="something went wrong on our side; nothing you sent was lost"), 500
        return "Something went wrong on our side.", 500


def _cli(app: Flask) -> None:
    """`flask --app app db upgrade` and friends."""
    db_group = app.cli.commands.get("db") or click.Group("db", help="Database migrations.")

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def upgrade(revision: str) -> None:
        """Migrate the database to REVISION (default: the newest)."""
        app.extensions["hunar"].db.upgrade(revision)
        click.echo(f"database at {revision}")

    app.cli.add_command(db_group)

    from marketplace.cli import listings_cli

    app.cli.add_command(listings_cli)


def main() -> None:
    """Run the embedded default: SQLite under instance/, in-process Redis, jobs inline, simulator on."""
    app = create_app()
    app.extensions["hunar"].db.upgrade()
    port = int(os.environ.get("PORT", "5000"))
    from helpdesk.accounts import ensure_first_admin

    with app.extensions["hunar"].db.session() as session:
        first = ensure_first_admin(session, app.extensions["hunar"].clock())
    if first:
        print(f"Helpdesk: first admin {first[0]!r}, one-time password {first[1]} (change it at first login)",
              flush=True)
    app.logger.info("Hunar on http://127.0.0.1:%d — simulator at /simulator, helpdesk at /helpdesk", port)
    app.run(host="127.0.0.1", port=port, threaded=True)


if __name__ == "__main__":
    main()
