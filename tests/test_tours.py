"""Guided tours: every shipped tour validates and works on both engines; bad tour files fail with
`file:line` and the fix; the Streamlit page steps through a tour; the exported HTML works offline
in a real browser."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import LoaderError, QueryFailed
from graph.render import remote_references
from graph.tours import export_tour_html, paragraphs, step_graph, step_subgraph, unpack_export
from loaders.tours import Focus, Step, Tour, check_tour, find_tour, load_tours

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
TOURS = load_tours()
NAMES = [t.name for t in TOURS]
REQUIRED = {
    "palermo-to-sdgs": "From Palermo to the SDGs",
    "one-recommendation-many-frameworks": "One recommendation, many frameworks",
    "smuggling-is-not-trafficking": "Smuggling is not trafficking",
    "vienna-september-2017": "Vienna, September 2017",
}


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


# -- the shipped tours ---------------------------------------------------------------------------


def test_the_four_tours_are_there_with_their_titles():
    titles = {t.name: t.title for t in TOURS}
    for name, title in REQUIRED.items():
        assert titles.get(name) == title
    for tour in TOURS:
        assert tour.audience and tour.description and len(tour.steps) >= 4
        for step in tour.steps:
            assert step.title and len(paragraphs(step.narration)) >= 1
            assert step.focus.kind in ("entity", "query", "path")


@pytest.mark.parametrize("name", NAMES)
def test_tour_works_on_the_seed_graph(name, seeded):
    """Every id exists, every saved query runs, every step draws its highlighted nodes."""
    assert check_tour(find_tour(TOURS, name), seeded) == []


def test_every_step_draws_the_same_graph_on_both_engines(seeded_embedded, seeded_neo4j):
    """The narration describes one picture: the engines must agree on it (shortest paths too)."""
    for tour in TOURS:
        for number, step in enumerate(tour.steps, 1):
            a = step_subgraph(seeded_embedded, step)
            b = step_subgraph(seeded_neo4j, step)
            where = f"{tour.name} step {number}"
            assert sorted(n.id for n in a.nodes) == sorted(n.id for n in b.nodes), where
            assert sorted(e.key for e in a.edges) == sorted(e.key for e in b.edges), where


def test_the_recommendation_tour_follows_one_recommendation_to_every_provision(seeded):
    tour = find_tour(TOURS, "one-recommendation-many-frameworks")
    entities = [s.focus.entity for s in tour.steps if s.focus.kind == "entity"]
    rec = max(set(entities), key=entities.count)
    assert rec.startswith("gcm-ts5-summary:")
    targets = {r[0] for r in seeded.run(
        "MATCH (r:Recommendation {id: $id})-[:MAPS_TO]->(x) RETURN x.id", {"id": rec}).rows}
    assert len(targets) >= 3
    drawn = {n.id for s in tour.steps for n in step_subgraph(seeded, s).nodes}
    assert targets <= drawn, f"provisions of {rec} the tour never shows: {targets - drawn}"


def test_the_recommendation_tour_names_each_link_by_how_it_was_made(seeded):
    """The narration says which link is cited and which curated: the graph must agree."""
    methods = dict(seeded.run("MATCH (:Recommendation {id: $id})-[m:MAPS_TO]->(x) "
                              "RETURN x.id, m.method", {"id": "gcm-ts5-summary:a.9"}).rows)
    assert methods == {"refugee-convention:art-33": "cited", "tip-protocol:art-14": "curated",
                       "som-protocol:art-19": "curated"}
    back = dict(seeded.run("MATCH (r:Recommendation)-[m:MAPS_TO]->(:Provision {id: $id}) "
                           "RETURN r.id, m.method", {"id": "som-protocol:art-19"}).rows)
    assert back.get("gcm-ts5-summary:c.9") == "curated"


# -- step graphs ---------------------------------------------------------------------------------


def test_entity_focus_draws_highlighted_nodes_with_their_links(seeded):
    step = Step("SDGs", "n", Focus("entity", entity="agenda-2030:indicator-16.2.2"),
                ("agenda-2030:target-5.2", "agenda-2030:target-8.7"))
    nodes, edges = step_graph(seeded, step)
    ids = {n.id for n in nodes}
    assert {"agenda-2030:indicator-16.2.2", "agenda-2030", "tip-protocol:art-3",
            "agenda-2030:target-5.2", "agenda-2030:target-8.7"} == ids
    assert ("PART_OF", "Provision", "agenda-2030:target-8.7", "Framework", "agenda-2030") in \
        {e.key for e in edges}


def test_entity_focus_follows_only_the_given_relationship_types(seeded):
    nodes, edges = step_graph(seeded, Focus("entity", entity="untoc", rels=("SUPPLEMENTS",)))
    assert {n.id for n in nodes} == {"untoc", "tip-protocol", "som-protocol",
                                     "firearms-protocol"}
    assert {e.type for e in edges} == {"SUPPLEMENTS"}


def test_path_focus_is_the_shortest_path_in_each_engine(seeded):
    nodes, edges = step_graph(seeded, Focus("path", path=("wg-som-4", "som-protocol:art-3")))
    assert {n.id for n in nodes} == {"wg-som-4", "htmss-briefing-2017-06", "som-protocol",
                                     "som-protocol:art-3"}
    assert len(edges) == 3


def test_query_focus_runs_the_saved_query_with_the_step_params(seeded):
    focus = Focus("query", query="rec_graph", params={"rec_id": "gcm-ts5-summary:a.9"})
    ids = {n.id for n in step_graph(seeded, focus)[0]}
    assert "gcm-ts5-summary:a.9" in ids and "refugee-convention:art-33" in ids


def test_a_big_neighbourhood_keeps_the_focus_and_the_highlights_under_the_cap(seeded):
    step = Step("UNTOC", "n", Focus("entity", entity="untoc"), ("untoc:art-37",))
    graph = step_subgraph(seeded, step, cap=12)
    ids = {n.id for n in graph.nodes}
    assert len(ids) == 12 and {"untoc", "untoc:art-37"} <= ids
    assert graph.pruned and graph.total_nodes > 12 and "12 nodes" in graph.notice
    assert all(e.src in ids and e.dst in ids for e in graph.edges)


def test_unknown_ids_and_queries_are_reported_by_check_tour(seeded_embedded):
    tour = Tour("broken", "Broken", "testers", "d", (
        Step("a", "n", Focus("entity", entity="no-such-node"), (), "t.yaml:5"),
        Step("b", "n", Focus("query", query="no_such_query"), (), "t.yaml:9"),
        Step("c", "n", Focus("query", query="rec_graph", params={"nope": 1}), (), "t.yaml:13"),
        Step("d", "n", Focus("entity", entity="wg-som-4"), ("refugee-convention:art-31",),
             "t.yaml:17"),
    ), "t.yaml")
    problems = check_tour(tour, seeded_embedded)
    text = "\n".join(problems)
    assert "t.yaml:5: step 1 ('a'): no node with id 'no-such-node'" in text
    assert "t.yaml:9: step 2" in text and "no saved query named 'no_such_query'" in text
    assert "t.yaml:13: step 3" in text and "nope" in text
    assert ("t.yaml:17: step 4 ('d'): highlighted 'refugee-convention:art-31' is drawn but "
            "linked to nothing") in text
    assert len(problems) == 4
    with pytest.raises(QueryFailed, match="no-such-node"):
        step_graph(seeded_embedded, tour.steps[0])


# -- bad tour files --------------------------------------------------------------------------------

HEAD = "title: T\naudience: A\ndescription: D\nsteps:\n"
STEP = "  - title: S\n    narration: N\n"

BAD = {
    "unknown key": (HEAD + STEP + "    focus: {entity: untoc}\n    hightlight: [untoc]\n", 8,
                    ["unknown key 'hightlight' in step 1", "did you mean 'highlight'"]),
    "unknown top-level key": ("titel: T\naudience: A\ndescription: D\nsteps:\n" + STEP +
                              "    focus: {entity: untoc}\n", 1,
                              ["unknown key 'titel'", "did you mean 'title'"]),
    "missing narration": (HEAD + "  - title: S\n    focus: {entity: untoc}\n", 5,
                          ["step 1 has no 'narration'", "Add `narration:`"]),
    "empty narration": (HEAD + "  - title: S\n    narration: ''\n    focus: {entity: untoc}\n", 5,
                        ["step 1 has no 'narration'"]),
    "empty steps": (HEAD.replace("steps:\n", "steps: []\n"), 4,
                    ["the tour has no steps", "Add at least one step"]),
    "no steps key": ("title: T\naudience: A\ndescription: D\n", 1, ["the tour has no 'steps'"]),
    "focus names nothing": (HEAD + STEP + "    focus: {depth: 2}\n", 7,
                            ["must name exactly one of entity, query, path; it names none"]),
    "focus names two": (HEAD + STEP + "    focus: {entity: untoc, path: [untoc, gcm]}\n", 7,
                        ["it names entity and path", "Write one of `focus: {entity: untoc}`"]),
    "cypher focus": (HEAD + STEP + "    focus:\n      cypher: MATCH (n) RETURN n\n", 8,
                     ["holds Cypher", "write `query: <name>`"]),
    "bad id": (HEAD + STEP + "    focus: {entity: untoc}\n    highlight: [UNTOC art 3]\n", 8,
               ["'UNTOC art 3' is not a graph id"]),
    "depth too deep": (HEAD + STEP + "    focus: {entity: untoc, depth: 7}\n", 7,
                       ["'depth' of the focus of step 1 must be a whole number from 1 to 3"]),
    "unknown relationship": (HEAD + STEP + "    focus: {entity: untoc, rels: [MAPS]}\n", 7,
                             ["'MAPS' is not a relationship type", "did you mean 'MAPS_TO'"]),
    "path of one id": (HEAD + STEP + "    focus: {path: [untoc]}\n", 7,
                       ["must be a list of exactly two ids"]),
    "params without query": (HEAD + STEP + "    focus: {entity: untoc, params: {a: 1}}\n", 7,
                             ["'params' goes with 'query'"]),
    "malformed yaml": (HEAD + STEP + "    focus: {entity: untoc\n", 8, ["malformed YAML"]),
    "empty file": ("", 1, ["the file is empty"]),
    "only comments": ("# a tour, some day\n", 1, ["the file is empty"]),
    "a list, not a mapping": ("- title: T\n", 1, ["a tour file must be a mapping"]),
    "bad file name": (HEAD + STEP + "    focus: {entity: untoc}\n", 1,
                      ["tour name 'Bad Name' is not lower-case words"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_tour_file_says_file_line_and_fix(case, tmp_path):
    text, line, fragments = BAD[case]
    path = tmp_path / ("Bad Name.yaml" if case == "bad file name" else "tour.yaml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        load_tours(tmp_path)
    message = str(err.value)
    assert f"{path}:{line}:" in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert "no tour was loaded" in message


def test_duplicate_tour_names_name_both_files(tmp_path):
    good = HEAD + STEP + "    focus: {entity: untoc}\n"
    (tmp_path / "a.yaml").write_text("name: same\n" + good, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: same\n" + good, encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        load_tours(tmp_path)
    message = str(err.value)
    assert f"{tmp_path / 'b.yaml'}:1: duplicate tour name 'same'" in message
    assert f"also at {tmp_path / 'a.yaml'}:1" in message


def test_every_bad_file_is_reported_at_once(tmp_path):
    (tmp_path / "a.yaml").write_text("", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(HEAD + STEP + "    focus: {query: x, path: [a, b]}\n",
                                     encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        load_tours(tmp_path)
    assert "2 problem(s)" in str(err.value)
    assert f"{tmp_path / 'a.yaml'}:1:" in str(err.value)
    assert f"{tmp_path / 'b.yaml'}:7:" in str(err.value)


def test_a_good_file_loads_with_defaults(tmp_path):
    (tmp_path / "mini.yaml").write_text(
        HEAD + STEP + "    focus:\n      query: rec_graph\n      params: {rec_id: 'x:a.1'}\n",
        encoding="utf-8")
    [tour] = load_tours(tmp_path)
    assert tour.name == "mini" and tour.steps[0].highlight == ()
    assert tour.steps[0].focus == Focus("query", query="rec_graph", params={"rec_id": "x:a.1"})
    assert tour.steps[0].where == f"{tmp_path / 'mini.yaml'}:5"


def test_an_empty_or_missing_directory_is_refused(tmp_path):
    with pytest.raises(LoaderError, match="no \\*.yaml tour files"):
        load_tours(tmp_path)
    with pytest.raises(LoaderError, match="no such directory"):
        load_tours(tmp_path / "nope")


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def embedded_env(seeded_embedded) -> dict[str, str]:
    return {"GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(seeded_embedded.path)}


def test_tour_list_names_every_tour_and_checks_them(embedded_env):
    result = CliRunner().invoke(cli, ["tour", "list", "--check"], env=embedded_env)
    assert result.exit_code == 0, result.output
    for tour in TOURS:
        assert tour.name in result.output and tour.title in result.output
    assert result.output.count("  ok") == len(TOURS)


def test_tour_export_writes_the_default_file_and_prints_where(embedded_env, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["tour", "export", "vienna-september-2017"], env=embedded_env)
    assert result.exit_code == 0, result.output
    out = tmp_path / "tours" / "vienna-september-2017.html"
    assert out.is_file() and str(out.resolve()) in result.output
    assert "Vienna, September 2017" in out.read_text(encoding="utf-8")


def test_tour_export_to_a_chosen_file_and_an_unknown_tour(embedded_env, tmp_path):
    target = tmp_path / "deep" / "tour.html"
    result = CliRunner().invoke(cli, ["tour", "export", "palermo-to-sdgs", "-o", str(target)],
                                env=embedded_env)
    assert result.exit_code == 0, result.output
    assert target.is_file()
    result = CliRunner().invoke(cli, ["tour", "export", "palermo-to-sgds"], env=embedded_env)
    assert result.exit_code == 1
    assert "no tour named 'palermo-to-sgds' (did you mean 'palermo-to-sdgs'?)" in result.output
    assert "Traceback" not in result.output


# -- the Streamlit page ----------------------------------------------------------------------------


def _app(seeded_embedded, monkeypatch, **params: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GRAPH_BACKEND", "embedded")
    monkeypatch.setenv("GRAPH_DB_PATH", str(seeded_embedded.path))
    at = AppTest.from_file(str(HERE / "tour_app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _narration(at) -> str:
    found = [m.value for m in at.markdown if 'class="tour-narration"' in m.value]
    assert len(found) == 1
    return found[0]


def _counter(at) -> str:
    found = [m.value for m in at.markdown if 'class="tour-counter"' in m.value]
    assert len(found) == 1
    return re.sub(r"<[^>]+>", "", found[0])


def test_the_page_steps_through_a_tour_with_next_and_previous(seeded_embedded, monkeypatch):
    at = _app(seeded_embedded, monkeypatch)
    assert not at.exception, at.exception
    tour = find_tour(TOURS, "smuggling-is-not-trafficking")
    at.selectbox(key="tour_name").set_value(tour.name).run()
    assert _counter(at) == f"Step 1 of {len(tour.steps)}"
    first = _narration(at)
    assert tour.steps[0].title in first and "act, means" in first
    assert at.button(key="tour_prev").disabled and not at.button(key="tour_next").disabled

    at.button(key="tour_next").click().run()
    assert _counter(at) == f"Step 2 of {len(tour.steps)}"
    second = _narration(at)
    assert second != first and tour.steps[1].title in second
    assert at.query_params["tour"] == tour.name and at.query_params["step"] == "2"

    at.button(key="tour_prev").click().run()
    assert _narration(at) == first and at.query_params["step"] == "1"
    clicks = 0
    while not at.button(key="tour_next").disabled:  # Next stops at the last step
        at.button(key="tour_next").click().run()
        clicks += 1
    assert clicks == len(tour.steps) - 1
    assert _counter(at) == f"Step {len(tour.steps)} of {len(tour.steps)}"
    assert not at.exception and not at.error


def test_a_link_reopens_the_same_step(seeded_embedded, monkeypatch):
    tour = find_tour(TOURS, "vienna-september-2017")
    at = _app(seeded_embedded, monkeypatch, tour=tour.name, step="3")
    assert not at.exception, at.exception
    assert at.selectbox(key="tour_name").value == tour.name
    assert _counter(at) == f"Step 3 of {len(tour.steps)}"
    assert tour.steps[2].title in _narration(at)
    assert at.download_button(key="tour_download").label.startswith("Download the tour")


def test_a_bad_step_in_the_link_falls_back_to_a_real_step(seeded_embedded, monkeypatch):
    at = _app(seeded_embedded, monkeypatch, tour="palermo-to-sdgs", step="99")
    assert not at.exception
    total = len(find_tour(TOURS, "palermo-to-sdgs").steps)
    assert _counter(at) == f"Step {total} of {total}"


# -- the offline export ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seed_records) -> tuple[Tour, str]:
    from graph.embedded_backend import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path_factory.mktemp("export") / "graph.lbug")
    try:
        backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
        tour = find_tour(TOURS, "palermo-to-sdgs")
        return tour, export_tour_html(backend, tour)
    finally:
        backend.close()


def test_the_export_is_one_offline_file_with_every_step(exported):
    tour, page = exported
    assert remote_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*\\?["']?\s*(?:https?:)?//""", page)
    steps = unpack_export(page)
    assert len(steps) == len(tour.steps)
    for step_page in steps:
        assert remote_references(step_page) == []
        assert "vis-network" in step_page or "vis.Network" in step_page
        assert "<!--tour-lib-" not in step_page
    for number, step in enumerate(tour.steps, 1):
        assert f'id="step-{number}"' in page
        assert step.title.replace('"', "&quot;") in page
    assert f"Step 1 of {len(tour.steps)}" in page
    assert 'id="prev"' in page and 'id="next"' in page and "ArrowRight" in page
    assert len(page) < 3_000_000  # the graph library is stored once, not once per step


@pytest.mark.browser
def test_the_export_opens_offline_in_chromium(exported, tmp_path, artifacts):
    if not Path(CHROMIUM).exists():
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if browser_required():
            raise
        pytest.skip("playwright is not installed")
    tour, page_html = exported
    path = tmp_path / "tour.html"
    path.write_text(page_html, encoding="utf-8")
    attempted: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "about:", "data:", "blob:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    def drawn(page, number: int) -> int:
        """Non-white pixels on step `number`'s canvas once its layout has settled."""
        frame = page.frame_locator(f"#graph-{number} iframe")
        frame.locator("canvas").first.wait_for(state="visible", timeout=20_000)
        deadline = time.time() + 20
        while time.time() < deadline:
            done = page.evaluate(f"document.querySelector('#graph-{number} iframe')"
                                 ".contentDocument.body.dataset.stabilized")
            if done == "1":
                break
            time.sleep(0.2)
        page.wait_for_selector(f"#graph-{number} iframe[data-zoomed='1']", timeout=20_000)
        page.wait_for_timeout(300)  # the zoomed fit is drawn on the next animation frame
        return page.evaluate(f"""() => {{
            const doc = document.querySelector('#graph-{number} iframe').contentDocument;
            const c = doc.querySelector('canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {{
              if (d[i + 3] > 0 && (d[i] < 230 || d[i + 1] < 230 || d[i + 2] < 230)) n++;
            }}
            return n;
        }}""")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 900})
            context.route("**/*", guard)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            assert page.inner_text("#counter") == f"Step 1 of {len(tour.steps)}"
            assert drawn(page, 1) > 2000
            assert tour.steps[0].title in page.inner_text("#step-1 .narration")
            page.screenshot(path=str(artifacts / "tour-export.png"))

            page.keyboard.press("ArrowRight")
            assert page.inner_text("#counter") == f"Step 2 of {len(tour.steps)}"
            assert page.is_hidden("#step-1") and page.is_visible("#step-2")
            assert drawn(page, 2) > 2000
            page.click("#prev")
            assert page.inner_text("#counter") == f"Step 1 of {len(tour.steps)}"
            assert page.is_disabled("#prev")
            page.keyboard.press("End")
            assert page.inner_text("#counter") == f"Step {len(tour.steps)} of {len(tour.steps)}"
            assert page.is_disabled("#next")
            assert errors == []
        finally:
            browser.close()
    assert attempted == [], f"the export tried to reach the network: {attempted}"
