"""Render Hunar's nginx config from hunar.conf.in, for production or as a self-contained nginx in a directory.

    # production: an http-level include (zones, upstream, server) for /etc/nginx/conf.d/
    python deploy/nginx/render.py --listen 80 --server-name hunar.example.org --upstream 127.0.0.1:8000 \\
        --static-root /srv/hunar/static > /etc/nginx/conf.d/hunar.conf

    # an nginx of its own, as any user, everything under DIR (what the tests and bench/under_attack.py run)
    python deploy/nginx/render.py --standalone /tmp/hunar-nginx --listen 127.0.0.1:8080
    nginx -p /tmp/hunar-nginx -c /tmp/hunar-nginx/nginx.conf -g 'daemon off;'
"""
from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# The shipped values; each is a placeholder in hunar.conf.in.
DEFAULTS = {
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "UPSTREAM": "127.0.0.1:8000",  # gunicorn's bind (gunicorn.conf.py)
    "STATIC_ROOT": str(ROOT / "static"),
    "FORWARDED_PROTO": "$scheme",  # "https" when another proxy in front terminates TLS
    "CLIENT_TIMEOUT": "10s",
    "DEFAULT_MAX_BODY": "256k",
    "WEBHOOK_MAX_BODY": "64k",
    # The app's own caps (app.py, _body_limits), so nginx never refuses what the app would take:
    "UPLOAD_MAX_BODY": "41m",  # the SMS upload page: 8 photos × 5 MB (MEDIA_MAX_IMAGE_BYTES) + 1 MB
    "HELPDESK_REPLY_MAX_BODY": "6m",  # a staff reply with one photo: 5 MB + 1 MB
    "SIMULATOR_MAX_BODY": "256k",  # off in production; --simulator gives it the app's 64m
    "CONN_PER_IP": "20",
    "WEBHOOK_CONN_PER_IP": "200",
    "PAGE_RATE": "5r/s",
    "PAGE_BURST": "30",
    # Anonymous pages in gunicorn at once, all clients together: half of its threads (WEB_CONCURRENCY ×
    # WEB_THREADS = 2 × 4), so the other half is always free for Twilio.
    "PUBLIC_CONCURRENCY": "4",
    # gunicorn never stops a slow request (its timeout restarts only a silent worker): a page nginx gave up on
    # would go on holding its thread with its slot freed, so nginx waits long.
    "PUBLIC_READ_TIMEOUT": "120s",
    "MEDIA_RATE": "30r/s",
    "MEDIA_BURST": "100",
}
SIMULATOR_MAX_BODY = "64m"  # app.py's MAX_CONTENT_LENGTH: eight 5 MB photos in base64
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def fill(template: str, values: dict) -> str:
    """Replace every {{NAME}}; a placeholder without a value, or a value without a placeholder, is an error."""
    names = set(PLACEHOLDER.findall(template))
    missing, unused = names - values.keys(), values.keys() - names
    if missing or unused:
        raise ValueError(f"template placeholders missing {sorted(missing)}, unknown values {sorted(unused)}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def site(**values) -> str:
    """hunar.conf: the shipped values, with `values` (DEFAULTS' names) in their place."""
    return fill((HERE / "hunar.conf.in").read_text(), {**DEFAULTS, **values})


def standalone(directory: Path, *, access_log: bool = False, error_log_level: str = "warn", **values) -> Path:
    """Write nginx.conf and hunar.conf into `directory` (pid, logs and temp files stay inside); returns nginx.conf."""
    directory = Path(directory).resolve()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    (directory / "hunar.conf").write_text(site(**values))
    # Started as root, nginx would hand its workers to "nobody", who may not enter a private temp directory.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    mime = Path("/etc/nginx/mime.types")
    if not mime.exists():
        mime = directory / "mime.types"
        mime.write_text("types { text/html html; text/css css; font/woff2 woff2; image/jpeg jpg jpeg; }\n")
    conf = directory / "nginx.conf"
    conf.write_text(fill((HERE / "nginx.conf.in").read_text(), {
        "USER": user, "WORKER_PROCESSES": "1", "DIR": str(directory), "MIME_TYPES": str(mime),
        "ERROR_LOG_LEVEL": error_log_level, "ACCESS_LOG": f"{directory}/access.log" if access_log else "off"}))
    return conf


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    """The nginx to run: on PATH, or Debian's /usr/sbin (not on an ordinary user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


class Nginx:
    """A rendered standalone nginx on 127.0.0.1:`port`, in front of `upstream`; start() waits until it accepts."""

    def __init__(self, directory: Path, upstream: str, port: int | None = None, **values):
        self.directory = Path(directory)
        self.port = port or free_port()
        self.conf = standalone(self.directory, LISTEN=f"127.0.0.1:{self.port}", UPSTREAM=upstream, **values)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds: float = 20) -> "Nginx":
        binary = nginx_binary()
        if not binary:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.proc = subprocess.Popen([binary, "-p", str(self.directory), "-c", str(self.conf), "-e",
                                      str(self.directory / "error.log"), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {self.error_log()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on {self.port}: {self.error_log()[-2000:]}")

    def error_log(self) -> str:
        path = self.directory / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Quit (SIGQUIT lets workers finish); kill it if it takes longer than 10 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(3)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--standalone", metavar="DIR", help="write DIR/nginx.conf and DIR/hunar.conf instead of printing")
    ap.add_argument("--simulator", action="store_true", help=f"let the simulator take {SIMULATOR_MAX_BODY} bodies "
                    "(development only: production turns the simulator off)")
    for name, default in DEFAULTS.items():
        ap.add_argument("--" + name.lower().replace("_", "-"), dest=name, default=default, help=f"(default {default})")
    args = ap.parse_args(argv)
    values = {name: getattr(args, name) for name in DEFAULTS}
    if args.simulator:
        values["SIMULATOR_MAX_BODY"] = SIMULATOR_MAX_BODY
    if args.standalone:
        conf = standalone(Path(args.standalone), access_log=True, **values)
        print(f"nginx -p {conf.parent} -c {conf} -e {conf.parent / 'error.log'} -g 'daemon off;'")
    else:
        sys.stdout.write(site(**values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
