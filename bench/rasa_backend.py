"""Hunar's NLU with a real Rasa server as backend (not a test): golden transcripts and intent accuracy.

Needs a Rasa 3.6 server trained on nlu/data (docs/rasa.md) at HUNAR_RASA_URL (default http://127.0.0.1:5005).

    .venv/bin/python bench/rasa_backend.py [--url URL] [--corpus ../shared/corpus/utterances.jsonl]
                                           [--record KEY] [--save-responses tests/nlu/rasa_recorded.json]

1. Replays every golden transcript (tests/transcripts/*.yml) through the engine with nlu.rasa_backend.RasaBackend
   reading each message, told the step as a turn tells it; prints passed / failed.
2. Intent accuracy on the labelled corpus, per script: the built-in NLU alone, with the backend on, and Rasa's own
   intent for every message (what the old backend did: Rasa's intent replacing ours).
3. Rasa's /model/parse latency over HTTP.
--record KEY keeps the run in bench/results.json ("rasa_backend", and its section of bench/RESULTS.md) with the
host's load and a CPU calibration. --save-responses writes Rasa's answers to every message used here, for the
recorded fake the tests replay (tests/nlu/test_rasa_backend.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.under_attack import cpu_calibration  # noqa: E402
from fakes.transcripts import all_transcripts, load as load_spec, replay  # noqa: E402
from nlu import rasa_backend  # noqa: E402
from nlu.parse import parse_builtin  # noqa: E402

SECTION = "Rasa 3.6 as NLU backend (issue 17)"
CORPUS = ROOT.parent / "shared" / "corpus" / "utterances.jsonl"
RECORDED = ROOT / "tests" / "nlu" / "rasa_recorded.json"
POST = rasa_backend._post  # the real request, also while transcripts() counts the backend's own


class Recording(rasa_backend.RasaBackend):
    """The backend, keeping every answer the server gave."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses: dict[str, dict] = {}

    def ask(self, text: str) -> dict:
        if text not in self.responses:
            self.responses[text] = POST(self.url + "/model/parse", {"text": text}, 30.0)
        return self.responses[text]


def transcripts(backend: Recording) -> dict:
    """Every golden transcript through the engine with the backend reading; the texts it was asked about."""
    passed, failed, asked = [], {}, []
    def post(url, body, timeout):
        asked.append(body["text"])
        return POST(url, body, timeout)

    rasa_backend._post = post
    try:
        for path in all_transcripts():
            for turn in load_spec(path)["turns"]:  # the fake needs an answer for every message, asked or not
                if "say" in turn and str(turn["say"]).strip():
                    backend.ask(str(turn["say"]))
            try:
                replay(path, backend)
                passed.append(path.stem)
            except AssertionError as exc:
                failed[path.stem] = str(exc).splitlines()[0][:300]
            except Exception:
                failed[path.stem] = traceback.format_exc(limit=2)[-300:]
    finally:
        rasa_backend._post = POST
    for text in asked:
        backend.ask(text)
    return {"total": len(passed) + len(failed), "passed": len(passed), "failed": failed,
            "asked": len(asked), "taken": backend.used, "asked_texts": sorted(set(asked))}


def accuracy(backend: Recording, corpus: Path) -> dict:
    """Intent accuracy per script: built-in alone, with the backend (step unknown), Rasa's own intent."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    right: dict[str, Counter] = defaultdict(Counter)
    changed = []
    times = []
    for row in rows:
        text, want, script = row["text"], row["intent"], row["script"]
        start = time.perf_counter()
        theirs = backend.ask(text)
        times.append(time.perf_counter() - start)
        ours = parse_builtin(text)
        helped = backend.accept(ours, theirs) if backend.should_ask(ours, None, None) else ours
        raw = (theirs.get("intent") or {}).get("name")
        for script_key in (script, "all"):
            right[script_key]["n"] += 1
            right[script_key]["builtin"] += ours["intent"]["name"] == want
            right[script_key]["backend"] += helped["intent"]["name"] == want
            right[script_key]["rasa_alone"] += raw == want
        if helped is not ours:
            changed.append({"text": text, "want": want, "builtin": ours["intent"]["name"],
                            "rasa": raw, "confidence": round(float(theirs["intent"]["confidence"]), 3)})
    table = {k: {"n": c["n"], **{m: round(100 * c[m] / c["n"], 1) for m in ("builtin", "backend", "rasa_alone")}}
             for k, c in right.items()}
    return {"messages": len(rows), "by_script": table, "changed": changed,
            "gained": sum(c["want"] == c["rasa"] for c in changed),
            "lost": sum(c["want"] == c["builtin"] for c in changed),
            "first_parse_ms_p50": round(1000 * statistics.median(times), 2) if times else None}


def latency(backend: Recording, texts: list[str], n: int = 200) -> dict:
    took = []
    for text in (texts * (n // max(1, len(texts)) + 1))[:n]:
        start = time.perf_counter()
        POST(backend.url + "/model/parse", {"text": text}, 30.0)
        took.append(time.perf_counter() - start)
    took.sort()
    return {"n": len(took), "p50_ms": round(1000 * took[len(took) // 2], 1),
            "p95_ms": round(1000 * took[int(len(took) * 0.95)], 1)}


def rasa_version(url: str) -> str:
    try:
        with __import__("urllib.request").request.urlopen(url + "/version", timeout=5) as resp:
            return json.loads(resp.read()).get("version", "?")
    except Exception:
        return "?"


def trimmed(response: dict) -> dict:
    """What the fake needs of an answer: intent, top of the ranking, entities."""
    return {"text": response.get("text"), "intent": response.get("intent"),
            "entities": [{k: e.get(k) for k in ("entity", "value", "start", "end", "extractor") if k in e}
                         for e in response.get("entities") or []],
            "intent_ranking": (response.get("intent_ranking") or [])[:3]}


def section(runs: dict) -> str:
    lines = ["A real Rasa 3.6 server (docs/rasa.md) trained on `nlu/data` with `nlu/rasa/config.yml`, as the backend "
             "of `nlu.rasa_backend.RasaBackend`: asked only when the built-in NLU understood nothing (intent "
             "`inform`, no entity) and never at the name, district, craft, product or description steps; its "
             f"intent used only for a command intent at confidence ≥ {rasa_backend.THRESHOLD}. "
             "`bench/rasa_backend.py --record KEY`. Intent accuracy on `../shared/corpus/utterances.jsonl` "
             "(step unknown): the built-in NLU alone, with the backend, and Rasa's own intent on every message "
             "(what the old backend did).", "",
             "| run | when | code | Rasa | host load / cores | CPU calibration | golden transcripts passed "
             "| Rasa asked / taken | intent: built-in | with backend | Rasa alone | changed (gained / lost) "
             "| /model/parse p50 / p95 |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, r in runs.items():
        a, t = r["accuracy"]["by_script"]["all"], r["transcripts"]
        lines.append(f"| {key} | {r['when']} | {r['branch']} {r['commit']} | {r['rasa']} | {r['load'][0]} / "
                     f"{r['cores']} | {r['cpu_calibration_s']} s | {t['passed']}/{t['total']} | {t['asked']} / {t.get('taken', '?')} "
                     f"| {a['builtin']} % | {a['backend']} % | {a['rasa_alone']} % | {len(r['accuracy']['changed'])} "
                     f"({r['accuracy']['gained']} / {r['accuracy']['lost']}) | {r['latency']['p50_ms']} / "
                     f"{r['latency']['p95_ms']} ms |")
    lines.append("")
    for key, r in runs.items():
        lines += [f"Per script, run {key} (messages: built-in / with backend / Rasa alone):", "",
                  "| script | messages | built-in | with backend | Rasa alone |", "|---|---|---|---|---|"]
        for script, row in sorted(r["accuracy"]["by_script"].items()):
            lines.append(f"| {script} | {row['n']} | {row['builtin']} % | {row['backend']} % | {row['rasa_alone']} % |")
        failed = r["transcripts"]["failed"]
        lines += ["", f"- Transcripts failed with the backend: {', '.join(failed) or 'none'}. {r.get('notes', '')}", ""]
    return "\n".join(lines) + "\n"


def record(key: str, entry: dict) -> None:
    """Keep the run in bench/results.json under "rasa_backend" and rewrite bench/RESULTS.md."""
    load.record_section("rasa_backend", key, entry, SECTION, section)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=os.environ.get("HUNAR_RASA_URL") or rasa_backend.DEFAULT_URL)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--record", metavar="KEY")
    ap.add_argument("--notes", default="")
    ap.add_argument("--save-responses", type=Path, metavar="PATH", help="write Rasa's answers for the fake")
    args = ap.parse_args(argv)
    backend = Recording(args.url, timeout=5.0, cooldown=0.0)  # a slow first answer must not count as a failure
    version = rasa_version(backend.url)
    if version == "?":
        print(f"no Rasa server at {backend.url} (docs/rasa.md)", file=sys.stderr)
        return 2
    load_before, calibration = os.getloadavg(), cpu_calibration()
    got = transcripts(backend)
    print(f"golden transcripts with the Rasa backend: {got['passed']}/{got['total']} passed; "
          f"Rasa asked {got['asked']} times, its intent taken {got['taken']} times")
    for name, why in got["failed"].items():
        print(f"  FAILED {name}: {why}")
    acc = accuracy(backend, args.corpus) if args.corpus.exists() else {"by_script": {}, "changed": []}
    for script, row in sorted(acc["by_script"].items()):
        print(f"  intent {script:6} n={row['n']:4}: built-in {row['builtin']} %, with backend {row['backend']} %, "
              f"Rasa alone {row['rasa_alone']} %")
    for c in acc["changed"]:
        print(f"  changed: {c}")
    lat = latency(backend, list(backend.responses)[:50])
    print(f"/model/parse p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms")
    if args.save_responses:
        recorded = {text: trimmed(r) for text, r in sorted(backend.responses.items())}
        args.save_responses.write_text(json.dumps({"rasa": version, "url": "recorded from " + backend.url,
                                                   "responses": recorded}, ensure_ascii=False, indent=0) + "\n",
                                       encoding="utf-8")
        print(f"wrote {len(recorded)} answers to {args.save_responses}")
    if args.record:
        record(args.record, {
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "branch": git("branch", "--show-current"),
            "commit": git("rev-parse", "--short", "HEAD"), "rasa": version, "url": backend.url,
            "threshold": rasa_backend.THRESHOLD, "cores": os.cpu_count(), "python": platform.python_version(),
            "load": [round(x, 2) for x in load_before], "cpu_calibration_s": round(calibration, 3),
            "transcripts": {k: v for k, v in got.items() if k != "asked_texts"}, "accuracy": acc, "latency": lat,
            "notes": args.notes})
        print(f"recorded as {args.record!r} in bench/results.json and bench/RESULTS.md")
    return 0 if not got["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
