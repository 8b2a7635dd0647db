"""A catalogue entry the per-loader tests do not cover: a 50 MB data file of each type, and
write attempts through URL parameters. Each fails cleanly (file, exit code) and the previous
graph is untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

HUGE = 50 * 1024 * 1024
TARGETS = ["frameworks/untoc.yaml", "mappings/curated.csv",
           "sources/003_2307a9ba4bf51685.txt", "sources/001_c8ce0308e6432a15.txt"]


def snapshot(backend) -> tuple:
    return (backend.run("MATCH (n) RETURN count(n)").scalar(),
            backend.run("MATCH ()-[r]->() RETURN count(r)").scalar())


@pytest.mark.parametrize("target", TARGETS)
def test_a_50_mb_data_file_is_refused_and_the_graph_is_kept(target, tmp_path, seeded_embedded):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    with open(data / target, "wb") as handle:  # same name, absurd size
        handle.write(b"# padding\n" * (HUGE // 10))
    before = snapshot(seeded_embedded)
    env = {**os.environ, "GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(seeded_embedded.path)}
    done = subprocess.run([sys.executable, "-m", "graph", "load", "--data", str(data)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert Path(target).name in done.stderr and "50.0 MB" in done.stderr
    assert snapshot(seeded_embedded) == before


def test_url_parameters_cannot_write_through_the_workbench(seeded_embedded, monkeypatch):
    for key in ("GRAPH_BACKEND", "NEO4J_URI"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPH_DB_PATH", str(seeded_embedded.path))
    monkeypatch.chdir(REPO)
    before = snapshot(seeded_embedded)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("views/workbench.py")
    at.query_params["query"] = "rec_links"
    at.query_params["p_rec_id"] = "x'}) MATCH (n) DETACH DELETE n //"
    at.query_params["cypher"] = "MATCH (n) DETACH DELETE n"
    at.run()
    assert not at.exception
    assert snapshot(seeded_embedded) == before
