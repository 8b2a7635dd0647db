"""Concurrent explorer sessions: N AppTest sessions at once, each browsing like a trainee.

Every session opens the overview, searches the recommendations, opens a linkage view, and runs a
saved query on the workbench. Sessions run in separate processes against one graph (the
embedded file, or Neo4j from NEO4J_URI); count and time are bounded. Prints one JSON line:
errors, page-time p50/p95, wall time.

    python bench/load_test.py --sessions 20          # full size
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STEPS = [("overview", {}), ("recommendations", {"q": "victims"}),
         ("recommendations", {"rec": "gcm-ts5-summary:c.7"}),
         ("workbench", {"query": "recs_per_area"})]


def session(number: int) -> dict:
    """One visitor's walk through the app; returns page times and any error."""
    from bench.app_render import first_render

    times, errors = [], []
    for page, params in STEPS:
        started = time.perf_counter()
        try:
            first_render(page, **params)
        except Exception as e:  # noqa: BLE001 - a load test reports every failure
            errors.append(f"{page}: {type(e).__name__}: {e}")
        times.append(time.perf_counter() - started)
    return {"session": number, "times": times, "errors": errors}


def run(sessions: int, deadline: float) -> dict:
    started = time.perf_counter()
    results = []
    with ProcessPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(session, i) for i in range(sessions)]
        for future in as_completed(futures, timeout=deadline):
            results.append(future.result())
    times = sorted(t for r in results for t in r["times"])
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"sessions": sessions, "pages": len(times),
            "errors": [e for r in results for e in r["errors"]],
            "p50_s": round(statistics.median(times), 2), "p95_s": round(p95, 2),
            "max_s": round(times[-1], 2), "wall_s": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds for the whole run")
    args = parser.parse_args()
    print(json.dumps(run(args.sessions, args.deadline)))


if __name__ == "__main__":
    main()
