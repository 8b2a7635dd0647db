"""Data behind the Recommendations and Frameworks pages: search, facets and linkage views.

Filters are assembled from fixed Cypher fragments chosen by which filters are set; every value
the user typed or picked travels as a parameter, never inside the query text. Frameworks are
matched through the fixed identifier scheme (`<framework-id>:<ref>` for provisions), so a
filter on a framework also finds links to its provisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graph import names
from graph.backend import GraphBackend, QueryResult
from graph.coverage import METHODS
from graph.records import Edge, Node

SEARCH_COLUMNS = ["id", "area", "ordinal", "page", "text", "links", "methods"]


@dataclass
class View:
    """Nodes and edges gathered from several queries, each once."""

    nodes: dict[tuple[str, str], Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str, str, str], Edge] = field(default_factory=dict)

    def add(self, result: QueryResult) -> View:
        for n in result.nodes:
            self.nodes.setdefault(n.key, n)
        for e in result.edges:
            self.edges.setdefault(e.key, e)
        return self

    def node_list(self) -> list[Node]:
        return list(self.nodes.values())

    def edge_list(self) -> list[Edge]:
        return list(self.edges.values())

    def framework_names(self) -> dict[str, str]:
        return {n.id: names.name(n) for n in self.nodes.values() if n.label == "Framework"}


def search_terms(text: str, most: int = 8) -> list[str]:
    """Lower-cased words of a search box (every word must occur: AND, substring match)."""
    return [w for w in text.lower().split() if w][:most]


def recommendation_query(text: str = "", areas: Sequence[str] = (), framework: str | None = None,
                         methods: Sequence[str] = (), body: str | None = None
                         ) -> tuple[str, dict[str, Any]]:
    """The search query and its parameters (only fixed fragments; values are parameters)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if terms := search_terms(text):
        where.append("all(x IN $terms WHERE lower(r.text) CONTAINS x OR lower(r.id) CONTAINS x)")
        params["terms"] = terms
    if areas:
        where.append("r.area IN $areas")
        params["areas"] = list(areas)
    link: list[str] = []
    if framework:
        link.append("(t.id = $framework OR t.id STARTS WITH $framework_prefix)")
        params.update(framework=framework, framework_prefix=f"{framework}:")
    chosen = [m for m in methods if m in METHODS]
    if chosen and len(chosen) < len(METHODS):
        link.append("m.method IN $methods")
        params["methods"] = chosen
    if link:
        where.append("EXISTS { MATCH (r)-[m:MAPS_TO]->(t) WHERE " + " AND ".join(link) + " }")
    if body:
        where.append("EXISTS { MATCH (r)-[:MENTIONS]->(b:Body) WHERE b.id = $body }")
        params["body"] = body
    query = ("MATCH (r:Recommendation)" + (" WHERE " + " AND ".join(where) if where else "") +
             " OPTIONAL MATCH (r)-[l:MAPS_TO]->()"
             " RETURN r.id AS id, r.area AS area, r.ordinal AS ordinal, r.page AS page,"
             " r.text AS text, count(l) AS links, collect(DISTINCT l.method) AS methods"
             " ORDER BY area, ordinal")
    return query, params


def search_recommendations(backend: GraphBackend, text: str = "", areas: Sequence[str] = (),
                           framework: str | None = None, methods: Sequence[str] = (),
                           body: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """Recommendations matching every filter, in document order, with their link counts."""
    query, params = recommendation_query(text, areas, framework, methods, body)
    frame = pd.DataFrame(backend.run(query, params, limit=limit).records(), columns=SEARCH_COLUMNS)
    frame["methods"] = [", ".join(sorted(m for m in ms if m)) for ms in frame["methods"]]
    return frame


LINKED_FRAMEWORKS = """
MATCH (:Recommendation)-[:MAPS_TO]->(t)
OPTIONAL MATCH (t)-[:PART_OF]->(pf:Framework)
WITH coalesce(pf.id, t.id) AS fid, count(*) AS links
MATCH (f:Framework {id: fid})
RETURN f.id AS id, f.short_name AS name, links
ORDER BY name
"""
ALL_FRAMEWORKS = "MATCH (f:Framework) RETURN f.id AS id, f.short_name AS name, f.kind AS kind " \
                 "ORDER BY name"
MENTIONED_BODIES = """
MATCH (:Recommendation)-[:MENTIONS]->(b:Body)
RETURN b.id AS id, b.name AS name, count(*) AS mentions
ORDER BY name
"""


def linked_frameworks(backend: GraphBackend) -> pd.DataFrame:
    """Frameworks some recommendation maps to (directly or through a provision)."""
    return pd.DataFrame(backend.run(LINKED_FRAMEWORKS).records(), columns=["id", "name", "links"])


def all_frameworks(backend: GraphBackend) -> pd.DataFrame:
    return pd.DataFrame(backend.run(ALL_FRAMEWORKS).records(), columns=["id", "name", "kind"])


def mentioned_bodies(backend: GraphBackend) -> pd.DataFrame:
    """Bodies some recommendation mentions."""
    return pd.DataFrame(backend.run(MENTIONED_BODIES).records(), columns=["id", "name", "mentions"])


# -- the linkage view of one recommendation ------------------------------------------------

REC_OUT = ("MATCH (r:Recommendation {id: $id}) OPTIONAL MATCH (r)-[e]->(x) RETURN r, e, x")
REC_PROVISIONS = ("MATCH (r:Recommendation {id: $id})-[:MAPS_TO]->(p:Provision)"
                  "-[e:PART_OF]->(f:Framework) RETURN p, e, f")
FRAMEWORK_CONTEXT = ("MATCH (f:Framework)-[e:ADOPTED_BY|SUPPLEMENTS]->(x) WHERE f.id IN $ids "
                     "RETURN f, e, x")
DOCUMENT_ISSUER = ("MATCH (r:Recommendation {id: $id})-[:MADE_IN]->(d:Document)"
                   "-[e:ISSUED_BY]->(b:Body) RETURN d, e, b")
LINK_COLUMNS = ["target", "target_id", "kind", "method", "score", "reviewed", "evidence",
                "rationale", "source"]


@dataclass
class Linkage:
    """One recommendation, its graph neighbourhood and its links, ready to show."""

    recommendation: Node | None
    view: View
    links: pd.DataFrame
    mentions: pd.DataFrame
    document: Node | None = None
    theme: Node | None = None


def _link_rows(rec: Node, edges: Iterable[Edge], view: View, doc: Node | None) -> pd.DataFrame:
    fw = view.framework_names()
    where = names.short(names.name(doc), 48) if doc else str(rec.props.get("document_id", ""))
    page = rec.props.get("page")
    rows = []
    for e in edges:
        target = view.nodes.get((e.dst_label, e.dst), Node(e.dst_label, e.dst))
        p = e.props
        rows.append({"target": names.name(target, fw), "target_id": e.dst, "kind": e.dst_label,
                     "method": p.get("method"), "score": p.get("score"),
                     "reviewed": p.get("reviewed"), "evidence": p.get("evidence"),
                     "rationale": p.get("rationale"),
                     "source": f"{where}, p. {page}" if page is not None else where})
    order = {m: i for i, m in enumerate(METHODS)}
    rows.sort(key=lambda r: (order.get(r["method"], 9), -(r["score"] or 0), r["target"]))
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def linkage(backend: GraphBackend, rec_id: str) -> Linkage:
    """The recommendation, its document and page, theme, every provision and framework it maps
    to, their frameworks and bodies, the bodies it mentions, and a table of its links."""
    view = View()
    first = backend.run(REC_OUT, {"id": rec_id})
    view.add(first)
    rec = next((n for n in first.nodes if n.label == "Recommendation" and n.id == rec_id), None)
    if rec is None:
        return Linkage(None, view, pd.DataFrame(columns=LINK_COLUMNS), pd.DataFrame())
    view.add(backend.run(REC_PROVISIONS, {"id": rec_id}))
    fw_ids = sorted({n.id for n in view.nodes.values() if n.label == "Framework"})
    if fw_ids:
        view.add(backend.run(FRAMEWORK_CONTEXT, {"ids": fw_ids}))
    view.add(backend.run(DOCUMENT_ISSUER, {"id": rec_id}))
    out = [e for e in view.edges.values() if e.src == rec_id and e.src_label == "Recommendation"]
    doc = next((view.nodes.get((e.dst_label, e.dst)) for e in out if e.type == "MADE_IN"), None)
    theme = next((view.nodes.get((e.dst_label, e.dst)) for e in out if e.type == "IN_AREA"), None)
    links = _link_rows(rec, [e for e in out if e.type == "MAPS_TO"], view, doc)
    mentions = _link_rows(rec, [e for e in out if e.type == "MENTIONS"], view, doc)
    return Linkage(rec, view, links, mentions[["target", "target_id", "kind", "evidence"]], doc,
                   theme)


def link_count(backend: GraphBackend) -> int:
    """How many MAPS_TO links the graph holds (counted in the engine)."""
    return backend.run("MATCH (:Recommendation)-[m:MAPS_TO]->() RETURN count(m)").scalar()
