"""Recommendations: full-text search with facets, and the linkage view of one recommendation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import coverage, explore, names
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from views import common


def facets() -> dict:
    """The search box and the facet widgets (each kept in the URL)."""
    areas = common.cached(coverage.areas)
    frameworks = common.cached(explore.linked_frameworks)
    bodies = common.cached(explore.mentioned_bodies)
    area_titles = dict(zip(areas["area"], areas["title"]))
    fw_names = dict(zip(frameworks["id"], frameworks["name"]))
    body_names = dict(zip(bodies["id"], bodies["name"]))
    common.from_url("rec_q", "q", default="")
    common.from_url("rec_areas", "area", area_titles, many=True, default=[])
    common.from_url("rec_fw", "framework", fw_names)
    common.from_url("rec_methods", "method", coverage.METHODS, many=True, default=[])
    common.from_url("rec_body", "body", body_names)
    text = st.text_input("Search the recommendations", key="rec_q",
                         placeholder="words that must all appear, e.g. victims identification",
                         icon=":material/search:")
    if st.session_state["rec_fw"] not in (None, *fw_names):
        st.session_state["rec_fw"] = None
    if st.session_state["rec_body"] not in (None, *body_names):
        st.session_state["rec_body"] = None
    c1, c2, c3, c4 = st.columns(4)
    chosen_areas = c1.multiselect("Area", list(area_titles), key="rec_areas",
                                  format_func=lambda a: f"{a}. {area_titles[a]}")
    framework = c2.selectbox("Framework", list(fw_names), key="rec_fw",
                             format_func=lambda f: fw_names[f],
                             placeholder="any" if fw_names else "no links yet",
                             disabled=not fw_names)
    methods = c3.multiselect("Link method", list(coverage.METHODS), key="rec_methods")
    body = c4.selectbox("Body mentioned", list(body_names), key="rec_body",
                        format_func=lambda b: body_names[b],
                        placeholder="any" if body_names else "none mentioned yet",
                        disabled=not body_names)
    for param, value in (("q", text), ("area", chosen_areas), ("framework", framework),
                         ("method", methods), ("body", body)):
        common.to_url(param, value)
    return {"text": text or "", "areas": list(chosen_areas), "framework": framework,
            "methods": list(methods), "body": body}


def results(found: pd.DataFrame) -> str | None:
    """The result table; a clicked row opens that recommendation."""
    st.caption(f"{len(found)} recommendation(s). Click a row to open its linkage view.")
    event = st.dataframe(
        found.drop(columns=["ordinal"]), hide_index=True, key="rec_table",
        height=min(300, 40 + 35 * max(1, len(found))),
        on_select="rerun", selection_mode="single-row",
        column_config={"id": st.column_config.TextColumn("id", width="medium"),
                       "text": st.column_config.TextColumn("text", width="large"),
                       "links": st.column_config.NumberColumn("links", width="small")})
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    picked = str(found.iloc[rows[0]]["id"]) if rows and rows[0] < len(found) else None
    if picked and picked != st.session_state.get("_rec_table_pick"):
        st.session_state["_rec_table_pick"] = picked
        return picked
    return None


def link_list(linkage: explore.Linkage) -> None:
    """Each link beside the graph: method, score, evidence and the source page."""
    rec = linkage.recommendation
    assert rec is not None
    p = rec.props
    st.markdown(f"**{rec.id}** (area {p.get('area')}: {p.get('area_title', '')})")
    st.markdown(f"> {p.get('text', '')}")
    doc = linkage.document
    where = names.short(names.name(doc), 80) if doc else p.get("document_id")
    st.caption(f"Source: {where}, page {p.get('page', '?')}")
    if linkage.links.empty:
        st.info("No framework link for this recommendation yet."
                + (f" Reason given: {p['no_framework']}" if p.get("no_framework") else ""))
    for row in linkage.links.itertuples():
        score = f" · score {row.score:.2f}" if pd.notna(row.score) else ""
        reviewed = " · reviewed" if row.reviewed is True else ""
        with st.container(border=True):
            st.markdown(f"**{row.target}** · {row.method}{score}{reviewed}")
            if isinstance(row.evidence, str) and row.evidence:
                st.caption(f"Evidence: {row.evidence}")
            if isinstance(row.rationale, str) and row.rationale and row.rationale != row.evidence:
                st.caption(f"Rationale: {row.rationale}")
            st.caption(f"Source: {row.source}")
    if not linkage.mentions.empty:
        st.markdown("**Mentions:** " + ", ".join(linkage.mentions["target"]))


RELATED_AUTO_LINKS = 50_000  # below this the link graph loads in well under a second


@st.cache_resource(show_spinner="Loading the links into networkx…", max_entries=4)
def link_graph(_backend: GraphBackend, key: str):
    """Recommendations, provisions, frameworks and their MAPS_TO / PART_OF links (networkx),
    once per place the graph lives (`key`)."""
    from graph.analytics import BIPARTITE_LABELS, BIPARTITE_RELS, from_backend

    return from_backend(_backend, labels=BIPARTITE_LABELS, rel_types=BIPARTITE_RELS,
                        properties={"Recommendation": ["text", "area"],
                                    "Provision": ["framework_id", "ref"],
                                    "Framework": ["short_name"]})


def related_panel(backend: GraphBackend, rec_id: str) -> None:
    """Related recommendations, when graph.analytics provides them."""
    try:
        from graph.analytics import node_name, related_recommendations
    except ImportError:
        return
    st.subheader("Related recommendations")
    key = common.backend_key()
    links = common.cached(explore.link_count)
    if links > RELATED_AUTO_LINKS and not st.session_state.get(f"related_ok_{key}"):
        # At 750k links the first pull into networkx takes ~20 s (bench/results): ask first.
        st.caption(f"The graph has {links:,} links; finding related recommendations loads them "
                   "into memory once (about 20 s at 750,000 links).")
        if not st.button("Find related recommendations", key="related_go"):
            return
        st.session_state[f"related_ok_{key}"] = True
    G = link_graph(backend, key)
    try:
        rows = related_recommendations(G, rec_id, top=5)
    except KeyError:  # not in the link graph (no links at all)
        rows = []
    if not rows:
        st.caption("None: no other recommendation shares a provision or framework with it.")
        return
    st.dataframe(pd.DataFrame([{"id": r["id"], "similarity": round(r["jaccard"], 2),
                                "shared": "; ".join(r["shared_names"]),
                                "text": G.nodes[r["id"]].get("text", "")} for r in rows]),
                 hide_index=True,
                 column_config={"text": st.column_config.TextColumn(width="large")})
    st.caption(f"Ranked by how many provisions and frameworks they share with "
               f"{node_name(G, rec_id)} (Jaccard); open one with the picker above.")


def linkage_view(rec_id: str) -> None:
    linkage = common.cached(explore.linkage, rec_id)
    if linkage.recommendation is None:
        st.warning(f"No recommendation with id {rec_id!r}. Pick one from the list.")
        return
    st.subheader(f"Linkage view: {names.name(linkage.recommendation)}")
    graph_col, list_col = st.columns([3, 2], gap="medium")
    with graph_col:
        common.show_graph(linkage.view.node_list(), linkage.view.edge_list(),
                          name=f"linkage {rec_id}", highlight={rec_id},
                          frameworks=linkage.view.framework_names(), key="linkage")
    with list_col:
        link_list(linkage)
    related_panel(common.get_backend(), rec_id)


def render(backend: GraphBackend) -> None:
    st.title("Recommendations")
    try:
        filters = facets()
        found = common.cached(explore.search_recommendations, **filters)
        picked = results(found)
        options = list(found["id"])
        common.from_url("rec_pick", "rec")
        if picked:
            st.session_state["rec_pick"] = picked
        chosen = st.session_state["rec_pick"]
        if chosen and chosen not in options:  # opened from a link, or filtered out since
            options = [chosen, *options]
        texts = dict(zip(found["id"], found["text"]))
        rec_id = st.selectbox("Open a recommendation", options, key="rec_pick",
                              placeholder="pick a recommendation (or click a row above)",
                              format_func=lambda r: f"{r}: {names.short(texts.get(r, ''), 90)}")
        common.to_url("rec", rec_id)
        if rec_id:
            linkage_view(rec_id)
    except GraphExplorerError as e:
        common.show_error(e)


if __name__ == "__main__":
    render(common.get_backend())
