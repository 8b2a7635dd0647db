"""Overview: what the graph holds, where recommendations meet frameworks, and the gaps."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from graph import coverage
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from views import common


def heatmap(table: pd.DataFrame, area_titles: dict[str, str]) -> alt.Chart:
    """Areas a-g across, frameworks down, colour and number = distinct recommendations."""
    data = table.assign(area_title=table["area"].map(area_titles))
    order = (data.groupby("framework_name")["recommendations"].sum()
             .sort_values(ascending=False).index.tolist())
    base = alt.Chart(data).encode(
        x=alt.X("area:N", title="Area of the co-facilitators' summary",
                sort=list(area_titles), scale=alt.Scale(domain=list(area_titles)),
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("framework_name:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip("framework_name:N", title="framework"),
                 alt.Tooltip("area:N"), alt.Tooltip("area_title:N", title="area title"),
                 alt.Tooltip("recommendations:Q"), alt.Tooltip("links:Q")])
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("recommendations:Q", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(title="recommendations", format="d",
                                          tickMinStep=1)))
    text = base.mark_text(fontSize=16).encode(
        text="recommendations:Q",
        color=alt.condition(alt.datum.recommendations > 2, alt.value("white"),
                            alt.value("#111111")))
    height = max(160, 34 * len(order))
    return (cells + text).properties(height=height).configure_axis(labelFontSize=15,
                                                                    titleFontSize=15)


def counts_section(backend: GraphBackend) -> None:
    labels = common.cached(coverage.counts)
    by_label = dict(zip(labels["label"], labels["nodes"]))
    rels = common.cached(coverage.rel_counts)
    methods = common.cached(coverage.method_counts)
    cols = st.columns(5)
    cols[0].metric("Recommendations", f"{by_label.get('Recommendation', 0):,}")
    cols[1].metric("Frameworks", f"{by_label.get('Framework', 0):,}")
    cols[2].metric("Provisions", f"{by_label.get('Provision', 0):,}")
    cols[3].metric("Bodies", f"{by_label.get('Body', 0):,}")
    cols[4].metric("Recommendation links", f"{rels.get('MAPS_TO', 0):,}",
                   help=", ".join(f"{m}: {n}" for m, n in methods.items()) or "none yet")
    with st.expander("Counts by label and relationship type"):
        left, right = st.columns(2)
        left.dataframe(labels, hide_index=True)
        right.dataframe(pd.DataFrame({"relationship": list(rels), "count": list(rels.values())}),
                        hide_index=True)


def coverage_section(area_table: pd.DataFrame) -> None:
    st.subheader("Coverage: areas a-g x frameworks")
    common.from_url("ov_methods", "methods", coverage.METHODS, many=True,
                    default=list(coverage.METHODS))
    chosen = st.pills("Link methods counted", coverage.METHODS, selection_mode="multi",
                      key="ov_methods")
    common.to_url("methods", [] if set(chosen) == set(coverage.METHODS) else chosen)
    table = common.cached(coverage.coverage, list(chosen))
    titles = dict(zip(area_table["area"], area_table["title"]))
    if table.empty:
        st.info("No recommendation is linked to a framework yet (for these methods). The "
                "linker adds MAPS_TO links when the graph is built from data/.")
        return
    st.altair_chart(heatmap(table, titles), width="stretch")
    st.caption("Each cell counts the distinct recommendations of an area that map to the "
               "framework or one of its provisions. Areas: " +
               "; ".join(f"**{a}** {t}" for a, t in titles.items()))
    matrix = coverage.coverage_matrix(table, list(titles))
    with st.expander("The table behind the heatmap"):
        st.dataframe(matrix, hide_index=True)
        st.download_button("Coverage (CSV)", table.to_csv(index=False), "coverage.csv",
                           "text/csv", icon=":material/download:", on_click="ignore")


def gaps_section() -> None:
    st.subheader("Gaps")
    provisions = common.cached(coverage.unmapped_provisions)
    unlinked = common.cached(coverage.unlinked_recommendations)
    tab_p, tab_r = st.tabs([f"Provisions no recommendation maps to ({len(provisions)})",
                            f"Recommendations with no framework link ({len(unlinked)})"])
    with tab_p:
        per_fw = provisions.groupby("framework_name").size().rename("unmapped provisions")
        st.dataframe(per_fw.reset_index(), hide_index=True, height=220)
        st.dataframe(provisions.drop(columns=["framework"]), hide_index=True,
                     column_config={"title": st.column_config.TextColumn(width="large")})
    with tab_r:
        st.dataframe(unlinked, hide_index=True,
                     column_config={"text": st.column_config.TextColumn(width="large")})


def render(backend: GraphBackend) -> None:
    st.title("Overview")
    st.caption("Recommendations on trafficking in persons and migrant smuggling, the frameworks "
               "they map to, and where nothing maps yet. Every number is counted in the engine.")
    try:
        counts_section(backend)
        area_table = common.cached(coverage.areas)
        coverage_section(area_table)
        gaps_section()
    except GraphExplorerError as e:
        common.show_error(e)


if __name__ == "__main__":
    render(common.get_backend())
