"""Neo4j 5 over Bolt with the official driver: a server, a cluster or Aura.

Reads go through `driver.execute_query` in READ routing with a server-side timeout, fetching
`limit + 1` records to set `truncated` without buffering the rest. The read-only guard is
`EXPLAIN`: the planner reports the query type without running it, and only `r` passes; the
READ access mode behind it is a second lock, not the first (the driver documentation says the
access mode is for routing, not access control). Writes are batched `UNWIND $rows ... MERGE`
statements inside one transaction, so a failed load leaves the graph as it was. A replacing load
of any size is staged under shadow labels in batches and then swapped in (`graph.neo4j_load`):
one transaction cannot hold a graph of a million records.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import GraphDatabase, Query, RoutingControl
from neo4j import exceptions as nx
from neo4j import graph as ng

from graph import readonly
from graph.backend import DEFAULT_LIMIT, DEFAULT_TIMEOUT, LoadStats, QueryResult, collect_graph
from graph.config import Settings
from graph.errors import (
    AuthenticationFailed,
    BackendUnavailable,
    GraphExplorerError,
    LoadFailed,
    QueryFailed,
    QueryNotReadOnly,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.neo4j_load import StagedReplace
from graph.records import Edge, Node, Path, Records, count_by
from graph.schema import LABELS, REL_TYPES, neo4j_constraints, validate_records

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
WHAT_TO_DO = ("Start it (`python -m graph neo4j start`), point NEO4J_URI at another server, or "
              "set GRAPH_BACKEND=embedded to use the embedded engine.")


class Neo4jBackend:
    """GraphBackend over a Neo4j 5 server."""

    name = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None = None,
                 database: str | None = None, *, connection_timeout: float = 5.0) -> None:
        self.uri = uri
        self.database = database
        self._user = auth[0] if auth else None
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise BackendUnavailable(f"NEO4J_URI={uri!r} is not a valid Neo4j URI (scheme "
                                     f"{scheme or 'missing'!r}). Use bolt://host:7687 or "
                                     "neo4j://host:7687 (neo4j+s:// for Aura).")
        try:
            self._driver = GraphDatabase.driver(uri, auth=auth,
                                                connection_timeout=connection_timeout,
                                                max_transaction_retry_time=5.0)
        except (ValueError, nx.ConfigurationError) as e:
            raise BackendUnavailable(f"NEO4J_URI={uri!r} is not a valid Neo4j URI ({e}). "
                                     "Use bolt://host:7687 or neo4j://host:7687.") from e
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jBackend:
        if not settings.neo4j_uri:
            raise BackendUnavailable(
                "GRAPH_BACKEND=neo4j but NEO4J_URI is not set. Set it (e.g. bolt://127.0.0.1:7687, "
                "or start a local server with `python -m graph neo4j start`), or set "
                "GRAPH_BACKEND=embedded.")
        auth = (settings.neo4j_user or "neo4j", settings.neo4j_password or "") \
            if settings.neo4j_user or settings.neo4j_password else None
        return cls(settings.neo4j_uri, auth, settings.neo4j_database)

    def describe(self) -> str:
        user = f" as {self._user}" if self._user else ""
        return f"neo4j at {self.uri}{user} (database {self.database or 'default'})"

    def close(self) -> None:
        self._driver.close()

    # -- errors ------------------------------------------------------------------------------

    def _translate(self, e: Exception, timeout: float | None = None) -> GraphExplorerError:
        code = getattr(e, "code", "") or ""
        if self._user is None and isinstance(e, nx.AuthError):
            return AuthenticationFailed(
                f"Neo4j at {self.uri} requires a login. Set NEO4J_USER and NEO4J_PASSWORD "
                "(environment or .streamlit/secrets.toml); for the explorer, a read-only user.")
        if code.endswith("AuthenticationRateLimit"):
            return AuthenticationFailed(
                f"Neo4j at {self.uri} refused user {self._user!r} after too many wrong passwords "
                "in a row and locks it for a few seconds. Check NEO4J_USER and NEO4J_PASSWORD "
                "(environment or .streamlit/secrets.toml), then try again.")
        if isinstance(e, nx.AuthError):
            return AuthenticationFailed(
                f"Neo4j at {self.uri} refused the credentials for user {self._user!r}. Check "
                "NEO4J_USER and NEO4J_PASSWORD (environment or .streamlit/secrets.toml).")
        if isinstance(e, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
            return BackendUnavailable(f"Could not reach Neo4j at {self.uri} ({_first_line(e)}). "
                                      + WHAT_TO_DO)
        if isinstance(e, nx.CypherSyntaxError):
            return QuerySyntaxError(f"Syntax error (Neo4j): {e.message}")
        if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
            return QueryTimeout(f"The query ran longer than {timeout:g} s and was stopped. Narrow "
                                "it (add a LIMIT or a more selective MATCH) or raise the limit.")
        if "AccessMode" in code or "Forbidden" in code:
            return QueryNotReadOnly(f"Refused by Neo4j: {getattr(e, 'message', e)} "
                                    "This console is read-only.")
        if isinstance(e, nx.Neo4jError):
            return QueryFailed(f"Neo4j refused the query: {e.message} ({code})")
        return QueryFailed(f"Neo4j query failed: {e}")

    # -- reading -----------------------------------------------------------------------------

    def ensure_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        readonly.ensure_no_file_access(cypher)
        # EXPLAIN plans the query without executing it, so its type can be inspected first.
        try:
            summary = self._driver.execute_query(
                Query(f"EXPLAIN {cypher}", timeout=DEFAULT_TIMEOUT), dict(params or {}),
                routing_=RoutingControl.READ, database_=self.database,
                result_transformer_=neo4j.Result.consume)
        except Exception as e:
            raise self._translate(e, DEFAULT_TIMEOUT) from e
        if summary.query_type != "r":
            raise QueryNotReadOnly(
                f"Refused: the query is not read-only (query_type={summary.query_type!r}). "
                "Queries here may only read; load data with `python -m graph load`.")

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *,
            limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
        self.ensure_read_only(cypher, params)
        started = time.perf_counter()

        def fetch(result: neo4j.Result) -> tuple[list[str], list[Any]]:
            records = result.fetch(limit + 1)
            return list(result.keys()), records

        try:
            columns, records = self._driver.execute_query(
                Query(cypher, timeout=timeout), dict(params or {}),
                routing_=RoutingControl.READ, database_=self.database,
                result_transformer_=fetch)
        except Exception as e:
            raise self._translate(e, timeout) from e
        truncated = len(records) > limit
        keys = self._endpoint_keys(records[:limit])
        rows = [tuple(_convert(v, keys) for v in record.values()) for record in records[:limit]]
        nodes, edges = collect_graph(rows)
        return QueryResult(columns, rows, truncated, nodes, edges,
                           (time.perf_counter() - started) * 1000)

    def _endpoint_keys(self, records: list[Any]) -> dict[str, tuple[str, str]]:
        """(label, id) of relationship endpoints returned without their nodes."""
        keys: dict[str, tuple[str, str]] = {}
        missing: set[str] = set()

        def scan(v: Any) -> None:
            if isinstance(v, ng.Node) and "id" in v:
                keys[v.element_id] = (next(iter(v.labels), "?"), v["id"])
            elif isinstance(v, ng.Relationship):
                for n in (v.start_node, v.end_node):
                    if n is not None and "id" not in n:
                        missing.add(n.element_id)
            elif isinstance(v, ng.Path):
                for n in v.nodes:
                    scan(n)
            elif isinstance(v, (list, tuple)):
                for x in v:
                    scan(x)
            elif isinstance(v, dict):
                for x in v.values():
                    scan(x)

        for record in records:
            scan(list(record.values()))
        missing -= set(keys)
        if missing:
            rows, _, _ = self._driver.execute_query(
                "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n), labels(n)[0], n.id",
                {"ids": sorted(missing)}, routing_=RoutingControl.READ, database_=self.database)
            keys.update({r[0]: (r[1], r[2]) for r in rows})
        return keys

    def counts(self) -> dict[str, int]:
        return {label: self.run(f"MATCH (n:{label}) RETURN count(n)").scalar() for label in LABELS}

    def rel_counts(self) -> dict[str, int]:
        return {r.type: self.run(f"MATCH ()-[r:{r.type}]->() RETURN count(r)").scalar()
                for r in REL_TYPES}

    # -- writing -----------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the unique constraints on `id` (idempotent: IF NOT EXISTS)."""
        if self._schema_ready:
            return
        try:
            for statement in neo4j_constraints():
                self._driver.execute_query(statement, database_=self.database)
        except Exception as e:
            raise self._translate(e) from e
        self._schema_ready = True

    def write(self, nodes: Iterable[Node], edges: Iterable[Edge], *, batch_size: int = 10_000,
              replace: bool = False, validate: bool = True) -> LoadStats:
        """Replace: stage and swap (`graph.neo4j_load`). Merge: one transaction, all or nothing."""
        started = time.perf_counter()
        records = Records().add(nodes).add(edges)
        node_list, edge_list = list(records.nodes.values()), list(records.edges.values())
        self.ensure_schema()
        if validate:
            known = node_list + ([] if replace else self._existing(node_list, edge_list))
            validate_records(known, edge_list, where=f"write to {self.uri}")
        try:
            if replace:
                StagedReplace(self._driver, self.database, self.uri, _clean,
                              batch_size=batch_size).run(node_list, edge_list)
            else:
                with self._driver.session(database=self.database) as session:
                    session.execute_write(self._merge_all, node_list, edge_list, batch_size)
        except LoadFailed:
            raise
        except Exception as e:
            if isinstance(e, (nx.ServiceUnavailable, nx.AuthError)):
                raise self._translate(e) from e
            what = ("what it had staged was removed (if the server went away meanwhile, "
                    "`python -m graph neo4j abandon-load` removes it)" if replace
                    else "the transaction was rolled back")
            raise LoadFailed(f"Writing to Neo4j at {self.uri} failed ({_first_line(e)}); {what} "
                             "and the previous graph is unchanged.") from e
        return LoadStats(count_by(node_list, "label"), count_by(edge_list, "type"),
                         time.perf_counter() - started)

    def abandon_load(self) -> int:
        """Remove the staged records of a load that crashed while staging."""
        try:
            return StagedReplace(self._driver, self.database, self.uri, _clean).abandon()
        except LoadFailed:
            raise
        except Exception as e:
            raise self._translate(e) from e

    @staticmethod
    def _merge_all(tx: neo4j.ManagedTransaction, nodes: list[Node], edges: list[Edge],
                   batch_size: int) -> None:
        for (label,), group in _grouped(nodes, lambda n: (n.label,)).items():
            statement = f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
            for batch in _batches(group, batch_size):
                rows = [{"id": n.id, "props": _clean(n.props)} for n in batch]
                tx.run(statement, rows=rows).consume()
        for (rel, src, dst), group in _grouped(edges, lambda e: (e.type, e.src_label,
                                                                   e.dst_label)).items():
            statement = (f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) "
                         f"MATCH (b:{dst} {{id: row.dst}}) MERGE (a)-[r:{rel}]->(b) "
                         "SET r += row.props")
            for batch in _batches(group, batch_size):
                rows = [{"src": e.src, "dst": e.dst, "props": _clean(e.props)} for e in batch]
                tx.run(statement, rows=rows).consume()

    def _existing(self, nodes: list[Node], edges: list[Edge]) -> list[Node]:
        """Nodes already in the graph that the new edges point to (for the dangling check)."""
        have = {n.key for n in nodes}
        wanted: dict[str, set[str]] = {}
        for e in edges:
            for label, key in ((e.src_label, e.src), (e.dst_label, e.dst)):
                if (label, key) not in have and label in LABELS:
                    wanted.setdefault(label, set()).add(key)
        found = []
        for label, ids in wanted.items():
            result = self.run(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id",
                              {"ids": sorted(ids)}, limit=len(ids) + 1)
            found += [Node(label, row[0]) for row in result.rows]
        return found


def _convert(v: Any, keys: Mapping[str, tuple[str, str]]) -> Any:
    """Driver values to this project's records and plain Python values."""
    if isinstance(v, ng.Node):
        props = dict(v)
        return Node(next(iter(v.labels), "?"), props.pop("id", None),
                    {k: _convert(x, keys) for k, x in props.items()})
    if isinstance(v, ng.Relationship):
        src = _endpoint(v.start_node, keys)
        dst = _endpoint(v.end_node, keys)
        return Edge(v.type, src[0], src[1], dst[0], dst[1],
                    {k: _convert(x, keys) for k, x in dict(v).items()})
    if isinstance(v, ng.Path):
        return Path(tuple(_convert(n, keys) for n in v.nodes),
                    tuple(_convert(r, keys) for r in v.relationships))
    if isinstance(v, list):
        return [_convert(x, keys) for x in v]
    if isinstance(v, dict):
        return {k: _convert(x, keys) for k, x in v.items()}
    if isinstance(v, neo4j.time.Date):
        return v.to_native()
    if isinstance(v, (neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)):
        return v.to_native() if hasattr(v, "to_native") else str(v)
    return v


def _endpoint(n: ng.Node | None, keys: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    if n is None:
        return ("?", "?")
    if "id" in n:
        return (next(iter(n.labels), "?"), n["id"])
    return keys.get(n.element_id, ("?", "?"))


def _clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """None means "say nothing" (as in Records merging), so it is not sent as a removal."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in props.items() if v is not None}


def _grouped(items: list, key) -> dict[tuple, list]:
    groups: dict[tuple, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _batches(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), max(1, size)):
        yield items[i:i + size]


def _first_line(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]
