"""deploy/nginx/render.py: every placeholder filled, the shipped caps in place, and nginx accepts what it writes."""
from __future__ import annotations

import re
import subprocess

import pytest

from tests.support.proxy import needs_nginx, render


def location(site: str, path: str) -> str:
    return re.search(r"location " + re.escape(path) + r" \{(.*?)\n    \}", site, re.S).group(1)


def test_the_production_include_has_the_shipped_caps(capsys):
    assert render.main(["--server-name", "hunar.example.org"]) == 0
    site = capsys.readouterr().out
    assert "{{" not in site and "server_name hunar.example.org;" in site
    assert "client_max_body_size 64k;" in location(site, "/webhooks/")
    assert "client_max_body_size 41m;" in location(site, "/u/")
    assert "client_max_body_size 256k;" in location(site, "/simulator/")
    assert "client_max_body_size 6m;" in location(site, "~ ^/helpdesk/c/[0-9]+/reply$")
    assert re.search(r"^    client_max_body_size 256k;", site, re.M)  # everything else
    assert "server 127.0.0.1:8000;" in site  # gunicorn.conf.py's default bind


def test_the_simulator_gets_its_64m_only_when_asked(capsys):
    render.main(["--simulator"])
    assert "client_max_body_size 64m;" in location(capsys.readouterr().out, "/simulator/")


def test_a_value_without_a_placeholder_is_an_error():
    with pytest.raises(ValueError, match="NOT_A_SETTING"):
        render.site(NOT_A_SETTING="1")


@needs_nginx
def test_nginx_accepts_the_standalone_config(tmp_path):
    conf = render.standalone(tmp_path, LISTEN=f"127.0.0.1:{render.free_port()}", SIMULATOR_MAX_BODY="64m")
    check = subprocess.run([render.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e",
                            str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
