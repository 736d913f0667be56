"""The fault bench's audit: what the artisans were acknowledged against what reached them at the fake Twilio.

Pure: it takes a Transcript (built from the run, the database and the fake Twilio's records by bench/faults.py, or
by hand in tests/bench/test_faults_smoke.py) and returns Findings:

- lost: an acknowledged step (a text, or an album's photos) that no reply at the fake Twilio answers;
- duplicated: the same reply body reaching an artisan twice for one inbound message;
- reordered: a conversation whose replies reached Twilio out of the order of the bot's outbound rows;
- the longest gap between replies (any artisan) from the fault's start to the last reply.

A reply is tied to its inbound message by the bot's outbound row (`extra.in_reply_to`) through the Twilio SID the
row recorded. A create the database has no SID for (a worker killed between Twilio's accept and the row's update,
then sending again) is tied by its body to the nearest row of that conversation with the same body.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """One outbound row of the bot: its id (the order the bot wrote it), artisan, inbound message, SID, body."""

    row: int
    address: str
    in_reply_to: int | None
    sid: str | None
    body: str


@dataclass
class Transcript:
    """What a run sent, what was recorded, and what the fake Twilio accepted."""

    steps: dict[str, list[list[str]]]  # address -> each acknowledged step's MessageSids (an album: several)
    inbound: dict[str, int]  # MessageSid -> the inbound message row's id
    replies: list[Reply]
    creates: dict[str, list[tuple[float, str, str]]]  # address -> [(time, sid, body)] as the fake Twilio accepted
    fault_at: float | None = None  # wall time the fault began (None: the whole run)


@dataclass
class Findings:
    lost: list[tuple[str, list[str]]] = field(default_factory=list)  # (address, the step's MessageSids)
    duplicated: list[tuple[str, int, str, int]] = field(default_factory=list)  # (address, inbound id, body, times)
    reordered: list[str] = field(default_factory=list)  # addresses
    stray: int = 0  # creates tied to no row at all (no SID recorded, no row with that body)
    longest_gap: float = 0.0  # seconds
    gap_from: float | None = None  # wall time the longest gap began
    replies: int = 0  # creates at the fake Twilio for the audited artisans
    steps: int = 0  # acknowledged steps audited

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.reordered or self.stray)

    def counts(self) -> dict:
        return {"lost": len(self.lost), "duplicated": sum(times - 1 for *_, times in self.duplicated),
                "reordered": len(self.reordered), "stray": self.stray, "longest_gap_s": round(self.longest_gap, 2),
                "replies": self.replies, "steps": self.steps}


def audit(t: Transcript) -> Findings:
    """Lost, duplicated and reordered replies, and the longest gap between replies, for the artisans in t.steps."""
    found = Findings()
    rows_of = defaultdict(list)
    for reply in sorted(t.replies, key=lambda r: r.row):
        rows_of[reply.address].append(reply)
    for address, steps in t.steps.items():
        creates = sorted(t.creates.get(address, []))
        found.replies += len(creates)
        found.steps += len(steps)
        tied = _tie(creates, rows_of[address])
        found.stray += sum(1 for reply in tied if reply is None)
        answered = Counter((r.in_reply_to, r.body) for r in tied if r is not None)
        for (inbound, body), times in sorted(answered.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
            if times > 1:
                found.duplicated.append((address, inbound, body, times))
        replied_to = {inbound for inbound, _ in answered if inbound is not None}
        for step in steps:
            if not any(t.inbound.get(sid) in replied_to for sid in step):
                found.lost.append((address, step))
        order = [r.row for r, (_, sid, _) in zip(tied, creates) if r is not None and r.sid == sid]
        if order != sorted(order):
            found.reordered.append(address)
    found.longest_gap, found.gap_from = longest_gap(
        [when for address in t.steps for when, _, _ in t.creates.get(address, [])], t.fault_at)
    return found


def _tie(creates: list[tuple[float, str, str]], rows: list[Reply]) -> list[Reply | None]:
    """The row each create sent: by its recorded SID, else by body, the row whose own create is nearest in time."""
    by_sid = {r.sid: r for r in rows if r.sid}
    when_sent = {sid: when for when, sid, _ in creates}
    tied: list[Reply | None] = []
    for when, sid, body in creates:
        row = by_sid.get(sid)
        if row is None:
            same = [r for r in rows if r.body == body]
            row = min(same, key=lambda r: abs(when_sent.get(r.sid, when) - when), default=None)
        tied.append(row)
    return tied


def longest_gap(times: list[float], since: float | None = None) -> tuple[float, float | None]:
    """The longest interval between consecutive replies (from `since`, if given, as the first moment)."""
    moments = sorted(t for t in times if since is None or t >= since)
    if since is not None:
        moments.insert(0, since)
    gaps = [(b - a, a) for a, b in zip(moments, moments[1:])]
    return max(gaps, default=(0.0, None))
