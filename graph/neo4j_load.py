"""Replacing the graph on Neo4j at any size: stage under shadow labels, then swap.

One transaction cannot hold a large graph: at 1.5 million records Neo4j refuses it at 4 GiB of
transaction memory, or the JVM is killed at 14 GiB of heap. So a replacing load runs in three
steps, each in batches that commit on their own:

1. **Stage.** Every node is created under a shadow label (`_Load_Recommendation` for
   `Recommendation`, ...), and every relationship between staged nodes, in batches of 10,000
   written by two writers at once. No query of the schema
   matches a shadow label, so readers still see the previous graph, whole. If staging fails
   (the server stops, memory runs out), the staged records are removed and the previous graph
   is untouched.
2. **Swap.** The previous graph's nodes are deleted and the staged ones take their real labels.
   When the old and new graphs hold up to `SWAP_IN_ONE_TRANSACTION` records together (the seed
   graph has about 2,500), the swap is one transaction, so readers see the old graph or the
   new one, never a mix. Larger ones swap in batches (deleting 120,000 records in one
   transaction takes Neo4j 12 s, in batches 2 s), and readers may see a mix for those seconds; a `_GraphLoad`
   marker records that a swap is under way, and if it is interrupted the next load finishes it
   before anything else (everything it needs was staged and committed before the swap began).
3. **Clean up.** The marker is removed.

A second load started while one is staging is refused (the marker's unique id), with what to
do if the first one crashed (`abandon_load`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import neo4j

from graph.errors import LoadFailed
from graph.records import Edge, Node
from graph.schema import LABELS

SHADOW = "_Load_"
MARKER = "_GraphLoad"
BATCH = 10_000
SWAP_IN_ONE_TRANSACTION = 20_000
WRITERS = 2
SWAP_STATES = ("swapping", "relabelling")  # the marker's states once staging is complete


def shadow(label: str) -> str:
    return SHADOW + label


def staging_schema() -> list[str]:
    """The marker's unique id: a second load cannot claim the database while one runs.

    The shadow labels carry no index: relationships find their staged endpoints by element id,
    and an index would only have to be updated again when the nodes are relabelled.
    """
    return [f"CREATE CONSTRAINT graphload_id IF NOT EXISTS FOR (m:{MARKER}) REQUIRE m.id IS UNIQUE"]


class StagedReplace:
    """One replacing load: `run()` stages, swaps and cleans up."""

    def __init__(self, driver: neo4j.Driver, database: str | None, uri: str,
                 clean: Callable[[dict], dict], *, batch_size: int = BATCH,
                 swap_in_one: int = SWAP_IN_ONE_TRANSACTION, workers: int = WRITERS) -> None:
        self.driver, self.database, self.uri = driver, database, uri
        self.clean = clean
        self.batch_size = max(1, batch_size)
        self.swap_in_one = swap_in_one
        self.workers = max(1, workers)

    # -- the steps -------------------------------------------------------------------------

    def run(self, nodes: list[Node], edges: list[Edge]) -> None:
        for statement in staging_schema():
            self._auto(statement)
        self.finish_interrupted_swap()
        self._claim()
        try:
            self._remove_staged()  # staged nodes whose marker was deleted by hand
            self._stage(nodes, edges)
        except BaseException:
            self._abandon_quietly()
            raise
        self._swap()
        self._auto(f"MATCH (m:{MARKER} {{id: 'load'}}) DELETE m")

    def _claim(self) -> None:
        try:
            self._write(f"CREATE (:{MARKER} {{id: 'load', state: 'staging', started: $t}})",
                        t=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
        except neo4j.exceptions.ConstraintError as e:
            started = self._marker().get("started", "?")
            raise LoadFailed(
                f"Another load into Neo4j at {self.uri} started at {started} and is still "
                "staging; the graph is unchanged. Wait for it, or, if no load is running (it "
                "crashed), remove its staged records with `python -m graph neo4j abandon-load` "
                "and load again.") from e

    def _stage(self, nodes: list[Node], edges: list[Edge]) -> None:
        # Relationships find their staged endpoints by element id (a direct seek), which the
        # node batches return, so the shadow labels need no index to stage or to relabel.
        element: dict[tuple[str, str], str] = {}
        for label, group in _grouped(nodes, lambda n: n.label).items():
            statement = (f"UNWIND $rows AS row CREATE (n:{shadow(label)}) "
                         "SET n = row.props, n.id = row.id RETURN row.id AS id, elementId(n) AS e")
            batches = ([{"id": n.id, "props": self.clean(n.props)} for n in batch]
                       for batch in _batches(group, self.batch_size))
            for records in self._in_parallel(statement, batches):
                element.update(((label, r[0]), r[1]) for r in records)
        for rel, group in _grouped(edges, lambda e: e.type).items():
            statement = ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a "
                         "MATCH (b) WHERE elementId(b) = row.b "
                         f"CREATE (a)-[r:{rel}]->(b) SET r = row.props")
            batches = ([{"a": element[(e.src_label, e.src)], "b": element[(e.dst_label, e.dst)],
                         "props": self.clean(e.props)} for e in batch]
                       for batch in _batches(group, self.batch_size))
            for _ in self._in_parallel(statement, batches):
                pass

    def _in_parallel(self, statement: str, batches: Iterator[list[dict]]) -> Iterator[list]:
        """Each batch its own transaction, `workers` at a time, results in order.

        Two writers load the full-scale corpus 1.5x faster than one (43,000 against 28,000
        records/s on two cores). Writers creating relationships on the same dense node may
        deadlock; Neo4j reports that as a transient error and the driver retries the batch.
        At most two batches per writer are built ahead, so memory stays bounded.
        """
        with ThreadPoolExecutor(self.workers) as pool:
            pending: deque[Future] = deque()
            for rows in batches:
                pending.append(pool.submit(self._write, statement, rows=rows))
                if len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def _swap(self) -> None:
        size = self._count(LABELS) + self._count([shadow(label) for label in LABELS])
        if size <= self.swap_in_one:
            try:
                with self._session() as session:
                    session.execute_write(self._swap_in_one)
            except BaseException:
                self._abandon_quietly()  # rolled back: the previous graph is whole
                raise
            return
        self._write(f"MATCH (m:{MARKER} {{id: 'load'}}) SET m.state = 'swapping'")
        try:
            self._swap_in_batches()
        except Exception as e:
            raise LoadFailed(
                f"Neo4j at {self.uri}: the swap to the new graph was cut off ({e}). The new graph "
                "was fully staged; run the load again and it finishes the swap first.") from e

    def _swap_in_one(self, tx: neo4j.ManagedTransaction) -> None:
        for label in LABELS:
            tx.run(f"MATCH (n:{label}) DETACH DELETE n").consume()
        for label in LABELS:
            tx.run(f"MATCH (n:{shadow(label)}) SET n:{label} REMOVE n:{shadow(label)}").consume()

    def _swap_in_batches(self, state: str = "swapping") -> None:
        """Delete the old graph, then relabel the staged one; the marker says which step is
        under way, so that a resumed swap never deletes nodes it has already relabelled."""
        each = f"IN TRANSACTIONS OF {self.batch_size} ROWS"
        if state == "swapping":
            for label in LABELS:
                self._auto(f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} {each}")
            self._write(f"MATCH (m:{MARKER} {{id: 'load'}}) SET m.state = 'relabelling'")
        self._relabel()

    def _relabel(self) -> None:
        for label in LABELS:
            self._auto(f"MATCH (n:{shadow(label)}) CALL (n) {{ SET n:{label} "
                       f"REMOVE n:{shadow(label)} }} IN TRANSACTIONS OF {self.batch_size} ROWS")

    # -- interrupted loads -----------------------------------------------------------------

    def finish_interrupted_swap(self) -> bool:
        """Finish a swap a crashed load began (its staged records are complete)."""
        state = self._marker().get("state")
        if state not in SWAP_STATES:
            return False
        self._swap_in_batches(state)
        self._auto(f"MATCH (m:{MARKER} {{id: 'load'}}) DELETE m")
        return True

    def abandon(self) -> int:
        """Remove a crashed load's staged records and its marker; the graph is untouched."""
        if self._marker().get("state") in SWAP_STATES:
            raise LoadFailed("The interrupted load had begun its swap, so its staged records are "
                             "part of the graph now; load again to finish it.")
        removed = self._remove_staged()
        self._auto(f"MATCH (m:{MARKER} {{id: 'load'}}) DELETE m")
        return removed

    def _abandon_quietly(self) -> None:
        try:
            self.abandon()
        except Exception:  # the server may be gone: the marker tells the next load what to do
            pass

    def _remove_staged(self) -> int:
        removed = self._count([shadow(label) for label in LABELS], with_relationships=False)
        for label in LABELS:
            self._auto(f"MATCH (n:{shadow(label)}) CALL (n) {{ DETACH DELETE n }} "
                       f"IN TRANSACTIONS OF {self.batch_size} ROWS")
        return removed

    # -- plumbing --------------------------------------------------------------------------

    def _marker(self) -> dict[str, Any]:
        records = self._read(f"MATCH (m:{MARKER} {{id: 'load'}}) RETURN properties(m) AS m")
        return dict(records[0]["m"]) if records else {}

    def _count(self, labels: list[str], *, with_relationships: bool = True) -> int:
        """Nodes (and their outgoing relationships) under these labels, from the count store."""
        total = 0
        for label in labels:
            total += self._read(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
            if with_relationships:
                total += self._read(f"MATCH (:{label})-[r]->() RETURN count(r) AS c")[0]["c"]
        return total

    def _session(self) -> neo4j.Session:
        # Notifications off: a shadow label that does not exist yet is expected, not a warning.
        return self.driver.session(database=self.database, notifications_min_severity="OFF")

    def _read(self, statement: str) -> list:
        with self._session() as session:
            return session.execute_read(lambda tx: list(tx.run(statement)))

    def _write(self, statement: str, **params: Any) -> list:
        """One batch in its own transaction (retried by the driver on transient errors)."""
        with self._session() as session:
            return session.execute_write(lambda tx: list(tx.run(statement, params)))

    def _auto(self, statement: str) -> None:
        """An auto-commit statement: `CALL ... IN TRANSACTIONS` cannot run inside another."""
        with self._session() as session:
            session.run(statement).consume()


def _grouped(items: list, key) -> dict[Any, list]:
    groups: dict[Any, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
