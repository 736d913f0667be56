"""Benchmark of nlu.parse (not a test): per-message time, import/startup time, peak memory, CLI throughput.

Run: .venv/bin/python bench/nlu.py [N]   (N messages, default 5000)
Targets: median < 0.3 ms per message, import < 0.5 s, RSS < 60 MB.
"""
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ANSWERS = [
    "हाँ", "हां जी", "ठीक है", "नहीं", "ok", "haan", "nahi", "👍", "मदद", "वापस", "आगे", "बस", "हो गया",
    "कीमत बदलो", "रंग बदलना है", "2 बिक गया", "3 हटाओ", "मेरी लिस्टिंग", "नया सामान डालना है", "धन्यवाद",
    "नमस्ते", "राम राम जी", "STOP", "किसी से बात कराओ", "फिर से", "मेरा डेटा हटाओ", "?",
    "छोड़िए", "छोड़ दीजिए", "rehne do", "English please", "हिंदी में बात करें", "रंग नीला करो",
    "2 की कीमत 900 करो", "नहीं, कीमत 1500 है", "jari rakhein", "Talk to a person", "Mohan Lal", "2 दर्जन",
]
PRODUCTS = ["दरी", "पंजा दरी", "dari", "फुलकारी", "phulkari dupatta", "खेस", "शॉल", "जूती", "jutti",
            "मूढ़ा", "टोकरी", "घड़ा", "मटका", "कुशन कवर", "चादर", "कंबल", "gudiya", "हाथ पंखा"]
MATERIALS = ["सूती", "कपास", "kapas", "ऊनी", "रेशमी", "जूट", "चमड़े", "मिट्टी", "बांस", "सरकंडा", "cotton"]
COLOURS = ["लाल", "नीली", "गहरी नीली", "हरी", "पीली", "काली", "सफ़ेद", "गुलाबी", "laal", "neeli", "रंग-बिरंगी"]
PRICES = ["500 रुपये", "₹1,200", "1200/-", "साढ़े तीन सौ रुपये", "paanch sau rupay", "बारह सौ का एक",
          "Rs 800", "डेढ़ हज़ार", "2.5k", "500 रुपये प्रति मीटर", "७५० रुपए", "do hazaar rs", "सवा सौ"]
SIZES = ["6 बाई 4 फीट", "6x4 ft", "छह बाई चार", "लंबाई 6 फीट चौड़ाई 4 फीट", "2.5 मीटर", "180x120 cm"]
FREE = ["हाथ से बनी है बहुत सुंदर", "मेरी माँ ने बनाई है", "kal tak bhej dungi", "पानीपत से हूं",
        "gurgaon se", "हिसार जिला", "12 पीस हैं", "2 जोड़ी", "आधा किलो", "asdf", "कल बारिश थी",
        "बिल्कुल नई है और मजबूत भी", "bhai mujhe naya saman daalna hai"]


def corpus(n: int, seed: int = 7) -> list[str]:
    """Realistic messages: short answers, product descriptions, prices, sizes, free text."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.3:
            out.append(rnd.choice(ANSWERS))
        elif r < 0.6:
            parts = [rnd.choice(COLOURS), rnd.choice(MATERIALS), rnd.choice(PRODUCTS)]
            if rnd.random() < 0.5:
                parts.append(rnd.choice(PRICES))
            out.append(" ".join(parts))
        elif r < 0.75:
            out.append(rnd.choice(PRICES))
        elif r < 0.85:
            out.append(rnd.choice(SIZES))
        else:
            out.append(rnd.choice(FREE))
        if rnd.random() < 0.3:  # fresh numbers and typos, so caches do not flatter the figures
            out[-1] += f" {rnd.randint(1, 99999)} {rnd.choice(['रुपये', 'rs', '/-', 'पीस', 'मीटर', ''])}"
        if rnd.random() < 0.15:
            words = out[-1].split()
            i = rnd.randrange(len(words))
            w = words[i]
            j = rnd.randrange(len(w))
            words[i] = w[:j] + rnd.choice("aeiourtnkh") + w[j + 1:]
            out[-1] = " ".join(words)
    return out


def run_child(n: int) -> dict:
    """In a fresh process: import time, first parse, per-message times, peak RSS."""
    import resource
    here = Path(__file__).resolve().parent  # this file is bench/nlu.py: keep it from shadowing nlu/
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    t0 = time.perf_counter()
    import nlu
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    nlu.parse("साढ़े तीन सौ रुपये")
    t_first = time.perf_counter() - t0
    msgs = corpus(n)
    times, cpu = [], []
    for m in msgs:
        c0, t0 = time.thread_time(), time.perf_counter()
        nlu.parse(m)
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    times.sort()
    cpu.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"import_s": t_import, "first_parse_s": t_first, "n": n,
            "median_ms": times[len(times) // 2] * 1e3, "p99_ms": times[int(len(times) * 0.99)] * 1e3,
            "mean_ms": sum(times) / len(times) * 1e3, "rss_mb": rss / 1024,
            "cpu_median_ms": cpu[len(cpu) // 2] * 1e3, "cpu_p99_ms": cpu[int(len(cpu) * 0.99)] * 1e3,
            "load": os.getloadavg()[0], "cpus": os.cpu_count()}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5000
    if "--child" in sys.argv:
        print(json.dumps(run_child(n)))
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.run([sys.executable, __file__, str(n), "--child"], capture_output=True,
                           text=True, cwd=ROOT, env=env, check=True)
    r = json.loads(child.stdout)
    lines = "\n".join(corpus(10_000, seed=11)) + "\n"
    t0 = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "nlu"], input=lines, capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, env=env, check=True)
    t_cli = time.perf_counter() - t0
    assert len(cli.stdout.splitlines()) == 10_000
    print(f"messages            {r['n']}")
    print(f"median per message  {r['median_ms']:.3f} ms   (target < 0.3 ms)")
    print(f"p99 per message     {r['p99_ms']:.3f} ms")
    print(f"mean per message    {r['mean_ms']:.3f} ms")
    print(f"CPU time median/p99 {r['cpu_median_ms']:.3f} / {r['cpu_p99_ms']:.3f} ms "
          f"(wall p99 includes waiting for a CPU: load {r['load']:.1f} on {r['cpus']} CPUs)")
    print(f"import nlu          {r['import_s'] * 1e3:.0f} ms      (target < 500 ms)")
    print(f"first parse (data)  {r['first_parse_s'] * 1e3:.0f} ms")
    print(f"peak RSS            {r['rss_mb']:.1f} MB     (target < 60 MB)")
    print(f"CLI, 10000 lines    {t_cli:.2f} s (whole process, stdin to stdout)")


if __name__ == "__main__":
    main()
