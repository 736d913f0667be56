"""The optional Rasa backend, against a local fake replaying a real Rasa 3.6 server's recorded /model/parse answers.

tests/nlu/rasa_recorded.json was written by `bench/rasa_backend.py --save-responses` against `rasa run --enable-api`
trained on nlu/data (docs/rasa.md). A text that was not recorded gets Rasa's answer for what it does not know
(`nlu_fallback`, confidence 0).
"""
from __future__ import annotations

import json
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

import config
import nlu
from bot.services import nlu_reader
from nlu import rasa_backend
from nlu.rasa_backend import COMMAND_INTENTS, OPEN_STEPS, THRESHOLD, RasaBackend, understood_nothing

ROOT = Path(__file__).resolve().parents[2]
RECORDED = json.loads((Path(__file__).with_name("rasa_recorded.json")).read_text(encoding="utf-8"))
ANSWERS = RECORDED["responses"]


def unknown(text: str) -> dict:
    return {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": [],
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.0}]}


class FakeRasa(BaseHTTPRequestHandler):
    """POST /model/parse answered from the recording; `mode` makes it slow, broken or odd."""
    seen: list = []
    mode = "recorded"
    release = threading.Event()  # a "slow" server answers only once the test lets it

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.seen.append((self.path, body))
        if FakeRasa.mode == "slow":
            FakeRasa.release.wait(30)
        if FakeRasa.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        if self.path != "/model/parse":
            self.send_response(404)
            self.end_headers()
            return
        out = FakeRasa.mode if isinstance(FakeRasa.mode, dict) else ANSWERS.get(body["text"]) or unknown(body["text"])
        data = b"[1, 2]" if FakeRasa.mode == "list" else json.dumps(out, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def rasa_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeRasa.seen.clear()
    FakeRasa.mode = "recorded"
    FakeRasa.release.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    FakeRasa.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    yield f"http://127.0.0.1:{port}"


def recorded(helped: bool) -> list[str]:
    """Recorded texts Rasa would be asked about whose answer is taken (`helped`) or not."""
    judge, out = RasaBackend("http://127.0.0.1:9"), []
    for text, answer in ANSWERS.items():
        ours = nlu.parse(text)
        if judge.should_ask(ours, None, None) and (judge.accept(ours, answer) is not ours) == helped:
            out.append(text)
    return out


def synthetic_help() -> list[str]:
    """Once the built-in reading understands every recorded command, no recorded answer helps any more: one asked
    text then gets a made-up confident "help" from the fake, so the tests of taking Rasa's word still run."""
    judge = RasaBackend("http://127.0.0.1:9")
    for text, answer in ANSWERS.items():
        if judge.should_ask(nlu.parse(text), None, None):
            ANSWERS[text] = {**answer, "intent": {"name": "help", "confidence": 0.95},
                             "intent_ranking": [{"name": "help", "confidence": 0.95}]}
            return [text]
    return []


NOT_TAKEN = recorded(False)
HELPED = recorded(True) or synthetic_help()
NOT_TAKEN = [text for text in NOT_TAKEN if text not in HELPED]


# --- when Rasa is asked --------------------------------------------------------------------------------------------


def test_the_recording_is_a_real_rasa_36():
    assert RECORDED["rasa"].startswith("3.6") and len(ANSWERS) > 500
    assert all(set(a) >= {"text", "intent", "entities"} for a in ANSWERS.values())


def test_asked_only_when_the_builtin_nlu_understood_nothing(rasa_url):
    backend = RasaBackend(rasa_url)
    for text in ("हाँ", "500 रुपये", "लाल सूती दरी", "मदद", "STOP", "2 बिक गया", "6 बाई 4 फीट", "बंदनवार", "asdf"):
        assert backend(text) == nlu.parse(text)
    assert FakeRasa.seen == []
    backend("asdf qwerty")
    assert FakeRasa.seen == [("/model/parse", {"text": "asdf qwerty"})]


@pytest.mark.parametrize("step", sorted(OPEN_STEPS))
def test_never_asked_at_an_open_answer(rasa_url, step):
    backend = RasaBackend(rasa_url)
    text = HELPED[0]
    assert backend(text, step=step) == nlu.parse(text)
    assert backend(text, expect="name")["intent"]["name"] == "inform"
    assert FakeRasa.seen == []


def test_understood_nothing_is_inform_without_entities_in_words():
    assert understood_nothing({"text": "kuch bhi", "intent": {"name": "inform"}, "entities": []})
    assert not understood_nothing({"text": "👍🙏", "intent": {"name": "inform"}, "entities": []})
    assert not understood_nothing({"text": "", "intent": {"name": "inform"}, "entities": []})
    assert not understood_nothing(nlu.parse("लाल"))
    assert not understood_nothing(nlu.parse("नहीं"))


# --- what is taken from its answer -----------------------------------------------------------------------------------


def test_a_command_rasa_is_sure_of_replaces_a_reading_of_nothing(rasa_url):
    assert HELPED, "the recording has no command the built-in NLU missed"
    backend = RasaBackend(rasa_url)
    for text in HELPED:
        got, want = backend(text, step="price"), ANSWERS[text]["intent"]
        assert got["intent"] == {"name": want["name"], "confidence": round(want["confidence"], 3)}, text
        assert got["backend"] == "rasa"
        ours = {(e["entity"], e["start"]) for e in nlu.parse(text)["entities"]}
        assert ours <= {(e["entity"], e["start"]) for e in got["entities"]}
    assert backend.used == len(HELPED)


def test_an_edit_without_the_field_to_edit_is_not_taken(rasa_url):
    FakeRasa.mode = {"text": "x", "intent": {"name": "edit", "confidence": 0.99}, "entities": []}
    assert RasaBackend(rasa_url)("qwerty asdf zxcv")["intent"]["name"] == "inform"


def test_below_the_threshold_or_not_a_command_the_builtin_reading_stands(rasa_url):
    backend = RasaBackend(rasa_url)
    assert any(ANSWERS[t]["intent"]["name"] in COMMAND_INTENTS and ANSWERS[t]["intent"]["confidence"] < THRESHOLD
               for t in NOT_TAKEN)
    for text in NOT_TAKEN:
        assert backend(text) == nlu.parse(text), text
    for name in ("inform", "affirm", "deny", "nlu_fallback", "language", None, 7):
        FakeRasa.mode = {"text": "x", "intent": {"name": name, "confidence": 0.99}, "entities": []}
        assert backend("qwerty asdf zxcv") == nlu.parse("qwerty asdf zxcv")
    FakeRasa.mode = {"text": "x", "intent": {"name": "human", "confidence": "very"}, "entities": []}
    assert backend("qwerty asdf zxcv")["intent"]["name"] == "inform"


def test_rasa_entities_join_ours_where_they_overlap_nothing(rasa_url):
    text = "qwerty asdf zxcv"
    FakeRasa.mode = {"text": text, "intent": {"name": "edit", "confidence": 0.95}, "entities": [
        {"entity": "field", "value": "price", "start": 0, "end": 4, "extractor": "DIETClassifier"},
        {"entity": "number", "value": "9", "start": 5, "end": 12},  # ours to find, not Rasa's
        {"entity": "field", "value": "x", "start": 20, "end": 99},  # outside the text
        {"entity": "field"}]}
    got = RasaBackend(rasa_url)(text)
    assert got["intent"] == {"name": "edit", "confidence": 0.95}
    assert got["entities"] == [{"entity": "field", "value": "price", "start": 0, "end": 4,
                                "extractor": "DIETClassifier"}]


# --- when the server fails ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["slow", "error", "list"])
def test_a_slow_or_broken_server_falls_back_silently_and_is_logged(rasa_url, mode, caplog):
    FakeRasa.mode = mode
    backend = RasaBackend(rasa_url, timeout=0.3)
    text = HELPED[0]  # a message the recorded server would help with: its answer would differ from ours
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        assert backend(text) == nlu.parse(text), "the built-in reading, without waiting for the server"
    assert "unavailable" in caplog.text and backend.failed == 1


def test_after_a_failure_the_server_is_left_alone_for_a_while(closed_url, caplog):
    backend = RasaBackend(closed_url)
    backend("asdf qwerty")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        assert backend("zxcv uiop")["intent"]["name"] == "inform"
    assert caplog.text == "" and backend.failed == 1


def test_the_default_timeout_is_short():
    assert rasa_backend.TIMEOUT <= 0.5 and config.DEFAULTS["RASA_TIMEOUT_SECONDS"] <= 0.5


# --- chosen by config.py -------------------------------------------------------------------------------------------


def test_nlu_reads_no_environment(monkeypatch, rasa_url):
    monkeypatch.setenv("HUNAR_NLU_BACKEND", "rasa")
    monkeypatch.setenv("HUNAR_RASA_URL", rasa_url)
    nlu.parse(HELPED[0])
    assert FakeRasa.seen == []
    for path in (ROOT / "nlu").rglob("*.py"):
        assert "environ" not in path.read_text(encoding="utf-8"), path


def test_the_backend_is_chosen_by_settings(rasa_url):
    settings = config.load(environ={"HUNAR_NLU_BACKEND": "rasa", "HUNAR_RASA_URL": rasa_url,
                                    "HUNAR_RASA_TIMEOUT_SECONDS": "0.25"})
    read = nlu_reader(settings)
    assert isinstance(read, RasaBackend) and read.url == rasa_url and read.timeout == 0.25
    assert read(HELPED[0])["intent"]["name"] == ANSWERS[HELPED[0]]["intent"]["name"]
    builtin = nlu_reader(config.load(environ={}))
    assert not isinstance(builtin, RasaBackend)
    assert builtin(HELPED[0], step="price") == nlu.parse(HELPED[0])
    assert FakeRasa.seen == [("/model/parse", {"text": HELPED[0]})]


def test_nlu_parse_can_still_ask_rasa_per_call(rasa_url):
    got = nlu.parse(HELPED[0], backend="rasa", url=rasa_url)
    assert got["intent"]["name"] == ANSWERS[HELPED[0]]["intent"]["name"]
    assert nlu.parse(HELPED[0], backend="rasa", url=rasa_url, step="district")["intent"]["name"] == "inform"


# --- every golden transcript with the backend on ----------------------------------------------------------------------


def test_every_golden_transcript_passes_with_the_backend_on(rasa_url):
    from fakes.transcripts import all_transcripts, replay

    backend = RasaBackend(rasa_url)
    for path in all_transcripts():
        replay(path, backend)
    assert backend.failed == 0


def test_a_turn_tells_the_backend_the_step(make_app, rasa_url):
    """Through the simulator: the district step's answer is never sent to Rasa, a lost message elsewhere is."""
    from tests.support.whatsapp import WhatsApp

    app = make_app(config={"NLU_BACKEND": "rasa", "RASA_URL": rasa_url})
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "Kamla Devi"):
        phone.say(text)
    phone.say("qwerty asdf")  # the district step: an open answer, Rasa is not asked
    assert FakeRasa.seen == []
    WhatsApp(app.test_client(), number="+919000009999").say("qwerty asdf")  # a first message: asked
    assert FakeRasa.seen == [("/model/parse", {"text": "qwerty asdf"})]


# --- the training data ---------------------------------------------------------------------------------------------


def data_docs():
    for path in sorted((ROOT / "nlu" / "data").glob("*.yml")):
        if path.name != "domain.yml":
            yield path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_rasa_config_and_data_are_rasa_yaml():
    config_yml = yaml.safe_load((ROOT / "nlu" / "rasa" / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config_yml["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "DIETClassifier" in names
    assert "EntitySynonymMapper" in names
    assert any(c.get("analyzer") == "char_wb" for c in config_yml["pipeline"])
    for path, doc in data_docs():
        assert doc["version"] == "3.1" and isinstance(doc["nlu"], list), path
        for block in doc["nlu"]:
            kinds = {"intent", "synonym", "lookup", "regex"} & set(block)
            assert len(kinds) == 1 and isinstance(block["examples"], str), (path, block)
            assert all(line.strip().startswith("- ") for line in block["examples"].splitlines()
                       if line.strip()), (path, block)


def test_the_domain_lists_every_intent_and_entity_the_data_uses():
    intents, entities, examples = set(), set(), {}
    for _, doc in data_docs():
        for block in doc["nlu"]:
            if "intent" in block:
                intents.add(block["intent"])
                entities |= set(re.findall(r"\]\((\w+)\)", block["examples"]))
                entities |= set(re.findall(r'"entity": "(\w+)"', block["examples"]))
                for line in block["examples"].splitlines():
                    examples.setdefault(line.strip()[2:], set()).add(block["intent"])
    domain = yaml.safe_load((ROOT / "nlu" / "data" / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == intents and set(domain["entities"]) == entities, \
        "nlu/data/domain.yml must list every intent and entity of nlu/data (rasa data validate checks it)"
    assert COMMAND_INTENTS <= intents
    clashes = {text: kinds for text, kinds in examples.items() if len(kinds) > 1}
    assert not clashes, f"an example under two intents confuses the model: {clashes}"


def test_the_data_has_answers_as_well_as_commands():
    count = {}
    for _, doc in data_docs():
        for block in doc["nlu"]:
            if "intent" in block:
                n = sum(1 for line in block["examples"].splitlines() if line.strip())
                count[block["intent"]] = count.get(block["intent"], 0) + n
    commands = sum(n for intent, n in count.items() if intent in COMMAND_INTENTS)
    assert count["inform"] >= commands


def test_make_answers_writes_answers_from_the_lexicon():
    """nlu/data/answers.yml is made by nlu/rasa/make_answers.py (re-run it after the lexicon grows)."""
    import random

    from nlu.rasa import make_answers

    made = make_answers.answers(random.Random(make_answers.SEED))
    assert len(made["inform"]) >= 500 and set(made) == {"inform", "affirm", "deny"}
    assert "Made by nlu/rasa/make_answers.py" in (ROOT / "nlu" / "data" / "answers.yml").read_text(encoding="utf-8")


def test_the_bench_runs_against_the_fake(rasa_url, tmp_path, capsys):
    """A bounded bench/rasa_backend.py: every golden transcript, and intent accuracy on a few labelled messages."""
    from bench import rasa_backend as bench

    corpus = tmp_path / "utterances.jsonl"
    rows = [{"text": HELPED[0], "intent": ANSWERS[HELPED[0]]["intent"]["name"], "script": "roman"},
            {"text": "लाल सूती दरी", "intent": "inform", "script": "deva"}]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    FakeRasa.mode = "recorded"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bench, "rasa_version", lambda url: "3.6.21")
        mp.setattr(bench, "cpu_calibration", lambda: 0.0)
        mp.setattr(bench, "latency", lambda backend, texts: {"n": 0, "p50_ms": 0, "p95_ms": 0})
        assert bench.main(["--url", rasa_url, "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "golden transcripts with the Rasa backend: " in out and "FAILED" not in out
    assert "built-in 50.0 %, with backend 100.0 %" in out
