"""Workbench: saved queries with typed parameters, and a read-only Cypher console."""

from __future__ import annotations

import datetime as dt
import numbers
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graph import output
from graph.backend import GraphBackend, QueryResult
from graph.errors import GraphExplorerError
from graph.export import to_graphml
from graph.queries import CYPHER_DIR, Param, SavedQuery, coerce_params, parse_query, run_saved
from graph.render import to_html
from views import common

EXAMPLE = "MATCH (f:Framework)-[s:SUPPLEMENTS]->(u:Framework)\nRETURN f, s, u"
ID_LABELS = {"rec": "Recommendation", "framework": "Framework", "protocol": "Framework",
             "provision": "Provision", "target": "Provision", "body": "Body", "event": "Event"}


def saved_queries() -> tuple[list[SavedQuery], list[str]]:
    """Every valid saved query, and the problems of the others (shown, not fatal)."""
    queries, problems = [], []
    for path in sorted(CYPHER_DIR.glob("*.cypher")):
        query, found = parse_query(path)
        problems += found
        if query is not None and not found:
            queries.append(query)
    return queries, problems


def table(result: QueryResult) -> pd.DataFrame:
    """Rows with nodes, relationships and paths written as text."""
    def show(v: Any) -> Any:
        return v if isinstance(v, (str, numbers.Number, dt.date)) or v is None else output.cell(v)
    return pd.DataFrame([[show(v) for v in row] for row in result.rows], columns=result.columns)


def entity_ids(param: Param) -> list[str]:
    """Ids to offer for a `<kind>_id` parameter (the user may still type another)."""
    from graph.paths import search_entities

    label = ID_LABELS.get(param.name.removesuffix("_id")) if param.name.endswith("_id") else None
    if label is None:
        return []
    return [n.id for n in common.cached(search_entities, "", label, 1000)]


def widget(query: SavedQuery, p: Param) -> Any:
    """One input per declared parameter, following its type; seeded from `?p_<name>=`."""
    key = f"wb_{query.name}_{p.name}"
    label = f"{p.name} ({p.type})"
    kind = p.base_type
    if key not in st.session_state and f"p_{p.name}" in st.query_params:
        try:
            st.session_state[key] = p.parse(st.query_params[f"p_{p.name}"])
        except ValueError:
            pass
    default = p.default
    seeded = key in st.session_state  # then the widget takes its value from there, not `value=`

    def initial(**kwargs: Any) -> dict[str, Any]:
        return {} if seeded else kwargs

    if kind == "bool":
        return st.toggle(label, key=key, **initial(value=bool(default)))
    if kind == "int":
        return st.number_input(label, step=1, key=key, **initial(value=int(default or 0)))
    if kind == "float":
        return st.number_input(label, key=key, format="%.3f",
                               **initial(value=float(default or 0.0)))
    if kind == "list[str]":
        options = list(dict.fromkeys([*(default or []), *st.session_state.get(key, [])]))
        return st.multiselect(label, options, key=key, accept_new_options=True,
                              **initial(default=list(default or [])))
    ids = entity_ids(p)
    if ids:
        options = list(dict.fromkeys([*([default] if default else []), *ids]))
        current = st.session_state.get(key)
        if current and current not in options:
            options.insert(0, current)
        value = st.selectbox(label, options, key=key, accept_new_options=True,
                             **initial(index=options.index(default) if default in options
                                       else None))
    else:
        value = st.text_input(label, key=key,
                              **initial(value=str(default) if default is not None else ""))
    return None if p.optional and value in ("", None) else value


def show_result(result: QueryResult, view: str, captions: dict[str, str], name: str) -> None:
    """Row count, time, truncation, then the declared view and the exports."""
    c1, c2 = st.columns(2)
    c1.metric("Rows", f"{len(result.rows):,}" + ("+" if result.truncated else ""))
    c2.metric("Time", f"{result.elapsed_ms:,.0f} ms")
    if result.truncated:
        st.warning(f"Showing the first {len(result.rows):,} rows: there are more. Narrow the "
                   "parameters or raise the row limit.", icon=":material/content_cut:")
    frame = table(result)
    html = None
    if view == "graph" and result.nodes:
        rendered = to_html(result.nodes, result.edges, captions=captions, height="560px")
        if rendered.notice:
            st.warning(rendered.notice)
        st.iframe(rendered.html, height=620, alt=f"Graph view: {name}")
        html = rendered.html
    elif view == "bar" and len(frame):
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        labels = [c for c in frame.columns if c not in numeric]
        if numeric and labels:
            chart = alt.Chart(frame).mark_bar().encode(
                x=alt.X(f"{numeric[0]}:Q"), y=alt.Y(f"{labels[0]}:N", sort="-x", title=None,
                                                    axis=alt.Axis(labelLimit=360)),
                tooltip=list(frame.columns))
            st.altair_chart(chart.configure_axis(labelFontSize=14), width="stretch")
    elif view == "metric" and len(frame) == 1:
        cols = st.columns(min(5, len(frame.columns)) or 1)
        for i, column in enumerate(frame.columns):
            cols[i % len(cols)].metric(column, str(frame.iloc[0][column]))
    st.dataframe(frame, hide_index=True)
    base = common.slug(name)
    row = st.container(horizontal=True)
    row.download_button("CSV", output.to_csv(result), f"{base}.csv", "text/csv",
                            key=f"{base}-csv", on_click="ignore", icon=":material/download:")
    row.download_button("JSON", output.to_json(result), f"{base}.json", "application/json",
                            key=f"{base}-json", on_click="ignore", icon=":material/download:")
    row.download_button("GraphML", to_graphml(result.nodes, result.edges), f"{base}.graphml",
                            "application/graphml+xml", key=f"{base}-graphml", on_click="ignore",
                            icon=":material/download:", disabled=not result.nodes)
    if html:
        row.download_button("Graph view (HTML)", html, f"{base}.html", "text/html",
                                key=f"{base}-html", on_click="ignore",
                                icon=":material/download:")


def saved_tab(backend: GraphBackend, limit: int, timeout: float) -> None:
    queries, problems = saved_queries()
    if problems:
        with st.expander(f"{len(problems)} problem(s) in cypher/ (those files are left out)"):
            st.code("\n".join(problems), language=None)
    if not queries:
        st.info("No saved queries in cypher/.")
        return
    by_name = {q.name: q for q in queries}
    common.from_url("wb_query", "query", by_name, default=next(iter(by_name)))
    if st.session_state["wb_query"] not in by_name:
        st.session_state["wb_query"] = next(iter(by_name))
    name = st.selectbox("Saved query", list(by_name), key="wb_query",
                        format_func=lambda n: f"{by_name[n].title} ({n})")
    common.to_url("query", name)
    query = by_name[name]
    st.caption(query.description)
    raw = {}
    if query.params:
        cols = st.columns(min(3, len(query.params)))
        for i, p in enumerate(query.params):
            with cols[i % len(cols)]:
                raw[p.name] = widget(query, p)
    for p in query.params:
        value = raw[p.name]
        common.to_url(f"p_{p.name}", None if value == p.default else
                      (",".join(value) if isinstance(value, list) else value))
    with st.expander("Cypher"):
        st.code(query.text_for(backend.name), language="cypher")
    try:
        coerce_params(query, raw)
        result = run_saved(backend, query, raw, limit=limit, timeout=timeout)
    except GraphExplorerError as e:
        common.show_error(e)
        return
    show_result(result, query.view, query.captions, query.name)


def _remember(cypher: str, status: str, rows: int | None, ms: float | None) -> None:
    history = st.session_state.setdefault("wb_history", [])
    history.insert(0, {"time": dt.datetime.now().strftime("%H:%M:%S"), "status": status,
                       "rows": rows, "ms": None if ms is None else round(ms), "query": cypher})
    del history[50:]


def _load_from_history() -> None:
    pick = st.session_state.get("wb_history_pick")
    if pick is not None:
        st.session_state["wb_cypher"] = st.session_state["wb_history"][pick]["query"]


def console_tab(backend: GraphBackend, limit: int, timeout: float) -> None:
    st.caption(f"Read-only: anything that writes is refused ({backend.name} engine). "
               "Errors are the engine's own messages.")
    st.session_state.setdefault("wb_cypher", EXAMPLE)
    cypher = st.text_area("Cypher", key="wb_cypher", height=160)
    run = st.button("Run", type="primary", key="wb_run", icon=":material/play_arrow:")
    if run and cypher.strip():
        try:
            result = backend.run(cypher, limit=limit, timeout=timeout)
            _remember(cypher, "ok", len(result.rows), result.elapsed_ms)
            st.session_state["wb_last"] = (cypher, result)
        except GraphExplorerError as e:
            _remember(cypher, type(e).__name__, None, None)
            st.session_state.pop("wb_last", None)
            common.show_error(e)
    last = st.session_state.get("wb_last")
    if last is not None:
        show_result(last[1], "graph" if last[1].nodes else "table", {}, "console")
    history = st.session_state.get("wb_history", [])
    if history:
        with st.expander(f"History of this session ({len(history)})"):
            st.dataframe(pd.DataFrame(history), hide_index=True)
            st.selectbox("Load into the editor", range(len(history)), index=None,
                         key="wb_history_pick", on_change=_load_from_history,
                         format_func=lambda i: f"{history[i]['time']} "
                                               f"{history[i]['query'][:80]}")


def render(backend: GraphBackend) -> None:
    st.title("Workbench")
    c1, c2 = st.columns(2)
    limit = c1.select_slider("Row limit", [100, 250, 500, 1000, 2500, 5000], value=1000,
                             key="wb_limit")
    timeout = float(c2.select_slider("Time limit (s)", [5, 10, 20, 30, 60], value=10,
                                     key="wb_timeout"))
    saved, console = st.tabs(["Saved queries", "Cypher console"])
    with saved:
        saved_tab(backend, limit, timeout)
    with console:
        console_tab(backend, limit, timeout)


if __name__ == "__main__":
    render(common.get_backend())
