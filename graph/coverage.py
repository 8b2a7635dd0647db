"""The Overview's numbers, each aggregated in the engine: counts, coverage matrix and gaps.

Every query is in the subset both engines read the same way (no `labels()`/`label()`, no list
comprehensions, no empty-list parameters, which LadybugDB cannot type).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from graph.backend import GraphBackend
from graph.schema import LABELS, REL_TYPES

METHODS: tuple[str, ...] = ("cited", "curated", "inferred")

# Areas a-g x frameworks, in one query: a MAPS_TO to a provision counts for its framework
# (`framework_id`, the framework the provision is PART_OF). Links are summed per recommendation
# and framework first, then per area: counting DISTINCT recommendations over 750,000 links in
# one step took 1.1 s on LadybugDB, this 0.35 s.
COVERAGE = """
MATCH (r:Recommendation)-[m:MAPS_TO]->(t)
WHERE m.method IN $methods
WITH r, coalesce(t.framework_id, t.id) AS fid, count(m) AS links
WITH r.area AS area, fid, count(r) AS recommendations, sum(links) AS links
MATCH (f:Framework {id: fid})
RETURN area, f.id AS framework, f.short_name AS framework_name, recommendations, links
ORDER BY area, framework
"""

AREAS = """
MATCH (t:Theme)
OPTIONAL MATCH (r:Recommendation)-[:IN_AREA]->(t)
RETURN t.area AS area, t.name AS title, count(r) AS recommendations
ORDER BY area
"""

UNMAPPED_PROVISIONS = """
MATCH (p:Provision)
WHERE NOT EXISTS { MATCH (:Recommendation)-[:MAPS_TO]->(p) }
MATCH (p)-[:PART_OF]->(f:Framework)
RETURN f.id AS framework, f.short_name AS framework_name, p.id AS provision, p.ref AS ref,
       p.title AS title
ORDER BY framework_name, p.ordinal, provision
"""

UNLINKED_RECOMMENDATIONS = """
MATCH (r:Recommendation)
WHERE NOT EXISTS { MATCH (r)-[:MAPS_TO]->() }
RETURN r
ORDER BY r.area, r.ordinal
"""

METHOD_COUNTS = """
MATCH (:Recommendation)-[m:MAPS_TO]->()
RETURN m.method AS method, count(m) AS links
ORDER BY method
"""


def rel_counts(backend: GraphBackend) -> dict[str, int]:
    """Relationship count per type (aggregated in the engine)."""
    return {r.type: int(backend.run(f"MATCH ()-[x:{r.type}]->() RETURN count(x)").scalar() or 0)
            for r in REL_TYPES}


def counts(backend: GraphBackend) -> pd.DataFrame:
    """Nodes per label, in schema order."""
    found = backend.counts()
    return pd.DataFrame({"label": list(LABELS), "nodes": [int(found.get(x, 0)) for x in LABELS]})


def areas(backend: GraphBackend) -> pd.DataFrame:
    """The areas of discussion a-g with their titles and recommendation counts."""
    return pd.DataFrame(backend.run(AREAS).records(),
                        columns=["area", "title", "recommendations"])


def coverage(backend: GraphBackend, methods: Sequence[str] = METHODS) -> pd.DataFrame:
    """Distinct recommendations and links per (area, framework), for the chosen link methods.

    Example
    -------
    >>> coverage(backend, ["cited"]).columns.tolist()  # doctest: +SKIP
    ['area', 'framework', 'framework_name', 'recommendations', 'links']
    """
    chosen = [m for m in methods if m in METHODS]
    columns = ["area", "framework", "framework_name", "recommendations", "links"]
    if not chosen:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(backend.run(COVERAGE, {"methods": chosen}, limit=5000).records(),
                        columns=columns)


def coverage_matrix(table: pd.DataFrame, area_list: Sequence[str]) -> pd.DataFrame:
    """The coverage table pivoted: one row per framework, one column per area (zeros filled)."""
    if table.empty:
        return pd.DataFrame(columns=["framework", *area_list])
    matrix = table.pivot_table(index="framework_name", columns="area", values="recommendations",
                               aggfunc="sum", fill_value=0)
    matrix = matrix.reindex(columns=list(area_list), fill_value=0)
    matrix["total"] = matrix.sum(axis=1)
    return matrix.sort_values("total", ascending=False).rename_axis("framework").reset_index()


def unmapped_provisions(backend: GraphBackend, limit: int = 2000) -> pd.DataFrame:
    """Provisions that no recommendation maps to, by framework."""
    result = backend.run(UNMAPPED_PROVISIONS, limit=limit)
    return pd.DataFrame(result.records(),
                        columns=["framework", "framework_name", "provision", "ref", "title"])


def unlinked_recommendations(backend: GraphBackend, limit: int = 2000) -> pd.DataFrame:
    """Recommendations with no MAPS_TO link, with the linker's reason when it gave one."""
    rows = []
    for (node,) in backend.run(UNLINKED_RECOMMENDATIONS, limit=limit).rows:
        p = node.props
        rows.append({"id": node.id, "area": p.get("area"), "page": p.get("page"),
                     "text": p.get("text"), "why no framework": p.get("no_framework")})
    return pd.DataFrame(rows, columns=["id", "area", "page", "text", "why no framework"])


def method_counts(backend: GraphBackend) -> dict[str, int]:
    """MAPS_TO links per method (cited, curated, inferred)."""
    return {str(r["method"]): int(r["links"]) for r in backend.run(METHOD_COUNTS).records()}
