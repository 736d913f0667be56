"""Benchmark (not a test): time and peak memory of process_photo for a WhatsApp JPEG and a 12 MP camera JPEG.

Run: .venv/bin/python bench/photos.py [--runs 9] [--store memory|local]
Targets on the 2-core dev machine: 1600x1200 under 60 ms, 4000x3000 under 250 ms, peak memory under 150 MB.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image, ImageChops, ImageDraw, ImageFilter  # noqa: E402

from marketplace.photos import LocalMediaStore, MemoryMediaStore, process_photo  # noqa: E402


def photo(w: int, h: int, quality: int, noise: float, seed: int = 1) -> bytes:
    """Noise plus shapes: a patterned product on a shaded background, so JPEG sizes are realistic."""
    r = random.Random(seed)
    im = Image.linear_gradient("L").resize((w, h)).point(lambda v: 170 + v // 4).convert("RGB")
    d = ImageDraw.Draw(im)
    x0, y0, x1, y1 = w // 5, h // 5, 4 * w // 5, 4 * h // 5
    y = y0
    while y < y1:
        s = r.randrange(h // 80, h // 15)
        d.rectangle([x0, y, x1, min(y1, y + s)], fill=tuple(r.randrange(30, 250) for _ in range(3)))
        y += s
    for _ in range(60):
        cx, cy, s = r.randrange(x0, x1), r.randrange(y0, y1), r.randrange(w // 100, w // 20)
        d.polygon([(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)], fill=tuple(r.randrange(256) for _ in range(3)))
    for x in range(x0, x1, max(3, w // 180)):
        d.line([(x, y0), (x, y1)], fill=(20, 20, 20))
    n = Image.effect_noise((w, h), noise)
    im = ImageChops.add(im, Image.merge("RGB", [n] * 3), 1.0, -128).filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it does not carry the parent's over exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(label: str, path: str, runs: int, store_kind: str) -> None:
    """Time and memory for one photo; runs in its own process so ru_maxrss is this photo's alone."""
    with open(path, "rb") as f:
        data = f.read()
    process_photo(data, store=MemoryMediaStore())  # warm up: imports, codec tables, thread start
    rss_before = peak_rss_mb()
    times, cpu = [], []
    for _ in range(runs):
        folder = tempfile.mkdtemp(prefix="hunar-bench-")
        store = LocalMediaStore(folder) if store_kind == "local" else MemoryMediaStore()
        t0, c0 = time.perf_counter(), time.process_time()
        result = process_photo(data, store=store)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        shutil.rmtree(folder)  # content-addressed: a second run into the same folder would skip writes
    rss = peak_rss_mb()
    tracemalloc.start()  # only Python-heap allocations (bytes, lists); Pillow's pixel buffers are not traced
    process_photo(data, store=MemoryMediaStore())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<20} {len(data) / 1024:6.0f} KB  median {statistics.median(times) * 1000:6.1f} ms"
          f"  min {min(times) * 1000:6.1f} ms  cpu {statistics.median(cpu) * 1000:6.1f} ms"
          f"  peak RSS {rss:5.1f} MB (+{rss - rss_before:4.1f} after warm-up)"
          f"  tracemalloc {peak / 2**20:4.1f} MB  {result.verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--store", choices=("memory", "local"), default="local")
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return bench(args.one[0], args.one[1], args.runs, args.store)
    print(f"{args.runs} runs each, store={args.store}, load average before {os.getloadavg()[0]:.2f}"
          " (other work on the machine inflates wall times; cpu is this process's own)")
    cases = [("whatsapp 1600x1200", photo(1600, 1200, 80, 4)), ("camera 4000x3000", photo(4000, 3000, 92, 6))]
    with tempfile.TemporaryDirectory() as tmp:
        for label, data in cases:
            path = os.path.join(tmp, label.split()[0] + ".jpg")
            with open(path, "wb") as f:
                f.write(data)
            subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--store", args.store,
                            "--one", label, path], check=True)


if __name__ == "__main__":
    main()
