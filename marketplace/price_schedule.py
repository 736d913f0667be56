"""The price schedule (marketplace/data/price_schedule.yml): read again whenever its file changes, with settings'
overrides on top, so fees and postage change without a release.

HUNAR_PRICE_SCHEDULE names another file of the same shape. HUNAR_PRICE_OVERRIDES is a JSON object of dotted paths
("ebay.international_fee_pct": 1.65, "rate.inr_per_usd": 90); a path that names a channel needs no "channels."
and one that ends at a figure with a `value` sets the value. HUNAR_INR_PER_USD, when set, is the rate.
"""
from __future__ import annotations

import copy
import json
import logging
import os
import threading
from pathlib import Path

import yaml

DEFAULT = Path(__file__).parent / "data" / "price_schedule.yml"
OVERRIDDEN = "settings (HUNAR_PRICE_OVERRIDES)"
log = logging.getLogger("hunar.prices")

_lock = threading.Lock()
_read: dict[str, tuple[tuple[int, int], dict]] = {}  # path → ((mtime_ns, size), the file's schedule)


class ScheduleError(ValueError):
    """The schedule file or an override cannot be used; the message says which figure."""


def path_of(settings: dict) -> Path:
    return Path(str(settings.get("PRICE_SCHEDULE") or DEFAULT))


def schedule(settings: dict) -> dict:
    """The schedule in force: the file as it is now (read again when its mtime or size changed), then overrides."""
    data = copy.deepcopy(_file(path_of(settings)))
    for dotted, value in _overrides(settings).items():
        _set(data, dotted, value)
    if settings.get("INR_PER_USD"):
        _set(data, "rate.inr_per_usd", float(settings["INR_PER_USD"]), source="settings (HUNAR_INR_PER_USD)")
    return data


def version(settings: dict) -> str:
    """Changes whenever the schedule in force may have changed (for caches of pages that show prices)."""
    stamp = _stamp(path_of(settings))
    return f"{stamp[0]}.{stamp[1]}.{json.dumps(_overrides(settings), sort_keys=True)}.{settings.get('INR_PER_USD')}"


def forget() -> None:
    """Drop every file read, so the next use reads again (`flask listings prices --reload`, tests)."""
    with _lock:
        _read.clear()


def _stamp(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_size


def _file(path: Path) -> dict:
    """The file's schedule, read once per change; a broken new version is logged and the last good one kept."""
    stamp = _stamp(path)
    key = str(path)
    with _lock:
        known = _read.get(key)
        if known and known[0] == stamp:
            return known[1]
        try:
            data = check(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ScheduleError) as exc:
            if known is None:
                raise ScheduleError(f"{path}: {exc}") from exc
            log.error("price schedule %s not reloaded, the last good one stays in force: %s", path, exc)
            data = known[1]
        else:
            if known:
                log.info("price schedule %s reloaded", path)
        _read[key] = (stamp, data)
        return data


def check(data) -> dict:
    """The schedule if every channel has a known model and eBay's figures are there; else ScheduleError."""
    if not isinstance(data, dict) or not isinstance(data.get("channels"), dict):
        raise ScheduleError("a schedule needs a `channels:` map")
    for name, entry in data["channels"].items():
        if entry.get("model") not in ("artisan", "commission", "ebay"):
            raise ScheduleError(f"channel {name}: model must be artisan, commission or ebay")
    ebay = data["channels"].get("ebay")
    if ebay:
        for figure in ("final_value_fee_pct", "per_order_fee", "international_fee_pct", "currency_conversion_pct",
                       "price_ending", "postage"):
            if figure not in ebay:
                raise ScheduleError(f"channel ebay: {figure} is missing")
        if not ebay["postage"].get("classes"):
            raise ScheduleError("channel ebay: the postage table has no classes")
    if figure_value(data.get("rate", {}).get("inr_per_usd")) <= 0:
        raise ScheduleError("rate.inr_per_usd must be a positive number")
    return data


def figure_value(figure) -> float:
    """A figure's number, whether written {value: 1.65, source: …} or bare."""
    value = figure.get("value") if isinstance(figure, dict) else figure
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _overrides(settings: dict) -> dict:
    raw = settings.get("PRICE_OVERRIDES") or {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    if not isinstance(raw, dict):
        raise ScheduleError("HUNAR_PRICE_OVERRIDES must be a JSON object of dotted paths")
    return raw


def _set(data: dict, dotted: str, value, source: str = OVERRIDDEN) -> None:
    """Set one figure by its dotted path, noting where it came from."""
    parts = dotted.split(".")
    if parts[0] in data.get("channels", {}) and parts[0] not in data:
        parts = ["channels"] + parts
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ScheduleError(f"override {dotted}: {part} is not a table")
    last = parts[-1]
    if isinstance(node.get(last), dict) and "value" in node[last]:
        node[last] = {**node[last], "value": value, "source": source, "as_of": None}  # in force from start
    else:
        node[last] = value
