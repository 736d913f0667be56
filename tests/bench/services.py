"""What the bench smoke tests share: the real services they need, and loading a bench script as a module."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL") or os.environ.get("HUNAR_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("HUNAR_REDIS_URL")

needs_services = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL),
    reason="needs real PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (.ci/run does)")


def bench_script(name: str):
    """bench/<name>.py imported as a module of its own (bench/ is scripts, not a package the tests import)."""
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"hunar_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
