"""The optional Rasa backend: merged answers from a fake local server, fallback when it is down."""
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import nlu
from nlu import rasa_backend


class FakeRasa(BaseHTTPRequestHandler):
    """Answers /model/parse like Rasa, with a fixed intent and a `field` entity."""
    seen: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.seen.append((self.path, body))
        text = body["text"]
        ents = [{"entity": "number", "value": "999", "start": 0, "end": 1, "extractor": "DIETClassifier"}]
        if "कीमत" in text:
            s = text.index("कीमत")
            ents.append({"entity": "field", "value": "price", "start": s, "end": s + 4,
                         "extractor": "DIETClassifier"})
        out = {"text": text, "intent": {"name": "edit", "confidence": 0.91},
               "entities": ents, "intent_ranking": [{"name": "edit", "confidence": 0.91}]}
        data = json.dumps(out, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def rasa_server():
    server = HTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rasa_backend._down_until = 0.0
    FakeRasa.seen.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    rasa_backend._down_until = 0.0
    yield f"http://127.0.0.1:{port}"
    rasa_backend._down_until = 0.0


def test_intent_from_rasa_entities_from_us(rasa_server, monkeypatch):
    monkeypatch.setenv("HUNAR_NLU_BACKEND", "rasa")
    monkeypatch.setenv("HUNAR_RASA_URL", rasa_server)
    p = nlu.parse("कीमत 600 रुपये करो")
    assert FakeRasa.seen[0] == ("/model/parse", {"text": "कीमत 600 रुपये करो"})
    assert p["intent"] == {"name": "edit", "confidence": 0.91}
    kinds = {e["entity"]: e["value"] for e in p["entities"]}
    assert kinds == {"field": "price", "amount_of_money": 600}


def test_backend_chosen_by_argument(rasa_server, monkeypatch):
    monkeypatch.setenv("HUNAR_RASA_URL", rasa_server)
    assert nlu.parse("हाँ", backend="rasa")["intent"]["name"] == "edit"
    assert nlu.parse("हाँ")["intent"]["name"] == "affirm"


def test_server_down_falls_back_with_a_warning(closed_port, monkeypatch, caplog):
    monkeypatch.setenv("HUNAR_RASA_URL", closed_port)
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        p = nlu.parse("साढ़े तीन सौ रुपये", backend="rasa")
    assert p["entities"][0]["value"] == 350 and p["intent"]["name"] == "inform"
    assert "unavailable" in caplog.text


def test_after_a_failure_the_server_is_skipped_for_a_while(closed_port, monkeypatch, caplog):
    monkeypatch.setenv("HUNAR_RASA_URL", closed_port)
    nlu.parse("हाँ", backend="rasa")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        assert nlu.parse("नहीं", backend="rasa")["intent"]["name"] == "deny"
    assert caplog.text == ""


def test_merge_drops_bad_spans():
    ours = nlu.parse("हाँ")
    theirs = {"intent": {"name": "affirm", "confidence": 0.8},
              "entities": [{"entity": "field", "value": "x", "start": 5, "end": 99}, {"entity": "field"}]}
    assert rasa_backend.merge(ours, theirs)["entities"] == []


def test_merge_keeps_ours_when_rasa_answers_nonsense():
    ours = nlu.parse("हाँ")
    assert rasa_backend.merge(ours, {"intent": None}) == ours


def test_rasa_config_and_data_are_rasa_yaml():
    import pathlib

    import yaml
    root = pathlib.Path(nlu.__file__).parent
    config = yaml.safe_load((root / "rasa" / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "DIETClassifier" in names
    assert "EntitySynonymMapper" in names
    assert any(c.get("analyzer") == "char_wb" for c in config["pipeline"])
    for path in (root / "data").glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["version"] == "3.1" and isinstance(doc["nlu"], list), path
        for block in doc["nlu"]:
            kinds = {"intent", "synonym", "lookup", "regex"} & set(block)
            assert len(kinds) == 1 and isinstance(block["examples"], str), (path, block)
            assert all(line.strip().startswith("- ") for line in block["examples"].splitlines()
                       if line.strip()), (path, block)
