"""The documents point at real things: every test SECURITY.md names exists where it says."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
REFERENCES = sorted(set(re.findall(r"`(tests/[\w/.]+\.py)::(test_\w+)`", SECURITY)))
FOLLOW_ONS = re.findall(r"`(tests/[\w/.]+\.py)::test_\w+`((?:, `::test_\w+`)+)", SECURITY)


def _all_references() -> list[tuple[str, str]]:
    """`path::test` pairs, with `::test` shorthands after a full reference meaning the same file."""
    refs = list(REFERENCES)
    for path, rest in FOLLOW_ONS:
        refs += [(path, name) for name in re.findall(r"::(test_\w+)", rest)]
    return sorted(set(refs))


@pytest.mark.parametrize("path, name", _all_references())
def test_security_md_names_a_real_test(path, name):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert re.search(rf"^def {name}\b", source, re.M), f"{path} has no {name}"


def test_security_md_names_files_that_exist():
    for path in set(re.findall(r"`(tests/[\w/.]+\.(?:py|yml))", SECURITY)):
        assert (ROOT / path).exists(), path


def test_every_test_security_md_names_exists_somewhere():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    for name in set(re.findall(r"::(test_\w+)", SECURITY)):
        assert re.search(rf"^def {name}\b", sources, re.M), name


def test_what_the_bot_says_lives_in_the_catalogue_not_in_code():
    """No Devanagari string in Python outside nlu/ (its lexicon) and the tests: texts belong in prompts/*.yml."""
    quoted = re.compile(r"[\"'][^\"'\n]*[\u0900-\u097F]{3,}")
    offenders = [str(p.relative_to(ROOT)) for folder in ("bot", "flows", "helpdesk", "marketplace")
                 for p in (ROOT / folder).rglob("*.py") if quoted.search(p.read_text(encoding="utf-8"))]
    offenders += ["app.py"] if quoted.search((ROOT / "app.py").read_text(encoding="utf-8")) else []
    assert not offenders, offenders
