"""Aggregation instead of truncation: a graph too big to draw becomes one node per label.

Users of graph browsers report that caps which silently drop nodes or edges mislead (see
reference/peer-tools.md, "Aggregation instead of truncation"). Here every node is counted in
its label's meta-node and every edge in its (type, from label, to label) meta-edge, so the
picture stays true at a coarser grain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from graph.records import Edge, Node


def complete(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    """Nodes (deduplicated) plus a bare node for every edge endpoint that was not returned."""
    by_key: dict[tuple[str, str], Node] = {}
    for n in nodes:
        by_key.setdefault(n.key, n)
    edge_list: dict[tuple[str, str, str, str, str], Edge] = {}
    for e in edges:
        edge_list.setdefault(e.key, e)
        for key in ((e.src_label, e.src), (e.dst_label, e.dst)):
            if key not in by_key:
                by_key[key] = Node(key[0], key[1])
    return list(by_key.values()), list(edge_list.values())


def aggregate(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    """One node per label (props: count, name) and one edge per (type, from, to) with its count.

    Example
    -------
    >>> ns = [Node("Provision", f"x:art-{i}") for i in range(3)] + [Node("Framework", "x")]
    >>> es = [Edge("PART_OF", "Provision", f"x:art-{i}", "Framework", "x") for i in range(3)]
    >>> meta_nodes, meta_edges = aggregate(ns, es)
    >>> [(n.id, n.props["count"]) for n in meta_nodes]
    [('Provision', 3), ('Framework', 1)]
    >>> meta_edges[0].props["count"]
    3
    """
    node_list, edge_list = complete(nodes, edges)
    labels = Counter(n.label for n in node_list)
    meta_nodes = [Node(label, label, {"count": n, "name": f"{label} ({n:,})"})
                  for label, n in labels.most_common()]
    rels = Counter((e.type, e.src_label, e.dst_label) for e in edge_list)
    meta_edges = [Edge(t, a, a, b, b, {"count": n}) for (t, a, b), n in rels.most_common()]
    return meta_nodes, meta_edges
