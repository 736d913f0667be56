"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database and Redis both answer; 503 says which one does not."""
    services = current_app.extensions["hunar"]
    checks = {name: _probe(ping) for name, ping in (("database", services.db.ping), ("redis", services.redis.ping))}
    if all(v == "ok" for v in checks.values()):
        return jsonify(status="ok", checks=checks), 200
    return jsonify(status="unavailable", checks=checks), 503


def _probe(ping) -> str:
    """"ok", or the error's type: any failure means not ready, and the type is enough for an operator."""
    try:
        ping()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


@bp.get("/metrics")
def metrics():
    """Prometheus text format; with HUNAR_METRICS_TOKEN set, only for `Authorization: Bearer <token>`.

    In production there is no open /metrics: without a token it is not there at all (404)."""
    services = current_app.extensions["hunar"]
    token = services.settings.get("METRICS_TOKEN")
    if not token and services.settings["ENV"] == "production":
        abort(404)
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), str(token).encode()):
            abort(401)
    return Response(services.metrics.render(services), content_type="text/plain; version=0.0.4; charset=utf-8")
