"""Opening the graph for the app: first-run build, unreachable Neo4j, the sidebar, page links."""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph.backend import GraphBackend
from graph.errors import AuthenticationFailed, BackendUnavailable, GraphExplorerError
from views import common


def _use_embedded() -> None:
    st.session_state["force_embedded"] = True


def _use_configured() -> None:
    st.session_state.pop("force_embedded", None)


def node_total(backend: GraphBackend) -> int:
    """How many nodes the graph holds (0: a fresh embedded file to build)."""
    return int(backend.run("MATCH (n) RETURN count(n)").scalar() or 0)


def build_embedded(backend: GraphBackend) -> None:
    """Build the embedded graph from data/ with visible progress (first run on a fresh clone)."""
    from loaders.pipeline import build_records

    with st.status("First run: building the graph from data/ ...", expanded=True) as status:
        records = build_records(common.DATA_DIR, progress=status.write)
        status.write(f"Writing to {backend.describe()}")
        stats = backend.write(records.nodes.values(), records.edges.values(), replace=True)
        status.update(label=f"Graph built: {sum(stats.nodes.values()):,} nodes and "
                            f"{sum(stats.edges.values()):,} relationships in "
                            f"{stats.seconds:.1f} s", state="complete", expanded=False)
    st.cache_data.clear()


def ready_backend() -> GraphBackend:
    """The session's backend, holding a graph; on failure, say why and what to do, then stop."""
    s = common.settings()
    try:
        backend = common.get_backend()
        if common.cached(node_total) == 0:
            if s.backend == "embedded":
                build_embedded(backend)
            else:
                st.warning(f"The graph at {backend.describe()} is empty. Load it with "
                           "`GRAPH_BACKEND=neo4j python -m graph load`, then reload this page.")
        return backend
    except BackendUnavailable as e:
        if isinstance(e, AuthenticationFailed):
            common.forget_backend()  # else corrected credentials would meet the refused connection
        st.error(f"The graph is unreachable. {e}", icon=":material/cloud_off:")
        if s.backend == "neo4j":
            st.button("Use the embedded database for this session", type="primary",
                      on_click=_use_embedded, icon=":material/storage:")
            st.caption(f"The embedded database lives at {s.db_path}; it is built from data/ "
                       "on first use. Nothing changes for other sessions.")
    except GraphExplorerError as e:
        common.show_error(e)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; this keeps type checkers happy


def insights_page() -> None:
    """The Insights page, a module another part of the project provides (views/insights.py)."""
    from views import insights

    insights.render(common.get_backend())


def follow_page_param(current: Any, pages: dict[str, Any]) -> None:
    """`?page=<name>` on the default page opens that page, keeping the other parameters."""
    wanted = st.query_params.get("page")
    if not wanted or wanted not in pages or current.url_path != pages["overview"].url_path:
        return
    if pages[wanted].url_path == current.url_path:
        return
    rest = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
    st.switch_page(pages[wanted], query_params=rest)


def sidebar(backend: GraphBackend) -> None:
    """Where the graph lives, and the way back when this session switched engines."""
    with st.sidebar:
        st.caption(f"Graph: {backend.describe()}")
        if st.session_state.get("force_embedded"):
            st.button("Back to the configured backend", on_click=_use_configured)
