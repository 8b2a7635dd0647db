"""A runaway query in one session does not stall the others.

A trainee's workbench query that would run for hours holds one connection until its time limit;
meanwhile every saved query and a fresh session's overview must still be answered, on the same
backend object the app shares between sessions. The runaway is a 5-way cartesian product of the
seed's 87 recommendations (5 * 10^9 rows), stopped by its own time limit.
"""

from __future__ import annotations

import threading
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.errors import QueryTimeout
from graph.queries import load_queries, run_saved
from tests.conftest import REPO

RUNAWAY = ("MATCH (a:Recommendation), (b:Recommendation), (c:Recommendation), "
           "(d:Recommendation), (e:Recommendation) "
           "WHERE a.id + b.id + c.id + d.id + e.id = 'never' RETURN count(*)")
RUNAWAY_LIMIT = 15.0  # seconds: long enough for everything below to run meanwhile


@pytest.mark.slow
def test_saved_queries_and_a_new_session_are_served_while_a_runaway_runs(seeded, monkeypatch):
    queries = load_queries(REPO / "cypher")
    idle = {q.name: run_saved(seeded, q, {}, limit=1000, timeout=30).rows for q in queries}
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        try:
            seeded.run(RUNAWAY, timeout=RUNAWAY_LIMIT)
            outcome["error"] = None
        except Exception as e:  # noqa: BLE001 - the assertion below names what it was
            outcome["error"] = e
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway, daemon=True)
    thread.start()
    time.sleep(0.5)  # let it get going
    assert thread.is_alive()

    # Every saved query, on the same backend object, answers as it does when the engine is idle.
    served = {}
    started = time.monotonic()
    for query in queries:
        served[query.name] = run_saved(seeded, query, {}, limit=1000, timeout=30).rows
    queries_seconds = time.monotonic() - started
    assert served == idle

    # A new visitor's overview renders, with its data read now (caches cleared).
    st.cache_data.clear()
    if seeded.name == "embedded":
        monkeypatch.setenv("GRAPH_BACKEND", "embedded")
        monkeypatch.setenv("GRAPH_DB_PATH", str(seeded.path))
    else:
        monkeypatch.setenv("GRAPH_BACKEND", "neo4j")
        monkeypatch.setenv("NEO4J_URI", seeded.uri)
    monkeypatch.chdir(REPO)
    started = time.monotonic()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    overview_seconds = time.monotonic() - started
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Recommendations"] == "87"

    still_running = thread.is_alive()
    thread.join(RUNAWAY_LIMIT + 120)
    print(f"\n{seeded.name}: {len(queries)} saved queries in {queries_seconds:.2f} s and the "
          f"overview in {overview_seconds:.2f} s while the runaway ran; it stopped after "
          f"{outcome.get('seconds', float('nan')):.1f} s")
    assert still_running, "the runaway ended before the other sessions were served"
    assert isinstance(outcome["error"], QueryTimeout)
