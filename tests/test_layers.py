"""The packages import one another only along the arrows in docs/architecture.md ("Packages and what each owns").

Every module of the application is imported, and every import statement in it, at module level or inside a
function, is read with `ast`: an import that points the wrong way fails here, wherever it hides.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPLICATION = ("nlu", "flows", "marketplace", "db", "bot", "helpdesk", "app", "config", "deploy")
OURS = APPLICATION + ("bench", "fakes", "tests")

# What each part may import besides itself. tests/ may import anything and is not checked.
ALLOWED = {
    "nlu": set(),
    "flows": {"nlu"},
    "marketplace": {"db", "nlu"},  # nlu is a leaf: the listing builder translates the artisan's words (nlu/translate)
    "db": set(),
    "config": set(),
    "bot": {"nlu", "flows", "marketplace", "db"},
    "helpdesk": {"bot", "marketplace", "db", "flows"},  # flows only through what flows/__init__.py exports
    "app": {"nlu", "flows", "marketplace", "db", "bot", "helpdesk", "config"},
    "deploy": {"bot", "config"},
    "gunicorn.conf": {"app", "bot"},  # gunicorn's settings file: it starts the app, as app.py does
    "bench": set(OURS) - {"bench", "tests"},
    "fakes": set(APPLICATION) - {"app", "deploy"},  # shared by tests/ and bench/, so it imports neither
}
# The one module below app that may build the app: the RQ worker's entry point (`python -m bot.worker`).
EXCEPTIONS = {("bot/worker.py", "app")}
# Run by Alembic, which provides its `context`; imported alone it fails, so it is only read.
NOT_IMPORTABLE = {"db/migrations/env.py"}


def part(path: Path) -> str:
    """The part of the repository a file belongs to: its top folder, or its name for a file at the top."""
    relative = path.relative_to(ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else relative.name.removesuffix(".py")


def checked_files() -> list[Path]:
    files = []
    for name in ALLOWED:
        top = ROOT / name
        files += sorted(top.rglob("*.py")) if top.is_dir() else [ROOT / f"{name}.py"]
    return files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, the names taken from it) for every import statement in the file, relative ones made absolute."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((module, [alias.name for alias in node.names]))
    return found


def violations() -> set[str]:
    """Every import that breaks the arrows, as "<file> imports <module>" (or "<file> uses flows.<name>")."""
    flows_exports = set(importlib.import_module("flows").__all__)
    found = set()
    for path in checked_files():
        where, source = str(path.relative_to(ROOT)), part(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module, names in imported_modules(path, tree):
            target = module.split(".")[0]
            if target not in OURS or target == source or (where, target) in EXCEPTIONS:
                continue
            if target not in ALLOWED[source]:
                found.add(f"{where} imports {module}")
            elif source == "helpdesk" and target == "flows":
                if module != "flows":
                    found.add(f"{where} imports {module}")
                found |= {f"{where} imports flows.{name}" for name in names if name not in flows_exports}
        if source == "helpdesk":  # `import flows` then `flows.engine.…` reaches past the exports too
            for node in ast.walk(tree):
                if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                        and node.value.id == "flows" and node.attr not in flows_exports):
                    found.add(f"{where} uses flows.{node.attr}")
    return found


def test_every_module_of_the_application_imports():
    failed = []
    for path in checked_files():
        where = str(path.relative_to(ROOT))
        if part(path) not in APPLICATION or where in NOT_IMPORTABLE:
            continue
        try:
            importlib.import_module(module_name(path))
        except Exception as exc:  # every failure at once, not the first
            failed.append(f"{where}: {type(exc).__name__}: {exc}")
    assert not failed, "\n".join(failed)


def test_every_part_of_the_repository_has_rules():
    """A new package (a folder of .py files at the top) must be given its arrows here and in docs/architecture.md."""
    parts = {part(path) for path in ROOT.glob("*.py")}
    parts |= {folder.name for folder in ROOT.iterdir()
              if folder.is_dir() and not folder.name.startswith(".") and any(folder.rglob("*.py"))}
    assert parts - {"tests"} <= set(ALLOWED), sorted(parts - {"tests"} - set(ALLOWED))


def test_imports_point_only_along_the_arrows():
    wrong = violations()
    assert not wrong, "imports against the arrows in docs/architecture.md:\n" + "\n".join(sorted(wrong))
