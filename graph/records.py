"""The records loaders produce and backends write: plain, hashable, engine-free.

A node is keyed by (label, id); an edge by (type, source key, target key). Writing the same
records twice therefore updates in place instead of duplicating (see `GraphBackend.write`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Node:
    """One node: its label, its fixed `id`, and its other properties."""

    label: str
    id: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.id)

    def __hash__(self) -> int:  # props is a dict: hash on the key only
        return hash(self.key)


@dataclass(frozen=True)
class Edge:
    """One relationship from (src_label, src) to (dst_label, dst), with its properties."""

    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.type, self.src_label, self.src, self.dst_label, self.dst)

    def __hash__(self) -> int:
        return hash(self.key)


def count_by(items: Iterable[Node | Edge], attr: str) -> dict[str, int]:
    """How many records per label (attr="label") or per type (attr="type")."""
    counts: dict[str, int] = {}
    for item in items:
        key = getattr(item, attr)
        counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass
class Records:
    """A bag of nodes and edges, deduplicated by key.

    Two records with one key are merged as Neo4j's `SET n += props` would: later non-None
    values win, earlier values survive where the later record says nothing. This lets two
    loaders describe the same event (the briefing and the summary both know `gcm-ts5`).
    """

    nodes: dict[tuple[str, str], Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str, str, str], Edge] = field(default_factory=dict)

    def add(self, items: Iterable[Node | Edge]) -> Records:
        for item in items:
            store: dict = self.nodes if isinstance(item, Node) else self.edges
            old = store.get(item.key)
            if old is not None:
                merged = {**old.props, **{k: v for k, v in item.props.items() if v is not None}}
                item = replace(item, props=merged)
            store[item.key] = item
        return self

    def __iter__(self):  # lets `backend.write(*records)` style unpacking work
        yield list(self.nodes.values())
        yield list(self.edges.values())


@dataclass(frozen=True)
class Path:
    """A path found by a query: its nodes in order and the relationships between them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def __len__(self) -> int:
        return len(self.edges)
