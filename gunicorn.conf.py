"""gunicorn settings for the web processes: `gunicorn -c gunicorn.conf.py` (see README, Running in production)."""
import os

wsgi_app = "app:create_app()"
# Loopback only: clients reach gunicorn through nginx (deploy/nginx/), which absorbs slow clients and caps bodies
# (security report F5). BIND=0.0.0.0:8000 only with such a proxy on another machine in front.
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))  # the webhook waits on the database, not the CPU
worker_class = "gthread"
timeout = 30  # Twilio gives up after 15 s; a stuck request must not hold a worker for longer than this
graceful_timeout = 20
# A worker takes only the connections it has a free thread for. gthread's default (1,000) let a worker whose
# threads were all busy rendering pages go on accepting Twilio's webhooks, which then waited behind those pages
# (bench/RESULTS.md, "Under attack"); now they stay in the listen queue for a worker that is free. So no
# keep-alive either: an idle kept connection would hold a thread's place (nginx opens one per request anyway).
worker_connections = threads
keepalive = 0
max_requests = 5000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 500
# The proxy in front terminates TLS; trust its X-Forwarded-Proto only from these addresses (nginx clears the other
# scheme headers, since gunicorn would trust those from here too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("ACCESS_LOG", "1") == "1" else None
# The peer (nginx: 127.0.0.1), the client as nginx saw it (X-Forwarded-For), then method and path only (%(U)s):
# no query strings or bodies, which may carry numbers; paths are masked too.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"


def post_worker_init(worker):
    """Once a web process has loaded the app: warm it and freeze its heap (app.settle)."""
    import logging

    from app import settle
    from bot.telemetry import MaskNumbers

    for name in ("gunicorn.access", "gunicorn.error"):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(MaskNumbers())
    settle()
    app = getattr(worker, "wsgi", None)
    if app is not None:  # a web process that could not spool would lose messages in an outage: refuse to serve
        from bot.spool import Spool
        from bot.spool_drain import drain_quietly

        Spool.of(app.extensions["hunar"].settings).ready()
        drain_quietly(app.extensions["hunar"], budget=10.0)  # what was spooled before a restart; inside the timeout
