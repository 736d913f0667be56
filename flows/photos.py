"""Photos at the photo step and after it: keep the good ones, coach on the bad, one reply per album."""
from __future__ import annotations

from flows.summary import brief
from flows.turn import Turn
from flows.types import DiscardPhotos, FlagHelpdesk, Retry

MAX_PHOTOS = 8
GOOD = ("ok", "tip")
BAD_ROUNDS = 3  # the first bad photo and two bad retakes; then the best one is kept and staff told


def parse(answer) -> Retry:
    """Text is never a photo; text at the photo step is handled by `text_at_photos`."""
    return Retry("photos")


def done(state: dict) -> bool:
    return bool(state["slots"].get("photos")) and bool(state.get("photos_done"))


def ask_key(turn: Turn) -> str:
    if turn.state["slots"].get("photos"):
        return "ask_more_photos"
    if turn.sms:
        return "ask_photos_link" if turn.inbound.upload_url else "ask_photos_nolink"
    return "ask_photos"


def buttons(turn: Turn) -> tuple:
    return (("intent:done", "btn_done"),) if turn.state["slots"].get("photos") else ()


def receive(turn: Turn) -> None:
    """Add the good photos of this message (an album is one message) and say so once."""
    kept = turn.state["slots"].setdefault("photos", [])
    good = [p for p in turn.inbound.photos if p.verdict in GOOD]
    bad = [p for p in turn.inbound.photos if p.verdict not in GOOD]
    room = MAX_PHOTOS - len(kept)
    added, extra = good[:room], good[room:]
    kept.extend(p.id for p in added)
    if extra:
        turn.effect(DiscardPhotos(tuple(p.id for p in extra)))
        turn.note("photos_max", max=MAX_PHOTOS)
    if turn.inbound.failed_media:
        turn.note("photos_failed", count=turn.inbound.failed_media)
    if added:
        turn.note("photos_received_one" if len(added) == 1 else "photos_received_many", count=len(added))
        if len(kept) != len(added):
            turn.note("photos_total", total=len(kept))
        for reason in _reasons(p for p in added if p.verdict == "tip"):
            turn.note(f"photo_{reason}")
    if bad:
        _bad(turn, bad, any_good=bool(added))
    if len(kept) >= MAX_PHOTOS:
        turn.state["photos_done"] = True


def _bad(turn: Turn, bad, any_good: bool) -> None:
    """Coach on the bad photos; after two bad retakes keep the best one and flag the helpdesk."""
    pool = turn.state.setdefault("bad_photos", [])
    pool.extend({"id": p.id, "quality": p.quality, "verdict": p.verdict} for p in bad)
    if any_good or turn.state["slots"].get("photos"):
        turn.effect(DiscardPhotos(tuple(p.id for p in bad)))
        turn.state.pop("bad_photos", None)
        turn.note("photos_some_bad", count=len(bad))
        for reason in _reasons(bad):
            turn.note(f"photo_{reason}")
        return
    rounds = turn.state["photo_rounds"] = turn.state.get("photo_rounds", 0) + 1
    if rounds < BAD_ROUNDS:
        for reason in _reasons(bad):
            turn.note(f"photo_{reason}")
        turn.note("photos_send_again")
        return
    usable = sorted((p for p in pool if p["verdict"] == "retake"), key=lambda p: -p["quality"])
    turn.effect(FlagHelpdesk("photo_rejected", f"{len(pool)} photos not usable"))
    turn.state.pop("bad_photos", None)
    turn.state.pop("photo_rounds", None)
    if usable:
        turn.state["slots"]["photos"].append(usable[0]["id"])
        turn.effect(DiscardPhotos(tuple(p["id"] for p in pool if p["id"] != usable[0]["id"])))
        turn.note("photos_kept_best")
    else:
        turn.effect(DiscardPhotos(tuple(p["id"] for p in pool)))
        turn.note("stuck")


def _reasons(photos) -> list[str]:
    """Distinct coaching reasons, in order."""
    reasons: list[str] = []
    for photo in photos:
        if photo.reason and photo.reason not in reasons:
            reasons.append(photo.reason)
    return reasons


def text_at_photos(turn: Turn, filled: list) -> bool:
    """Text while photos are awaited: "bas"/"aage" moves on once a photo is in; returns True if it asked."""
    from flows import filling, listing  # listing imports this module

    has_photos = bool(turn.state["slots"].get("photos"))
    if turn.answer.intent in ("done", "skip", "affirm") or filled:
        if filled:
            turn.note("noted", items=brief(turn.state["slots"], [step.name for step in filled], turn.lang))
        if has_photos:
            turn.state["photos_done"] = True
            filling.clear_focus(turn, "photos")
            return False
        if filled:
            return False
        turn.note("photos_needed")
        return False
    filling.miss(turn, listing.LISTING, listing.LISTING.get("photos"), Retry("photos"))
    return True


def voice_note(turn: Turn, at_description: bool) -> bool:
    """Keep a voice note for the helpdesk; it answers the description question. Returns True if one came."""
    if "audio" not in turn.inbound.media_kinds:
        return False
    notes = turn.state["slots"].setdefault("voice_notes", [])
    notes.extend(turn.inbound.media_ids)
    turn.effect(FlagHelpdesk("voice_note", f"media {list(turn.inbound.media_ids)}"))
    turn.note("voice_saved" if at_description else "voice_elsewhere")
    return True
