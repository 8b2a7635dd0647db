"""One protocol for both engines, the result type they share, and `connect()`.

The app, the CLI, the loaders and the tests talk to a `GraphBackend`; which engine answers is
configuration (see graph.config). Results come back as plain Python values, with graph values
turned into this project's own Node / Edge / Path records, so rows from the two engines compare
equal when they hold the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.config import Settings
from graph.records import Edge, Node, Path

DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class QueryResult:
    """Rows of a query plus the graph found in them.

    `truncated` is True when more than `limit` rows existed; only `limit` are kept.
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    elapsed_ms: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result."""
        return self.rows[0][0] if self.rows else None


@dataclass(frozen=True)
class LoadStats:
    """What a write did: nodes and edges written per label / type, and the time it took."""

    nodes: dict[str, int]
    edges: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.edges.values())


class GraphBackend(Protocol):
    """What the app, the CLI and the loaders need from a graph engine."""

    name: str

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *,
            limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
        """Run a read-only query (ensure_read_only first) and return at most `limit` rows."""
        ...

    def ensure_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> None:
        """Raise QueryNotReadOnly unless the query only reads."""
        ...

    def write(self, nodes: Iterable[Node], edges: Iterable[Edge], *, batch_size: int = 10_000,
              replace: bool = False) -> LoadStats:
        """Write records all-or-nothing; idempotent (same records twice: same graph)."""
        ...

    def counts(self) -> dict[str, int]:
        """Node count per label (aggregated in the engine)."""
        ...

    def describe(self) -> str:
        """Where this backend's graph lives (no secrets)."""
        ...

    def close(self) -> None: ...


def collect_graph(values: Iterable[Any]) -> tuple[list[Node], list[Edge]]:
    """Every Node and Edge found in `values` (inside paths and lists too), each once."""
    nodes: dict[tuple[str, str], Node] = {}
    edges: dict[tuple[str, str, str, str, str], Edge] = {}

    def visit(v: Any) -> None:
        if isinstance(v, Node):
            nodes.setdefault(v.key, v)
        elif isinstance(v, Edge):
            edges.setdefault(v.key, v)
        elif isinstance(v, Path):
            for n in v.nodes:
                visit(n)
            for e in v.edges:
                visit(e)
        elif isinstance(v, (list, tuple)):
            for x in v:
                visit(x)
        elif isinstance(v, dict):
            for x in v.values():
                visit(x)

    for value in values:
        visit(value)
    return list(nodes.values()), list(edges.values())


def connect(settings: Settings | None = None) -> GraphBackend:
    """Open the configured backend: EmbeddedBackend (default) or Neo4jBackend."""
    settings = settings or Settings.load()
    if settings.backend == "neo4j":
        from graph.neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_settings(settings)
    from graph.embedded_backend import EmbeddedBackend

    return EmbeddedBackend(settings.db_path)
