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


# --- docs/architecture.md and docs/marketplace.md ---------------------------------------------------------------

DOCS = ("docs/architecture.md", "docs/marketplace.md")
PARAMETER = re.compile(r"<[^>]+>")


def test_the_readme_table_names_every_setting():
    import config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [key for key in config.DEFAULTS if f"`HUNAR_{key}`" not in readme] == []


def test_docs_architecture_md_lists_every_http_route(app):
    """A route added or moved must be described in the contracts (helpdesk routes by their part after /helpdesk/)."""
    doc = PARAMETER.sub("<>", (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        path = PARAMETER.sub("<>", rule.rule)
        if path.startswith("/helpdesk/"):
            path = path[len("/helpdesk/"):].removeprefix("c/<>/")
            if not path:
                continue  # the queue: "/helpdesk/" itself
        if f"{path}`" not in doc and f"{path} " not in doc:
            missing.append(rule.rule)
    assert missing == []


@pytest.mark.parametrize("name", DOCS)
def test_the_files_the_docs_name_exist(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w.-]+(?:/[\w.-]+)+\.(?:py|md|yml|json|mako|conf\.in))`", text))
    assert named and [path for path in sorted(named) if not (ROOT / path).exists()] == []


def test_no_document_or_comment_points_outside_the_repository():
    """A newcomer has only the clone: nothing may cite a document beside it (the benchmarks' data corpus aside)."""
    outside = re.compile(r"DESIGN\.md|STYLE\.md|facts/|\.\./shared/(?!corpus/)|/work/shared/(?!corpus/)")
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", ".git") or not path.is_file() or path == Path(__file__):
            continue
        if path.suffix not in (".py", ".md", ".yml", ".yaml", ".html", ".txt", ".ini", ".cfg", ".toml") \
                and path.name not in ("Makefile", "Procfile"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if outside.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert found == []
