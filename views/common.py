"""What every page shares: the session's backend, cached engine calls, URL state, graph views.

Pages call core functions (graph/*) through `cached()`, so a rerun caused by a widget does not
ask the engine again; the cache key includes where the graph lives and, for the embedded file,
when it was last written, so a reload from the CLI is seen at once.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import streamlit as st

from graph.backend import GraphBackend, connect
from graph.config import REPO_ROOT, Settings
from graph.errors import GraphExplorerError
from graph.records import Edge, Node

DATA_DIR = REPO_ROOT / "data"
GRAPH_CAP = 300


# -- the backend ---------------------------------------------------------------------------

def settings() -> Settings:
    """The configured settings, or embedded ones when this session switched to embedded."""
    configured = Settings.load()
    if st.session_state.get("force_embedded") and configured.backend != "embedded":
        return dataclasses.replace(configured, backend="embedded")
    return configured


@st.cache_resource(show_spinner=False)
def _open(backend: str, db_path: str, uri: str | None, user: str | None,
          database: str | None) -> GraphBackend:
    """One backend per place the graph lives, shared by every session (the password is read
    from the settings again rather than being part of the cache key)."""
    configured = Settings.load()
    return connect(dataclasses.replace(configured, backend=backend,
                                       db_path=type(configured.db_path)(db_path), neo4j_uri=uri,
                                       neo4j_user=user, neo4j_database=database))


def _where() -> tuple[str, str, str | None, str | None, str | None]:
    s = settings()
    return s.backend, str(s.db_path), s.neo4j_uri, s.neo4j_user, s.neo4j_database


def get_backend() -> GraphBackend:
    """The session's backend (cached across reruns and sessions)."""
    return _open(*_where())


def forget_backend() -> None:
    """Close and drop the cached backend, so that the next run opens it with the settings of then
    (after a refused login: the password is not part of the cache key, and may be fixed by now)."""
    where = _where()
    _open(*where).close()
    _open.clear(*where)


def backend_key() -> str:
    """Where the graph lives plus, for the embedded file, its last write."""
    s = settings()
    if s.backend == "embedded":
        try:
            return f"{s.describe()}@{s.db_path.stat().st_mtime_ns}"
        except OSError:
            return s.describe()
    return s.describe()


@st.cache_data(ttl=600, show_spinner=False, max_entries=512)
def _call(module: str, name: str, key: str, args: tuple, kwargs: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(get_backend(), *args, **dict(kwargs))


def cached(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fn(backend, *args, **kwargs)`, cached per graph location and arguments."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return _call(fn.__module__, fn.__name__, backend_key(), args, frozen)


def show_error(e: GraphExplorerError) -> None:
    """An expected error as a message (what happened, where, what to do), never a traceback."""
    st.error(str(e), icon=":material/error:")


# -- state in the URL ------------------------------------------------------------------------

def from_url(key: str, param: str, valid: Collection[Any] | None = None, *,
             many: bool = False, default: Any = None) -> None:
    """Give widget `key` its first value: from query parameter `param` when the URL has a valid
    one (a shared link), else `default`. Widgets seeded this way take no default of their own.
    """
    if key in st.session_state:
        return
    value = default
    raw = st.query_params.get(param)
    if raw is not None and many:
        value = [v for v in raw.split(",") if v and (valid is None or v in valid)]
    elif raw is not None and (valid is None or raw in valid):
        value = raw
    st.session_state[key] = value


def to_url(param: str, value: Any) -> None:
    """Keep `value` in the URL under `param` (removed when empty), so a link reopens the view."""
    if value is None or value == "" or value == [] or value == ():
        if param in st.query_params:
            del st.query_params[param]
        return
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def page_link_params(**params: str) -> str:
    """A relative link with query parameters (for "open in ..." links inside tables)."""
    from urllib.parse import urlencode

    return "?" + urlencode(params)


# -- graph views -------------------------------------------------------------------------------

def slug(text: str) -> str:
    """A file-name-safe version of `text`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "graph"


def show_graph(nodes: Iterable[Node], edges: Iterable[Edge], *, name: str,
               highlight: Collection[str] = (), height: int = 620, cap: int = GRAPH_CAP,
               frameworks: dict[str, str] | None = None, key: str = "graph") -> None:
    """Draw a graph view (offline HTML in an iframe) with its notice and its downloads."""
    node_list, edge_list = list(nodes), list(edges)
    # The iframe holds the legend strip (one or two lines) above the drawing.
    from graph.render import to_html  # pyvis pulls in IPython: 0.4 s off every cold start

    rendered = to_html(node_list, edge_list, highlight=highlight, height=f"{height - 80}px",
                       cap=cap, frameworks=frameworks)
    if rendered.notice:
        st.warning(rendered.notice, icon=":material/hub:")
    st.iframe(rendered.html, height=height, alt=f"Graph view: {name}")
    st.caption(f"{rendered.total_nodes} nodes, {rendered.total_edges} relationships. "
               "Drag to move, scroll to zoom, hover for the full text. The layout settles, "
               "then holds still.")
    downloads(node_list, edge_list, name=name, html=rendered.html, key=key)


def downloads(nodes: Sequence[Node], edges: Sequence[Edge], *, name: str, html: str | None,
              key: str) -> None:
    """Download buttons: the view (HTML) and its data (CSV, GraphML)."""
    from graph.export import to_csv, to_graphml  # networkx: imported by pages that export

    base = slug(name)
    row = st.container(horizontal=True)
    if html is not None:
        row.download_button("Graph view (HTML)", html, f"{base}.html", "text/html",
                            key=f"{key}-html", icon=":material/download:", on_click="ignore")
    row.download_button("Data (CSV)", to_csv(nodes, edges), f"{base}.csv", "text/csv",
                        key=f"{key}-csv", icon=":material/download:", on_click="ignore")
    row.download_button("Data (GraphML)", to_graphml(nodes, edges), f"{base}.graphml",
                        "application/graphml+xml", key=f"{key}-graphml",
                        icon=":material/download:", on_click="ignore")
