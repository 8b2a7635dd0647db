"""Network analytics over the recommendation graph, in networkx.

The graph comes either from records (`to_networkx`) or straight from a backend
(`from_backend`, which pulls only the labels, relationship types and properties asked for with
whitelisted Cypher). Every analysis is a pure function of a `networkx.MultiDiGraph` whose
nodes are keyed by their fixed `id` and carry `label` plus their properties, and whose edges
are keyed by relationship type and carry their properties.

Scale. Each function answers in seconds on the 250,000-recommendation benchmark corpus
(bench/generate.py) or says that it sampled: betweenness uses `k` random pivots above
`sample_above` nodes, communities sample recommendations when the projection would exceed
`max_pairs` pairs, and both set `sampled` in what they return. Counts that an engine can
aggregate have a `*_from_backend` twin that counts in Cypher (`degree_from_backend`).

Betweenness is Brandes' algorithm (Brandes 2001) over the undirected simple graph under `G`,
vectorised with numpy one BFS level at a time. It returns the same numbers as
``nx.betweenness_centrality(G, normalized=True)`` and, with pivots, as
``nx.betweenness_centrality(G, k=k, seed=seed)`` (tests/test_analytics.py checks both), 10 to
25 times faster than networkx's Python loop (CPU time, 2,500 nodes exact: 4.3 s against 42 s;
20,000 nodes, 20 pivots: 0.23 s against 5.8 s), which is what keeps the exact answer
affordable up to `sample_above` nodes and a sampled one at 250,000 recommendations.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import networkx as nx
import numpy as np

from graph import names
from graph.backend import GraphBackend
from graph.records import Edge, Node
from graph.schema import LABELS, NODES, REL_NAMES, RELS

__all__ = [
    "ANALYTICS_LABELS",
    "ANALYTICS_RELS",
    "BIPARTITE_LABELS",
    "BIPARTITE_RELS",
    "SMUGGLING",
    "TRAFFICKING",
    "centrality_by_label",
    "coverage_by_framework",
    "degree_from_backend",
    "export_graphml",
    "export_node_link_json",
    "from_backend",
    "node_name",
    "read_graphml",
    "read_node_link_json",
    "recommendation_communities",
    "related_recommendations",
    "to_networkx",
    "to_records",
    "trafficking_smuggling_bridges",
]

# The recommendation-provision bipartite view, and the wider view the Insights page uses.
BIPARTITE_LABELS: tuple[str, ...] = ("Recommendation", "Provision", "Framework")
BIPARTITE_RELS: tuple[str, ...] = ("MAPS_TO", "PART_OF")
ANALYTICS_LABELS: tuple[str, ...] = BIPARTITE_LABELS + ("Body",)
ANALYTICS_RELS: tuple[str, ...] = BIPARTITE_RELS + ("MENTIONS", "ALIGNS_WITH", "SUPPLEMENTS")

TRAFFICKING = "tip-protocol"
SMUGGLING = "som-protocol"

# Relationships through which a recommendation "leans on" a node (centrality, degree).
LINK_RELS: tuple[str, ...] = ("MAPS_TO", "MENTIONS")
METHODS: tuple[str, ...] = ("cited", "curated", "inferred")

_ENCODING_ATTR = "analytics_encoding"  # graph attribute holding how values were encoded
_EDGE_TYPE_ATTR = "label"  # GraphML edge attribute holding the relationship type (Gephi shows it)


# -- building graphs ---------------------------------------------------------------------------


def _clean(props: Mapping[str, Any], declared: Mapping[str, str]) -> dict[str, Any]:
    """Properties without None; schema floats as float; tuples as lists (what a round trip gives)."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if value is None:
            continue
        if declared.get(key) == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def _row_props(names_: Sequence[str], values: Sequence[Any],
               floats: Sequence[str]) -> dict[str, Any]:
    """A query row's properties as `_clean` would leave them (the fast path of from_backend)."""
    props = {k: v for k, v in zip(names_, values, strict=True) if v is not None}
    for k in floats:
        if type(props.get(k)) is int:
            props[k] = float(props[k])
    return props


def _add_node(G: nx.MultiDiGraph, label: str, node_id: str, props: Mapping[str, Any]) -> None:
    if "label" in props:
        raise ValueError(f"{label} {node_id!r}: a property named 'label' would hide the node label")
    old = G.nodes.get(node_id)
    if old is not None and old.get("label") not in (None, label):
        raise ValueError(f"id {node_id!r} is both a {old['label']} and a {label}; the analytics "
                         "graph keys nodes by id alone, so ids must be unique across labels")
    declared = NODES[label].properties if label in NODES else {}
    G.add_node(node_id, label=label, **_clean(props, declared))


def to_networkx(nodes: Iterable[Node], edges: Iterable[Edge]) -> nx.MultiDiGraph:
    """A MultiDiGraph of records: node key = the fixed id, edge key = the relationship type.

    Node attributes are `label` and the node's properties; edge attributes are the edge's
    properties. None values are dropped, properties the schema declares float are floats, and
    tuples become lists, so a graph read back from GraphML or JSON compares equal. Edge
    endpoints missing from `nodes` are added with their label only.

    Parameters
    ----------
    nodes, edges
        Records as loaders and backends produce them (graph.records).

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    ValueError
        If one id is used by two labels (keys would collide).

    Examples
    --------
    >>> G = to_networkx([Node("Framework", "untoc", {"short_name": "UNTOC", "symbol": None})],
    ...                 [Edge("PART_OF", "Provision", "untoc:art-5", "Framework", "untoc")])
    >>> G.nodes["untoc"], G.nodes["untoc:art-5"]
    ({'label': 'Framework', 'short_name': 'UNTOC'}, {'label': 'Provision'})
    >>> list(G.edges(keys=True))
    [('untoc:art-5', 'untoc', 'PART_OF')]
    """
    G = nx.MultiDiGraph()
    for n in nodes:
        _add_node(G, n.label, n.id, n.props)
    for e in edges:
        for label, key in ((e.src_label, e.src), (e.dst_label, e.dst)):
            if key not in G:
                _add_node(G, label, key, {})
        declared = RELS[e.type].properties if e.type in RELS else {}
        G.add_edge(e.src, e.dst, key=e.type, **_clean(e.props, declared))
    return G


def to_records(G: nx.MultiDiGraph, nodes: Iterable[str] | None = None
               ) -> tuple[list[Node], list[Edge]]:
    """The records of `G` (or of the subgraph on `nodes`): the inverse of `to_networkx`.

    For graph.render.to_html and the CSV/GraphML downloads of graph.export.

    Examples
    --------
    >>> G = to_networkx([Node("Framework", "untoc", {"short_name": "UNTOC"})],
    ...                 [Edge("PART_OF", "Provision", "untoc:art-5", "Framework", "untoc")])
    >>> to_records(G, ["untoc"])
    ([Node(label='Framework', id='untoc', props={'short_name': 'UNTOC'})], [])
    >>> to_records(G)[1]
    [Edge(type='PART_OF', src_label='Provision', src='untoc:art-5', dst_label='Framework', dst='untoc', props={})]
    """
    H = G if nodes is None else G.subgraph(n for n in nodes if n in G)
    labels = _labels(H)
    out_nodes = [Node(str(a.get("label")), n, {k: v for k, v in a.items() if k != "label"})
                 for n, a in H.nodes(data=True)]
    out_edges = [Edge(str(k), str(labels.get(u)), u, str(labels.get(v)), v, dict(d))
                 for u, v, k, d in H.edges(keys=True, data=True)]
    return out_nodes, out_edges


def _whitelist(names_: Iterable[str] | None, known: Sequence[str], what: str) -> list[str]:
    """The schema's own spelling of each requested name; anything unknown is refused."""
    if names_ is None:
        return list(known)
    if isinstance(names_, str):
        names_ = [names_]
    out = []
    for name_ in names_:
        if name_ not in known:
            raise ValueError(f"unknown {what} {name_!r}; known: {', '.join(known)}")
        out.append(known[list(known).index(name_)])
    return out


def _props_wanted(owner: str, declared: Mapping[str, str],
                  properties: Mapping[str, Sequence[str]] | None) -> list[str]:
    if properties is None or owner not in properties:
        return list(declared)
    return _whitelist(properties[owner], list(declared), f"property of {owner}")


def from_backend(backend: GraphBackend, *, labels: Iterable[str] | None = None,
                 rel_types: Iterable[str] | None = None,
                 properties: Mapping[str, Sequence[str]] | None = None,
                 methods: Sequence[str] | None = None, limit: int = 10_000_000,
                 timeout: float = 300.0) -> nx.MultiDiGraph:
    """Pull a labelled subgraph from a backend into a MultiDiGraph (see `to_networkx`).

    One query per label and one per (type, from label, to label) pair, each returning plain
    columns (no node or relationship values to convert). Labels, types and property names are
    checked against graph.schema and only the schema's own spelling is put into the Cypher
    text; the values (`methods`) travel as query parameters.

    Parameters
    ----------
    backend
        Any GraphBackend (embedded or Neo4j).
    labels, rel_types
        What to pull; None means every label / type in the schema. Relationships are pulled
        only between the labels pulled. The bipartite recommendation-provision view is
        ``labels=BIPARTITE_LABELS, rel_types=BIPARTITE_RELS``.
    properties
        Label or relationship type -> property names to pull (ids always come). A label or
        type not named here gets all its declared properties; ``{"Recommendation": []}``
        pulls ids only.
    methods
        When given, MAPS_TO and MENTIONS edges are pulled only with these `method` values.
    limit, timeout
        Row cap per query (exceeding it raises rather than returning a partial graph) and
        time limit per query in seconds.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    ValueError
        For a label, type or property the schema does not declare, or a query over `limit`.

    Examples
    --------
    >>> from_backend(None, labels=["Recommendation; MATCH (n) DETACH DELETE n"])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown label 'Recommendation; MATCH (n) DETACH DELETE n'; known: ...
    """
    wanted_labels = _whitelist(labels, LABELS, "label")
    wanted_rels = _whitelist(rel_types, REL_NAMES, "relationship type")
    if methods is not None:
        methods = [str(m) for m in methods]
    G = nx.MultiDiGraph()

    def pull(cypher: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        result = backend.run(cypher, params, limit=limit, timeout=timeout)
        if result.truncated:
            raise ValueError(f"more than {limit:,} rows for {cypher!r}; raise `limit` or pull less")
        return result.rows

    for label in wanted_labels:
        declared = NODES[label].properties
        props = _props_wanted(label, declared, properties)
        cols = ", ".join(["n.id"] + [f"n.{p}" for p in props])
        for row in pull(f"MATCH (n:{label}) RETURN {cols}"):
            _add_node(G, label, row[0], dict(zip(props, row[1:], strict=True)))
    for rel_type in wanted_rels:
        rel = RELS[rel_type]
        props = _props_wanted(rel_type, rel.properties, properties)
        floats = [p for p in props if rel.properties[p] == "float"]
        filtered = methods is not None and "method" in rel.properties and rel_type in LINK_RELS
        if filtered and not methods:
            continue  # no method wanted (and LadybugDB cannot type an empty list parameter)
        where = " WHERE r.method IN $methods" if filtered else ""
        params = {"methods": methods} if filtered else None
        cols = ", ".join(["a.id", "b.id"] + [f"r.{p}" for p in props])
        for src, dst in rel.endpoints:
            if src not in wanted_labels or dst not in wanted_labels:
                continue
            rows = pull(f"MATCH (a:{src})-[r:{rel_type}]->(b:{dst}){where} RETURN {cols}", params)
            G.add_edges_from((row[0], row[1], rel_type, _row_props(props, row[2:], floats))
                             for row in rows)
    return G


# -- names and shared helpers ------------------------------------------------------------------


def _framework_names(G: nx.MultiDiGraph) -> dict[str, str]:
    return {n: str(a.get("short_name") or a.get("name") or n) for n, a in G.nodes(data=True)
            if a.get("label") == "Framework"}


def node_name(G: nx.MultiDiGraph, node: str, frameworks: Mapping[str, str] | None = None) -> str:
    """How a reader knows `node` (graph.names.name): provisions read with their framework.

    Examples
    --------
    >>> G = to_networkx([Node("Framework", "tip-protocol", {"short_name": "Trafficking Protocol"}),
    ...                  Node("Provision", "tip-protocol:art-6", {"ref": "art-6"})], [])
    >>> node_name(G, "tip-protocol:art-6")
    'Trafficking Protocol art. 6'
    """
    attrs = dict(G.nodes[node])
    label = attrs.pop("label", "?")
    fw = frameworks if frameworks is not None else _framework_names(G)
    return names.name(Node(label, node, attrs), fw)


def _label(G: nx.MultiDiGraph, node: str) -> str | None:
    return G.nodes[node].get("label") if node in G else None


def _labels(G: nx.MultiDiGraph) -> dict[str, str | None]:
    return dict(G.nodes(data="label"))


def _linked(keyed: Mapping[str, Mapping[str, Any]], rel_types: Sequence[str],
            methods: Sequence[str] | None) -> bool:
    """Whether one of the parallel edges `keyed` (key -> data) is a wanted link."""
    if methods is None:
        return not keyed.keys().isdisjoint(rel_types)
    return any(key in rel_types and data.get("method") in methods for key, data in keyed.items())


def _provision_frameworks(G: nx.MultiDiGraph) -> dict[str, str]:
    """Provision -> its framework: PART_OF, else `framework_id`, else the id's prefix."""
    out: dict[str, str] = {}
    labels = _labels(G)
    for node, attrs in G.nodes(data=True):
        if attrs.get("label") != "Provision":
            continue
        fw = next((dst for dst, keyed in _raw(G, "succ")[node].items()
                   if "PART_OF" in keyed and labels.get(dst) == "Framework"), None)
        fw = fw or attrs.get("framework_id") or (node.split(":", 1)[0] if ":" in node else None)
        if fw is not None:
            out[node] = fw
    return out


def _rec_targets(G: nx.MultiDiGraph, methods: Sequence[str] | None = None,
                 rel_types: Sequence[str] = ("MAPS_TO",)) -> dict[str, set[str]]:
    """Recommendation -> the nodes it links to by `rel_types` (every recommendation, maybe empty)."""
    succ = _raw(G, "succ")
    return {node: {dst for dst, keyed in succ[node].items() if _linked(keyed, rel_types, methods)}
            for node, label in G.nodes(data="label") if label == "Recommendation"}


def _raw(G: nx.Graph, side: str) -> Mapping[str, Mapping[str, Any]]:
    """The adjacency dicts under `G.succ` / `G.pred` / `G.adj`, without networkx's view
    objects (a view per lookup costs more than the lookup at 10^6 edges). Read only."""
    return {"succ": G._succ, "pred": G._pred, "adj": G._adj}[side] if G.is_directed() \
        else G._adj


def _recommendations_of(G: nx.MultiDiGraph, node: str, methods: Sequence[str] | None,
                        rel_types: Sequence[str] = LINK_RELS,
                        labels: Mapping[str, str | None] | None = None) -> set[str]:
    """Recommendations with a wanted link into `node`."""
    if node not in G:
        return set()
    labels = labels if labels is not None else _labels(G)
    return {src for src, keyed in _raw(G, "pred")[node].items()
            if labels.get(src) == "Recommendation" and _linked(keyed, rel_types, methods)}


# -- centrality --------------------------------------------------------------------------------


def _adjacency(G: nx.Graph) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Node order and CSR arrays of the undirected simple graph under G (no self-loops).

    Works on any networkx graph: parallel edges, directions and self-loops are dropped.
    """
    order = list(G.nodes())
    n = len(order)
    index = {v: i for i, v in enumerate(order)}
    adj = _raw(G, "adj")
    counts = np.fromiter((len(adj[u]) for u in order), dtype=np.int64, count=n)
    src = np.repeat(np.arange(n, dtype=np.int64), counts)
    dst = np.fromiter(itertools.chain.from_iterable(map(index.__getitem__, adj[u]) for u in order),
                      dtype=np.int64, count=int(counts.sum()))
    keep = src != dst
    s = np.concatenate([src[keep], dst[keep]])
    t = np.concatenate([dst[keep], src[keep]])
    codes = np.sort(s * max(n, 1) + t)
    if codes.size:
        codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])]
    s, t = np.divmod(codes, max(n, 1))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(s, minlength=n), out=indptr[1:])
    return order, indptr, t.astype(np.int64)


def _brandes(indptr: np.ndarray, indices: np.ndarray, sources: Iterable[int]) -> np.ndarray:
    """Sum over `sources` of Brandes' dependencies (endpoints excluded), unnormalised."""
    n = len(indptr) - 1
    degree = np.diff(indptr)
    bc = np.zeros(n)
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    for s in sources:
        seen = [np.array([s])]
        dist[s], sigma[s] = 0, 1.0
        frontier = seen[0]
        levels: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        depth = 0
        while frontier.size:
            counts = degree[frontier]
            total = int(counts.sum())
            if total == 0:
                break
            first = indptr[frontier] - np.cumsum(counts) + counts
            nbrs = indices[np.repeat(first, counts) + np.arange(total)]
            new = dist[nbrs] == -1  # edges into the next level (shortest-path DAG edges)
            v, w = np.repeat(frontier, counts)[new], nbrs[new]
            if not w.size:
                break
            nodes_w, inv_w = np.unique(w, return_inverse=True)
            nodes_v, inv_v = np.unique(v, return_inverse=True)
            depth += 1
            dist[nodes_w] = depth
            sigma[nodes_w] = np.bincount(inv_w, weights=sigma[v])
            levels.append((v, w, nodes_v, inv_v))
            seen.append(nodes_w)
            frontier = nodes_w
        for v, w, nodes_v, inv_v in reversed(levels):
            coeff = sigma[v] / sigma[w] * (1.0 + delta[w])
            delta[nodes_v] += np.bincount(inv_v, weights=coeff)
        delta[s] = 0.0
        for nodes in seen:
            bc[nodes] += delta[nodes]
            dist[nodes], sigma[nodes], delta[nodes] = -1, 0.0, 0.0
    return bc


def _betweenness(G: nx.Graph, k: int | None, seed: int,
                 sample_above: int | None = None) -> tuple[dict[Any, float], int | None]:
    """Normalised betweenness as networkx computes it, and the pivots used (None: exact).

    Exact when `k` is None and the graph has at most `sample_above` nodes (or `sample_above`
    is None); with `k` pivots (or `_auto_pivots` of them past `sample_above`) otherwise.
    """
    order, indptr, indices = _adjacency(G)
    n = len(order)
    if k is None and sample_above is not None and n > sample_above:
        k = _auto_pivots(n, len(indices) // 2, sample_above)
    if k is not None and k >= n:
        k = None
    pivots = None if k is None else random.Random(seed).sample(order, k)
    index = {v: i for i, v in enumerate(order)}
    sources = range(n) if pivots is None else [index[p] for p in pivots]
    raw = _brandes(indptr, indices, sources)
    big_n = n - 1  # endpoints excluded: pairs (s, t) with v not an endpoint
    if big_n < 2:
        return dict.fromkeys(order, 0.0), k
    if k is None:
        return {v: float(x) / (big_n * (big_n - 1)) for v, x in zip(order, raw, strict=True)}, k
    chosen = set(sources)
    scale_source = 1 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (big_n - 1))
    return {v: float(x) * (scale_source if i in chosen else scale_other)
            for i, (v, x) in enumerate(zip(order, raw, strict=True))}, k


def _auto_pivots(n: int, m: int, sample_above: int) -> int:
    """Pivots for a sampled betweenness: about the work of an exact run at the threshold."""
    budget = 2 * sample_above * sample_above  # ~ sample_above BFS over ~2 x sample_above edges
    return int(max(16, min(sample_above, budget // max(1, n + m), 256)))


def centrality_by_label(G: nx.MultiDiGraph, label: str, *, k: int | None = None,
                        sample_above: int = 3000, seed: int = 42,
                        methods: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Degree and betweenness of every `label` node, most-leaned-on first.

    `recommendations` counts the distinct recommendations that lean on the node: a MAPS_TO or
    MENTIONS edge into it or, for a Framework, into the framework itself or any of its
    provisions (PART_OF). `betweenness` is the normalised betweenness centrality over the
    undirected simple graph under `G` (edge types and directions ignored), so it depends on
    what `G` holds: on the bipartite view it measures how much a provision connects otherwise
    separate recommendations and frameworks.

    Parameters
    ----------
    G
        An analytics graph (`to_networkx`, `from_backend`).
    label
        A schema label, typically Provision, Framework or Body.
    k
        Betweenness pivots. None: exact up to `sample_above` nodes, then a number of pivots
        that keeps the work near an exact run at the threshold (16 to 256). An explicit `k`
        below the node count always samples.
    sample_above
        Node count above which betweenness is sampled.
    seed
        Seed of the pivot sample (the same sample `nx.betweenness_centrality` draws).
    methods
        Count only links with these methods (None: all).

    Returns
    -------
    list of dict
        One row per node: id, label, name, recommendations, betweenness, sampled (True when
        betweenness is an estimate from pivots), pivots (their number, or None).

    Examples
    --------
    >>> G = to_networkx([], [Edge("MAPS_TO", "Recommendation", r, "Provision", p)
    ...                      for r, p in [("d:a.1", "x:art-1"), ("d:a.2", "x:art-1"),
    ...                                   ("d:a.2", "x:art-2")]])
    >>> [(r["id"], r["recommendations"], round(r["betweenness"], 3), r["sampled"])
    ...  for r in centrality_by_label(G, "Provision")]
    [('x:art-1', 2, 0.667, False), ('x:art-2', 1, 0.0, False)]
    >>> centrality_by_label(G, "Provision", sample_above=3, k=2)[0]["sampled"]
    True
    """
    (label,) = _whitelist([label], LABELS, "label")
    targets = [n for n, lab in G.nodes(data="label") if lab == label]
    scores, k = _betweenness(G, k, seed, sample_above) if targets else ({}, None)
    provisions_of: dict[str, list[str]] = defaultdict(list)
    if label == "Framework":
        for p, fw in _provision_frameworks(G).items():
            provisions_of[fw].append(p)
    frameworks = _framework_names(G)
    labels = _labels(G)
    rows = []
    for node in targets:
        recs = _recommendations_of(G, node, methods, LINK_RELS, labels)
        for p in provisions_of.get(node, ()):
            recs |= _recommendations_of(G, p, methods, LINK_RELS, labels)
        rows.append({"id": node, "label": label, "name": node_name(G, node, frameworks),
                     "recommendations": len(recs), "betweenness": scores.get(node, 0.0),
                     "sampled": k is not None, "pivots": k})
    rows.sort(key=lambda r: (-r["recommendations"], -r["betweenness"], r["id"]))
    return rows


def degree_from_backend(backend: GraphBackend, label: str, *,
                        methods: Sequence[str] | None = None,
                        timeout: float = 60.0) -> list[dict[str, Any]]:
    """`centrality_by_label`'s `recommendations` counted in the engine, one row per node.

    The same definition (MAPS_TO or MENTIONS from a Recommendation, and for a Framework also
    into any of its provisions), aggregated in one query with `count(DISTINCT r)`, in the
    subset of Cypher both engines read the same way (tests compare the two engines with
    `centrality_by_label`). Only the label is formatted into the Cypher, after the schema
    whitelist; `methods` is a parameter.

    Returns
    -------
    list of dict
        id, label, name, recommendations; most-leaned-on first, then by id.

    Examples
    --------
    >>> degree_from_backend(None, "Provision) DETACH DELETE (n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown label 'Provision) DETACH DELETE (n'; known: ...
    """
    (label,) = _whitelist([label], LABELS, "label")
    methods = None if methods is None else [str(m) for m in methods]
    rels = "|".join(LINK_RELS)
    where = " WHERE m.method IN $methods" if methods is not None else ""
    if label == "Framework":  # into the framework or one of its provisions (coverage.py's way)
        cypher = (f"MATCH (r:Recommendation)-[m:{rels}]->(t){where} "
                  "OPTIONAL MATCH (t)-[:PART_OF]->(pf:Framework) "
                  "WITH r, coalesce(pf.id, t.id) AS fid "
                  "MATCH (n:Framework {id: fid}) RETURN n.id, count(DISTINCT r)")
    else:
        cypher = f"MATCH (r:Recommendation)-[m:{rels}]->(n:{label}){where} " \
                 "RETURN n.id, count(DISTINCT r)"
    total: dict[str, int] = {}
    if methods is None or methods:  # LadybugDB cannot type an empty list parameter
        params = {"methods": methods} if methods is not None else None
        total = {node_id: int(c) for node_id, c in
                 backend.run(cypher, params, limit=10_000_000, timeout=timeout).rows}
    declared = NODES[label].properties
    props = [p for p in _NAME_PROPS if p in declared]
    frameworks: dict[str, str] = {}
    if label == "Provision":
        frameworks = {fid: str(s or nm or fid) for fid, s, nm in backend.run(
            "MATCH (f:Framework) RETURN f.id, f.short_name, f.name", limit=10_000_000,
            timeout=timeout).rows}
    cols = ", ".join(["n.id"] + [f"n.{p}" for p in props])
    rows = []
    for row in backend.run(f"MATCH (n:{label}) RETURN {cols}", limit=10_000_000,
                           timeout=timeout).rows:
        node = Node(label, row[0], {k: v for k, v in zip(props, row[1:], strict=True)
                                    if v is not None})
        rows.append({"id": row[0], "label": label, "name": names.name(node, frameworks),
                     "recommendations": total.get(row[0], 0)})
    rows.sort(key=lambda r: (-r["recommendations"], r["id"]))
    return rows


# Properties graph.names.name reads, pulled by degree_from_backend to name each row.
_NAME_PROPS = ("framework_id", "ref", "short_name", "name", "acronym", "area", "symbol", "title",
               "kind")


# -- communities -------------------------------------------------------------------------------


def recommendation_communities(G: nx.MultiDiGraph, *, seed: int = 42, resolution: float = 1.0,
                               max_pairs: int = 100_000, top: int = 3,
                               methods: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Louvain communities of recommendations that share provisions, each named by them.

    The projection links two recommendations with a weight equal to the number of MAPS_TO
    targets (provisions, or frameworks linked as a whole) they share; a provision does not
    stand in for its framework here, or every recommendation on one framework would merge into
    one block. Louvain (`nx.community.louvain_communities`) runs with a fixed seed on that
    weighted graph, so the same graph gives the same communities. Recommendations without any
    MAPS_TO are left out; one whose targets no other recommendation shares is its own
    community.

    When the projection would hold more than `max_pairs` pairs (about 2 million at 250,000
    recommendations and 5,000 provisions is 10^9), a seeded random sample of recommendations is
    projected instead, sized so that the expected pair count is `max_pairs`, and every row says
    `sampled`.

    Parameters
    ----------
    G
        An analytics graph.
    seed, resolution
        Louvain's seed and resolution (higher: more, smaller communities).
    max_pairs
        Largest projection computed in full.
    top
        How many of the community's most shared targets to report; the name uses the first two.
    methods
        Use only MAPS_TO edges with these methods (None: all).

    Returns
    -------
    list of dict
        Largest community first: community (0, 1, ...), name, size, members (sorted ids),
        top_targets (list of (id, name, members linked to it)), sampled, considered (the number
        of recommendations projected).

    Examples
    --------
    >>> pairs = [("d:a.1", "x:art-1"), ("d:a.2", "x:art-1"), ("d:a.1", "x:art-2"),
    ...          ("d:a.2", "x:art-2"), ("d:b.1", "y:art-9"), ("d:b.2", "y:art-9")]
    >>> G = to_networkx([], [Edge("MAPS_TO", "Recommendation", r, "Provision", p)
    ...                      for r, p in pairs])
    >>> [(c["members"], c["name"]) for c in recommendation_communities(G)]
    [(['d:a.1', 'd:a.2'], 'x art. 1 · x art. 2'), (['d:b.1', 'd:b.2'], 'y art. 9')]
    """
    targets = {r: t for r, t in _rec_targets(G, methods).items() if t}
    recs = sorted(targets)
    considered, sampled = recs, False

    def index(members: Sequence[str]) -> dict[str, list[str]]:
        by_target: dict[str, list[str]] = defaultdict(list)
        for r in members:
            for t in targets[r]:
                by_target[t].append(r)
        return by_target

    def pair_count(by_target: Mapping[str, list[str]]) -> int:
        return sum(len(v) * (len(v) - 1) // 2 for v in by_target.values())

    by_target = index(recs)
    pairs = pair_count(by_target)
    rng = random.Random(seed)
    while pairs > max_pairs and len(considered) > 2:
        size = max(2, min(len(considered) - 1,
                          int(len(considered) * math.sqrt(max_pairs / pairs))))
        considered = sorted(rng.sample(considered, size))
        sampled = True
        by_target = index(considered)
        pairs = pair_count(by_target)
    weights: Counter[tuple[str, str]] = Counter()
    for t in sorted(by_target):
        for a, b in itertools.combinations(by_target[t], 2):
            weights[(a, b)] += 1
    P = nx.Graph()
    P.add_nodes_from(considered)
    P.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    found = nx.community.louvain_communities(P, weight="weight", resolution=resolution,
                                             seed=seed) if len(P) else []
    frameworks = _framework_names(G)
    rows = []
    for members in sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0])):
        shared = Counter(t for r in members for t in targets[r])
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:max(top, 2)]
        rows.append({
            "community": len(rows),
            "name": " · ".join(node_name(G, t, frameworks) for t, _ in best[:2]),
            "size": len(members), "members": members,
            "top_targets": [(t, node_name(G, t, frameworks), c) for t, c in best[:top]],
            "sampled": sampled, "considered": len(considered)})
    return rows


# -- trafficking / smuggling bridges -----------------------------------------------------------


def _aligned(G: nx.MultiDiGraph, node: str) -> set[str]:
    """Nodes joined to `node` by ALIGNS_WITH, either way (a crosswalk row works both ways)."""
    out = {dst for _, dst, key in G.out_edges(node, keys=True) if key == "ALIGNS_WITH"}
    out |= {src for src, _, key in G.in_edges(node, keys=True) if key == "ALIGNS_WITH"}
    return out


def _side(G: nx.MultiDiGraph, protocol: str, provisions_of: Mapping[str, list[str]]
          ) -> tuple[set[str], dict[str, set[str]]]:
    """(core, side -> the core nodes each side node aligns with)."""
    core = {protocol, *provisions_of.get(protocol, ())} if protocol in G else set()
    anchors: dict[str, set[str]] = {c: {c} for c in core}
    for c in sorted(core):
        for x in _aligned(G, c):
            if _label(G, x) in ("Provision", "Framework"):
                anchors.setdefault(x, set()).add(c)
    return core, anchors


def trafficking_smuggling_bridges(G: nx.MultiDiGraph, *, trafficking: str = TRAFFICKING,
                                  smuggling: str = SMUGGLING,
                                  methods: Sequence[str] | None = None) -> dict[str, list]:
    """Provisions and frameworks that join the trafficking and smuggling sides, and the
    recommendations that sit on both.

    The two sides, explicitly:

    - the **trafficking side** is the Trafficking in Persons Protocol (`tip-protocol`) and its
      provisions (PART_OF), plus every provision or framework joined to one of them by an
      ALIGNS_WITH edge, in either direction, one hop (the crosswalk: `gcm:obj-10`,
      `agenda-2030:indicator-16.2.2`, ...);
    - the **smuggling side** is the same for the Smuggling of Migrants Protocol
      (`som-protocol`).

    Alignment is not followed further (SDG target 8.7 aligns with GCM objective 10, which aligns
    with art. 5 of the Trafficking Protocol; 8.7 is not on the trafficking side for that).

    A **bridge** is a provision or framework that

    - ``aligns-with-both``: is on both sides (e.g. GCM objective 11 aligns with art. 11 of both
      Protocols);
    - ``provisions-on-both-sides``: is a Framework node of `G` with provisions on each side
      (the GCM: objective 10 on trafficking, objective 9 on smuggling); or
    - ``supplemented-by-both``: is a framework both Protocols SUPPLEMENT (UNTOC).

    A recommendation **sits on both sides** when its MAPS_TO targets include a node of each
    side (one bridge provision on both sides is enough). MENTIONS edges do not count.

    Parameters
    ----------
    G
        An analytics graph holding Provision, Framework, PART_OF and ALIGNS_WITH (and
        SUPPLEMENTS, MAPS_TO for the last two kinds of answer).
    trafficking, smuggling
        The framework ids that anchor the two sides.
    methods
        MAPS_TO methods to count (None: all).

    Returns
    -------
    dict
        ``bridges``: rows id, label, name, reasons (list), trafficking and smuggling (the side
        anchors it connects to, sorted), recommendations (distinct recommendations with a
        MAPS_TO into it or, for a framework, into its provisions), most used first;
        ``recommendations``: rows id, trafficking and smuggling (its MAPS_TO targets on each
        side, sorted), sorted by id.

    Examples
    --------
    >>> E = lambda t, a, s, b, d: Edge(t, a, s, b, d)
    >>> G = to_networkx([], [
    ...     E("PART_OF", "Provision", "tip-protocol:art-6", "Framework", "tip-protocol"),
    ...     E("PART_OF", "Provision", "som-protocol:art-16", "Framework", "som-protocol"),
    ...     E("ALIGNS_WITH", "Provision", "gcm:obj-7", "Provision", "tip-protocol:art-6"),
    ...     E("ALIGNS_WITH", "Provision", "gcm:obj-7", "Provision", "som-protocol:art-16"),
    ...     E("MAPS_TO", "Recommendation", "d:a.1", "Provision", "gcm:obj-7")])
    >>> out = trafficking_smuggling_bridges(G)
    >>> [(b["id"], b["reasons"], b["recommendations"]) for b in out["bridges"]]
    [('gcm:obj-7', ['aligns-with-both'], 1)]
    >>> [r["id"] for r in out["recommendations"]]
    ['d:a.1']
    """
    pf = _provision_frameworks(G)
    provisions_of: dict[str, list[str]] = defaultdict(list)
    for p, fw in sorted(pf.items()):
        provisions_of[fw].append(p)
    _, t_side = _side(G, trafficking, provisions_of)
    _, s_side = _side(G, smuggling, provisions_of)
    found: dict[str, dict[str, Any]] = {}

    def note(node: str, reason: str, t_anchor: Iterable[str], s_anchor: Iterable[str]) -> None:
        row = found.setdefault(node, {"reasons": [], "trafficking": set(), "smuggling": set()})
        if reason not in row["reasons"]:
            row["reasons"].append(reason)
        row["trafficking"] |= set(t_anchor)
        row["smuggling"] |= set(s_anchor)

    for node in sorted(set(t_side) & set(s_side)):
        note(node, "aligns-with-both", t_side[node], s_side[node])
    for fw, provisions in sorted(provisions_of.items()):
        if fw in (trafficking, smuggling) or _label(G, fw) != "Framework":
            continue
        on_t = [p for p in provisions if p in t_side]
        on_s = [p for p in provisions if p in s_side]
        if on_t and on_s:
            note(fw, "provisions-on-both-sides", on_t, on_s)
    for node, attrs in G.nodes(data=True):
        if attrs.get("label") != "Framework":
            continue
        supplemented = {src for src, _, key in G.in_edges(node, keys=True) if key == "SUPPLEMENTS"}
        if {trafficking, smuggling} <= supplemented:
            note(node, "supplemented-by-both", [trafficking], [smuggling])
    frameworks = _framework_names(G)
    labels = _labels(G)
    bridges = []
    for node, row in found.items():
        recs = _recommendations_of(G, node, methods, ("MAPS_TO",), labels)
        if labels.get(node) == "Framework":
            for p in provisions_of.get(node, ()):
                recs |= _recommendations_of(G, p, methods, ("MAPS_TO",), labels)
        bridges.append({"id": node, "label": labels.get(node),
                        "name": node_name(G, node, frameworks), "reasons": row["reasons"],
                        "trafficking": sorted(row["trafficking"]),
                        "smuggling": sorted(row["smuggling"]), "recommendations": len(recs)})
    bridges.sort(key=lambda r: (-r["recommendations"], r["id"]))
    on_side: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"t": [], "s": []})
    for side, members in (("t", t_side), ("s", s_side)):
        for node in sorted(members):
            for rec in _recommendations_of(G, node, methods, ("MAPS_TO",), labels):
                on_side[rec][side].append(node)
    both = [{"id": rec, "trafficking": hits["t"], "smuggling": hits["s"]}
            for rec, hits in sorted(on_side.items()) if hits["t"] and hits["s"]]
    return {"bridges": bridges, "recommendations": both}


# -- related recommendations -------------------------------------------------------------------


def related_recommendations(G: nx.MultiDiGraph, rec_id: str, *, top: int = 5,
                            methods: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The recommendations most similar to `rec_id`, by Jaccard over what they map to.

    Rule: a recommendation's set is its MAPS_TO targets plus the framework of every provision
    among them (a provision counts its framework too; a framework linked as a whole counts
    once). So two recommendations on the same article share two elements (the article and the
    framework), two on different articles of one framework share one, and the Jaccard index
    |A & B| / |A | B| ranks the first pair above the second.

    Parameters
    ----------
    G
        An analytics graph with MAPS_TO (and PART_OF, or provisions' `framework_id`).
    rec_id
        A Recommendation in `G`.
    top
        How many to return.
    methods
        MAPS_TO methods to use (None: all).

    Returns
    -------
    list of dict
        Most similar first (ties: more shared, then id): id, jaccard, shared (sorted ids of
        the shared provisions and frameworks: the explanation), shared_names.

    Raises
    ------
    KeyError
        If `rec_id` is not a Recommendation in `G`.

    Examples
    --------
    >>> E = lambda r, p: Edge("MAPS_TO", "Recommendation", r, "Provision", p)
    >>> G = to_networkx([], [E("d:a.1", "x:art-1"), E("d:a.2", "x:art-1"), E("d:a.2", "y:art-1"),
    ...                      E("d:a.3", "x:art-2")])
    >>> [(r["id"], round(r["jaccard"], 3), r["shared"])
    ...  for r in related_recommendations(G, "d:a.1")]  # frameworks from the ids: x, y
    [('d:a.2', 0.5, ['x', 'x:art-1']), ('d:a.3', 0.333, ['x'])]
    """
    if rec_id not in G or _label(G, rec_id) != "Recommendation":
        raise KeyError(f"no Recommendation {rec_id!r} in the graph")
    pf = _provision_frameworks(G)
    provisions_of: dict[str, list[str]] = defaultdict(list)
    for p, fw in pf.items():
        provisions_of[fw].append(p)

    succ = _raw(G, "succ")

    def direct(rec: str) -> set[str]:
        return {dst for dst, keyed in succ[rec].items() if _linked(keyed, ("MAPS_TO",), methods)}

    def expand(targets: set[str]) -> set[str]:
        return targets | {pf[t] for t in targets if t in pf}

    mine = expand(direct(rec_id))
    labels = _labels(G)
    candidates: set[str] = set()
    for x in mine:
        candidates |= _recommendations_of(G, x, methods, ("MAPS_TO",), labels)
        for p in provisions_of.get(x, ()):
            candidates |= _recommendations_of(G, p, methods, ("MAPS_TO",), labels)
    candidates.discard(rec_id)
    frameworks = _framework_names(G)
    rows = []
    for other in candidates:
        theirs = expand(direct(other))
        shared = mine & theirs
        rows.append((len(shared) / len(mine | theirs), len(shared), other, sorted(shared)))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [{"id": other, "jaccard": j, "shared": shared,
             "shared_names": [node_name(G, s, frameworks) if s in G else s for s in shared]}
            for j, _, other, shared in rows[:top]]


# -- coverage ----------------------------------------------------------------------------------


def coverage_by_framework(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Share of each framework's provisions that recommendations map to, per link method.

    A provision is touched by a method when at least one Recommendation has a MAPS_TO edge into
    it with that `method` (`any`: with any method). Links to the framework as a whole touch no
    provision; they are counted apart in `framework_links`.

    Returns
    -------
    list of dict
        For each framework (by id), one row per method found in `G` (cited, curated, inferred
        first) and one for ``any``: framework_id, framework, provisions, method, touched,
        share (touched / provisions; None for a framework without provisions in `G`),
        framework_links (recommendations linking the framework itself with that method).

    Examples
    --------
    >>> G = to_networkx([Node("Provision", f"x:art-{i}", {"framework_id": "x"}) for i in (1, 2, 3, 4)],
    ...                 [Edge("MAPS_TO", "Recommendation", "d:a.1", "Provision", "x:art-1",
    ...                       {"method": "cited"}),
    ...                  Edge("MAPS_TO", "Recommendation", "d:a.2", "Provision", "x:art-2",
    ...                       {"method": "inferred"})])
    >>> [(r["method"], r["touched"], r["share"]) for r in coverage_by_framework(G)]
    [('cited', 1, 0.25), ('inferred', 1, 0.25), ('any', 2, 0.5)]
    """
    pf = _provision_frameworks(G)
    provisions_of: dict[str, list[str]] = defaultdict(list)
    for p, fw in pf.items():
        provisions_of[fw].append(p)
    frameworks = sorted({n for n, a in G.nodes(data=True) if a.get("label") == "Framework"}
                        | set(provisions_of))
    touched: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    direct: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    found_methods: set[str] = set()
    labels = _labels(G)
    pred = _raw(G, "pred")
    for target in itertools.chain(pf, frameworks):
        if target not in G:
            continue
        is_provision = target in pf
        for src, keyed in pred[target].items():
            data = keyed.get("MAPS_TO")
            if data is None or labels.get(src) != "Recommendation":
                continue
            method = str(data.get("method", "unspecified"))
            found_methods.add(method)
            if is_provision:
                touched[pf[target]][method].add(target)
                touched[pf[target]]["any"].add(target)
            elif labels.get(target) == "Framework":
                direct[target][method].add(src)
                direct[target]["any"].add(src)
    order = [m for m in METHODS if m in found_methods] + sorted(found_methods - set(METHODS))
    names_ = _framework_names(G)
    rows = []
    for fw in frameworks:
        total = len(provisions_of.get(fw, ()))
        for method in order + ["any"]:
            hit = len(touched[fw][method]) if fw in touched else 0
            rows.append({"framework_id": fw, "framework": names_.get(fw, fw),
                         "provisions": total, "method": method, "touched": hit,
                         "share": hit / total if total else None,
                         "framework_links": len(direct[fw][method]) if fw in direct else 0})
    return rows


# -- export and import -------------------------------------------------------------------------


def _encoding_plan(values: Mapping[str, list[Any]], native: tuple[type, ...]) -> dict[str, str]:
    """Attribute name -> "json" | "date" | "datetime" for values `native` cannot hold as is."""
    plan: dict[str, str] = {}
    for name_, vals in values.items():
        kinds = {type(v) for v in vals}
        if kinds <= {dt.date}:
            plan[name_] = "date"
        elif kinds <= {dt.datetime}:
            plan[name_] = "datetime"
        elif any(issubclass(k, (dt.date, dt.datetime)) for k in kinds):
            raise TypeError(f"attribute {name_!r} mixes dates with {sorted(k.__name__ for k in kinds)}"
                            "; give it one type to export it")
        elif all(issubclass(k, native) for k in kinds) and (
                len(kinds) == 1 or kinds <= {int, float}):
            continue  # one native type (ints and floats share a GraphML double)
        else:
            plan[name_] = "json"
    return plan


def _encode(value: Any, how: str | None) -> Any:
    if how == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if how in ("date", "datetime"):
        return value.isoformat()
    return value


def _decode(value: Any, how: str | None) -> Any:
    if how == "json":
        return json.loads(value)
    if how == "date":
        return dt.date.fromisoformat(value)
    if how == "datetime":
        return dt.datetime.fromisoformat(value)
    return value


def _collect(items: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = defaultdict(list)
    for attrs in items:
        for k, v in attrs.items():
            if v is not None:
                values[k].append(v)
    return values


def _plans(G: nx.MultiDiGraph, native: tuple[type, ...]) -> dict[str, dict[str, str]]:
    return {"graph": _encoding_plan(_collect([G.graph]), native),
            "node": _encoding_plan(_collect(a for _, a in G.nodes(data=True)), native),
            "edge": _encoding_plan(_collect(d for *_, d in G.edges(data=True)), native)}


def _encoded(attrs: Mapping[str, Any], plan: Mapping[str, str]) -> dict[str, Any]:
    return {k: _encode(v, plan.get(k)) for k, v in attrs.items() if v is not None}


def _decoded(attrs: Mapping[str, Any], plan: Mapping[str, str]) -> dict[str, Any]:
    return {k: _decode(v, plan.get(k)) for k, v in attrs.items()}


def export_graphml(G: nx.MultiDiGraph, path: str | Path | IO[bytes]) -> None:
    """Write `G` as GraphML that Gephi, yEd and networkx open, and `read_graphml` restores.

    GraphML holds strings, numbers and booleans only, so:

    - lists (and any value of an attribute whose type varies) are written as JSON text,
      dates and datetimes as ISO 8601 text, and None values are left out;
    - which attributes were encoded how is stored in the graph attribute
      ``analytics_encoding`` (JSON), so `read_graphml` decodes exactly what was encoded and
      leaves a string that merely looks like JSON or a date alone;
    - edges get unique GraphML ids (``e0``, ``e1``, ...; Gephi drops edges whose id repeats)
      and carry the relationship type (the MultiDiGraph edge key) as the ``label``
      attribute, which Gephi shows as the edge label; `read_graphml` turns it back into the key.
      Node `label` (the graph label) becomes Gephi's node label; the `name` column or the
      Data Laboratory shows the rest.

    Node and edge counts, ids, keys and attributes survive ``read_graphml(export_graphml(G))``
    exactly; a plain ``nx.read_graphml`` gives the same counts with the encoded text values.

    Parameters
    ----------
    G
        An analytics graph (`to_networkx`, `from_backend`).
    path
        A file name or a binary file object (a `BytesIO` for a download button).

    Examples
    --------
    >>> G = to_networkx([Node("Framework", "untoc", {"keywords": ["crime"],
    ...                                              "adopted": dt.date(2000, 11, 15)})], [])
    >>> buffer = io.BytesIO()
    >>> export_graphml(G, buffer)
    >>> _ = buffer.seek(0)
    >>> back = read_graphml(buffer)
    >>> back.nodes["untoc"] == G.nodes["untoc"], nx.read_graphml(io.BytesIO(buffer.getvalue())
    ...     ).nodes["untoc"]["keywords"]
    (True, '["crime"]')
    """
    plans = _plans(G, (str, int, float, bool))
    for *_, data in G.edges(data=True):
        if _EDGE_TYPE_ATTR in data:
            raise ValueError(f"an edge attribute named {_EDGE_TYPE_ATTR!r} would collide with "
                             "the relationship type written under that name")
    H = nx.MultiDiGraph()
    H.graph.update(_encoded(G.graph, plans["graph"]))
    H.graph[_ENCODING_ATTR] = json.dumps({**plans, "edge_key": _EDGE_TYPE_ATTR}, sort_keys=True)
    H.add_nodes_from((n, _encoded(a, plans["node"])) for n, a in G.nodes(data=True))
    H.add_edges_from((u, v, f"e{i}", {**_encoded(d, plans["edge"]), _EDGE_TYPE_ATTR: str(k)})
                     for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)))
    nx.write_graphml(H, path, encoding="utf-8", infer_numeric_types=True)


def _restore(H: nx.Graph, meta: Mapping[str, Any] | None, key_attr: str | None) -> nx.MultiDiGraph:
    plans = meta or {"graph": {}, "node": {}, "edge": {}}
    G = nx.MultiDiGraph()
    graph_attrs = {k: v for k, v in H.graph.items() if k != _ENCODING_ATTR}
    if meta is not None:  # read_graphml adds these two; a file of ours never holds them
        for k in ("node_default", "edge_default"):
            if graph_attrs.get(k) == {} and k not in plans["graph"]:
                graph_attrs.pop(k)
    G.graph.update(_decoded(graph_attrs, plans["graph"]))
    renamed = plans.get("renamed", {"node": {}, "edge": {}})
    G.add_nodes_from((n, _decoded({renamed["node"].get(k, k): v for k, v in a.items()},
                                  plans["node"])) for n, a in H.nodes(data=True))
    edges = H.edges(keys=True, data=True) if H.is_multigraph() else \
        ((u, v, None, d) for u, v, d in H.edges(data=True))
    for u, v, k, d in edges:
        d = dict(d)
        if key_attr is not None and key_attr in d:
            k = d.pop(key_attr)
        d = {renamed["edge"].get(x, x): y for x, y in d.items()}
        G.add_edge(u, v, key=k, **_decoded(d, plans["edge"]))
    return G


def read_graphml(path: str | Path | IO[bytes]) -> nx.MultiDiGraph:
    """Read a GraphML file written by `export_graphml` back into the graph that was written.

    Decodes the attributes listed in ``analytics_encoding`` and restores relationship types as
    edge keys. A GraphML file from elsewhere is read as networkx reads it (as a MultiDiGraph).

    Examples
    --------
    >>> G = to_networkx([], [Edge("MAPS_TO", "Recommendation", "d:a.1", "Provision", "x:art-1",
    ...                           {"method": "cited", "score": 1})])
    >>> buffer = io.BytesIO(); export_graphml(G, buffer); _ = buffer.seek(0)
    >>> list(read_graphml(buffer).edges(keys=True, data=True))
    [('d:a.1', 'x:art-1', 'MAPS_TO', {'method': 'cited', 'score': 1.0})]
    """
    H = nx.read_graphml(path, force_multigraph=True)
    meta = json.loads(H.graph[_ENCODING_ATTR]) if _ENCODING_ATTR in H.graph else None
    return _restore(H, meta, meta.get("edge_key") if meta else None)


def export_node_link_json(G: nx.MultiDiGraph, path: str | Path | IO[bytes]) -> None:
    """Write `G` as node-link JSON (d3, `nx.node_link_graph`), restorable by `read_node_link_json`.

    The layout is networkx's ``node_link_data(G, edges="edges")``: ``nodes`` with ``id`` and
    attributes, ``edges`` with ``source``, ``target``, ``key`` (the relationship type) and
    attributes. JSON holds lists natively; dates and datetimes are ISO 8601 strings, and an
    attribute named like one of those fields (the `source` provenance property of most edges)
    is written as ``property:<name>``. Both are listed in the graph attribute
    ``analytics_encoding``, so `read_node_link_json` restores them.

    Examples
    --------
    >>> G = to_networkx([Node("Document", "doc", {"date": dt.date(2017, 6, 9)})], [])
    >>> buffer = io.BytesIO(); export_node_link_json(G, buffer)
    >>> json.loads(buffer.getvalue())["nodes"]
    [{'label': 'Document', 'date': '2017-06-09', 'id': 'doc'}]
    >>> _ = buffer.seek(0); read_node_link_json(buffer).nodes["doc"]["date"]
    datetime.date(2017, 6, 9)
    """
    plans: dict[str, Any] = _plans(G, (str, int, float, bool, list, dict))
    # Attributes named like node-link's own fields (`source`, our provenance property, would
    # be overwritten by the edge's source node) are written as "property:<name>".
    renamed: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for scope, reserved, items in (("node", ("id",), (a for _, a in G.nodes(data=True))),
                                   ("edge", ("source", "target", "key"),
                                    (d for *_, d in G.edges(data=True)))):
        present = set().union(*(set(a) for a in items))
        for name_ in reserved:
            if name_ in present:
                if f"property:{name_}" in present:
                    raise ValueError(f"{scope} attributes {name_!r} and 'property:{name_}' "
                                     "cannot both be written as node-link JSON")
                renamed[scope][f"property:{name_}"] = name_
    plans["renamed"] = renamed
    back = {scope: {old: new for new, old in m.items()} for scope, m in renamed.items()}
    H = nx.MultiDiGraph()
    H.graph.update(_encoded(G.graph, plans["graph"]))
    H.graph[_ENCODING_ATTR] = json.dumps(plans, sort_keys=True)
    H.add_nodes_from((n, {back["node"].get(k, k): v
                          for k, v in _encoded(a, plans["node"]).items()})
                     for n, a in G.nodes(data=True))
    H.add_edges_from((u, v, k, {back["edge"].get(x, x): y
                                for x, y in _encoded(d, plans["edge"]).items()})
                     for u, v, k, d in G.edges(keys=True, data=True))
    text = json.dumps(nx.node_link_data(H, edges="edges"), ensure_ascii=False)
    if isinstance(path, (str, Path)):
        Path(path).write_text(text, encoding="utf-8")
    else:
        path.write(text.encode("utf-8"))


def read_node_link_json(path: str | Path | IO[bytes]) -> nx.MultiDiGraph:
    """Read a file written by `export_node_link_json` back into the graph that was written.

    Examples
    --------
    >>> G = to_networkx([], [Edge("PART_OF", "Provision", "x:art-1", "Framework", "x")])
    >>> buffer = io.BytesIO(); export_node_link_json(G, buffer); _ = buffer.seek(0)
    >>> nx.utils.graphs_equal(read_node_link_json(buffer), G)
    True
    """
    if isinstance(path, (str, Path)):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    else:
        data = json.loads(path.read())
    H = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    meta = json.loads(H.graph[_ENCODING_ATTR]) if _ENCODING_ATTR in H.graph else None
    return _restore(H, meta, None)
