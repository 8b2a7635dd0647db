"""Hostile parameters and queries through every entry point: nothing gets in, nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import QueryNotReadOnly
from graph.queries import CYPHER_DIR, find_query, load_queries, run_saved

REPO = Path(__file__).resolve().parent.parent
INJECTIONS = [
    "x'}) DETACH DELETE n //",
    "gcm-ts5-summary:a.1' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n RETURN 1 //',
    "} CALL db.labels() YIELD label RETURN label //",
    "/* */ CREATE (:Body {id: 'pwned'}) //",
]


def snapshot(backend) -> tuple:
    return (backend.run("MATCH (n) RETURN count(n)").scalar(),
            backend.run("MATCH ()-[r]->() RETURN count(r)").scalar())


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_a_saved_query_parameter_is_just_a_string(seeded, value):
    before = snapshot(seeded)
    query = find_query(load_queries(CYPHER_DIR), "rec_links")
    result = run_saved(seeded, query, {"rec_id": value}, limit=100, timeout=10)
    assert result.rows == []  # no recommendation has that id: the value was never parsed as Cypher
    assert snapshot(seeded) == before


def test_a_huge_parameter_is_handled(seeded):
    query = find_query(load_queries(CYPHER_DIR), "rec_links")
    result = run_saved(seeded, query, {"rec_id": "x" * 1_000_000}, limit=10, timeout=20)
    assert result.rows == []


def test_millions_of_rows_are_capped_and_flagged(seeded):
    result = seeded.run("UNWIND range(1, 2000000) AS x RETURN x", limit=1000, timeout=60)
    assert len(result.rows) == 1000 and result.truncated
    assert result.rows[0] == (1,) and result.rows[-1] == (1000,)


@pytest.mark.parametrize("cypher", [
    "MATCH (n) DETACH DELETE n",
    "MATCH (r:Recommendation) SET r.text = 'vandalised' RETURN r.id",
    "CREATE (:Body {id: 'pwned'})",
])
def test_the_cli_query_command_refuses_writes(seeded_embedded, cypher):
    before = snapshot(seeded_embedded)
    env = {**os.environ, "GRAPH_BACKEND": "embedded",
           "GRAPH_DB_PATH": str(seeded_embedded.path)}
    done = subprocess.run([sys.executable, "-m", "graph", "query", cypher], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "read-only" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(seeded_embedded) == before


def test_a_saved_query_file_that_writes_is_refused_by_check_and_by_run(tmp_path, seeded_embedded):
    sneaky = tmp_path / "sneaky.cypher"
    sneaky.write_text("// title: Looks harmless\n// view: table\n"
                      "MATCH (r:Recommendation) SET r.text = 'x' RETURN count(r) AS n\n")
    env = {**os.environ, "GRAPH_BACKEND": "embedded",
           "GRAPH_DB_PATH": str(seeded_embedded.path)}
    check = subprocess.run([sys.executable, "-m", "graph", "check", str(tmp_path)], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode != 0 and "sneaky.cypher:3" in check.stderr
    before = snapshot(seeded_embedded)
    run = subprocess.run([sys.executable, "-m", "graph", "run", str(sneaky)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert snapshot(seeded_embedded) == before


def test_refused_writes_hidden_in_comments_and_strings_do_not_fool_the_guard(seeded):
    # Keywords inside strings and comments are data, not clauses: this read must pass...
    seeded.run("MATCH (b:Body) WHERE b.name = 'CREATE (x)' RETURN count(b) // DELETE")
    # ...while a real clause after a comment must not.
    with pytest.raises(QueryNotReadOnly):
        seeded.run("MATCH (b:Body) // harmless\n DETACH DELETE b")
