"""Replacing loads on Neo4j: staged under shadow labels, swapped in, resumable, never a mix lost.

Runs on the real server. Crashes are injected by a subclass that fails at a chosen step (the
server and the driver are real; only the loader process "dies")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from graph.errors import LoadFailed
from graph.neo4j_backend import Neo4jBackend, _clean
from graph.neo4j_load import MARKER, StagedReplace, shadow
from graph.records import Edge, Node

from tests.conftest import REPO


def graph_of(prefix: str, bodies: int = 30) -> tuple[list[Node], list[Edge]]:
    nodes = [Node("Body", f"{prefix}-{i}", {"name": f"{prefix} body {i}"}) for i in range(bodies)]
    edges = [Edge("PART_OF", "Body", f"{prefix}-{i}", "Body", f"{prefix}-0")
             for i in range(1, bodies)]
    return nodes, edges


def snapshot(backend: Neo4jBackend) -> tuple[list, list]:
    nodes = backend.run("MATCH (n) RETURN labels(n), n.id, n.name ORDER BY n.id",
                        limit=10_000).rows
    edges = backend.run("MATCH (a)-[r]->(b) RETURN type(r), a.id, b.id ORDER BY a.id, b.id",
                        limit=10_000).rows
    return nodes, edges


def staged_leftovers(backend: Neo4jBackend) -> int:
    return backend.run(f"MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH '_') "
                       "RETURN count(n)").scalar()


class CrashAt(StagedReplace):
    """A loader that dies at one step, leaving the database as a crash would."""

    def __init__(self, backend: Neo4jBackend, step: str, **kwargs) -> None:
        super().__init__(backend._driver, backend.database, backend.uri, _clean, **kwargs)
        self.step = step

    def _stage(self, nodes, edges):
        if self.step == "staging":
            half = len(nodes) // 2
            super()._stage(nodes[:half], [])
            raise ConnectionError("the loader died while staging")
        super()._stage(nodes, edges)

    def _swap_in_batches(self, state="swapping"):
        if self.step == "swapping":
            for label in ("Body",):  # the old graph is deleted, nothing relabelled yet
                self._auto(f"MATCH (n:{label}) DETACH DELETE n")
            raise ConnectionError("the loader died while swapping")
        super()._swap_in_batches(state)

    def _relabel(self):
        if self.step == "relabelling":  # half of the staged nodes have their real label
            self._auto(f"MATCH (n:{shadow('Body')}) WITH n LIMIT 15 "
                       f"SET n:Body REMOVE n:{shadow('Body')}")
            raise ConnectionError("the loader died while relabelling")
        super()._relabel()

    def _abandon_quietly(self):
        if self.step != "staging":
            super()._abandon_quietly()  # a crash while staging gets no chance to clean up


@pytest.mark.parametrize("swap_in_one", [10**9, 0], ids=["one-transaction", "in-batches"])
def test_a_replacing_load_swaps_in_exactly_the_new_graph(neo4j_backend, swap_in_one):
    neo4j_backend.write(*graph_of("old"))
    new_nodes, new_edges = graph_of("new", bodies=25)
    StagedReplace(neo4j_backend._driver, neo4j_backend.database, neo4j_backend.uri, _clean,
                  batch_size=7, swap_in_one=swap_in_one).run(new_nodes, new_edges)
    nodes, edges = snapshot(neo4j_backend)
    assert sorted(row[1] for row in nodes) == sorted(n.id for n in new_nodes)
    assert all(row[0] == ["Body"] for row in nodes)
    assert len(edges) == 24 and all(row[2] == "new-0" for row in edges)
    assert staged_leftovers(neo4j_backend) == 0


def test_the_seed_graph_replaced_through_the_staged_path_matches_the_records(neo4j_backend,
                                                                          seed_records):
    neo4j_backend.write(*graph_of("old"))
    neo4j_backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True,
                        batch_size=500)
    assert neo4j_backend.counts() == {label: count for label, count in
                                      _count(seed_records.nodes.values(), "label").items()}
    assert neo4j_backend.run("MATCH ()-[r]->() RETURN count(r)").scalar() == \
        len(seed_records.edges)
    assert staged_leftovers(neo4j_backend) == 0


def test_a_load_that_dies_while_staging_leaves_the_graph_and_can_be_abandoned(neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    before = snapshot(neo4j_backend)
    with pytest.raises(ConnectionError):
        CrashAt(neo4j_backend, "staging", batch_size=4).run(*graph_of("new"))
    # Readers see the previous graph: queries over the schema's labels ignore staged nodes.
    assert neo4j_backend.run("MATCH (n:Body) RETURN n.id ORDER BY n.id", limit=100).rows == \
        [(row[1],) for row in before[0]]
    assert staged_leftovers(neo4j_backend) > 0
    # The next load is refused with what to do, and the graph is still the previous one.
    with pytest.raises(LoadFailed, match="abandon-load"):
        neo4j_backend.write(*graph_of("newer"), replace=True)
    done = subprocess.run(
        [sys.executable, "-m", "graph", "neo4j", "abandon-load"], cwd=REPO, capture_output=True,
        text=True, timeout=60,
        env={**os.environ, "GRAPH_BACKEND": "neo4j", "NEO4J_URI": neo4j_backend.uri})
    assert done.returncode == 0, done.stderr
    assert "removed 15 staged nodes" in done.stdout
    assert staged_leftovers(neo4j_backend) == 0
    assert snapshot(neo4j_backend) == before
    neo4j_backend.write(*graph_of("newer"), replace=True)
    assert neo4j_backend.run("MATCH (n:Body) RETURN count(n)").scalar() == 30


def test_a_load_that_dies_while_swapping_is_finished_by_the_next_load(neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    with pytest.raises(LoadFailed, match="run the load again and it finishes the swap"):
        CrashAt(neo4j_backend, "swapping", batch_size=4, swap_in_one=0).run(*graph_of("new"))
    marker = neo4j_backend.run(f"MATCH (m:{MARKER}) RETURN m.state").rows
    assert marker == [("swapping",)]
    # Abandoning is refused: the staged records are the graph now.
    with pytest.raises(LoadFailed, match="load again"):
        neo4j_backend.abandon_load()
    # The next load finishes the interrupted swap first, then does its own.
    finisher = StagedReplace(neo4j_backend._driver, neo4j_backend.database, neo4j_backend.uri,
                             _clean)
    assert finisher.finish_interrupted_swap() is True
    ids = [row[0] for row in neo4j_backend.run("MATCH (n:Body) RETURN n.id", limit=100).rows]
    assert sorted(ids) == sorted(f"new-{i}" for i in range(30))
    assert neo4j_backend.run(f"MATCH (n:{shadow('Body')}) RETURN count(n)").scalar() == 0
    assert neo4j_backend.run(f"MATCH (m:{MARKER}) RETURN count(m)").scalar() == 0


def test_a_swap_cut_off_while_relabelling_is_finished_without_losing_relabelled_nodes(
        neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    with pytest.raises(LoadFailed):
        CrashAt(neo4j_backend, "relabelling", batch_size=4, swap_in_one=0).run(*graph_of("new"))
    assert neo4j_backend.run(f"MATCH (m:{MARKER}) RETURN m.state").rows == [("relabelling",)]
    assert neo4j_backend.run("MATCH (n:Body) RETURN count(n)").scalar() == 15
    neo4j_backend.write(*graph_of("newer", bodies=3), replace=True)  # finishes it, then loads
    assert neo4j_backend.run("MATCH (n:Body) RETURN count(n)").scalar() == 3
    finisher = CrashAt(neo4j_backend, "relabelling", batch_size=4, swap_in_one=0)
    with pytest.raises(LoadFailed):
        finisher.run(*graph_of("new"))
    finisher.step = None
    assert finisher.finish_interrupted_swap() is True
    ids = sorted(row[0] for row in neo4j_backend.run("MATCH (n:Body) RETURN n.id",
                                                     limit=100).rows)
    assert ids == sorted(f"new-{i}" for i in range(30))  # the 15 relabelled first are kept
    assert staged_leftovers(neo4j_backend) == 0


def test_the_next_load_after_a_crashed_swap_ends_with_its_own_graph(neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    with pytest.raises(LoadFailed):
        CrashAt(neo4j_backend, "swapping", batch_size=4, swap_in_one=0).run(*graph_of("new"))
    neo4j_backend.write(*graph_of("newer", bodies=12), replace=True)
    ids = sorted(row[0] for row in neo4j_backend.run("MATCH (n:Body) RETURN n.id",
                                                     limit=100).rows)
    assert ids == sorted(f"newer-{i}" for i in range(12))
    assert staged_leftovers(neo4j_backend) == 0


def test_a_swap_in_one_transaction_that_fails_keeps_the_previous_graph(neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    before = snapshot(neo4j_backend)

    class FailingSwap(StagedReplace):
        def _swap_in_one(self, tx):
            super()._swap_in_one(tx)
            raise ConnectionError("the loader died before the swap committed")

    with pytest.raises(ConnectionError):
        FailingSwap(neo4j_backend._driver, neo4j_backend.database, neo4j_backend.uri,
                    _clean).run(*graph_of("new"))
    assert snapshot(neo4j_backend) == before
    assert staged_leftovers(neo4j_backend) == 0
    neo4j_backend.write(*graph_of("newer", bodies=5), replace=True)  # not refused as "staging"
    assert neo4j_backend.run("MATCH (n:Body) RETURN count(n)").scalar() == 5


def test_a_load_that_the_server_refuses_mid_stage_keeps_the_previous_graph(neo4j_backend):
    neo4j_backend.write(*graph_of("old"))
    before = snapshot(neo4j_backend)
    fresh = [Node("Body", f"new-{i}", {"name": f"new {i}"}) for i in range(10)]
    bad = Node("Body", "bad", {"name": {"nested": "map"}})  # not a property value
    with pytest.raises(LoadFailed, match="previous graph is unchanged"):
        neo4j_backend.write(fresh + [bad], [], replace=True, batch_size=2, validate=False)
    assert snapshot(neo4j_backend) == before
    assert staged_leftovers(neo4j_backend) == 0


def _count(nodes, attr: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in nodes:
        counts[getattr(node, attr)] = counts.get(getattr(node, attr), 0) + 1
    return counts
