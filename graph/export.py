"""A view's data for download: GraphML (Gephi, yEd, Cytoscape) and CSV, via networkx.

GraphML holds scalars only, so lists are joined with "; " and dates written as ISO text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

from graph import names
from graph.aggregate import complete
from graph.records import Edge, Node


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def to_networkx(nodes: Iterable[Node], edges: Iterable[Edge]) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by node id, with label, name and every property as attributes.

    For *viewing* a view in Gephi: readable names, lists joined with "; ", and an id shared by
    two labels keyed as `Label/id`. For an exact, reversible copy of the graph use
    `graph.analytics.to_networkx` and `export_graphml`, which refuse such clashes and encode
    lists and dates so a round trip restores them.
    """
    node_list, edge_list = complete(nodes, edges)
    seen: dict[str, int] = {}
    for n in node_list:
        seen[n.id] = seen.get(n.id, 0) + 1

    def key(label: str, node_id: str) -> str:  # ids are unique per label only
        return node_id if seen.get(node_id, 0) <= 1 else f"{label}/{node_id}"

    g = nx.MultiDiGraph()
    for n in node_list:
        attrs = {k: _scalar(v) for k, v in n.props.items() if v is not None}
        g.add_node(key(n.label, n.id), **{**attrs, "id": n.id, "label": n.label,
                                          "name": names.name(n)})
    for e in edge_list:
        attrs = {k: _scalar(v) for k, v in e.props.items() if v is not None}
        g.add_edge(key(e.src_label, e.src), key(e.dst_label, e.dst), key=e.type,
                   **{**attrs, "type": e.type})
    return g


def to_graphml(nodes: Iterable[Node], edges: Iterable[Edge]) -> str:
    """GraphML text of the view (node ids are the graph's `id` values)."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(nodes, edges), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def edges_frame(nodes: Iterable[Node], edges: Iterable[Edge]) -> pd.DataFrame:
    """One row per relationship: endpoints (id, label, name), type, then its properties."""
    g = to_networkx(nodes, edges)
    columns = ["source", "source_label", "source_name", "type", "target", "target_label",
               "target_name"]
    rows = []
    for src, dst, attrs in g.edges(data=True):
        row = {"source": g.nodes[src]["id"], "source_label": g.nodes[src]["label"],
               "source_name": g.nodes[src]["name"], "type": attrs["type"],
               "target": g.nodes[dst]["id"], "target_label": g.nodes[dst]["label"],
               "target_name": g.nodes[dst]["name"]}
        # A relationship's own `source` (provenance) must not overwrite the endpoint column.
        row.update({(f"edge_{k}" if k in columns else k): v for k, v in attrs.items()
                    if k != "type"})
        rows.append(row)
    return pd.DataFrame(rows, columns=list(dict.fromkeys(columns + [k for r in rows for k in r])))


def nodes_frame(nodes: Iterable[Node], edges: Iterable[Edge] = ()) -> pd.DataFrame:
    """One row per node: id, label, name, then its properties."""
    g = to_networkx(nodes, edges)
    rows = [dict(attrs) for _, attrs in g.nodes(data=True)]
    first = ["id", "label", "name"]
    return pd.DataFrame(rows, columns=list(dict.fromkeys(first + [k for r in rows for k in r])))


def to_csv(nodes: Iterable[Node], edges: Iterable[Edge]) -> str:
    """The view as CSV: one row per relationship (with endpoint names), then lone nodes."""
    node_list, edge_list = complete(nodes, edges)
    frame = edges_frame(node_list, edge_list)
    linked = set(zip(frame["source_label"], frame["source"])) | set(
        zip(frame["target_label"], frame["target"])) if len(frame) else set()
    lone = [{"source": n.id, "source_label": n.label, "source_name": names.name(n)}
            for n in node_list if n.key not in linked]
    if lone:
        frame = pd.concat([frame, pd.DataFrame(lone)], ignore_index=True)
    return frame.to_csv(index=False)
