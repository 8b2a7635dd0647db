"""Frameworks: one framework or provision, the recommendations mapped to it and its context."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from graph import explore, framework_view, names
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from views import common


def pickers() -> tuple[str | None, str | None]:
    """Framework and (optionally) one of its provisions, both kept in the URL."""
    frameworks = common.cached(explore.all_frameworks)
    fw_names = dict(zip(frameworks["id"], frameworks["name"]))
    common.from_url("fw_pick", "framework", fw_names)
    left, right = st.columns(2)
    if st.session_state["fw_pick"] not in (None, *fw_names):
        st.session_state["fw_pick"] = None
    fw = left.selectbox("Framework", list(fw_names), key="fw_pick",
                        format_func=lambda f: f"{fw_names[f]} ({f})",
                        placeholder="pick a framework, e.g. Trafficking in Persons Protocol")
    common.to_url("framework", fw)
    if fw is None:
        common.to_url("provision", None)
        return None, None
    provisions = common.cached(framework_view.provision_list, fw)
    titles = dict(zip(provisions["id"], provisions["title"]))
    refs = dict(zip(provisions["id"], provisions["ref"]))
    common.from_url("fw_provision", "provision", titles)
    if st.session_state.get("fw_provision") not in (None, *titles):
        st.session_state["fw_provision"] = None  # a provision of the previous framework
    provision = right.selectbox(
        "Provision (optional)", list(titles), key="fw_provision",
        format_func=lambda p: f"{names.pretty_ref(refs[p])}: {names.short(titles[p] or '', 70)}",
        placeholder="the whole framework")
    common.to_url("provision", provision)
    return fw, provision


def method_chart(mapped: pd.DataFrame) -> None:
    counts = mapped.groupby("method").size().rename("links").reset_index()
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("links:Q", title="links"), y=alt.Y("method:N", title=None, sort="-x"),
        tooltip=["method", "links"]).properties(height=40 + 30 * len(counts))
    st.altair_chart(chart.configure_axis(labelFontSize=14, titleFontSize=14), width="stretch")


def mapped_section(mapped: pd.DataFrame) -> None:
    st.subheader(f"Recommendations mapped to it ({mapped['recommendation'].nunique()})")
    if mapped.empty:
        st.info("No recommendation maps to it yet.")
        return
    method_chart(mapped)
    st.dataframe(mapped, hide_index=True,
                 column_config={"text": st.column_config.TextColumn(width="large"),
                                "evidence": st.column_config.TextColumn(width="medium")})


def context_section(data: framework_view.FrameworkView, is_framework: bool) -> None:
    st.subheader("Frameworks and provisions it supplements or aligns with")
    if data.related.empty:
        st.caption("None recorded.")
    else:
        st.dataframe(data.related, hide_index=True,
                     column_config={"evidence": st.column_config.TextColumn(width="large")})
    if not is_framework:
        return
    st.subheader("Bodies that adopted it, documents that cite it")
    if data.bodies.empty:
        st.caption("None recorded.")
    else:
        st.dataframe(data.bodies, hide_index=True)
    st.subheader(f"Its provisions and their coverage ({len(data.provisions)})")
    covered = int((data.provisions["recommendations"] > 0).sum()) if len(data.provisions) else 0
    st.caption(f"{covered} of {len(data.provisions)} provisions have at least one "
               "recommendation mapped to them.")
    st.dataframe(data.provisions, hide_index=True,
                 column_config={"recommendations": st.column_config.ProgressColumn(
                     "recommendations", format="%d", min_value=0,
                     max_value=max(1, int(data.provisions["recommendations"].max() or 1))
                     if len(data.provisions) else 1)})


def render(backend: GraphBackend) -> None:
    st.title("Frameworks")
    st.caption("Pick a framework (or one of its provisions) to see the recommendations mapped "
               "to it, by method, and what it is connected to.")
    try:
        fw, provision = pickers()
        if fw is None:
            return
        data = (common.cached(framework_view.provision_view, provision) if provision
                else common.cached(framework_view.framework_view, fw))
        if data.node is None:
            st.warning("Nothing found for this choice; pick another one.")
            return
        focus = data.node
        st.markdown(f"### {names.name(focus, data.view.framework_names())}")
        st.caption(names.short(names.description(focus), 400))
        common.show_graph(data.view.node_list(), data.view.edge_list(),
                          name=f"framework {focus.id}", highlight={focus.id},
                          frameworks=data.view.framework_names(), key="framework")
        mapped_section(data.mapped)
        context_section(data, provision is None)
    except GraphExplorerError as e:
        common.show_error(e)


if __name__ == "__main__":
    render(common.get_backend())
