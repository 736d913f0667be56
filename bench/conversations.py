"""Whole conversations from a corpus of artisan profiles, played through the simulator (issue 17).

Every profile of a corpus file (default ../shared/corpus/artisans.yaml, described in its README) is played as the
corpus README's section 2 says: a fresh embedded app in this process (SQLite + fakeredis, jobs inline), the Flask
test client posting to /simulator/api/messages and reading the current step from
GET /simulator/api/conversations/<from>. The opening first; then each step asked is answered from the profile's
`answers`, its events fired once each (help, back, corrections checked with `then_expect`, a request for a person
that ends the run), the photos as ONE album of N distinct generated JPEGs (800×800, the profile id and the index
drawn in), the done word after the album if the bot still asks for photos. A run stops after 40 turns, or when the
same step is asked a fourth time with the same answer: stuck at that step.

The saved listing (`listings` of the conversation JSON, marketplace/serialize.py's listing_json) is compared with
the profile's `expect`. Prints, per kind (id prefix) and overall: profiles, correct listings, fields correct,
stuck and where, steps asked again that the opening had answered, turns per listing. Each run notes the host's
load average and a CPU calibration (bench/under_attack.py's).

    .venv/bin/python bench/conversations.py [--corpus PATH] [--only ID_SUBSTRING] [--limit N]
        [--failures FILE] [--record KEY] [--notes TEXT] [--json FILE]

A run over the whole corpus also writes its failures to /tmp/convbench_failures.txt.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import logging
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "artisans.yaml"
if not DEFAULT_CORPUS.exists():
    DEFAULT_CORPUS = Path("/work/shared/corpus/artisans.yaml")
FULL_RUN_FAILURES = Path("/tmp/convbench_failures.txt")
SECTION = "Conversations from the artisan corpus (issue 17)"

MAX_TURNS = 40
MAX_SAME_ANSWER = 3  # a step asked a fourth time with the same answer: stuck
KINDS = ("deva", "roman", "en", "mixed", "open", "ev")
FIELDS = ("product", "material", "colours", "size", "price", "per", "quantity", "photos")
FIELD_STEP = {"product": "product", "material": "material", "colours": "colour", "size": "size",
              "price": "price", "per": "price", "quantity": "quantity", "photos": "photos"}
LISTING_STEPS = ("photos", "product", "material", "colour", "size", "price", "quantity", "description", "confirm")
PRODUCT_FACTS = {"product", "material", "colour", "size", "price", "quantity"}
DONE_WORD = {"deva": "बस", "roman": "bas", "en": "done", "mixed": "done"}
REPLY_CHARS = 200


# --- the app -------------------------------------------------------------------------------------------------


class Bench:
    """A fresh embedded app (SQLite copy migrated once, fakeredis, jobs inline) and its test client."""

    def __init__(self, workdir: str | None = None):
        from app import create_app
        from db import Database

        self.own_dir = workdir is None
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="convbench-"))
        db_file = self.dir / "hunar.db"
        db = Database(f"sqlite:///{db_file}")
        db.upgrade()
        db.dispose()
        self.app = create_app({"INSTANCE_PATH": str(self.dir / "instance"), "SECRET_KEY": "convbench",
                               "TESTING": True, "JOBS_INLINE": True, "DATABASE_URL": f"sqlite:///{db_file}",
                               "REDIS_URL": None, "REDIS_PREFIX": "convbench:"})
        self.client = self.app.test_client()

    def send(self, sender: str, text: str | None = None, media: list | None = None) -> list[str]:
        body = {"from": sender, "channel": "whatsapp"}
        if text is not None:
            body["text"] = text
        if media:
            body["media"] = media
        resp = self.client.post("/simulator/api/messages", json=body)
        data = resp.get_json(silent=True) or {}
        if resp.status_code != 200:
            return [f"[HTTP {resp.status_code}: {data.get('error', '')}]"]
        return [r.get("text") or "" for r in data.get("replies", [])]

    def state(self, sender: str) -> dict | None:
        resp = self.client.get(f"/simulator/api/conversations/{sender}")
        return resp.get_json() if resp.status_code == 200 else None

    def close(self) -> None:
        try:
            self.app.extensions["hunar"].db.dispose()
        except Exception:
            pass
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def photo(profile_id: str, attempt: int, side: int = 800):
    """A product photo (fakes/images.py's woven product) on a plain background; colour, framing and
    placement drawn from the profile id and attempt, the id and number written in."""
    import random
    import zlib

    from PIL import ImageDraw

    from fakes.images import background, camera, durrie

    seed = zlib.crc32(f"{profile_id}#{attempt}".encode())
    rnd = random.Random(seed)
    colour = (rnd.randrange(150, 235), rnd.randrange(140, 225), rnd.randrange(120, 215))
    im = background(side, side, colour=colour, seed=seed)
    pw, ph = int(side * rnd.uniform(0.5, 0.75)), int(side * rnd.uniform(0.5, 0.75))
    im.paste(durrie(pw, ph, seed), (rnd.randrange(0, side - pw), rnd.randrange(0, side - ph)))
    draw = ImageDraw.Draw(im)
    draw.rectangle([8, 8, 420, 40], fill=(255, 255, 255))
    return im, draw, camera


def album(profile_id: str, n: int, side: int = 800) -> list[dict]:
    """N distinct product photos, side × side, the profile id and index drawn in. Distinct also to the bot's
    perceptual hash (marketplace/photos/phash.py): a candidate too close to one already chosen is replaced."""
    from marketplace.photos.phash import dhash, hamming

    items, hashes, attempt = [], [], 0
    while len(items) < n:
        im, draw, camera = photo(profile_id, attempt, side)
        attempt += 1
        draw.text((14, 16), f"{profile_id} #{len(items) + 1}", fill=(0, 0, 0))
        im = camera(im)
        h = dhash(im)
        if any(hamming(h, other) <= 16 for other in hashes) and attempt < 20 * n:
            continue
        hashes.append(h)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
        items.append({"content_type": "image/jpeg", "data_base64": base64.b64encode(buf.getvalue()).decode()})
    return items


# --- comparing -----------------------------------------------------------------------------------------------


def _en(value):
    if isinstance(value, dict):
        return value.get("en")
    return value


def _lower_set(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple)):
        return {str(v).strip().lower() for v in value if v is not None}
    return {str(value).strip().lower()}


def _num_eq(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 0.01
    except (TypeError, ValueError):
        return False


# Hunar's unit names (nlu's) against the corpus's.
UNITS = {"centimetre": "cm", "kilogram": "kg", "meter": "metre", "feet": "foot", "inches": "inch"}


def size_eq(got, want) -> bool:
    """The measure (length × width, unit) against the corpus's; a shoe size ("6 से 10 नंबर") is no measure."""
    if isinstance(got, dict) and got.get("kind") == "shoe":
        got = None
    if not want:
        return not got
    if not isinstance(got, dict):
        return False
    if UNITS.get(got.get("unit"), got.get("unit")) != want.get("unit"):
        return False
    if not _num_eq(got.get("length"), want.get("length")):
        return False
    if want.get("width") is None:
        return got.get("width") is None
    return _num_eq(got.get("width"), want.get("width"))


def saved_values(listing: dict) -> dict:
    """A listing_json as the eight compared values."""
    price = listing.get("price") or {}
    return {"product": _en(listing.get("product")), "material": _en(listing.get("material")),
            "colours": sorted(c.get("en") for c in listing.get("colours") or [] if isinstance(c, dict)),
            "size": listing.get("size"), "price": price.get("amount"), "per": UNITS.get(price.get("per"), price.get("per")),
            "quantity": listing.get("quantity"), "photos": len(listing.get("photos") or [])}


def draft_values(draft: dict, photos: int | None = None) -> dict:
    """The conversation's draft slots as the same eight values."""
    price = draft.get("price")
    colours = draft.get("colour") or draft.get("colours") or []
    if isinstance(colours, dict):
        colours = [colours]
    return {"product": _en(draft.get("product")), "material": _en(draft.get("material")),
            "colours": sorted(_en(c) for c in colours if _en(c)),
            "size": draft.get("size") if isinstance(draft.get("size"), dict) else None,
            "price": price.get("amount") if isinstance(price, dict) else price,
            "per": price.get("per") if isinstance(price, dict) else draft.get("per"),
            "quantity": draft.get("quantity"),
            "photos": photos if photos is not None else len(draft.get("photos") or [])}


def expected_values(expect: dict) -> dict:
    return {"product": expect.get("product_en"), "material": expect.get("material_en"),
            "colours": expect.get("colours_en"), "size": expect.get("size"), "price": expect.get("price"),
            "per": expect.get("per"), "quantity": expect.get("quantity"), "photos": expect.get("photos")}


def field_ok(field: str, got, want) -> bool:
    if field in ("product", "material"):
        if want is None:
            return got in (None, "")
        return got is not None and str(got).strip().lower() in _lower_set(want)
    if field == "colours":
        return _lower_set(got) == _lower_set(want)
    if field == "size":
        return size_eq(got, want)
    if field in ("price", "quantity", "photos"):
        return got is not None and want is not None and _num_eq(got, want)
    return got == want


def compare(got: dict, expect: dict, fields=FIELDS) -> dict:
    want = expected_values(expect)
    return {f: field_ok(f, got.get(f), want[f]) for f in fields}


_EXPECT_KEYS = {"product_en": "product", "material_en": "material", "colours_en": "colours", "size": "size",
                "price": "price", "per": "per", "quantity": "quantity", "photos": "photos"}


def check_then_expect(then_expect: dict, state: dict | None) -> dict:
    """{key: [ok, got]} for an event's then_expect against the conversation just after it."""
    out = {}
    conv = (state or {}).get("conversation") or {}
    got = draft_values((state or {}).get("draft") or {})
    for key, want in then_expect.items():
        if key == "mode":
            # Hunar hands over by flagging the conversation for staff ("asked_human"); the bot goes on answering
            # until a person takes it over (mode "human"): either is the hand-over the corpus asks for.
            handed = conv.get("mode") == "human" or conv.get("flagged") == "asked_human"
            out[key] = [handed if want == "human" else conv.get("mode") == want,
                        conv.get("mode") + (f" (flagged {conv['flagged']})" if conv.get("flagged") else "")]
            continue
        field = _EXPECT_KEYS.get(key, key)
        value = got.get(field)
        out[key] = [field_ok(field, value, want), value]
    return out


# --- one conversation ----------------------------------------------------------------------------------------


def kind_of(profile: dict) -> str:
    return profile["id"].split("_", 1)[0]


def event_type(event: dict) -> str:
    te = event.get("then_expect") or {}
    if te.get("mode") == "human":
        return "human"
    if event["at_step"] == "confirm" or te and set(te) <= {"price", "quantity", "size", "colours_en"} \
            and event["at_step"] in ("quantity", "confirm"):
        return "correction"
    if te:
        return "early answer"
    say = event["say"].lower()
    if any(w in say for w in ("पीछे", "वापस", "wapis", "back", "peeche")):
        return "back"
    return "help"


def run_profile(bench: Bench, profile: dict) -> dict:
    sender, answers = profile["from"], profile["answers"]
    script = profile.get("script", "deva")
    events = list(profile.get("events") or [])
    fired: set[int] = set()
    transcript: list[dict] = []
    asked: Counter = Counter()        # step -> times the bot asked it (read as the current step)
    same_answer: Counter = Counter()  # (step, answer) -> times sent
    event_results: list[dict] = []
    result = {"id": profile["id"], "kind": kind_of(profile), "script": script, "turns": 0, "stuck": None,
              "human": False, "listing": None, "opening_fills": list(profile.get("opening_fills") or []),
              "error": None}
    album_sent = False
    human_at = None
    start = time.perf_counter()

    def say(text=None, media=None, step=None):
        replies = bench.send(sender, text, media)
        result["turns"] += 1
        shown = text if text is not None else f"[album of {len(media)} photos]"
        transcript.append({"step": step, "sent": shown, "replies": replies})

    if profile.get("opening"):
        say(profile["opening"], step="(opening)")
    state = None
    while True:
        state = bench.state(sender)
        conv = (state or {}).get("conversation") or {}
        if state and state.get("listings"):
            result["listing"] = state["listings"][-1]
            break
        if conv.get("mode") == "human":
            result["stuck"] = result["stuck"] or f"handed over at {conv.get('step')}"
            break
        if result["turns"] >= MAX_TURNS:
            result["stuck"] = f"{conv.get('step') or 'start'} (40 turns)"
            break
        step = conv.get("step") if state else "consent"  # nobody has written yet: the bot's first question
        if step not in answers:  # the menu, a step no profile answers, or none at all
            result["stuck"] = f"{step} (flow {conv.get('flow')}, no listing)"
            break
        first = state is None  # sent before the bot asked anything: not an answer to a question
        if not first:
            asked[step] += 1
        pending = next((i for i, e in enumerate(events) if i not in fired and e["at_step"] == step), None)
        if pending is not None:
            event = events[pending]
            fired.add(pending)
            say(event["say"], step=step)
            er = {"at_step": step, "say": event["say"], "type": event_type(event), "ok": None, "checks": {}}
            after = bench.state(sender)
            after_conv = (after or {}).get("conversation") or {}
            if event.get("then_expect"):
                er["checks"] = check_then_expect(event["then_expect"], after)
                er["ok"] = all(v[0] for v in er["checks"].values())
            elif er["type"] == "help":
                er["ok"] = after_conv.get("step") == step
                er["checks"] = {"step": [er["ok"], after_conv.get("step")]}
            elif er["type"] == "back":
                order = list(LISTING_STEPS)
                prev = order[order.index(step) - 1] if step in order and order.index(step) > 0 else None
                er["ok"] = after_conv.get("step") == prev
                er["checks"] = {"step": [er["ok"], after_conv.get("step")]}
            event_results.append(er)
            if (event.get("then_expect") or {}).get("mode") == "human":
                result["human"] = True
                human_at = step
                break
            continue
        if step == "photos":
            if not album_sent:
                answer, media = None, album(profile["id"], int(answers.get("photos") or 1))
                album_sent = True
            else:
                answer, media = DONE_WORD.get(script, "done"), None
        else:
            answer, media = str(answers[step]), None
        key = (step, answer if media is None else "[album]")
        if same_answer[key] >= MAX_SAME_ANSWER:
            result["stuck"] = step
            break
        same_answer[key] += 0 if first else 1
        say(answer, media, step=step)

    result["seconds"] = time.perf_counter() - start
    result["asked"] = dict(asked)
    result["reasked_opening"] = [s for s in result["opening_fills"] if asked.get(s)]
    # steps asked more than once, beyond what an event explains (help and corrections repeat their own step,
    # back repeats the step before it and itself)
    explained = set()
    for e in event_results:
        explained.add(e["at_step"])
        if e["type"] == "back" and e["at_step"] in LISTING_STEPS and LISTING_STEPS.index(e["at_step"]) > 0:
            explained.add(LISTING_STEPS[LISTING_STEPS.index(e["at_step"]) - 1])
    if asked.get("photos", 0) > 1:
        asked["photos"] -= 1  # "more photos? else say done" after the album is the flow, not a re-ask
    result["reasked"] = {s: n - 1 for s, n in asked.items() if n > 1 and s not in explained}
    for i, e in enumerate(events):
        if i not in fired:  # the bot never asked its step
            event_results.append({"at_step": e["at_step"], "say": e["say"], "type": event_type(e), "ok": None,
                                  "checks": {}, "fired": False})
    result["events"] = event_results
    result["transcript"] = transcript
    expect = profile["expect"]
    if result["listing"] is not None:
        got = saved_values(result["listing"])
        fields = FIELDS
    elif result["human"]:
        # only the fields whose steps come before the hand-over, against the draft
        order = list(LISTING_STEPS)
        before = order.index(human_at) if human_at in order else 0
        fields = tuple(f for f in FIELDS if order.index(FIELD_STEP[f]) < before)
        draft = (state or {}).get("draft") or {}
        got = draft_values(draft, photos=len(draft.get("photos") or []))
    else:
        got, fields = draft_values((state or {}).get("draft") or {}), ()
    result["compared"] = list(fields)
    result["got"] = got
    result["fields"] = compare(got, expect, fields) if fields else {}
    if result["listing"] is not None:
        result["correct"] = all(result["fields"].values())
    elif result["human"]:
        result["correct"] = all(result["fields"].values()) and all(e["ok"] for e in event_results if e["ok"] is not None)
    else:
        result["correct"] = False
    return result


# --- figures -------------------------------------------------------------------------------------------------


def _median(values):
    return statistics.median(values) if values else None


def summarise(results: list[dict]) -> dict:
    def block(rs):
        listings = [r for r in rs if r["listing"] is not None]
        fields = {f: sum(1 for r in listings if r["fields"].get(f)) for f in FIELDS}
        stuck = Counter(r["stuck"] for r in rs if r["stuck"] and not r["human"])
        reasked = Counter(s for r in rs for s in r["reasked_opening"])
        opens_product = [r for r in listings if PRODUCT_FACTS & set(r["opening_fills"])]
        return {"profiles": len(rs), "correct": sum(1 for r in rs if r["correct"]),
                "listings": len(listings), "human": sum(1 for r in rs if r["human"]),
                "fields": fields, "stuck": sum(stuck.values()), "stuck_at": dict(stuck.most_common()),
                "reasked_opening": sum(reasked.values()), "reasked_at": dict(reasked.most_common()),
                "with_opening_fills": sum(1 for r in rs if r["opening_fills"]),
                "median_turns": _median([r["turns"] for r in listings]),
                "median_turns_product_opening": _median([r["turns"] for r in opens_product]),
                "product_opening_listings": len(opens_product)}

    out = {"overall": block(results)}
    for kind in KINDS:
        rs = [r for r in results if r["kind"] == kind]
        if rs:
            out[kind] = block(rs)
    scripts = {}
    for script in ("deva", "roman", "en", "mixed"):
        rs = [r for r in results if r["script"] == script]
        if rs:
            scripts[script] = {"profiles": len(rs), "correct": sum(1 for r in rs if r["correct"])}
    out["_scripts"] = scripts
    ev = Counter()
    ev_ok = Counter()
    for r in results:
        for e in r["events"]:
            if e.get("fired") is False:
                continue
            ev[e["type"]] += 1
            ev_ok[e["type"]] += bool(e["ok"])
    out["_events"] = {t: {"events": ev[t], "ok": ev_ok[t]} for t in ev}
    out["_events_not_reached"] = sum(1 for r in results for e in r["events"] if e.get("fired") is False)
    reasked = Counter()
    for r in results:
        reasked.update(r.get("reasked") or {})
    out["_reasked"] = dict(reasked.most_common())
    return out


def _pct(n, d):
    return f"{n}/{d}" if d else "—"


def table(summary: dict) -> str:
    head = ["kind", "profiles", "correct", "listings", *FIELDS, "stuck", "re-asked after opening",
            "median turns/listing", "median turns (opening with product facts)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in (*KINDS, "overall"):
        b = summary.get(kind)
        if not b:
            continue
        stuck = str(b["stuck"]) + (" (" + ", ".join(f"{k} {v}" for k, v in b["stuck_at"].items()) + ")"
                                   if b["stuck_at"] else "")
        reasked = (f"{b['reasked_opening']}" + (" (" + ", ".join(f"{k} {v}" for k, v in b["reasked_at"].items())
                                                + ")" if b["reasked_at"] else "")) if b["with_opening_fills"] else "—"
        mt = b["median_turns"]
        mto = b["median_turns_product_opening"]
        name = f"**{kind}**" if kind == "overall" else kind
        lines.append("| " + " | ".join([
            name, str(b["profiles"]), _pct(b["correct"], b["profiles"]),
            _pct(b["listings"], b["profiles"]) + (f" (+{b['human']} human)" if b["human"] else ""),
            *[_pct(b["fields"][f], b["listings"]) for f in FIELDS], stuck, reasked,
            "—" if mt is None else f"{mt:g}",
            "—" if mto is None else f"{mto:g} (n={b['product_opening_listings']})"]) + " |")
    return "\n".join(lines)


def extra_lines(summary: dict) -> list[str]:
    out = []
    s = summary.get("_scripts", {})
    if s:
        out.append("By script, correct listings: " + ", ".join(f"{k} {_pct(v['correct'], v['profiles'])}"
                                                              for k, v in s.items()) + ".")
    r = summary.get("_reasked", {})
    if r:
        out.append("Steps asked again (times, over all profiles; not counting those an event explains): "
                   + ", ".join(f"{k} {v}" for k, v in r.items()) + ".")
    e = summary.get("_events", {})
    if e:
        out.append("Events that did what they should: " + ", ".join(f"{k} {_pct(v['ok'], v['events'])}"
                                                                   for k, v in sorted(e.items()))
                   + f"; {summary.get('_events_not_reached', 0)} events never fired (their step was never asked).")
    return out


# --- failures ------------------------------------------------------------------------------------------------


def _short(text: str, n: int = REPLY_CHARS) -> str:
    text = " ⏎ ".join(line for line in (text or "").splitlines() if line.strip())
    return text if len(text) <= n else text[: n - 1] + "…"


def diagnosis(result: dict, profile: dict) -> str:
    want = expected_values(profile["expect"])
    lines = [f"=== {result['id']}  ({result['script']}, {result['turns']} turns"
             + (", handed over as asked" if result["human"] else "") + ")"]
    if result["error"]:
        lines.append(f"ERROR: {result['error']}")
    if result["stuck"] and not result["human"]:
        lines.append(f"STUCK at: {result['stuck']}")
    if result["listing"] is None and not result["human"]:
        draft = {k: v for k, v in (result.get("got") or {}).items() if v not in (None, [], 0)}
        lines.append("NO LISTING saved; the draft held " + (json.dumps(draft, ensure_ascii=False) if draft else "nothing"))
    wrong = [f for f, ok in result["fields"].items() if not ok]
    for f in wrong:
        lines.append(f"WRONG {f}: expected {json.dumps(want[f], ensure_ascii=False)}, "
                     f"saved {json.dumps(result['got'].get(f), ensure_ascii=False)}")
    if result["reasked_opening"]:
        lines.append(f"RE-ASKED after the opening: {', '.join(result['reasked_opening'])}")
    for e in result["events"]:
        if e.get("fired") is False:
            lines.append(f"EVENT {e['type']} at {e['at_step']} never fired: the bot did not ask {e['at_step']}")
        elif e["ok"] is False:
            lines.append(f"EVENT {e['type']} at {e['at_step']} ({e['say']!r}) failed: "
                         + json.dumps(e["checks"], ensure_ascii=False))
    for t in result["transcript"]:
        lines.append(f"  [{t['step']}] > {_short(t['sent'], 120)}")
        for reply in t["replies"] or ["(no reply)"]:
            lines.append(f"      < {_short(reply)}")
    return "\n".join(lines)


def write_failures(path: Path, results: list[dict], profiles: dict) -> int:
    bad = [r for r in results if not r["correct"]]
    body = [f"# bench/conversations.py failures, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: "
            f"{len(bad)} of {len(results)} profiles not fully correct", ""]
    body += [diagnosis(r, profiles[r["id"]]) + "\n" for r in bad]
    Path(path).write_text("\n".join(body), encoding="utf-8")
    return len(bad)


# --- running -------------------------------------------------------------------------------------------------


def load_corpus(path) -> list[dict]:
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def select(profiles: list[dict], only: str | None = None, limit: int | None = None) -> list[dict]:
    chosen = [p for p in profiles if not only or only in p["id"]]
    return chosen[:limit] if limit else chosen


def run(profiles: list[dict], quiet: bool = True, progress=None) -> list[dict]:
    """Every profile through one fresh app (each has its own number, so each is a new artisan)."""
    if quiet:
        logging.disable(logging.WARNING)
    bench = Bench()
    results = []
    try:
        for p in profiles:
            try:
                r = run_profile(bench, p)
            except Exception as exc:  # a crash in the bot or the driver: a failed profile, not a failed bench
                r = {"id": p["id"], "kind": kind_of(p), "script": p.get("script"), "turns": 0, "stuck": "crash",
                     "human": False, "listing": None, "opening_fills": list(p.get("opening_fills") or []),
                     "error": f"{type(exc).__name__}: {exc}", "asked": {}, "reasked_opening": [], "reasked": {},
                     "events": [],
                     "transcript": [], "compared": [], "got": {}, "fields": {}, "correct": False, "seconds": 0}
            results.append(r)
            if progress:
                progress(r)
    finally:
        bench.close()
        if quiet:
            logging.disable(logging.NOTSET)
    return results


def git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"


def section(runs: dict) -> str:
    lines = ["Every profile of `../shared/corpus/artisans.yaml` played through the simulator in one process "
             "(embedded SQLite, fakeredis, jobs inline), as the corpus README's section 2 says: opening first, "
             "events once, the photos as one album, 40 turns at most, a step asked a fourth time with the same "
             "answer is stuck. Fields are counted over the listings saved. `bench/conversations.py --record KEY`. "
             "Targets (issue 17): ≥ 97 % correct, none stuck, no step re-asked that an opening answered, median "
             "turns ≤ 11 for openings with the product's facts.", ""]
    for key, r in runs.items():
        lines += [f"### {key}", "",
                  f"{r['when']}, {r['branch']} {r['commit']}, {r['profiles']} profiles in {r['seconds']:.0f} s; "
                  f"load average {r['load_before'][0]} before, {r['load_after'][0]} after on {r['cores']} cores; "
                  f"CPU calibration {r['cpu_calibration_s']} s. `{r['command']}`. {r.get('notes', '')}", "",
                  r["table"], ""]
        lines += r.get("extra", [])
        lines.append("")
    return "\n".join(lines) + "\n"


def record(key: str, entry: dict) -> None:
    from bench import load

    load.record_section("conversations", key, entry, SECTION, section)


def command_args(argv) -> list[str]:
    """The arguments that change what runs (not --notes, --json, --failures, -v), for RESULTS.md."""
    args, out, skip = list(sys.argv[1:] if argv is None else argv), [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("--notes", "--json", "--failures"):
            skip = True
            continue
        if a.startswith(("--notes=", "--json=", "--failures=")) or a in ("-v", "--verbose"):
            continue
        out.append(a)
    return out


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="a YAML list of profiles")
    ap.add_argument("--only", metavar="ID_SUBSTRING", help="only the profiles whose id contains this")
    ap.add_argument("--limit", type=int, help="at most this many profiles")
    ap.add_argument("--failures", metavar="FILE", help="write a diagnosis of every profile not fully correct")
    ap.add_argument("--record", metavar="KEY", help="keep the run in bench/results.json and RESULTS.md as KEY")
    ap.add_argument("--notes", default="", help="a sentence for RESULTS.md")
    ap.add_argument("--json", metavar="FILE", help="write every profile's result as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="a line per profile as it finishes")
    return ap


def main(argv=None) -> int:
    from bench.under_attack import cpu_calibration

    args = parser().parse_args(argv)
    corpus = load_corpus(args.corpus)
    profiles = select(corpus, args.only, args.limit)
    full = not args.only and not args.limit and Path(args.corpus).resolve() == DEFAULT_CORPUS.resolve()
    by_id = {p["id"]: p for p in profiles}
    calibration_before, load_before = cpu_calibration(), os.getloadavg()

    def progress(r):
        if args.verbose:
            mark = "OK " if r["correct"] else ("HUM" if r["human"] else "BAD")
            wrong = [f for f, ok in r["fields"].items() if not ok]
            print(f"{mark} {r['id']:<45} turns {r['turns']:>2}"
                  + (f" stuck {r['stuck']}" if r["stuck"] and not r["human"] else "")
                  + (f" wrong {','.join(wrong)}" if wrong else "") + (f" {r['error']}" if r["error"] else ""),
                  flush=True)

    t0 = time.perf_counter()
    results = run(profiles, progress=progress)
    seconds = time.perf_counter() - t0
    calibration_after, load_after = cpu_calibration(), os.getloadavg()
    summary = summarise(results)
    text = table(summary)
    print(text)
    for line in extra_lines(summary):
        print(line)
    print(f"{len(results)} profiles in {seconds:.1f} s; host: {os.cpu_count()} cores, load "
          f"{[round(v, 2) for v in load_before]} → {[round(v, 2) for v in load_after]}, CPU calibration "
          f"{calibration_before:.3f} s before, {calibration_after:.3f} s after")
    targets = [Path(args.failures)] if args.failures else []
    if full and FULL_RUN_FAILURES not in targets:
        targets.append(FULL_RUN_FAILURES)
    for path in targets:
        n = write_failures(path, results, by_id)
        print(f"{n} failures written to {path}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n")
    if args.record:
        entry = {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "branch": git("branch", "--show-current"),
                 "commit": git("rev-parse", "--short", "HEAD"), "corpus": args.corpus, "profiles": len(results),
                 "seconds": round(seconds, 1), "cores": os.cpu_count(),
                 "load_before": [round(v, 2) for v in load_before], "load_after": [round(v, 2) for v in load_after],
                 "cpu_calibration_s": [round(calibration_before, 3), round(calibration_after, 3)],
                 "command": shlex.join(["bench/conversations.py", *command_args(argv)]),
                 "summary": summary, "table": text, "extra": extra_lines(summary), "notes": args.notes}
        record(args.record, entry)
        print(f"recorded as {args.record!r} in bench/results.json and bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
