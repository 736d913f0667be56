"""Product kinds (product_kinds.yml): the kind of the product (or, before it is known, of the craft) picks the
wording of its questions (`key`), how its size is read (`measured`) and the unit it is sold by (`sold_by`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from flows import prompts
from flows.state import State

KINDS = Path(__file__).parent / "product_kinds.yml"


@lru_cache(maxsize=None)
def table() -> dict[str, Any]:
    return yaml.safe_load(KINDS.read_text(encoding="utf-8"))


def kind_of(state: State) -> str:
    """The kind of the draft's product; before there is one, of the artisan's craft."""
    product = state.slots.get("product") or state.early_slots.get("product")
    if product:
        return _first_kind(_name(product), _ends_with, "products")
    craft = (state.profile or {}).get("craft") or state.slots.get("craft")
    return _first_kind(_name(craft), _contains, "crafts") if craft else table()["default"]


def _name(thing: Any) -> str:
    """A named thing's English name (else the name as said), lower case and spaced for word matching."""
    name = getattr(thing, "en", None) or str(thing)
    return f" {' '.join(name.lower().split())} "


def _ends_with(name: str, word: str) -> bool:
    return name.endswith(f" {word} ")


def _contains(name: str, word: str) -> bool:
    return f" {word} " in name


def _first_kind(name: str, matches, listed: str) -> str:
    found = (kind for kind, entry in table()["kinds"].items() if any(matches(name, w) for w in entry[listed]))
    return next(found, table()["default"])


def key(turn, base: str) -> str:
    """The prompt for `base` worded for this product's kind (`<base>_<kind>`), when there is one."""
    worded = f"{base}_{kind_of(turn.state)}"
    return worded if prompts.has(worded, turn.lang) else base


def _entry(state: State) -> dict[str, Any]:
    return table()["kinds"].get(kind_of(state), {})


def measured(state: State) -> str | None:
    """How the size is given when it is not length × width: "shoe" for shoe sizes."""
    return _entry(state).get("measured")


def sold_by(state: State) -> str | None:
    """The unit the kind is sold by ("pair" for jutti), None for pieces."""
    return _entry(state).get("sold_by")
