"""The Streamlit explorer, driven with AppTest on a seeded embedded graph (no browser).

Each test opens the app the way a user would (a page, perhaps a link with query parameters),
then checks what that user looks for on the screen.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import names
from graph.embedded_backend import EmbeddedBackend
from graph.render import remote_references
from tests.conftest import REPO

APP = str(REPO / "app.py")
PAGES = ["overview", "recommendations", "frameworks", "paths", "bodies", "workbench"]
REC = "gcm-ts5-summary:a.1"
ENV_KEYS = ("GRAPH_BACKEND", "GRAPH_DB_PATH", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
            "NEO4J_DATABASE")


@pytest.fixture(scope="module")
def app_db(seed_records, tmp_path_factory) -> Path:
    """A seeded embedded graph file, written once for this module."""
    path = tmp_path_factory.mktemp("app") / "graph.lbug"
    backend = EmbeddedBackend(path)
    backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
    backend.close()
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, app_db: Path) -> Iterator[pytest.MonkeyPatch]:
    """The app's configuration: the seeded embedded graph, nothing inherited from the shell."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPH_DB_PATH", str(app_db))
    monkeypatch.chdir(REPO)
    yield monkeypatch


@pytest.fixture
def neo4j_env(monkeypatch: pytest.MonkeyPatch, seeded_neo4j, neo4j_uri: str
              ) -> Iterator[pytest.MonkeyPatch]:
    """The app configured for the session's Neo4j, holding the seed graph."""
    for key in ("GRAPH_BACKEND", "GRAPH_DB_PATH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.chdir(REPO)
    yield monkeypatch


def open_page(page: str = "overview", **params: str) -> AppTest:
    """The app, on `page`, with `params` in the URL (as a shared link would have them)."""
    at = AppTest.from_file(APP, default_timeout=90)
    if page != "overview":
        at.run()  # registers the pages, so that switch_page can find them
        at.switch_page(f"views/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything written on the page as markdown, captions, subheaders and alerts."""
    parts = [e.value for kind in ("markdown", "caption", "subheader", "title", "info",
                                  "warning", "error", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def url(at: AppTest, key: str) -> str | None:
    """A query parameter as the address bar shows it (one value)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_an_exception(env, page):
    at = open_page(page)
    assert_clean(at)
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page, params", [
    ("recommendations", {"rec": REC}),
    ("frameworks", {"framework": "tip-protocol"}),
    ("paths", {"from": f"Recommendation|{REC}", "to": "Body|unga"}),
    ("bodies", {"body": "unga"}),
    ("workbench", {"query": "rec_graph"}),
])
def test_every_graph_view_is_offline_html(env, page, params):
    at = open_page(page, **params)
    assert_clean(at)
    frames = at.get("iframe")
    assert frames, f"{page} drew no graph"
    for frame in frames:
        html = frame.proto.srcdoc
        assert "vis.Network" in html and 'id="graph-legend"' in html
        assert remote_references(html) == []


@pytest.mark.parametrize("name", ["insights", "tour"])
def test_pages_other_parts_provide_open_when_present(env, name):
    if not (REPO / "views" / f"{name}.py").is_file():
        pytest.skip(f"views/{name}.py is not in this checkout")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = name
    at.run()
    assert_clean(at)
    assert at.title


@pytest.mark.parametrize("page, params", [
    ("overview", {}),
    ("recommendations", {"rec": REC}),
    ("frameworks", {"framework": "tip-protocol"}),
    ("paths", {"from": f"Recommendation|{REC}", "to": "Framework|untoc"}),
    ("bodies", {"body": "unga"}),
    ("workbench", {"query": "recs_per_area"}),
])
def test_every_page_works_on_neo4j_too(neo4j_env, page, params):
    at = open_page(page, **params)
    assert_clean(at)
    shown = texts(at)
    expected = {"overview": "Coverage: areas a-g x frameworks",
                "recommendations": "Linkage view: recommendation a.1",
                "frameworks": "Its provisions and their coverage (20)",
                "paths": "shortest path(s)", "bodies": "Calendar 2017",
                "workbench": "How many recommendations"}[page]
    assert expected in shown
    assert "neo4j at" in shown  # the sidebar says where the graph lives


def test_overview_counts_the_87_recommendations(env):
    at = open_page()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Recommendations"] == "87"
    assert metrics["Frameworks"] == "28"


def test_overview_shows_the_coverage_heatmap_and_both_gaps(env, seed_records):
    at = open_page()
    links = [e for e in seed_records.edges.values() if e.type == "MAPS_TO"]
    assert ("Coverage: areas a-g x frameworks" in texts(at))
    if links:
        assert at.get("vega_lite_chart"), "no heatmap although MAPS_TO links exist"
    tabs = [t.label for t in at.tabs]
    assert any(t.startswith("Provisions no recommendation maps to") for t in tabs)
    assert any(t.startswith("Recommendations with no framework link") for t in tabs)


def test_overview_can_count_only_cited_links_and_keeps_that_in_the_url(env):
    at = open_page(methods="cited")
    assert_clean(at)
    assert at.session_state["ov_methods"] == ["cited"]
    assert url(at, "methods") == "cited"


def test_linkage_view_of_a1_lists_its_links_or_its_area_and_page(env, seed_records):
    at = open_page("recommendations", rec=REC)
    assert_clean(at)
    shown = texts(at)
    assert "Linkage view: recommendation a.1" in shown
    rec = seed_records.nodes[("Recommendation", REC)]
    cited = [e for e in seed_records.edges.values()
             if e.type == "MAPS_TO" and e.src == REC and e.props.get("method") == "cited"]
    if cited:  # the linker is in the build: every framework cited in the text is listed
        fw = {n.id: names.name(n) for n in seed_records.nodes.values() if n.label == "Framework"}
        for e in cited:
            target = seed_records.nodes[(e.dst_label, e.dst)]
            assert f"**{names.name(target, fw)}** · cited" in shown
    else:
        assert f"area {rec.props['area']}" in shown
        assert f"page {rec.props['page']}" in shown


def test_linkage_view_offers_related_recommendations_when_analytics_is_there(env):
    pytest.importorskip("graph.analytics")
    at = open_page("recommendations", rec=REC)
    assert_clean(at)
    assert "Related recommendations" in texts(at)


def test_search_narrows_the_table_and_keeps_the_words_in_the_url(env):
    at = open_page("recommendations")
    at.text_input(key="rec_q").input("ratify").run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert 0 < len(table) < 87
    assert all("ratif" in text.lower() for text in table["text"])
    assert url(at, "q") == "ratify"


def test_picking_a_recommendation_opens_its_linkage_view(env):
    at = open_page("recommendations")
    at.selectbox(key="rec_pick").select("gcm-ts5-summary:b.1").run()
    assert_clean(at)
    assert "Linkage view: recommendation b.1" in texts(at)
    assert url(at, "rec") == "gcm-ts5-summary:b.1"


def test_frameworks_page_shows_what_maps_to_the_trafficking_protocol(env):
    at = open_page("frameworks", framework="tip-protocol")
    assert_clean(at)
    shown = texts(at)
    assert "Trafficking in Persons Protocol" in shown
    assert "Recommendations mapped to it" in shown
    assert "Its provisions and their coverage (20)" in shown


def test_paths_page_tells_a_path_in_words(env):
    at = open_page("paths", **{"from": f"Recommendation|{REC}", "to": "Framework|untoc"})
    assert_clean(at)
    shown = texts(at)
    assert "shortest path(s)" in shown
    assert "Recommendation a.1 " in shown and "UNTOC" in shown


def test_bodies_page_shows_the_2017_calendar_and_the_moderators(env):
    at = open_page("bodies")
    assert_clean(at)
    assert "Calendar 2017" in texts(at)
    assert at.get("vega_lite_chart")
    speakers = at.dataframe[-1].value
    assert "moderator" in set(speakers["role"])


def test_workbench_runs_a_saved_query_with_its_row_count(env):
    at = open_page("workbench", query="recs_per_area")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows"] == "7"
    assert at.get("vega_lite_chart"), "the bar view was not drawn"


def test_workbench_console_shows_the_engines_syntax_error_and_refuses_writes(env):
    at = open_page("workbench")
    at.text_area(key="wb_cypher").input("MATCH (n:Framework RETURN n").run()
    at.button(key="wb_run").click().run()
    assert not at.exception
    assert "Syntax error (LadybugDB)" in at.error[0].value
    at.text_area(key="wb_cypher").input("MATCH (n) DETACH DELETE n").run()
    at.button(key="wb_run").click().run()
    assert "read-only" in at.error[0].value
    history = at.session_state["wb_history"]
    assert [h["status"] for h in history] == ["QueryNotReadOnly", "QuerySyntaxError"]


def test_a_page_parameter_on_the_home_link_opens_that_page(env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["page"] = "bodies"
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Bodies and events"


def test_first_run_builds_the_embedded_graph_from_data(monkeypatch, tmp_path):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPH_DB_PATH", str(tmp_path / "fresh" / "graph.lbug"))
    at = open_page()
    assert_clean(at)
    assert at.status and "Graph built" in at.status[0].label
    assert {m.label: m.value for m in at.metric}["Recommendations"] == "87"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_neo4j_names_the_uri_and_offers_the_embedded_graph(env):
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    env.setenv("GRAPH_BACKEND", "neo4j")
    env.setenv("NEO4J_URI", uri)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert uri in at.error[0].value
    at.button[0].click().run()  # "Use the embedded database for this session"
    assert_clean(at)
    assert {m.label: m.value for m in at.metric}["Recommendations"] == "87"
    assert os.environ["GRAPH_BACKEND"] == "neo4j"  # only the session switched
