"""Time to first render of the explorer's overview and of a linkage view, with AppTest.

Run by bench/run.py in a fresh process (GRAPH_BACKEND / GRAPH_DB_PATH / NEO4J_URI from the
environment); prints one JSON line: seconds per view and the process's peak RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(REPO / "app.py")
REC = "gcm-ts5-summary:a.1"


def first_render(page: str, **params: str) -> float:
    """Seconds from a new session to the page's first complete run (no exception allowed)."""
    at = AppTest.from_file(APP, default_timeout=120)
    started = time.perf_counter()
    if page != "overview":
        at.run()
        at.switch_page(f"views/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return seconds


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: Linux carries that across exec, so a
    child of a big benchmark process would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    cold = first_render("overview")  # a fresh server: imports, opening the backend, caches
    overview = first_render("overview")  # a new visitor on a running server
    linkage = first_render("recommendations", rec=REC)
    rss = peak_rss_mb()
    print(json.dumps({"cold_overview_s": round(cold, 2), "overview_s": round(overview, 2), "linkage_s": round(linkage, 2),
                      "peak_rss_mb": round(rss)}))


if __name__ == "__main__":
    main()
