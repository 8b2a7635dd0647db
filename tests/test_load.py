"""Concurrent explorer sessions on each engine: no errors, page times reported.

CI runs a reduced, bounded size (LOAD_SESSIONS, default 4); the full 20 sessions are one
command: `python bench/load_test.py --sessions 20` (figures in the README's reliability section).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

SESSIONS = int(os.environ.get("LOAD_SESSIONS", "4"))


@pytest.mark.slow
def test_concurrent_sessions_browse_without_errors(seeded, artifacts):
    if seeded.name == "embedded":
        env = {"GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(seeded.path)}
    else:
        env = {"GRAPH_BACKEND": "neo4j", "NEO4J_URI": seeded.uri}
    done = subprocess.run([sys.executable, "bench/load_test.py", "--sessions", str(SESSIONS),
                           "--deadline", "600"], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    (artifacts / f"load-{seeded.name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n{seeded.name}: {figures}")
    assert figures["errors"] == []
    assert figures["pages"] == SESSIONS * 4
