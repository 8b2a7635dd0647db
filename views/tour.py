"""Guided tours: a trainer steps through a tour, one graph and its narration per step.

The tour and the step live in the URL (`?tour=<name>&step=<n>`), so a link reopens the same
step. Previous / Next are ordinary buttons (reachable with Tab) with the arrow keys as
shortcuts. The whole tour can be downloaded as one offline HTML file (graph.tours).
"""

from __future__ import annotations

import html as html_lib
import re

import streamlit as st

from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from graph.tours import (DEFAULT_CAP, export_tour_html, find_nodes, focus_caption,
                         framework_names, paragraphs, render_step)
from loaders.tours import TOURS_DIR, Tour, load_tours, tour_files

GRAPH_HEIGHT = 620
STEP_KEY = "tour_step"
TOUR_KEY = "tour_name"

# Large type for a projector: narration, step title, counter and the two buttons.
CSS = """
<style>
.tour-counter { font-size: 1.5rem; font-weight: 700; color: #0b5cad; margin: 0.2rem 0; }
.tour-step-title { font-size: 2.1rem; font-weight: 700; line-height: 1.2; margin: 0 0 0.6rem; }
.tour-narration p { font-size: 1.4rem; line-height: 1.55; margin: 0 0 0.9rem; }
.tour-shows { font-size: 1.05rem; color: #555; border-top: 1px solid #ccc; padding-top: 0.4rem; }
.tour-meta { font-size: 1.15rem; color: #444; }
.st-key-tour_prev button, .st-key-tour_next button { min-height: 3rem; padding: 0 1.6rem; }
.st-key-tour_prev button p, .st-key-tour_next button p { font-size: 1.3rem; font-weight: 600; }
</style>
"""


def _tours_stamp() -> tuple[tuple[str, int], ...]:
    """The tour files and their last change: tours are re-read when a file changes."""
    try:
        return tuple((p.name, p.stat().st_mtime_ns) for p in tour_files(TOURS_DIR))
    except OSError:
        return ()


@st.cache_data(show_spinner=False, max_entries=8)
def _load(stamp: tuple[tuple[str, int], ...]) -> list[Tour]:
    return load_tours(TOURS_DIR)


@st.cache_data(show_spinner="Preparing the offline HTML of the tour ...", max_entries=16)
def _export(_backend: GraphBackend, where: str, tour: Tour, stamp: tuple) -> str:
    return export_tour_html(_backend, tour)


def _graph_stamp(backend: GraphBackend) -> str:
    """Where the graph lives and, for the embedded file, its last write (a reload is seen)."""
    path = getattr(backend, "path", None)
    try:
        return f"{backend.describe()}@{path.stat().st_mtime_ns}" if path else backend.describe()
    except OSError:
        return backend.describe()


def _step_from_url() -> int:
    raw = st.query_params.get("step", "1")
    return int(raw) if re.fullmatch(r"[0-9]{1,4}", raw or "") else 1


def _choose_tour() -> None:  # on_change of the tour picker: a new tour starts at step 1
    st.session_state[STEP_KEY] = 1


def _move(delta: int, total: int) -> None:
    st.session_state[STEP_KEY] = max(1, min(total, st.session_state.get(STEP_KEY, 1) + delta))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs(text))


def render(backend: GraphBackend) -> None:
    """The Guided tours page over `backend`."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Guided tours")
    try:
        tours = _load(_tours_stamp())
    except GraphExplorerError as e:
        st.error(f"The tours in data/tours cannot be read.\n\n{e}", icon=":material/error:")
        return
    by_name = {t.name: t for t in tours}

    # The URL seeds the state on the first run, and again whenever it no longer says what this
    # page last wrote into it (a link followed inside the same session); otherwise the widgets
    # own the state.
    url = (st.query_params.get("tour"), st.query_params.get("step"))
    if st.session_state.get(TOUR_KEY) not in by_name or (
            url != st.session_state.get("_tour_url") and url[0] in by_name):
        st.session_state[TOUR_KEY] = url[0] if url[0] in by_name else tours[0].name
        st.session_state[STEP_KEY] = _step_from_url()
    st.selectbox("Tour", list(by_name), key=TOUR_KEY, on_change=_choose_tour,
                 format_func=lambda n: f"{by_name[n].title} ({len(by_name[n].steps)} steps)")
    tour = by_name[st.session_state[TOUR_KEY]]
    total = len(tour.steps)
    number = max(1, min(total, int(st.session_state.get(STEP_KEY, 1))))
    st.session_state[STEP_KEY] = number
    st.query_params["tour"] = tour.name
    st.query_params["step"] = str(number)
    st.session_state["_tour_url"] = (tour.name, str(number))
    step = tour.steps[number - 1]

    st.markdown(f'<div class="tour-meta"><b>For:</b> {html_lib.escape(tour.audience)}. '
                f'{html_lib.escape(tour.description)}</div>', unsafe_allow_html=True)

    nav = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    nav.markdown(f'<div class="tour-counter" aria-live="polite">Step {number} of {total}'
                 "</div>", unsafe_allow_html=True, width="content")
    nav.button("◀ Previous", key="tour_prev", on_click=_move, args=(-1, total),
               disabled=number == 1, shortcut="Left", help="Previous step (← key)",
               wrap=False)
    nav.button("Next ▶", key="tour_next", on_click=_move, args=(1, total),
               disabled=number == total, shortcut="Right", type="primary",
               help="Next step (→ key)", wrap=False)
    try:
        page = _export(backend, _graph_stamp(backend), tour, _tours_stamp())
        nav.download_button("Download the tour (offline HTML)", page, f"{tour.name}.html",
                            "text/html", key="tour_download", on_click="ignore",
                            icon=":material/download:",
                            help="One file with every step: open it in any browser, no "
                                 "server and no internet needed.")
    except GraphExplorerError as e:
        nav.caption(f"The offline HTML cannot be prepared: {e}")

    try:
        frameworks = framework_names(backend)
        found = find_nodes(backend, step.ids())
    except GraphExplorerError:
        frameworks, found = {}, {}
    graph_col, text_col = st.columns([3, 2], gap="large")
    with text_col:
        shows = focus_caption(step, frameworks, found)
        st.markdown(f'<div class="tour-step-title">{html_lib.escape(step.title)}</div>'
                    f'<div class="tour-narration">{_paragraphs(step.narration)}</div>'
                    f'<div class="tour-shows">The graph shows {html_lib.escape(shows)}.</div>',
                    unsafe_allow_html=True)
    with graph_col:
        try:
            graph, drawn = render_step(backend, step, cap=DEFAULT_CAP,
                                       height=f"{GRAPH_HEIGHT - 20}px", frameworks=frameworks)
        except GraphExplorerError as e:
            st.error(f"This step's graph cannot be drawn: {e}", icon=":material/error:")
        else:
            if graph.notice or drawn.notice:
                st.caption(graph.notice or drawn.notice)
            st.iframe(drawn.html, height=GRAPH_HEIGHT,
                      alt=f"Graph of step {number}: {step.title}")
    st.caption("Keys: ← and → change step (Tab reaches the buttons). The link in the address "
               "bar reopens this step.")


if __name__ == "__main__":
    from views import common

    render(common.get_backend())
