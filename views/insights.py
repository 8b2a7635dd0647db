"""Insights: network analytics of the recommendation graph (graph.analytics, in networkx).

Which provisions, frameworks and bodies recommendations lean on most, communities of
recommendations that share provisions, the provisions that join trafficking and smuggling,
related recommendations, and how much of each framework recommendations cover. Each table or
chart comes with one sentence read from the data (the `reading_*` functions, pure and tested).

The networkx graph is built once per place the graph lives and kept (st.cache_resource, keyed
by views.common.backend_key(), which changes when the embedded file is rewritten); each
analysis is cached per graph and arguments (st.cache_data). Registered by app.py as a page
that calls `render(backend)`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from graph import analytics as A
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from graph.records import Node
from views import common

__all__ = ["render", "reading_bridges", "reading_centrality", "reading_communities",
           "reading_coverage", "reading_related", "analytics_graph"]

# What the page analyses: the recommendation-provision view plus bodies and the crosswalk, with
# only the properties the analyses and the names read. Recommendation texts are fetched for the
# rows on screen (`texts`), and the downloads pull every property, on request.
PROPERTIES: dict[str, list[str]] = {
    "Recommendation": [],
    "Provision": ["framework_id", "ref"],
    "Framework": ["short_name", "name"],
    "Body": ["name", "acronym"],
    "MAPS_TO": ["method"], "MENTIONS": ["method"],
    "PART_OF": [], "ALIGNS_WITH": [], "SUPPLEMENTS": [],
}
METHODS = A.METHODS
LABEL_WORDS = {"Provision": ("provision", "map to"),
               "Framework": ("framework", "lean on (directly or through its provisions)"),
               "Body": ("body", "mention")}
PREPARE_ABOVE = 20_000  # nodes: above this, exports are built on request, not on every run


# -- readings: one sentence from the data (pure) ---------------------------------------------------


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reading_centrality(rows: Sequence[Mapping[str, Any]], label: str, total: int) -> str:
    """ "Trafficking in Persons Protocol art. 6 is the provision most recommendations map to:
    14 of 87." Ties are named together; the node with the highest betweenness is named too."""
    word, verb = LABEL_WORDS.get(label, (label.lower(), "link to"))
    words = "bodies" if word == "body" else f"{word}s"
    if not rows or rows[0]["recommendations"] == 0:
        return f"No recommendation links to a {word} yet."
    best = rows[0]["recommendations"]
    tied = [r["name"] for r in rows if r["recommendations"] == best]
    if len(tied) == 1:
        text = f"{tied[0]} is the {word} most recommendations {verb}: {best:,} of {total:,}."
    elif len(tied) <= 4:
        text = (f"{_join(tied)} are the {words} most recommendations {verb}: "
                f"{best:,} of {total:,} each.")
    else:
        text = (f"{len(tied)} {words} share the top place, {best:,} of {total:,} recommendations "
                f"each, among them {_join(tied[:3])}.")
    broker = max(rows, key=lambda r: (r.get("betweenness", 0.0), r["recommendations"]))
    score = broker.get("betweenness", 0.0)
    if score > 0:
        how = f", estimated from {broker['pivots']} sampled sources" if broker.get("sampled") else ""
        who = "It also" if tied == [broker["name"]] else broker["name"]
        text += (f" {who} sits on the most shortest paths between the others "
                 f"(betweenness {score:.3f}{how}).")
    return text


def reading_communities(rows: Sequence[Mapping[str, Any]]) -> str:
    """ "Louvain finds 10 communities of two or more among the 58 recommendations that map to
    a provision or framework; the largest (9) centres on GCM objective 9 and ..." """
    if not rows:
        return "No two recommendations share a provision yet, so there are no communities."
    linked = sum(r["size"] for r in rows)
    groups = [r for r in rows if r["size"] > 1]
    first = rows[0]
    shared = [name for _, name, _ in first["top_targets"][:2]]
    text = (f"Louvain finds {len(groups)} communities of two or more among the {linked:,} "
            f"recommendations that map to a provision or framework; the largest "
            f"({first['size']:,}) centres on {_join(shared)}.")
    if first.get("sampled"):
        text += (f" Sampled: {first['considered']:,} recommendations were projected, "
                 "a seeded random sample, to keep the projection small.")
    return text


def reading_bridges(result: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """ "6 provisions and frameworks join the trafficking and smuggling sides; GCM carries the
    most recommendations (23). 6 recommendations sit on both sides." """
    bridges, recs = result["bridges"], result["recommendations"]
    if not bridges:
        text = "No provision or framework joins the trafficking and smuggling sides."
    else:
        top = bridges[0]
        text = (f"{len(bridges)} provisions and frameworks join the trafficking and smuggling "
                f"sides; {top['name']} carries the most recommendations ({top['recommendations']:,}).")
    n = len(recs)
    text += (f" {n:,} recommendation{'s sit' if n != 1 else ' sits'} on both sides."
             if n else " No recommendation maps to both sides.")
    return text


def reading_related(rec_name: str, rows: Sequence[Mapping[str, Any]],
                    names: Mapping[str, str] | None = None) -> str:
    """ "Recommendation b.1 shares most with recommendation b.7 (Jaccard 0.33): GCM." """
    if not rows:
        return f"{rec_name[:1].upper()}{rec_name[1:]} shares no provision or framework with another."
    best = rows[0]
    other = (names or {}).get(best["id"], best["id"])
    return (f"{rec_name[:1].upper()}{rec_name[1:]} shares most with {other} "
            f"(Jaccard {best['jaccard']:.2f}): {_join(best['shared_names'])}.")


def reading_coverage(rows: Sequence[Mapping[str, Any]]) -> str:
    """ "Recommendations touch 85 of 189 provisions (45%); the widest coverage is ... and the
    largest gap UNTOC (32 of 41 untouched)." """
    rows = [r for r in rows if r["method"] == "any" and r["provisions"]]
    if not rows:
        return "No framework has provisions in the graph."
    touched = sum(r["touched"] for r in rows)
    total = sum(r["provisions"] for r in rows)
    text = f"Recommendations touch {touched:,} of {total:,} provisions ({touched / total:.0%})"
    if touched == total:
        return text + "; every provision is touched."
    widest = max(rows, key=lambda r: (r["share"], r["provisions"]))
    gap = max(rows, key=lambda r: (r["provisions"] - r["touched"], r["provisions"]))
    return (f"{text}; the widest coverage is {widest['framework']} ({widest['touched']:,} of "
            f"{widest['provisions']:,}), the largest gap {gap['framework']} "
            f"({gap['provisions'] - gap['touched']:,} of {gap['provisions']:,} untouched).")


# -- cached graph and analyses ---------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the graph into networkx…", max_entries=4)
def analytics_graph(_backend: GraphBackend, key: str) -> nx.MultiDiGraph:
    """The analytics view of the graph at `key` (views.common.backend_key()); read only."""
    return A.from_backend(_backend, labels=A.ANALYTICS_LABELS, rel_types=A.ANALYTICS_RELS,
                          properties=PROPERTIES)


@st.cache_data(show_spinner=False, max_entries=256)
def texts(_backend: GraphBackend, key: str, ids: tuple[str, ...]) -> dict[str, str]:
    """Recommendation texts for the rows on screen (one parameterised query)."""
    if not ids:
        return {}
    rows = _backend.run("MATCH (r:Recommendation) WHERE r.id IN $ids RETURN r.id, r.text",
                        {"ids": list(ids)}, limit=len(ids) + 1).rows
    return {rec: text or "" for rec, text in rows}


@st.cache_data(show_spinner=False, max_entries=8)
def _size(_G: nx.MultiDiGraph, key: str) -> tuple[int, int]:
    return _G.number_of_nodes(), _G.number_of_edges()


@st.cache_data(show_spinner="Computing…", max_entries=64)
def _run(_G: nx.MultiDiGraph, key: str, name: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(A, name)(_G, *args, **dict(kwargs))


def _cached(G: nx.MultiDiGraph, key: str, name: str, *args: Any, **kwargs: Any) -> Any:
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                          for k, v in kwargs.items()))
    return _run(G, key, name, args, frozen)


@st.cache_data(show_spinner="Preparing the download…", max_entries=8)
def _export(_backend: GraphBackend, key: str, kind: str) -> bytes:
    """The analytics view with every property, as GraphML or node-link JSON."""
    G = A.from_backend(_backend, labels=A.ANALYTICS_LABELS, rel_types=A.ANALYTICS_RELS)
    buffer = io.BytesIO()
    (A.export_graphml if kind == "graphml" else A.export_node_link_json)(G, buffer)
    return buffer.getvalue()


# -- sections --------------------------------------------------------------------------------------


def _methods() -> list[str] | None:
    common.from_url("in_methods", "methods", METHODS, many=True, default=list(METHODS))
    chosen = st.pills("Link methods counted", METHODS, selection_mode="multi", key="in_methods")
    common.to_url("methods", [] if set(chosen) == set(METHODS) else chosen)
    return None if set(chosen) == set(METHODS) else list(chosen)


def centrality_section(G: nx.MultiDiGraph, key: str, methods: list[str] | None,
                       total: int) -> None:
    st.subheader("What recommendations lean on")
    label = st.segmented_control("Nodes", list(LABEL_WORDS), default="Provision",
                                 key="in_label") or "Provision"
    rows = _cached(G, key, "centrality_by_label", label, methods=methods)
    st.markdown(reading_centrality(rows, label, total))
    table = pd.DataFrame(rows, columns=["id", "name", "recommendations", "betweenness",
                                        "sampled", "pivots"])
    if table.empty:
        st.info(f"No {label} nodes in the graph.")
        return
    top = table.head(20)
    chart = alt.Chart(top).mark_bar().encode(
        x=alt.X("recommendations:Q", title="recommendations"),
        y=alt.Y("name:N", sort="-x", title=None),
        color=alt.Color("betweenness:Q", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(title="betweenness")),
        tooltip=["id", "name", "recommendations", alt.Tooltip("betweenness:Q", format=".4f")])
    st.altair_chart(chart.properties(height=max(160, 26 * len(top))), width="stretch")
    if bool(table["sampled"].any()):
        st.caption(f"Betweenness is estimated from {int(table['pivots'].iloc[0])} sampled "
                   f"source nodes (the graph has {G.number_of_nodes():,} nodes).")
    with st.expander("All rows"):
        st.dataframe(table, hide_index=True)


def communities_section(backend: GraphBackend, G: nx.MultiDiGraph, key: str,
                        methods: list[str] | None) -> None:
    st.subheader("Communities of recommendations")
    rows = _cached(G, key, "recommendation_communities", methods=methods)
    st.markdown(reading_communities(rows))
    groups = [r for r in rows if r["size"] > 1]
    if not groups:
        return
    table = pd.DataFrame([{"community": r["community"], "name": r["name"], "size": r["size"],
                           "shared": "; ".join(f"{n} ({c})" for _, n, c in r["top_targets"])}
                          for r in groups])
    chart = alt.Chart(table.head(20)).mark_bar().encode(
        x=alt.X("size:Q", title="recommendations"),
        y=alt.Y("name:N", sort="-x", title=None), tooltip=["community", "name", "size", "shared"])
    st.altair_chart(chart.properties(height=max(160, 26 * min(20, len(table)))),
                    width="stretch")
    by_id = {r["community"]: r for r in groups}
    chosen = st.selectbox("Draw a community", list(by_id), key="in_community",
                          format_func=lambda c: f"{c}: {by_id[c]['name']} ({by_id[c]['size']})")
    if chosen is None:
        return
    members = by_id[chosen]["members"]
    targets = {t for r in members for t, keyed in G.succ[r].items() if "MAPS_TO" in keyed}
    nodes, edges = A.to_records(G, [*members, *targets])
    edges = [e for e in edges if e.type == "MAPS_TO"]
    text = texts(backend, key, tuple(members))
    nodes = [Node(n.label, n.id, {**n.props, "text": text[n.id]}) if n.id in text else n
             for n in nodes]
    frameworks = {n: str(a.get("short_name") or n) for n, a in G.nodes(data=True)
                  if a.get("label") == "Framework"}
    common.show_graph(nodes, edges, name=f"community {chosen}", frameworks=frameworks,
                      key=f"in-community-{chosen}")


def bridges_section(backend: GraphBackend, G: nx.MultiDiGraph, key: str,
                    methods: list[str] | None) -> None:
    st.subheader("Bridges between trafficking and smuggling")
    result = _cached(G, key, "trafficking_smuggling_bridges", methods=methods)
    st.markdown(reading_bridges(result))
    st.caption("Trafficking side: the Trafficking in Persons Protocol, its articles and what "
               "aligns with them (one ALIGNS_WITH hop); smuggling side: the same for the "
               "Smuggling of Migrants Protocol. A bridge is on both sides, is a framework with "
               "articles on each, or is supplemented by both Protocols (UNTOC).")
    if result["bridges"]:
        table = pd.DataFrame(result["bridges"])
        for col in ("reasons", "trafficking", "smuggling"):
            table[col] = table[col].map("; ".join)
        st.dataframe(table[["name", "label", "reasons", "recommendations", "trafficking",
                            "smuggling", "id"]], hide_index=True)
    if result["recommendations"]:
        with st.expander(f"Recommendations on both sides ({len(result['recommendations'])})"):
            recs = pd.DataFrame(result["recommendations"])
            text = texts(backend, key, tuple(recs["id"]))
            recs["text"] = [text.get(r, "") for r in recs["id"]]
            for col in ("trafficking", "smuggling"):
                recs[col] = recs[col].map("; ".join)
            st.dataframe(recs, hide_index=True,
                         column_config={"text": st.column_config.TextColumn(width="large")})


def related_section(backend: GraphBackend, G: nx.MultiDiGraph, key: str,
                    methods: list[str] | None) -> None:
    st.subheader("Related recommendations")
    linked = sorted(r for r, lab in G.nodes(data="label")
                    if lab == "Recommendation" and any("MAPS_TO" in keyed
                                                       for keyed in G.succ[r].values()))
    if not linked:
        st.info("No recommendation maps to a provision yet.")
        return
    common.from_url("in_rec", "rec", set(linked), default=linked[0])
    rec = st.selectbox("Recommendation", linked, key="in_rec")
    common.to_url("rec", rec)
    if rec is None:
        return
    rows = _cached(G, key, "related_recommendations", rec, methods=methods)
    text = texts(backend, key, tuple([rec] + [r["id"] for r in rows]))
    st.caption(text.get(rec, ""))
    name = A.node_name(G, rec)
    st.markdown(reading_related(name, rows, {r["id"]: A.node_name(G, r["id"]) for r in rows}))
    if rows:
        table = pd.DataFrame([{"id": r["id"], "jaccard": round(r["jaccard"], 3),
                               "shared": "; ".join(r["shared_names"]),
                               "text": text.get(r["id"], "")} for r in rows])
        st.dataframe(table, hide_index=True,
                     column_config={"text": st.column_config.TextColumn(width="large")})
    st.caption("Jaccard over each recommendation's provisions and frameworks, where a provision "
               "also counts its framework.")


def coverage_section(G: nx.MultiDiGraph, key: str) -> None:
    st.subheader("Coverage by framework")
    rows = _cached(G, key, "coverage_by_framework")
    st.markdown(reading_coverage(rows))
    table = pd.DataFrame([r for r in rows if r["provisions"]])
    if table.empty:
        return
    chart = alt.Chart(table[table["method"] != "any"]).mark_bar().encode(
        x=alt.X("share:Q", title="share of provisions touched", axis=alt.Axis(format="%")),
        y=alt.Y("framework:N", title=None,
                sort=alt.EncodingSortField("share", op="sum", order="descending")),
        color=alt.Color("method:N", legend=alt.Legend(title="link method")),
        yOffset="method:N",
        tooltip=["framework", "method", "touched", "provisions",
                 alt.Tooltip("share:Q", format=".0%")])
    n = table["framework"].nunique()
    st.altair_chart(chart.properties(height=max(160, 40 * n)), width="stretch")
    with st.expander("The table behind the chart"):
        st.dataframe(table, hide_index=True)


def downloads_section(backend: GraphBackend, G: nx.MultiDiGraph, key: str) -> None:
    st.subheader("Download the analytics graph")
    nodes, edges = _size(G, key)
    st.caption(f"{nodes:,} nodes and {edges:,} relationships (recommendations, provisions, "
               "frameworks, bodies and the links between them), with every property. GraphML "
               "opens in Gephi, yEd and networkx; lists are JSON text and dates ISO text there, "
               "which graph.analytics.read_graphml decodes. Node-link JSON suits d3 and "
               "networkx.node_link_graph.")
    if G.number_of_nodes() > PREPARE_ABOVE and not st.toggle("Prepare the files",
                                                             key="in_prepare"):
        return
    left, right = st.columns(2)
    left.download_button("GraphML", _export(backend, key, "graphml"), "recommendation-graph.graphml",
                         "application/graphml+xml", key="in-graphml",
                         icon=":material/download:", on_click="ignore")
    right.download_button("Node-link JSON", _export(backend, key, "json"),
                          "recommendation-graph.json", "application/json", key="in-json",
                          icon=":material/download:", on_click="ignore")


def render(backend: GraphBackend) -> None:
    st.title("Insights")
    st.caption("Network analytics of recommendations and the provisions, frameworks and bodies "
               "they link to (networkx). Each section says what the data shows in one line.")
    try:
        key = common.backend_key()
        G = analytics_graph(backend, key)
        total = sum(1 for _, lab in G.nodes(data="label") if lab == "Recommendation")
        methods = _methods()
        if methods is not None and not methods:
            st.info("Choose at least one link method.")
            return
        centrality_section(G, key, methods, total)
        communities_section(backend, G, key, methods)
        bridges_section(backend, G, key, methods)
        related_section(backend, G, key, methods)
        coverage_section(G, key)
        downloads_section(backend, G, key)
    except GraphExplorerError as e:
        common.show_error(e)
