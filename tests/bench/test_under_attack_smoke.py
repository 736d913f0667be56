"""A short, small run of bench/under_attack.py: the production shape behind the rendered nginx, 50 listings, two
seconds per phase and a few attackers of each kind. Asserts it produces figures; no timing assertions (those
belong to bench/RESULTS.md, measured with 10,000 listings)."""
from __future__ import annotations

import math

from tests.bench.services import bench_script, needs_services
from tests.support.proxy import needs_nginx

pytestmark = [needs_services, needs_nginx]


def test_a_short_run_under_attack_produces_figures():
    bench = bench_script("under_attack")
    args = bench.parser().parse_args(["--listings", "50", "--seconds", "2", "--rate", "5", "--pages", "2",
                                      "--big", "2", "--loris", "4", "--settle", "0.5"])
    entry = bench.run(args)
    for phase in ("baseline", "attack"):
        figures = entry[phase]
        assert figures["count"] == 10
        assert sum(figures["outcomes"].values()) == 10
        assert all(math.isfinite(figures[q]) and figures[q] > 0 for q in ("p50", "p95", "p99", "max"))
    assert entry["cpu_calibration_s"][0] > 0 and len(entry["load_before"]) == 3
    assert entry["nginx"]["body too large"] > 0  # the big bodies met nginx's cap
    assert any(key.startswith("pages ") for key in entry["attackers"])
