"""The fault bench's figures for one run, and their section of bench/RESULTS.md."""
from __future__ import annotations

from bench.load import percentile

SECTION = "Faults: Redis, PostgreSQL, workers and Twilio failing (issue 20)"
INTRO = ("`bench/faults.py`: the production shape (gunicorn.conf.py with 2 workers, two `python -m bot.worker` "
         "restarted 2 s after an exit as systemd does, `rq cron deploy/cron.py`, PostgreSQL through a cuttable TCP "
         "proxy, a private redis-server, the fake Twilio), production logging (INFO, access log). 200 artisans each "
         "send a listing conversation (Hindi answers and a 3-photo album), waiting for each reply. **lost**: an "
         "acknowledged message (or album) no reply at the fake Twilio answers; **dup**: the same reply body sent "
         "twice for one inbound message; **reord**: conversations whose replies reached Twilio out of the order of "
         "the bot's rows; **stray**: sends the database has no row for at all; **refused**: webhooks answered other "
         "than 200 (Twilio does not retry a 5xx by default, so those are lost too). **gap**: the longest time "
         "without any reply from the fault's start (the whole run for the baseline). Throughput: acknowledged "
         "messages over the time from the first webhook to the last reply. CPU: every process of the deployment "
         "(PostgreSQL's count includes other users of the shared server), per acknowledged message.")


def summary(scenario: str, run, findings, fake, cpu: dict, fault, systemd, settled: float) -> dict:
    """The figures of one run (findings None: the open-loop run, which is not audited per reply)."""
    acked = sum(1 for status in run.answers.values() if status == "200")
    sent = sum(len(items) for items in run.sent.values())
    cpu = {k: round(v, 1) for k, v in cpu.items()}
    figures = {
        "scenario": scenario, "webhooks": sent, "acked": acked, "refused": sent - acked,
        "ack_p50": percentile(run.acks, .5), "ack_p99": percentile(run.acks, .99),
        "cpu_seconds": cpu, "cpu_ms_per_message": round(sum(cpu.values()) * 1000 / max(1, acked), 1),
        "twilio_refused": len(fake.refused), "reply_timeouts": run.reply_timeouts,
    }
    if findings is None:
        figures["throughput"] = acked / max(1e-9, run.finished - run.started)
        return figures
    last_reply = max((when for address in run.sent for when, _, _ in fake.by_to.get(address, [])),
                     default=run.started)
    # When each artisan's last reply came: a run's end is its slowest artisans', so this shows how much of a
    # lower throughput is a long tail (retries piling up on a few) rather than work done more slowly throughout.
    finished = sorted(max((when for when, _, _ in fake.by_to.get(address, [])), default=run.started) - run.started
                      for address in run.sent)
    if finished:
        figures["finished_s"] = [round(percentile(finished, q), 1) for q in (.5, .9)] + [round(finished[-1], 1)]
    figures.update(findings.counts())
    figures.update(throughput=acked / max(1e-9, last_reply - run.started),
                   examples=[f"lost {a}: {sids}" for a, sids in findings.lost[:3]]
                   + [f"dup {a} in reply to {i}: {body[:40]!r} ×{n}" for a, i, body, n in findings.duplicated[:3]],
                   settle_s=round(settled - last_reply, 1))
    if fault is not None and fault.began:
        figures.update(fault_at_s=round(fault.began - run.started, 1),
                       fault_s=round((fault.ended or fault.began) - fault.began, 1), kills=len(fault.killed))
        if findings.gap_from is not None:
            figures["gap_at_s"] = round(findings.gap_from - run.started, 1)
    if systemd is not None:
        figures.update(restarts=dict(systemd.restarts),
                       exits=[f"+{when - run.started:.0f}s {name} ({code})" for when, name, code in systemd.exits])
    return figures


def _ms(v) -> str:
    return "—" if v is None else f"{v * 1000:.0f}" if v >= 0.1 else f"{v * 1000:.1f}"


def render(runs: dict, detail: bool = False) -> str:
    """A table of the runs (keyed "<label> <scenario>"), then a line per run of what the table has no room for."""
    lines = [INTRO, ""] if not detail else []
    lines += ["| run | when, code | load avg before → after / cores | CPU calibration | webhooks acked / refused "
              "| lost / dup / reord / stray | longest gap | msgs/s end to end | ack p50 / p99 ms | CPU ms/msg |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for key, r in runs.items():
        audited = "lost" in r
        counts = f"{r['lost']} / {r['duplicated']} / {r['reordered']} / {r['stray']}" if audited else "—"
        gap = f"{r['longest_gap_s']:.1f} s" if audited else "—"
        lines.append(
            f"| {key} | {r.get('when', '')} {r.get('code', '')} | {r.get('load_before', '')} → "
            f"{r.get('load_after', '')} / {r.get('cores', '')} | {r.get('calibration_s', '')} s "
            f"| {r['acked']} / {r['refused']} | {counts} | {gap} | {r['throughput']:.1f} "
            f"| {_ms(r['ack_p50'])} / {_ms(r['ack_p99'])} | {r['cpu_ms_per_message']} |")
    lines += [""] + _twilio_ratios(runs)
    for key, r in runs.items():
        bits = [f"`{r.get('command', '')}`"]
        if r.get("offered_per_s"):
            bits.append(f"offered {r['offered_per_s']:g} messages/s to {r.get('artisans')} artisans, open loop "
                        f"({r.get('late', 0)} sent late, after a late ack)")
        if r.get("fault_at_s") is not None:
            bits.append(f"fault at +{r['fault_at_s']} s for {r['fault_s']} s"
                        + (f", {r['kills']} workers SIGKILLed" if r.get("kills") else "")
                        + (f"; longest gap began at +{r['gap_at_s']} s" if r.get("gap_at_s") is not None else ""))
        if r.get("twilio_refused"):
            bits.append(f"the fake Twilio refused {r['twilio_refused']} creates")
        if r.get("reply_timeouts"):
            bits.append(f"{r['reply_timeouts']} waits for a reply gave up (artisans went on)")
        if r.get("exits"):
            bits.append(f"process exits: {', '.join(r['exits'][:12])}; restarts {r.get('restarts')}")
        if r.get("finished_s"):
            bits.append("artisans' last replies: half by +{}, 90 % by +{}, all by +{} s".format(*r["finished_s"]))
        if r.get("settle_s") is not None:
            bits.append(f"settled {r['settle_s']} s after the last reply")
        if r.get("examples"):
            bits.append("e.g. " + "; ".join(r["examples"]))
        bits.append("CPU s: " + ", ".join(f"{k} {v}" for k, v in sorted(r["cpu_seconds"].items(),
                                                                          key=lambda kv: -kv[1])))
        if r.get("notes"):
            bits.append(r["notes"])
        lines.append(f"- **{key}**: " + "; ".join(bits) + ".")
    return "\n".join(lines)


def _twilio_ratios(runs: dict) -> list[str]:
    """Per label, the flaky-Twilio run's throughput against the healthy one's (issue 20: at least 80 %)."""
    lines = []
    for key, r in runs.items():
        label, _, scenario = key.rpartition(" ")
        healthy = runs.get(f"{label} baseline")
        if scenario == "twilio" and healthy and healthy.get("throughput"):
            lines.append(f"With Twilio refusing 20 % of creates ({key}), end-to-end throughput was "
                         f"{r['throughput'] / healthy['throughput']:.0%} of the healthy run's "
                         f"({r['throughput']:.1f} against {healthy['throughput']:.1f} messages/s).")
    return lines + ([""] if lines else [])
