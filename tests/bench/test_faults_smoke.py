"""The fault bench (bench/faults.py): its audit finds lost, duplicated and reordered replies in a transcript made
by hand, and a short run in production shape (10 artisans, a Redis restart and a worker SIGKILL) is audited whole.

The short run asserts the bench's own workings (the faults happened, systemd's restart came, every acknowledged
step is accounted for), not that the bot survives them: bench/RESULTS.md keeps those figures."""
from __future__ import annotations

from tests.bench.services import DATABASE_URL, REDIS_URL, bench_script, needs_services

A, B = "whatsapp:+919700000001", "whatsapp:+919700000002"


def transcript(creates_a, creates_b, replies):
    audit = bench_script("fault_audit")
    # A sent two texts (inbound 1, 2) and an album (3, 4); B one text (5).
    steps = {A: [["SMa1"], ["SMa2"], ["SMa3", "SMa4"]], B: [["SMb1"]]}
    inbound = {"SMa1": 1, "SMa2": 2, "SMa3": 3, "SMa4": 4, "SMb1": 5}
    rows = [audit.Reply(row, address, reply_to, sid, body) for row, address, reply_to, sid, body in replies]
    return audit, audit.Transcript(steps, inbound, rows, {A: creates_a, B: creates_b}, fault_at=None)


ROWS = [(10, A, 1, "SMr1", "आपका नाम?"), (11, A, 2, "SMr2", "आपका ज़िला?"), (12, A, 4, "SMr3", "फ़ोटो मिल गईं"),
        (13, B, 5, "SMr4", "आपका नाम?")]
CLEAN_A = [(100.0, "SMr1", "आपका नाम?"), (101.0, "SMr2", "आपका ज़िला?"), (104.0, "SMr3", "फ़ोटो मिल गईं")]
CLEAN_B = [(100.5, "SMr4", "आपका नाम?")]


def test_a_clean_transcript_has_nothing_to_report():
    audit, t = transcript(CLEAN_A, CLEAN_B, ROWS)
    found = audit.audit(t)
    assert found.clean and found.counts() == {"lost": 0, "duplicated": 0, "reordered": 0, "stray": 0,
                                              "longest_gap_s": 3.0, "replies": 4, "steps": 4}


def test_the_audit_finds_a_lost_reply_and_a_reply_sent_twice():
    # B's message got no reply at all; A's district question reached Twilio twice: once under a SID the
    # database never recorded (the worker died after Twilio's accept), once under the row's own SID.
    a = [CLEAN_A[0], (100.8, "SMunrecorded", "आपका ज़िला?"), CLEAN_A[1], CLEAN_A[2]]
    audit, t = transcript(a, [], ROWS[:3])
    found = audit.audit(t)
    assert found.lost == [(B, ["SMb1"])]
    assert found.duplicated == [(A, 2, "आपका ज़िला?", 2)]
    assert found.counts()["duplicated"] == 1 and found.reordered == [] and found.stray == 0
    assert not found.clean


def test_an_album_is_answered_once_and_a_lost_album_is_one_loss():
    audit, t = transcript(CLEAN_A[:2], CLEAN_B, ROWS)
    assert audit.audit(t).lost == [(A, ["SMa3", "SMa4"])]


def test_the_audit_finds_replies_out_of_order_and_sends_with_no_row():
    # The district question (row 11) reached Twilio before the name question (row 10) the bot wrote first.
    a = [(100.0, "SMr2", "आपका ज़िला?"), (101.0, "SMr1", "आपका नाम?"), CLEAN_A[2], (105.0, "SMghost", "कुछ और")]
    audit, t = transcript(a, CLEAN_B, ROWS)
    found = audit.audit(t)
    assert found.reordered == [A] and found.stray == 1 and found.lost == []


def test_the_longest_gap_counts_from_the_fault():
    audit = bench_script("fault_audit")
    assert audit.longest_gap([10.0, 11.0, 30.0, 31.0], since=5.0) == (19.0, 11.0)
    assert audit.longest_gap([10.0, 11.0, 30.0, 31.0], since=20.0) == (10.0, 20.0)
    assert audit.longest_gap([], since=None) == (0.0, None)


@needs_services
def test_a_short_run_with_a_redis_restart_and_a_worker_kill_is_audited_whole(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    assert REDIS_URL  # the bench starts a redis-server of its own; needs_services asks for both
    faults = bench_script("faults")
    args = faults.parser().parse_args(["--artisans", "10", "--steps", "7", "--warm-up", "2", "--fault-at", "3",
                                       "--kills", "1", "--reply-timeout", "30", "--settle", "150",
                                       "--quiet", "20"])
    figures = faults.conversation_run(args, "redis+kill")
    assert figures["webhooks"] == 10 * 9  # 6 texts and an album of 3 photos each
    assert figures["acked"] + figures["refused"] == figures["webhooks"]
    assert figures["kills"] == 1 and figures["fault_s"] >= 2.0  # Redis down 2 s, then the kill
    assert figures["restarts"].get("worker", 0) >= 1  # systemd's restart of the killed worker came
    # Every acknowledged step is audited: answered by at least one reply at the fake Twilio, or reported lost.
    assert 0 < figures["steps"] <= 10 * 7
    assert figures["replies"] >= figures["steps"] - figures["lost"]
    assert figures["longest_gap_s"] > 0 and figures["calibration_s"][0] > 0
    assert figures["cpu_ms_per_message"] > 0
