"""Photos at the photo step and after it: keep the good ones, coach on the bad, one reply per album."""
from __future__ import annotations

from flows.answer import Answer
from flows.state import State
from flows.turn import Turn
from flows.types import DiscardPhotos, FlagHelpdesk, Photo, Retry

MAX_PHOTOS = 8
GOOD = ("ok", "tip")
BAD_ROUNDS = 3  # the first bad photo and two bad retakes; then the best one is kept and staff told


def counted(key: str, count: int) -> str:
    """The prompt key that agrees with `count`: `<key>_one` for one photo, `<key>_many` for more."""
    return f"{key}_one" if count == 1 else f"{key}_many"


def parse(answer: Answer) -> Retry:
    """Text is never a photo; text at the photo step is handled where the listing flow reads answers."""
    return Retry("photos")


def done(state: State) -> bool:
    return bool(state.slots.get("photos")) and state.photos_done


def ask_key(turn: Turn) -> str:
    if turn.state.slots.get("photos"):
        return "ask_more_photos"
    if turn.state.bad_photos:  # the coaching just said what to change: a short ask, not the first one again
        return "ask_photos_again"
    if turn.sms:
        return "ask_photos_link" if turn.inbound.upload_url else "ask_photos_nolink"
    return "ask_photos"


def buttons(turn: Turn) -> tuple:
    return (("intent:done", "btn_done"),) if turn.state.slots.get("photos") else ()


def receive(turn: Turn) -> None:
    """Add the good photos of this message (an album is one message) and say so once."""
    kept = turn.state.slots.setdefault("photos", [])
    good = [p for p in turn.inbound.photos if p.verdict in GOOD]
    if good:
        _drop_failed(turn, kept)
    added = _keep(turn, kept, good)
    if turn.inbound.failed_media:
        turn.note(counted("photos_failed", turn.inbound.failed_media), count=turn.inbound.failed_media)
    _acknowledge(turn, added, total=len(kept))
    _bad(turn, [p for p in turn.inbound.photos if p.verdict not in GOOD], any_good=bool(added))
    turn.state.photos_done = turn.state.photos_done or len(kept) >= MAX_PHOTOS


def _drop_failed(turn: Turn, kept: list[int]) -> None:
    """Once a good photo comes, the failed ones go: a photo kept only because no good one came (it must never be
    the cover) and the bad ones waiting to be compared."""
    state = turn.state
    stale = [photo_id for photo_id in state.kept_retakes if photo_id in kept] + [p["id"] for p in state.bad_photos]
    state.kept_retakes, state.bad_photos, state.photo_rounds = [], [], 0
    if stale:
        kept[:] = [photo_id for photo_id in kept if photo_id not in stale]
        turn.effect(DiscardPhotos(tuple(stale)))


def _keep(turn: Turn, kept: list[int], good: list[Photo]) -> list[Photo]:
    """The good photos that fit in the draft, added to `kept`; those beyond the most a listing has are dropped."""
    room = MAX_PHOTOS - len(kept)
    added, extra = good[:room], good[room:]
    kept.extend(_ids(added))
    if extra:
        turn.effect(DiscardPhotos(_ids(extra)))
        turn.note("photos_max", max=MAX_PHOTOS)
    return added


def _ids(photos) -> tuple[int, ...]:
    return tuple(photo.id for photo in photos)


def _acknowledge(turn: Turn, added: list[Photo], total: int) -> None:
    """"2 photos received" (and the total, when there were some before), with tips on the usable ones."""
    if not added:
        return
    turn.note("photos_received_one" if len(added) == 1 else "photos_received_many", count=len(added))
    if total != len(added):
        turn.note("photos_total", total=total)
    _coach(turn, [p for p in added if p.verdict == "tip"])


def _coach(turn: Turn, photos) -> None:
    """A tip for each distinct reason, in order."""
    for reason in _reasons(photos):
        turn.note(f"photo_{reason}")


def _bad(turn: Turn, bad: list[Photo], any_good: bool) -> None:
    """Coach on the bad photos; after two bad retakes keep the best one and flag the helpdesk."""
    if not bad:
        return
    turn.state.bad_photos.extend(map(_pooled, bad))
    if any_good or turn.state.slots.get("photos"):
        return _some_bad(turn, bad)
    turn.state.photo_rounds += 1
    _coach(turn, bad)  # one reason and what to do, per problem; the question then only asks for a new photo
    if turn.state.photo_rounds >= BAD_ROUNDS:
        _keep_the_best(turn)


def _pooled(photo: Photo) -> dict:
    """A bad photo as the state keeps it until a better one comes."""
    return {"id": photo.id, "quality": photo.quality, "verdict": photo.verdict}


def _some_bad(turn: Turn, bad: list[Photo]) -> None:
    """Bad photos beside good ones: dropped, with a word on why."""
    turn.effect(DiscardPhotos(_ids(bad)))
    turn.state.bad_photos = []
    turn.note(counted("photos_some_bad", len(bad)), count=len(bad))
    _coach(turn, bad)


def _keep_the_best(turn: Turn) -> None:
    """No good photo after two retakes: the best one that only needed a retake is kept, staff are told."""
    pool = turn.state.bad_photos
    best = _best(pool)
    turn.effect(FlagHelpdesk("photo_rejected", f"{len(pool)} photos not usable"))
    turn.state.bad_photos, turn.state.photo_rounds = [], 0
    turn.effect(DiscardPhotos(tuple(p["id"] for p in pool if p["id"] != best)))
    if best is None:
        return turn.note("stuck")
    turn.state.slots["photos"].append(best)
    turn.state.kept_retakes = [best]  # dropped as soon as a good photo comes (see _drop_failed)
    turn.note("photos_kept_best")


def _best(pool: list[dict]) -> int | None:
    """The id of the best photo that only needed a retake (of the same quality, the first), if any."""
    usable = sorted((p for p in pool if p["verdict"] == "retake"), key=lambda p: -p["quality"])
    return usable[0]["id"] if usable else None


def _reasons(photos) -> list[str]:
    """Distinct coaching reasons, in order."""
    return list(dict.fromkeys(photo.reason for photo in photos if photo.reason))


def voice_note(turn: Turn, at_description: bool) -> bool:
    """Keep a voice note for the helpdesk; it answers the description question. Returns True if one came."""
    if "audio" not in turn.inbound.media_kinds:
        return False
    turn.state.slots.setdefault("voice_notes", []).extend(turn.inbound.media_ids)
    turn.effect(FlagHelpdesk("voice_note", f"media {list(turn.inbound.media_ids)}"))
    turn.note("voice_saved" if at_description else "voice_elsewhere")
    return True
