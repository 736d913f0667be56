"""One deployment for the proxy tests: the app under gunicorn (1 worker × 2 threads) behind the rendered nginx."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from fakes.twilio import ACCOUNT, TOKEN, FakeTwilio
from tests.support.proxy import CLIENT_TIMEOUT, CONN_PER_IP, PUBLIC_CONCURRENCY, Gunicorn, render


@dataclass
class Proxied:
    nginx: "render.Nginx"
    app: Gunicorn

    @property
    def port(self) -> int:
        return self.nginx.port


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    if render.nginx_binary() is None:
        pytest.skip("needs nginx (Debian: apt-get install nginx; .ci/run installs it)")
    directory = tmp_path_factory.mktemp("proxied")
    twilio = FakeTwilio()
    port = render.free_port()
    # Few gunicorn threads on purpose: slow clients reaching them would block the webhook at once.
    app = Gunicorn(directory, f"http://127.0.0.1:{port}", {
        "HUNAR_TWILIO_ENABLED": "true", "HUNAR_TWILIO_ACCOUNT_SID": ACCOUNT, "HUNAR_TWILIO_AUTH_TOKEN": TOKEN,
        "HUNAR_TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886", "HUNAR_TWILIO_API_BASE": twilio.url})
    nginx = render.Nginx(directory / "nginx", f"127.0.0.1:{app.port}", port=port,
                         CLIENT_TIMEOUT=f"{CLIENT_TIMEOUT}s", CONN_PER_IP=str(CONN_PER_IP),
                         PUBLIC_CONCURRENCY=str(PUBLIC_CONCURRENCY))
    try:
        app.start()
        nginx.start()
        yield Proxied(nginx, app)
    finally:
        nginx.stop()
        app.stop()
        twilio.close()
