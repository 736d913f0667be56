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
    checks = {}
    for name, probe in (("database", services.db.ping), ("redis", services.redis.ping)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # any failure means not ready; the type is enough for an operator
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503


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
