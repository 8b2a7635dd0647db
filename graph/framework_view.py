"""Data behind the Frameworks page: one framework or one provision and what surrounds it.

A framework's recommendations include those mapped to any of its provisions (the identifier
scheme makes a provision id start with `<framework-id>:`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from graph import names
from graph.backend import GraphBackend
from graph.explore import View
from graph.records import Node

MAPPED = """
MATCH (r:Recommendation)-[m:MAPS_TO]->(t)
WHERE t.id = $id OR t.id STARTS WITH $prefix
RETURN r, m, t
ORDER BY r.area, r.ordinal
"""
FRAMEWORK = "MATCH (f:Framework {id: $id}) RETURN f"
PROVISION = "MATCH (p:Provision {id: $id}) OPTIONAL MATCH (p)-[e:PART_OF]->(f:Framework) " \
            "RETURN p, e, f"
RELATED = "MATCH (f:Framework {id: $id})-[e:SUPPLEMENTS|ALIGNS_WITH]-(g:Framework) RETURN f, e, g"
BODIES = "MATCH (f:Framework {id: $id})-[e:ADOPTED_BY]->(b:Body) RETURN f, e, b"
ALIGNED = """
MATCH (p:Provision)-[e:ALIGNS_WITH]-(q:Provision)
WHERE p.id = $id OR p.id STARTS WITH $prefix
OPTIONAL MATCH (q)-[pe:PART_OF]->(g:Framework)
RETURN p, e, q, pe, g
"""
PROVISIONS = """
MATCH (p:Provision)-[:PART_OF]->(f:Framework {id: $id})
OPTIONAL MATCH (r:Recommendation)-[m:MAPS_TO]->(p)
RETURN p.id AS provision, p.ref AS ref, p.title AS title, p.ordinal AS ordinal,
       count(DISTINCT r) AS recommendations
ORDER BY ordinal, provision
"""
MENTIONED_IN = "MATCH (d)-[e:MENTIONS|CITES]->(f:Framework {id: $id}) RETURN d, e, f"
PROVISION_LIST = "MATCH (p:Provision)-[:PART_OF]->(f:Framework {id: $id}) " \
                 "RETURN p.id AS id, p.ref AS ref, p.title AS title ORDER BY p.ordinal, id"


@dataclass
class FrameworkView:
    """A framework or provision with its recommendations, relations, bodies and provisions."""

    node: Node | None
    view: View
    mapped: pd.DataFrame
    related: pd.DataFrame
    bodies: pd.DataFrame
    provisions: pd.DataFrame


def provision_list(backend: GraphBackend, framework_id: str) -> pd.DataFrame:
    """The provisions of a framework, in order."""
    return pd.DataFrame(backend.run(PROVISION_LIST, {"id": framework_id}, limit=5000).records(),
                        columns=["id", "ref", "title"])


def _mapped(view: View, rows: list[tuple]) -> pd.DataFrame:
    fw = view.framework_names()
    out = [{"recommendation": r.id, "area": r.props.get("area"), "text": r.props.get("text"),
            "via": names.name(t, fw), "method": m.props.get("method"),
            "score": m.props.get("score"), "reviewed": m.props.get("reviewed"),
            "evidence": m.props.get("evidence")} for r, m, t in rows]
    return pd.DataFrame(out, columns=["recommendation", "area", "text", "via", "method", "score",
                                      "reviewed", "evidence"])


def _relations(view: View, focus: set[str]) -> pd.DataFrame:
    fw = view.framework_names()
    rows = []
    for e in view.edges.values():
        if e.type not in ("SUPPLEMENTS", "ALIGNS_WITH"):
            continue
        forwards = e.src in focus
        this, other = ((e.src_label, e.src), (e.dst_label, e.dst)) if forwards else \
            ((e.dst_label, e.dst), (e.src_label, e.src))
        if this[1] not in focus:
            continue
        rows.append({"this": names.name(view.nodes.get(this, Node(*this)), fw),
                     "relation": names.verb(e, forwards),
                     "other": names.name(view.nodes.get(other, Node(*other)), fw),
                     "other_id": other[1], "evidence": e.props.get("evidence")})
    frame = pd.DataFrame(rows, columns=["this", "relation", "other", "other_id", "evidence"])
    return frame.sort_values(["this", "relation", "other"], ignore_index=True)


def _bodies(view: View) -> pd.DataFrame:
    rows = []
    for e in view.edges.values():
        if e.type in ("ADOPTED_BY", "MENTIONS", "CITES"):
            other = (e.dst_label, e.dst) if e.type == "ADOPTED_BY" else (e.src_label, e.src)
            node = view.nodes.get(other, Node(*other))
            rows.append({"who": names.name(node), "id": node.id, "kind": node.label,
                         "relation": "adopted it" if e.type == "ADOPTED_BY" else
                         ("mentions it" if e.type == "MENTIONS" else "cites it"),
                         "date": e.props.get("date"), "symbol": e.props.get("symbol")})
    frame = pd.DataFrame(rows, columns=["who", "id", "kind", "relation", "date", "symbol"])
    return frame.sort_values(["relation", "kind", "who"], ignore_index=True)


def _start(backend: GraphBackend, query: str, label: str, node_id: str):
    """The node itself and the recommendations mapped to it or to its parts (`prefix`)."""
    view = View().add(backend.run(query, {"id": node_id}))
    node = view.nodes.get((label, node_id))
    if node is None:
        return view, None, None
    mapped = backend.run(MAPPED, {"id": node_id, "prefix": f"{node_id}:"}, limit=5000)
    view.add(mapped)
    return view, node, mapped


def _not_found(view: View) -> FrameworkView:
    empty = pd.DataFrame()
    return FrameworkView(None, view, empty, empty, empty, empty)


def framework_view(backend: GraphBackend, framework_id: str) -> FrameworkView:
    """Everything the Frameworks page shows for one framework."""
    view, node, mapped = _start(backend, FRAMEWORK, "Framework", framework_id)
    if node is None:
        return _not_found(view)
    params = {"id": framework_id, "prefix": f"{framework_id}:"}
    for query in (RELATED, BODIES, MENTIONED_IN):
        view.add(backend.run(query, {"id": framework_id}))
    aligned = backend.run(ALIGNED, params)
    view.add(aligned)
    provisions = pd.DataFrame(backend.run(PROVISIONS, {"id": framework_id}, limit=5000).records(),
                              columns=["provision", "ref", "title", "ordinal", "recommendations"])
    focus = {framework_id} | {p for p in provisions["provision"]}
    return FrameworkView(node, view, _mapped(view, mapped.rows), _relations(view, focus),
                         _bodies(view), provisions.drop(columns=["ordinal"]))


def provision_view(backend: GraphBackend, provision_id: str) -> FrameworkView:
    """Everything the Frameworks page shows for one provision."""
    view, node, mapped = _start(backend, PROVISION, "Provision", provision_id)
    if node is None:
        return _not_found(view)
    view.add(backend.run(ALIGNED, {"id": provision_id, "prefix": f"{provision_id}:"}))
    return FrameworkView(node, view, _mapped(view, mapped.rows), _relations(view, {provision_id}),
                         pd.DataFrame(), pd.DataFrame())
