"""Signed webhooks' ack latency behind the shipped nginx while anonymous clients attack (issue 16; report F3-F5).

The production shape (bench/load.py's Deployment: gunicorn with gunicorn.conf.py, 2 workers × 4 threads, one RQ
worker, PostgreSQL, Redis, the fake Twilio of bench/fake_twilio.py) behind nginx rendered from deploy/nginx/ with
the shipped values, on a fresh database holding --listings published listings (bulk-copied from one real one).

Twilio's side posts signed webhooks open loop (--rate per second, a new connection each, 15 s timeout: Twilio's)
and times each acknowledgement, first with nobody else about (baseline), then while, from a child process:

  pages       --pages clients fetch /catalogue, /feeds/meta.csv and /feeds/google.xml in a loop;
  big bodies  --big clients post unsigned 4 MB bodies to /webhooks/twilio;
  slow loris  --loris connections held open: half trickle their headers, half a webhook's body, a byte every
              2 s; one cut off is opened again.

Every attacker has a loopback address of its own (127.0.x.y), as a distributed attack would, so nginx's per-address
limits do not simply swallow it. Prints the figures with the host's load and a CPU calibration, and records the run
in bench/results.json ("under_attack") and its section of bench/RESULTS.md.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/under_attack.py [--listings 10000] [--seconds 60] [--record before]
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.load import artisan_address, form_for, percentile, signed  # noqa: E402

TWILIO_TIMEOUT = 15.0  # Twilio gives up on a webhook after 15 s
PAGES = ("/catalogue", "/feeds/meta.csv", "/feeds/google.xml")
BIG_BODY = 4 * 1024 * 1024
SECTION = "Under attack, behind nginx (issue 16)"


def cpu_calibration(rounds: int = 3) -> float:
    """Seconds for a fixed CPU-only workload (best of `rounds`): how fast this host's CPU is for us right now."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):  # pure Python, as most of a request's work is
            total += i * i % 7
        best = min(best, time.perf_counter() - start)
    return best


def render_module():
    """deploy/nginx/render.py (deploy/ holds scripts, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hunar_nginx_render", ROOT / "deploy" / "nginx" / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the shop's listings -------------------------------------------------------------------------------------


def seed(dep: load.Deployment, listings: int, per_artisan: int = 20) -> float:
    """One real published listing with a photo (made as the bot makes them), then `listings` copies of it and its
    photo over listings/per_artisan artisans, in three INSERT … SELECTs. Returns the seconds it took."""
    from sqlalchemy import create_engine, text

    from app import create_app
    from db.models import Artisan, Photo
    from marketplace import listings as lifecycle
    from marketplace.photos import process_photo
    from fakes import images

    start = time.perf_counter()
    settings = {k[len("HUNAR_"):]: v for k, v in dep.env.items() if k.startswith("HUNAR_")}
    app = create_app({**settings, "LOG_LEVEL": "ERROR"})
    services = app.extensions["hunar"]
    fields = {"product": {"hi": "पंजा दरी", "en": "panja durrie"}, "material": {"hi": "सूती", "en": "cotton"},
              "colour": [{"hi": "लाल", "en": "red"}], "size": {"length": 6, "width": 4, "unit": "foot"},
              "price": {"amount": 1200, "per": "piece"}, "quantity": 5}
    now = datetime.now(timezone.utc)
    with services.db.session() as s:
        artisan = Artisan(address="whatsapp:+919800000000", phone="+919800000000", name="Sunita Devi",
                          district="Panipat", craft="durrie weaving")
        s.add(artisan)
        s.flush()
        result = process_photo(images.encode(images.product_photo(1200, 900, seed=7)), store=services.media_store)
        main = result.derivatives["main"]
        photo = Photo(artisan_id=artisan.id, sha256=result.sha256, verdict=result.verdict,
                      content_type=main["content_type"], width=result.width, height=result.height,
                      files=dict(result.derivatives))
        s.add(photo)
        s.flush()
        template = lifecycle.create_listing(s, artisan_id=artisan.id, slots=fields, photo_ids=[photo.id],
                                            review=False, now=now).id
    services.db.dispose()
    artisans = max(1, listings // per_artisan)
    engine = create_engine(dep.url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO artisans (address, phone, name, district, craft, language, created_at) "
            "SELECT 'whatsapp:+9190' || lpad(g::text, 8, '0'), '+9190' || lpad(g::text, 8, '0'), "
            "'Artisan ' || g, 'Panipat', 'durrie weaving', 'hi', now() FROM generate_series(1, :n) g"), {"n": artisans})
        conn.execute(text(
            "INSERT INTO listings (artisan_id, status, sku, fields, price_amount, price_per, quantity, title, "
            "description, channels, created_at, updated_at, published_at) "
            "SELECT a.id, 'published', l.sku || '-' || g, l.fields, l.price_amount + g % 500, l.price_per, "
            "l.quantity, l.title, l.description, l.channels, l.created_at, l.updated_at, "
            "l.published_at - make_interval(secs => g) "
            "FROM listings l, generate_series(1, :n) g "
            "JOIN artisans a ON a.address = 'whatsapp:+9190' || lpad((1 + g % :artisans)::text, 8, '0') "
            "WHERE l.id = :template"), {"n": listings, "artisans": artisans, "template": template})
        conn.execute(text(
            "INSERT INTO photos (artisan_id, listing_id, position, sha256, content_type, verdict, reason, quality, "
            "phash, width, height, files, created_at) "
            "SELECT l.artisan_id, l.id, p.position, p.sha256, p.content_type, p.verdict, p.reason, p.quality, "
            "p.phash, p.width, p.height, p.files, p.created_at "
            "FROM listings l, photos p WHERE p.listing_id = :template AND l.id <> :template"), {"template": template})
        conn.execute(text("ANALYZE"))
        count = conn.execute(text("SELECT count(*) FROM listings WHERE status = 'published'")).scalar()
    engine.dispose()
    assert count == listings + 1, count
    return time.perf_counter() - start


# --- the attackers (a child process: their work must not delay Twilio's side) ---------------------------------


async def _exchange(port: int, source: str, request: bytes, timeout: float) -> tuple[str, float]:
    """Send `request` from `source`, read until the server closes; ("200"/"413"/…/"reset"/"timeout", seconds)."""
    start = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0), limit=2**20)
            writer.write(request)
            first = await reader.read(65536)
            while await reader.read(1 << 20):
                pass
        status = first.split(b" ", 2)[1].decode() if first.startswith(b"HTTP/1.") else "closed"
    except asyncio.TimeoutError:
        status = "timeout"
    except OSError:
        status = "reset"
    finally:
        if writer is not None:
            writer.transport.abort()
    return status, time.perf_counter() - start


async def _pages(port: int, n: int, stop: asyncio.Event, seen: dict) -> None:
    source, turn = f"127.0.10.{n + 1}", n
    while not stop.is_set():
        path = PAGES[turn % len(PAGES)]
        turn += 1
        status, seconds = await _exchange(port, source, (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                         "Connection: close\r\n\r\n").encode(), 120)
        seen.setdefault(f"pages {status}", 0)
        seen[f"pages {status}"] += 1
        seen.setdefault("page seconds", []).append(seconds)
        if status in ("reset", "timeout", "429"):
            await asyncio.sleep(0.1)  # as for big bodies: a refused loop would spend the measured host's CPU


async def _big(port: int, n: int, stop: asyncio.Event, seen: dict) -> None:
    source = f"127.0.11.{n + 1}"
    body = b"a=b&" * (BIG_BODY // 4)
    head = (f"POST /webhooks/twilio HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
            f"\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    while not stop.is_set():
        status, _ = await _exchange(port, source, head + body, 60)
        seen.setdefault(f"big {status}", 0)
        seen[f"big {status}"] += 1
        if status in ("413", "reset", "closed"):
            # Refused on its headers, a client would loop as fast as its CPU allows; here that CPU is the measured
            # host's (a real attacker's is not), so each client comes back 10 times a second.
            await asyncio.sleep(0.1)


async def _loris(port: int, n: int, stop: asyncio.Event, seen: dict) -> None:
    """Headers a byte at a time (even n), or whole headers then a signed-looking body a byte at a time (odd n)."""
    source = f"127.0.12.{n + 1}"
    if n % 2 == 0:
        head, tail = b"GET /catalogue HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Padding: " + b"a" * 100_000
    else:
        head = (b"POST /webhooks/twilio HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Twilio-Signature: x\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n")
        tail = b"a" * 60000
    while not stop.is_set():
        start = time.perf_counter()
        writer = None
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
            writer.write(head)
            for byte in tail:
                writer.write(bytes([byte]))
                await writer.drain()
                try:  # the pace; the server's hang-up (EOF, or an answer before it) ends the connection
                    async with asyncio.timeout(2):
                        await reader.read(1024)
                    break
                except asyncio.TimeoutError:
                    pass
                if stop.is_set():
                    break
        except OSError:
            pass
        finally:
            if writer is not None:
                writer.transport.abort()
        if not stop.is_set():
            seen.setdefault("loris cut off", 0)
            seen["loris cut off"] += 1
            seen.setdefault("loris held seconds", []).append(time.perf_counter() - start)


def attack(port: int, pages: int, big: int, loris: int, stop, results) -> None:
    """The child process: every attacker until `stop` is set, then a summary on `results`."""

    async def main():
        quit_ = asyncio.Event()
        seen: dict = {}
        tasks = [asyncio.create_task(_pages(port, n, quit_, seen)) for n in range(pages)]
        tasks += [asyncio.create_task(_big(port, n, quit_, seen)) for n in range(big)]
        tasks += [asyncio.create_task(_loris(port, n, quit_, seen)) for n in range(loris)]
        while not stop.is_set():
            await asyncio.sleep(0.2)
        quit_.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return seen

    seen = asyncio.run(main())
    summary = {k: v for k, v in seen.items() if not isinstance(v, list)}
    if seen.get("page seconds"):
        summary["page p50 s"] = round(percentile(seen["page seconds"], .5), 2)
        summary["page max s"] = round(max(seen["page seconds"]), 2)
    if seen.get("loris held seconds"):
        summary["loris held p50 s"] = round(percentile(seen["loris held seconds"], .5), 1)
    results.put(summary)


# --- Twilio's side -------------------------------------------------------------------------------------------


async def twilio(port: int, public: str, seconds: float, rate: float, first: int) -> dict:
    """Signed webhooks open loop at `rate`/s for `seconds`, a new connection each; each ack's latency (a timeout
    counts as Twilio's 15 s), and how many were refused, failed or timed out."""
    loop = asyncio.get_running_loop()
    hook = public + "/webhooks/twilio"
    count = int(seconds * rate)
    prepared = [signed(hook, form_for(artisan_address(first + n % 200), n, "नमस्ते")) for n in range(count)]
    latencies: list[float] = []
    outcomes: dict[str, int] = {}

    async def one(webhook) -> None:
        start = time.perf_counter()
        transport = None
        try:
            async with asyncio.timeout(TWILIO_TIMEOUT):
                done = loop.create_future()
                transport, _ = await loop.create_connection(lambda: load._Exchange(webhook.request, done), "127.0.0.1",
                                                            port)
                answer = await done
            status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/1.") else "?"
            outcome = "ok" if status == "200" and b"<Response" in answer else status
            latencies.append(time.perf_counter() - start)
        except asyncio.TimeoutError:
            outcome = "timeout"
            latencies.append(TWILIO_TIMEOUT)
        except OSError as exc:
            outcome = type(exc).__name__
            latencies.append(time.perf_counter() - start)
        finally:
            if transport is not None:
                transport.abort()
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    start = time.perf_counter()
    tasks = []
    for n, webhook in enumerate(prepared):
        await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one(webhook)))
    await asyncio.gather(*tasks)
    return {"count": count, "outcomes": outcomes, "p50": percentile(latencies, .5), "p95": percentile(latencies, .95),
            "p99": percentile(latencies, .99), "max": max(latencies)}


def ms(v: float) -> str:
    return f"{v:.1f} s" if v >= 1 else f"{v * 1000:.0f} ms" if v >= 0.1 else f"{v * 1000:.1f} ms"


def show(name: str, fig: dict) -> str:
    return (f"{name}: {fig['count']} signed webhooks, ack p50 {ms(fig['p50'])}, p95 {ms(fig['p95'])}, "
            f"p99 {ms(fig['p99'])}, max {ms(fig['max'])}; {fig['outcomes']}")


def nginx_counts(error_log: str) -> dict:
    """What nginx refused or cut off, from its error log (level info)."""
    marks = {"header or body timed out": ("client timed out",),
             "body too large": ("client intended to send too large",),
             "over the connection limit": ("limiting connections",), "over the page rate": ("limiting requests",),
             "upstream timed out": ("upstream timed out",),
             "upstream refused or reset": ("(111: Connection refused)", "(104: Connection reset by peer) while reading "
                                           "response header from upstream", "upstream prematurely closed")}
    return {name: sum(error_log.count(m) for m in found) for name, found in marks.items()}


# --- the run -------------------------------------------------------------------------------------------------


def run(args) -> dict:
    """Deploy, seed, measure the baseline, then the same under attack; the figures as recorded."""
    render = render_module()
    database_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    commit, branch = git("rev-parse", "--short", "HEAD"), git("rev-parse", "--abbrev-ref", "HEAD")
    calibration_before, load_before = cpu_calibration(), os.getloadavg()
    port = render.free_port()
    public = f"http://127.0.0.1:{port}"
    dep = load.Deployment(database_url=database_url, redis_url=redis_url, rq_workers=1,
                          extra_env={"HUNAR_PUBLIC_BASE_URL": public, "HUNAR_INBOUND_RATE_LIMIT": "1000"})
    nginx_dir = Path(f"/tmp/hunar-nginx-{os.getpid()}")
    try:
        dep.start()
        seeded = seed(dep, args.listings)
        print(f"seeded {args.listings} published listings in {seeded:.1f}s", flush=True)
        upstream = dep.base.split("//", 1)[1]
        nginx = render.Nginx(nginx_dir, upstream, port=port, error_log_level="info").start()
        try:
            figures = {}
            if args.baseline:
                figures["baseline"] = asyncio.run(twilio(port, public, args.seconds, args.rate, 0))
                print(show("baseline", figures["baseline"]), flush=True)
            stop, results = multiprocessing.Event(), multiprocessing.Queue()
            child = multiprocessing.Process(target=attack, args=(port, args.pages, args.big, args.loris, stop,
                                                                 results), daemon=True)
            child.start()
            mark = len(nginx.error_log())
            time.sleep(args.settle)  # the attackers' first requests in flight before Twilio's side starts
            load_attack = os.getloadavg()
            figures["attack"] = asyncio.run(twilio(port, public, args.seconds, args.rate, 10_000))
            stop.set()
            attackers = results.get(timeout=120)
            child.join(timeout=30)
            print(show("under attack", figures["attack"]), flush=True)
            print(f"attackers: {attackers}", flush=True)
            refused = nginx_counts(nginx.error_log()[mark:])
            print(f"nginx during the attack: {refused}", flush=True)
        finally:
            nginx.stop()
    finally:
        dep.stop()
        import shutil

        shutil.rmtree(nginx_dir, ignore_errors=True)
    calibration_after = cpu_calibration()
    return {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit, "branch": branch,
            "command": shlex.join(["bench/under_attack.py", *command_line(args)]), "listings": args.listings,
            "seconds": args.seconds, "rate": args.rate, "pages": args.pages, "big": args.big, "loris": args.loris,
            "load_before": [round(v, 2) for v in load_before], "load_attack": [round(v, 2) for v in load_attack],
            "load_after": [round(v, 2) for v in os.getloadavg()],
            "cpu_calibration_s": [round(calibration_before, 3), round(calibration_after, 3)],
            "cores": os.cpu_count(), **figures, "attackers": attackers, "nginx": refused}


def command_line(args) -> list[str]:
    """The options that shape a run, as given (not --notes: it is shown apart)."""
    defaults = parser().parse_args([])
    out = []
    for name in ("listings", "seconds", "rate", "pages", "big", "loris", "settle"):
        if getattr(args, name) != getattr(defaults, name):
            out += [f"--{name}", f"{getattr(args, name):g}"]
    if not args.baseline:
        out.append("--no-baseline")
    if args.record:
        out += ["--record", args.record]
    return out


def section(runs: dict) -> str:
    """bench/RESULTS.md's section for these runs (kept in results.json, so bench/load.py's rewrite keeps it)."""
    lines = ["Signed webhooks through the shipped nginx (deploy/nginx/) to gunicorn (2 × 4 threads), one RQ worker, "
             "PostgreSQL, Redis, fake Twilio; open loop, a new connection each, 15 s timeout (counted as 15 s). "
             "Attack: anonymous clients fetching /catalogue and both feeds in a loop, clients posting unsigned 4 MB "
             "bodies to the webhook, slow-loris connections (half headers, half a webhook's body, a byte every 2 s), "
             "each attacker on a loopback address of its own. Target: ack p99 < 100 ms under attack. "
             "`bench/under_attack.py --record KEY` (see its docstring).", "",
             "| run | when | code | listings | load avg before / in attack | CPU calibration | phase | webhooks "
             "| ack p50 / p95 / p99 / max | outcomes |", "|---|---|---|---|---|---|---|---|---|---|"]
    for key, r in runs.items():
        for phase in ("baseline", "attack"):
            fig = r.get(phase)
            if not fig:
                continue
            lines.append(f"| {key} | {r['when']} | {r['branch']} {r['commit']} | {r['listings']} "
                         f"| {r['load_before'][0]} / {r['load_attack'][0]} | {r['cpu_calibration_s'][0]} s "
                         f"| {phase} | {fig['count']} | {ms(fig['p50'])} / {ms(fig['p95'])} / {ms(fig['p99'])} / "
                         f"{ms(fig['max'])} | {', '.join(f'{k} {v}' for k, v in sorted(fig['outcomes'].items()))} |")
    lines.append("")
    for key, r in runs.items():
        lines.append(f"- **{key}**: `{r['command']}`; {r['pages']} page clients, {r['big']} big-body clients, "
                     f"{r['loris']} slow-loris connections, {r['rate']:g} webhooks/s for {r['seconds']:g} s per "
                     f"phase. Attackers saw: {r['attackers']}. nginx logged: {r['nginx']}. {r.get('notes', '')}")
    return "\n".join(lines) + "\n"


def record(key: str, entry: dict) -> None:
    """Keep the run in bench/results.json under "under_attack" and rewrite bench/RESULTS.md."""
    load.record_section("under_attack", key, entry, SECTION, section)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=60, help="seconds of webhooks in each phase")
    ap.add_argument("--rate", type=float, default=5, help="signed webhooks per second")
    ap.add_argument("--pages", type=int, default=10, help="clients fetching the catalogue and feeds")
    ap.add_argument("--big", type=int, default=8, help="clients posting unsigned 4 MB bodies")
    ap.add_argument("--loris", type=int, default=24, help="slow-loris connections held open")
    ap.add_argument("--settle", type=float, default=3, help="seconds the attack runs before the measuring starts")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false")
    ap.add_argument("--record", metavar="KEY", help="keep the run in bench/results.json and RESULTS.md as KEY")
    ap.add_argument("--notes", default="", help="a sentence for RESULTS.md")
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        print("needs DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    if render_module().nginx_binary() is None:
        print("needs nginx (Debian: apt-get install nginx)", file=sys.stderr)
        return 2
    entry = run(args)
    entry["notes"] = args.notes
    print(f"host: {entry['cores']} cores, load {entry['load_before']} → {entry['load_after']}, CPU calibration "
          f"{entry['cpu_calibration_s'][0]} s before, {entry['cpu_calibration_s'][1]} s after")
    if args.record:
        record(args.record, entry)
        print(f"recorded as {args.record!r} in bench/results.json and bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
