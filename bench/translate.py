"""Benchmark of the artisan-words translator, nlu.translate (not a test): accuracy on the hand-written statements,
and how much of the real descriptions in the development corpus it puts into English.

Run: .venv/bin/python bench/translate.py [--errors] [--real] [--record KEY]
  --errors  list every statement it got wrong
  --real    print each real description with its English and what was left for staff
  --record  keep the figures in bench/results.json ("translate") and write their section of bench/RESULTS.md
Statements: tests/marketplace/translations.yml (kind, script, hindi, accepted English, or null for "leave it for
staff"). Real descriptions: the `description` answers of ../shared/corpus/artisans.yaml's profiles and the lines of
../shared/corpus/utterances.jsonl labelled as descriptions (its labels have no such field today, so none).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
STATEMENTS = ROOT / "tests" / "marketplace" / "translations.yml"
CORPUS = ROOT.parent / "shared" / "corpus"
SECTION = "Translator (nlu.translate): artisan statements and real descriptions"
STATUSES = ("full", "partial", "none", "empty")


def words(text: str) -> list[str]:
    """A sentence compared without case or punctuation."""
    return re.sub(r"[^\w' ]+", " ", text.lower()).split()


def correct(row: dict, found) -> bool:
    """Right when the English is one of the accepted answers; for `en: null`, right when it was left for staff."""
    if row["en"] is None:
        return bool(found.untranslated)
    return not found.untranslated and any(words(found.english) == words(answer) for answer in row["en"])


def statements() -> list[dict]:
    return yaml.safe_load(STATEMENTS.read_text(encoding="utf-8"))["statements"]


def accuracy(errors: bool = False) -> dict:
    """Right answers per kind and per script, over every statement."""
    from nlu.translate import translate
    right, total, misses = Counter(), Counter(), []
    for row in statements():
        found = translate(row["hindi"])
        ok = correct(row, found)
        for group in (f"kind:{row['kind']}", f"script:{row['script']}", "all"):
            total[group] += 1
            right[group] += ok
        if not ok:
            misses.append(f"[{row['kind']}/{row['script']}] {row['hindi']} -> {found.english!r}"
                          f" left {found.untranslated}; expected {row['en']}")
    if errors:
        print("\n".join(misses))
    return {group: [right[group], total[group]] for group in total}


def real_descriptions() -> list[tuple[str, str]]:
    """(script, text) of every real description: profile answers, and utterances labelled as descriptions."""
    found = [(p.get("script", "?"), str(p["answers"]["description"]))
             for p in yaml.safe_load((CORPUS / "artisans.yaml").read_text(encoding="utf-8"))
             if (p.get("answers") or {}).get("description")]
    for line in (CORPUS / "utterances.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("step") == "description" or row.get("label") == "description":
            found.append((row.get("script", "?"), row["text"]))
    return found


def coverage(show: bool = False) -> dict:
    """How many real descriptions were translated fully, partly, not at all, or needed none; per script too."""
    from nlu.translate import translate
    counts, by_script, clauses = Counter(), defaultdict(Counter), Counter()
    for script, text in real_descriptions():
        found = translate(text)
        counts[found.status] += 1
        by_script[script][found.status] += 1
        clauses["translated"] += sum(p.english is not None for p in found.pieces)
        clauses["all"] += len(found.pieces)
        if show:
            print(f"{found.status:7} {text}\n        -> {found.english}  | left: {found.untranslated}")
    return {"all": dict(counts), "scripts": {s: dict(c) for s, c in sorted(by_script.items())},
            "clauses": dict(clauses), "descriptions": sum(counts.values())}


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.1f} % ({right}/{total})" if total else "—"


def accuracy_lines(acc: dict) -> list[str]:
    kinds = sorted(k for k in acc if k.startswith("kind:"))
    scripts = sorted(k for k in acc if k.startswith("script:"))
    return (["| kind | accuracy |", "|---|---|"] + [f"| {k[5:]} | {_pct(*acc[k])} |" for k in kinds]
            + [f"| **all** | **{_pct(*acc['all'])}** |", "", "| script | accuracy |", "|---|---|"]
            + [f"| {k[7:]} | {_pct(*acc[k])} |" for k in scripts])


def coverage_lines(cov: dict) -> list[str]:
    n = cov["descriptions"]
    head = "| descriptions | " + " | ".join(STATUSES) + " |"
    rows = [f"| all ({n}) | " + " | ".join(_pct(cov["all"].get(s, 0), n) for s in STATUSES) + " |"]
    for script, counts in cov["scripts"].items():
        m = sum(counts.values())
        rows.append(f"| {script} ({m}) | " + " | ".join(_pct(counts.get(s, 0), m) for s in STATUSES) + " |")
    clauses = cov["clauses"]
    return [head, "|---|---|---|---|---|", *rows, "",
            f"Clauses put into English: {_pct(clauses.get('translated', 0), clauses.get('all', 0))}. "
            "full = every clause in English; partial = some left for staff; none = all left for staff; "
            "empty = nothing to translate (\"कुछ नहीं\", \"skip\")."]


def section(runs: dict) -> str:
    lines = ["`nlu.translate` puts what artisans say about their work into English, clause by clause, and leaves a "
             "clause it cannot fully read for staff (never guessed). Accuracy on the hand-written statements of "
             "`tests/marketplace/translations.yml` (right English, or left for staff where the table says so), per "
             "kind and per script; then the share of the real descriptions in `../shared/corpus/` it fully "
             "translates. `.venv/bin/python bench/translate.py --record KEY`.", ""]
    for key, r in runs.items():
        lines += [f"### {key} ({r['when']}, code {r['code']})", ""] + ([r["notes"], ""] if r.get("notes") else [])
        lines += accuracy_lines(r["accuracy"]) + ["", "Real descriptions:", ""] + coverage_lines(r["coverage"])
        lines += [""]
    return "\n".join(lines)


def record(key: str, acc: dict, cov: dict, notes: str = "") -> None:
    from bench import load
    code = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=ROOT).stdout.strip()
    entry = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "code": code,
             "load": os.getloadavg()[0], "accuracy": acc, "coverage": cov, "notes": notes}
    load.record_section("translate", key, entry, SECTION, section)


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--real", action="store_true")
    ap.add_argument("--record", metavar="KEY")
    ap.add_argument("--notes", default="", help="said under the recorded figures")
    args = ap.parse_args(argv)
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    acc = accuracy(args.errors)
    cov = coverage(args.real)
    print("\n".join(accuracy_lines(acc) + ["", "Real descriptions:", ""] + coverage_lines(cov)))
    if args.record:
        record(args.record, acc, cov, args.notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
