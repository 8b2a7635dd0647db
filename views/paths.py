"""Paths: the shortest ways from one entity to another, drawn and told in words."""

from __future__ import annotations

import streamlit as st

from graph import names, paths
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from graph.schema import LABELS, REL_NAMES
from views import common

ANY = "any kind"
# Paths that skip the source documents read as policy links, not "both were in one report".
POLICY_TYPES = [t for t in REL_NAMES if t not in ("MADE_IN", "CITES", "RECORDS", "ISSUED_BY")]


def _ref(node) -> str:
    return f"{node.label}|{node.id}"


def picker(side: str, title: str, default_text: str) -> tuple[str, str] | None:
    """Kind + search words + a pick among the matches; the pick is kept in the URL."""
    wanted = st.query_params.get(side)
    st.markdown(f"**{title}**")
    kinds = [ANY, *LABELS]
    common.from_url(f"path_{side}_kind", f"{side}_kind", kinds, default=ANY)
    kind = st.selectbox("Kind", kinds, key=f"path_{side}_kind", label_visibility="collapsed")
    common.to_url(f"{side}_kind", None if kind == ANY else kind)
    common.from_url(f"path_{side}_q", f"{side}_q", default="")
    text = st.text_input("Search", key=f"path_{side}_q", placeholder=default_text,
                         icon=":material/search:", label_visibility="collapsed")
    common.to_url(f"{side}_q", text)
    found = common.cached(paths.search_entities, text or "", None if kind == ANY else kind, 50)
    options = {_ref(n): n for n in found}
    if wanted and "|" in wanted and wanted not in options:
        label, node_id = wanted.split("|", 1)
        node = common.cached(paths.get_node, label, node_id) if label in LABELS else None
        if node is not None:
            options = {wanted: node, **options}
    common.from_url(f"path_{side}", side, options)
    if st.session_state.get(f"path_{side}") not in (None, *options):
        st.session_state[f"path_{side}"] = None
    choice = st.selectbox(f"{title}: pick", list(options), key=f"path_{side}",
                          format_func=lambda r: f"{options[r].label}: "
                                                f"{names.short(names.name(options[r]), 70)}",
                          placeholder=f"{len(options)} match(es): pick one",
                          label_visibility="collapsed")
    common.to_url(side, choice)
    return (options[choice].label, options[choice].id) if choice else None


def render(backend: GraphBackend) -> None:
    st.title("Paths")
    st.caption("How is one thing connected to another? Pick two entities: the shortest paths "
               "between them are drawn and told in words.")
    try:
        left, right = st.columns(2)
        with left:
            a = picker("from", "From", "search, e.g. c.16 or victims")
        with right:
            b = picker("to", "To", "search, e.g. General Assembly")
        c1, c2 = st.columns([1, 2])
        hop_choices = list(range(1, paths.MAX_HOPS + 1))
        common.from_url("path_hops", "hops", [str(h) for h in hop_choices], default="8")
        st.session_state["path_hops"] = int(st.session_state["path_hops"])
        hops = c1.slider("Longest path (relationships)", 1, paths.MAX_HOPS, key="path_hops")
        common.to_url("hops", None if hops == 8 else hops)
        common.from_url("path_policy", "policy", ["1"], default=False)
        st.session_state["path_policy"] = bool(st.session_state["path_policy"])
        policy_only = c2.toggle("Only policy links (skip 'made in the same document' and "
                                "citation hops)", key="path_policy")
        common.to_url("policy", "1" if policy_only else None)
        if not (a and b):
            st.info("Pick both ends to find the paths between them.")
            return
        found = common.cached(paths.shortest_paths, a, b, max_hops=hops, limit=10,
                              types=POLICY_TYPES if policy_only else [])
        if not found:
            st.warning(f"No path of at most {hops} relationships links them"
                       + (" through policy links only." if policy_only else ".")
                       + " Allow longer paths or more kinds of link.")
            return
        st.subheader(f"{len(found)} shortest path(s) of {len(found[0])} relationship(s)")
        for i, path in enumerate(found, 1):
            st.markdown(f"{i}. {paths.path_in_words(path)}")
        nodes = {n.key: n for p in found for n in p.nodes}
        edges = {e.key: e for p in found for e in p.edges}
        common.show_graph(list(nodes.values()), list(edges.values()),
                          name=f"paths {a[1]} to {b[1]}", highlight={a[1], b[1]}, key="paths")
    except GraphExplorerError as e:
        common.show_error(e)


if __name__ == "__main__":
    render(common.get_backend())
