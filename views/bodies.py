"""Bodies and events: the 2017 calendar, who convened what, records, panelists and moderators."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from graph import events
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from views import common


def _when(row: pd.Series) -> str:
    """ "4-5 Sep, Vienna", "30 Nov-1 Dec, Mexico", "23 Jun, New York"."""
    start, end = row["start"], row["end"] - pd.Timedelta(days=1)
    if start == end:
        days = f"{start.day} {start:%b}"
    elif start.month == end.month:
        days = f"{start.day}-{end.day} {end:%b}"
    else:
        days = f"{start.day} {start:%b}-{end.day} {end:%b}"
    return f"{days}, {row['place']}" if isinstance(row["place"], str) and row["place"] else days


def timeline(calendar: pd.DataFrame) -> alt.Chart:
    """One bar per event from its first to its last day, coloured by who convened it, with its
    dates and place written beside it."""
    dated = calendar.dropna(subset=["start_date"]).copy()
    dated["start"] = pd.to_datetime(dated["start_date"])
    dated["end"] = pd.to_datetime(dated["end_date"].fillna(dated["start_date"])) + \
        pd.Timedelta(days=1)
    dated["label"] = [e if len(e) <= 48 else e[:47] + "…" for e in dated["event"]]
    dated["when"] = [_when(row) for _, row in dated.iterrows()]
    dated["convened_by"] = dated["convened_by"].fillna("not recorded")
    base = alt.Chart(dated).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("start"), title=None,
                axis=alt.Axis(labelFontSize=14, labelLimit=420)),
        tooltip=[alt.Tooltip("event:N"), alt.Tooltip("start_date:N", title="from"),
                 alt.Tooltip("end_date:N", title="to"), alt.Tooltip("place:N"),
                 alt.Tooltip("convened_by:N", title="convened by")])
    bars = base.mark_bar(size=20, cornerRadius=3).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%b", labelFontSize=14,
                                                     tickCount="month")),
        x2="end:T",
        color=alt.Color("convened_by:N", title="convened by",
                        scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(labelFontSize=14, titleFontSize=14,
                                          orient="bottom")))
    labels = base.mark_text(align="left", dx=6, fontSize=13, color="#333333").encode(
        x="end:T", text="when:N")
    return (bars + labels).properties(height=40 * max(1, len(dated)))


def calendar_section() -> None:
    calendar = common.cached(events.calendar)
    years = sorted({d.year for d in calendar["start_date"].dropna() if isinstance(d, dt.date)})
    title = f"Calendar {', '.join(map(str, years))}" if years else "Calendar"
    st.subheader(title)
    if calendar.empty:
        st.info("No events recorded.")
        return
    st.altair_chart(timeline(calendar), width="stretch")
    undated = calendar[calendar["start_date"].isna()]
    if len(undated):
        st.caption("Without a date in the sources: " + "; ".join(
            f"{r.event} ({r.place or 'place not given'})" for r in undated.itertuples()))
    st.dataframe(calendar.drop(columns=["id"]), hide_index=True,
                 column_config={"event": st.column_config.TextColumn(width="large")})


def body_section() -> None:
    bodies = common.cached(events.bodies)
    active = bodies[bodies["links"] > 0]
    labels = {r.id: f"{r.name} ({r.acronym})" if isinstance(r.acronym, str) and r.acronym
              else r.name for r in active.itertuples()}
    common.from_url("body_pick", "body", labels)
    if st.session_state["body_pick"] not in (None, *labels):
        st.session_state["body_pick"] = None
    body = st.selectbox("A body's neighbourhood", list(labels), key="body_pick",
                        format_func=lambda b: labels[b],
                        placeholder="pick a body, e.g. the General Assembly")
    common.to_url("body", body)
    if body:
        result = common.cached(events.body_activity, body)
        common.show_graph(result.nodes, result.edges, name=f"body {body}", highlight={body},
                          key="body", height=520)


def render(backend: GraphBackend) -> None:
    st.title("Bodies and events")
    try:
        calendar_section()
        left, right = st.columns(2)
        with left:
            st.subheader("Who convened what")
            st.dataframe(common.cached(events.convened).drop(columns=["body_id", "event_id"]),
                         hide_index=True)
        with right:
            st.subheader("Which documents recorded which event")
            st.dataframe(common.cached(events.recorded).drop(columns=["document_id",
                                                                      "event_id"]),
                         hide_index=True)
        st.subheader("Panelists and moderators")
        speakers = common.cached(events.speakers)
        roles = sorted(speakers["role"].dropna().unique())
        st.session_state.setdefault("roles", roles)
        chosen = st.pills("Role", roles, selection_mode="multi", key="roles")
        st.dataframe(speakers[speakers["role"].isin(chosen)].drop(columns=["event_id"]),
                     hide_index=True)
        st.subheader("Bodies")
        body_section()
    except GraphExplorerError as e:
        common.show_error(e)


if __name__ == "__main__":
    render(common.get_backend())
