"""Saved queries: every file is valid, runs on both engines with the same rows, and answers at
least one fact about the seed graph that was checked by reading the data."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import MissingParameter, QueryFileError
from graph.queries import (
    CYPHER_DIR,
    Param,
    ParameterError,
    SavedQuery,
    check_queries,
    coerce_params,
    load_queries,
    load_query,
    parse_query,
    run_saved,
)
from graph.records import Edge, Node
from graph.records import Path as GraphPath

QUERIES = load_queries(CYPHER_DIR)
BROKEN = Path(__file__).parent / "fixtures" / "broken_queries"


def _linker_present() -> bool:
    try:
        import loaders.linker  # noqa: F401
    except ImportError:
        return False
    return True


# Without the linker the graph has no MAPS_TO/MENTIONS from recommendations; facts say what then.
LINKED = _linker_present()
A1 = "gcm-ts5-summary:a.1"
Rows = list[dict[str, Any]]


# -- comparing engines ---------------------------------------------------------------------------


def normal(value: Any) -> Any:
    """A comparable form of a result value: floats to 6 places; nodes, edges and paths by content."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, decimal.Decimal):  # LadybugDB's INT128 (sum of ints): a real difference
        return ("Decimal", str(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Node):
        return ("Node", value.label, value.id, normal(dict(value.props)))
    if isinstance(value, Edge):
        return ("Edge", value.type, value.src_label, value.src, value.dst_label, value.dst,
                normal(dict(value.props)))
    if isinstance(value, GraphPath):
        return ("Path", normal(list(value.nodes)), normal(list(value.edges)))
    if isinstance(value, (list, tuple)):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return sorted((k, normal(v)) for k, v in value.items())
    return (type(value).__name__, repr(value))


def ends_with_order_by(cypher: str) -> bool:
    """True when the last RETURN is followed by ORDER BY (comments and strings ignored)."""
    from graph.queries import _mask

    masked = _mask(cypher)
    last_return = max((m.start() for m in re.finditer(r"\bRETURN\b", masked, re.I)), default=-1)
    return re.search(r"\bORDER\s+BY\b", masked[last_return:], re.I) is not None


def assert_same_rows(query: SavedQuery, a, b) -> None:
    assert a.columns == b.columns, f"{query.name}: columns differ"
    assert not a.truncated and not b.truncated, f"{query.name}: raise the limit in the test"
    rows_a = [normal(list(r)) for r in a.rows]
    rows_b = [normal(list(r)) for r in b.rows]
    if ends_with_order_by(query.text_for("embedded")) and ends_with_order_by(query.cypher):
        assert rows_a == rows_b, f"{query.name}: the engines return different rows (in order)"
    else:
        assert sorted(rows_a, key=repr) == sorted(rows_b, key=repr), \
            f"{query.name}: the engines return different rows"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_returns_the_same_rows_on_both_engines(query, seeded_embedded, seeded_neo4j):
    embedded = run_saved(seeded_embedded, query, limit=5000)
    neo4j = run_saved(seeded_neo4j, query, limit=5000)
    assert_same_rows(query, embedded, neo4j)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_whole_file_runs_unchanged_on_neo4j(query, seeded_neo4j):
    """What Neo4j Browser gets when the file is pasted: header, body and variant comment."""
    whole = seeded_neo4j.run(query.path.read_text(encoding="utf-8"), coerce_params(query),
                             limit=5000)
    assert_same_rows(query, whole, run_saved(seeded_neo4j, query, limit=5000))


def test_there_are_at_least_twenty_queries():
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("query", [q for q in QUERIES if q.view != "metric"], ids=lambda q: q.name)
def test_every_listing_ends_with_order_by(query):
    for text in (query.cypher, *query.variants.values()):
        assert ends_with_order_by(text), f"{query.name}: end with ORDER BY for a stable order"


# -- non-default parameters, on both engines -----------------------------------------------------

PARAM_CASES: list[tuple[str, dict[str, str], Callable[[Rows], None]]] = [
    ("panel_speakers", {"event_id": "gcm-ts5-panel-1"},
     lambda rows: _eq({r["person"] for r in rows}, {"Rafael Mariano Grossi", "Gabriella E. Sanchez",
                                                   "Jorgen Carling", "Mark Shaw"})),
    ("provision_gaps", {"framework_id": "tip-protocol", "include_inferred": "false"},
     lambda rows: _true(rows and {r["framework"] for r in rows} == {"tip-protocol"})),
    ("recs_per_protocol_article", {"protocol_id": "som-protocol"},
     lambda rows: _eq(len(rows), 25)),
    ("cited_vs_inferred", {"area": "d"}, lambda rows: _eq(len(rows), 18)),
    ("recs_per_gcm_objective", {"methods": "cited"}, lambda rows: _eq(len(rows), 23)),
    ("recs_mentioning_body", {"body_id": "unhcr"},
     lambda rows: _true("gcm-ts5-summary:f.13" in {r["recommendation"] for r in rows})),
    ("framework_bodies", {"framework_id": "untoc"},
     lambda rows: _eq([(r["adopted_by"], r["symbol"]) for r in rows], [("unga", "A/RES/55/25")])),
    ("adopted_by_body", {"body_id": "ilo"},
     lambda rows: _eq([r["framework"] for r in rows],
                      ["ilo-c029", "ilo-c097", "ilo-c143", "ilo-p029"])),
    ("shared_targets", {"top": "1"}, lambda rows: _true(len(rows) <= 1)),
    ("events_in_period", {"since": "2017-09-04", "until": "2017-09-05"},
     lambda rows: _eq({r["event"] for r in rows}, {"gcm-ts5", "gcm-ts5-panel-1", "gcm-ts5-panel-2",
                                                   "gcm-ts5-panel-3", "gcm-ts5-summary-panel"})),
    ("recs_per_sdg_target", {"min_score": "1.01"},
     lambda rows: _true(all(r["recommendations"] == 0 for r in rows))),
]


@pytest.mark.parametrize("name, params, check", PARAM_CASES, ids=[c[0] for c in PARAM_CASES])
def test_parameters_change_the_answer_alike_on_both_engines(name, params, check, seeded_embedded,
                                                            seeded_neo4j):
    query = next(q for q in QUERIES if q.name == name)
    embedded = run_saved(seeded_embedded, query, params, limit=5000)
    assert_same_rows(query, embedded, run_saved(seeded_neo4j, query, params, limit=5000))
    check(embedded.records())


# -- facts about the seed graph ------------------------------------------------------------------


def _eq(a: Any, b: Any) -> None:
    assert a == b, f"{a!r} != {b!r}"


def _true(condition: Any, message: str = "") -> None:
    assert condition, message


def _col(rows: Rows, name: str) -> list[Any]:
    return [r[name] for r in rows]


def _mapped(backend, rec_id: str) -> set[str]:
    rows = backend.run("MATCH (:Recommendation {id: $id})-[:MAPS_TO]->(t) RETURN t.id AS t",
                       {"id": rec_id}).rows
    return {r[0] for r in rows}


def fact_rec_links(rows: Rows, backend) -> None:
    assert {r["recommendation"] for r in rows} == {A1}
    cited = {r["framework"] for r in rows if r["method"] == "cited" and r["provision"] is None}
    if LINKED:  # "Accede to and ratify UNTOC and the two relevant Protocols thereto"
        assert {"untoc", "tip-protocol", "som-protocol"} <= cited
        assert all(r["evidence"] for r in rows)
    else:
        assert len(rows) == 1 and rows[0]["method"] is None


def fact_rec_graph(rows: Rows, backend) -> None:
    targets = set(_col(rows, "target"))
    assert {"gcm-ts5-summary", "theme-overarching-frameworks-and-principles"} <= targets
    if LINKED:
        assert "untoc" in targets
    assert all(r["link"].src == A1 for r in rows)


def fact_recs_per_gcm_objective(rows: Rows, backend) -> None:
    assert _col(rows, "objective") == [f"obj-{n}" for n in range(1, 24)]
    assert rows[9]["title"].startswith("Prevent, combat and eradicate trafficking in persons")
    for r in rows:
        expected = backend.run("MATCH (x:Recommendation)-[:MAPS_TO]->(:Provision {id: $id}) "
                               "RETURN count(DISTINCT x) AS n", {"id": f"gcm:{r['objective']}"})
        assert r["recommendations"] == expected.scalar()


def fact_recs_per_sdg_target(rows: Rows, backend) -> None:
    assert _col(rows, "target") == ["target-5.2", "target-5.3", "target-8.7", "target-8.8",
                                    "target-10.7", "target-16.2", "target-16.3", "target-16.4",
                                    "target-17.18"]
    if LINKED:  # d.8 "child protection" is about trafficking of children (dev set: 16.2)
        assert sum(_col(rows, "recommendations")) >= 1


def fact_recs_per_protocol_article(rows: Rows, backend) -> None:
    assert len(rows) == 20 + 25  # the TIP Protocol has 20 articles, the SOM Protocol 25
    art6 = next(r for r in rows if r["protocol"] == "tip-protocol" and r["article"] == "art-6")
    assert art6["title"].startswith("Assistance to and protection of victims")
    assert all(r["cited_or_curated"] <= r["recommendations"] for r in rows)


def fact_provision_gaps(rows: Rows, backend) -> None:
    gaps = {f"{r['framework']}:{r['provision']}" for r in rows}
    assert "tip-protocol:art-20" in gaps  # "Depositary and languages": no recommendation on it
    assert gaps.isdisjoint(_mapped(backend, A1))
    assert len(rows) < 189 if LINKED else len(rows) == 189


def fact_recs_without_framework(rows: Rows, backend) -> None:
    ids = _col(rows, "recommendation")
    assert A1 not in ids if LINKED else len(ids) == 87
    assert all(not _mapped(backend, rec) for rec in ids[:10])


def fact_cited_vs_inferred(rows: Rows, backend) -> None:
    assert len(rows) == 87
    a1 = next(r for r in rows if r["recommendation"] == A1)
    assert (a1["strongest"], a1["cited"] >= 3) == (("cited", True) if LINKED else ("no link", False))


def fact_recs_mentioning_body(rows: Rows, backend) -> None:
    # g.5: "Support the IOM Counter Trafficking Collaborative ..."
    g5 = next(r for r in rows if r["recommendation"] == "gcm-ts5-summary:g.5")
    assert g5["found_by"] == ("link" if LINKED else "text")


def fact_framework_bodies(rows: Rows, backend) -> None:
    got = {(r["adopted_by"], r["depth"], r["body"]) for r in rows}
    # GCM: adopted at the Marrakech conference and endorsed by the General Assembly (A/RES/73/195)
    assert got == {("gcm-intergovernmental-conference", 0, "gcm-intergovernmental-conference"),
                   ("gcm-intergovernmental-conference", 1, "unga"), ("unga", 0, "unga")}
    assert "A/RES/73/195" in _col(rows, "symbol")


def fact_adopted_by_body(rows: Rows, backend) -> None:
    assert {"unsc-2331", "unsc-2388"} <= set(_col(rows, "framework"))
    assert all(r["symbol"].startswith("S/RES/") for r in rows)
    assert _col(rows, "adopted") == sorted(_col(rows, "adopted"))


def fact_path_to_sdg_target(rows: Rows, backend) -> None:
    if not LINKED:
        assert rows == []
        return
    assert rows and len({r["hops"] for r in rows}) == 1  # all shortest: one length
    for r in rows:
        route = r["route"].split(" > ")
        assert route[0] == A1 and route[-1] == "agenda-2030:target-8.7"
        assert len(route) == r["hops"] + 1 == len(r["p"].nodes)


def fact_recs_on_children(rows: Rows, backend) -> None:
    ids = set(_col(rows, "recommendation"))
    # d.8 "access to child protection", c.6 "alternative care and guardianship arrangements"
    assert {"gcm-ts5-summary:d.8", "gcm-ts5-summary:c.6"} <= ids


def fact_recs_on_women_and_girls(rows: Rows, backend) -> None:
    by_id = {r["recommendation"]: r for r in rows}
    assert by_id["gcm-ts5-summary:d.9"]["gender"]  # "a gender perspective into migration policies"
    assert by_id["gcm-ts5-summary:c.10"]["women"]  # "the agency and voice of women"
    assert all(r["women"] or r["girls"] or r["gender"] for r in rows)


def fact_protocol_coverage(rows: Rows, backend) -> None:
    if not LINKED:
        assert rows == []
        return
    a1 = next(r for r in rows if r["recommendation"] == A1)
    assert a1["coverage"] == "both"  # ratify UNTOC "and the two relevant Protocols thereto"
    for r in rows:
        tip, som = r["trafficking_links"] > 0, r["smuggling_links"] > 0
        assert r["coverage"] == {(True, True): "both", (True, False): "trafficking only",
                                 (False, True): "smuggling only"}[(tip, som)]


def fact_themes_by_framework(rows: Rows, backend) -> None:
    if not LINKED:
        assert rows == []
        return
    cell = next(r for r in rows if r["area"] == "a" and r["framework"] == "untoc")
    assert cell["recommendations"] >= 1 and 0 < cell["mean_score"] <= 1
    assert set(_col(rows, "area")) <= set("abcdefg")


def fact_events_in_period(rows: Rows, backend) -> None:
    pairs = {(r["event"], r["document"]) for r in rows}
    assert ("gcm-ts5", "gcm-ts5-summary") in pairs
    assert ("wg-tip-7", "ctoc-cop-wg4-2017-1") in pairs  # the annotated provisional agenda
    assert all(r["start"].year == 2017 for r in rows)


def fact_panel_speakers(rows: Rows, backend) -> None:
    panel1 = {(r["role"], r["person"]) for r in rows if r["event"] == "gcm-ts5-panel-1"}
    assert ("panelist", "Mark Shaw") in panel1
    assert ("moderator", "Rafael Mariano Grossi") in panel1


def fact_protocol_supplements(rows: Rows, backend) -> None:
    pairs = {(r["protocol"], r["supplements"]) for r in rows}
    assert {("tip-protocol", "untoc"), ("som-protocol", "untoc"),
            ("firearms-protocol", "untoc")} <= pairs


def fact_aligned_provisions(rows: Rows, backend) -> None:
    by_id = {r["provision"]: r for r in rows}
    assert {"agenda-2030:target-8.7", "tip-protocol:art-6"} <= set(by_id)
    assert by_id["tip-protocol:art-6"]["confirmed"] is True


def fact_graph_size(rows: Rows, backend) -> None:
    (row,) = rows
    assert (row["recommendations"], row["frameworks"], row["themes"]) == (87, 28, 7)


def fact_recs_per_area(rows: Rows, backend) -> None:
    counts = {r["area"]: r["recommendations"] for r in rows}
    assert counts["d"] == 18 and sum(counts.values()) == 87


def fact_framework_mentions(rows: Rows, backend) -> None:
    assert "htmss-briefing-2017-06" in _col(rows, "source")  # the HTMSS briefing names UNTOC


def fact_framework_resources(rows: Rows, backend) -> None:
    by_id = {r["resource"]: r for r in rows}
    assert by_id["model-law-against-trafficking-in-persons"]["year"] == 2019
    assert "legislative-guide-tip-protocol" in by_id


def fact_shared_targets(rows: Rows, backend) -> None:
    others = _col(rows, "other")
    assert "gcm-ts5-summary:d.1" not in others  # never its own neighbour (relationship reuse)
    if LINKED:
        assert rows and all(r["shared_targets"] >= 1 for r in rows)


def fact_framework_neighbourhood(rows: Rows, backend) -> None:
    routes = {r["neighbour"]: r["routes"] for r in rows}
    assert routes["untoc"] >= 1 and routes["tip-protocol:art-6"] >= 1 and "unga" in routes
    # A walk could come back over the same relationship: tip-protocol would be its own neighbour.
    assert "tip-protocol" not in routes


def fact_event_agenda(rows: Rows, backend) -> None:
    assert sorted(set(_col(rows, "item_no"))) == [1, 2, 3, 4, 5]
    item3 = {r["cites"] for r in rows if r["item"] == "wg-tip-7-item-3"}
    assert "cop-resolution-5-5" in item3


FACTS: dict[str, Callable[[Rows, Any], None]] = {
    name.removeprefix("fact_"): f for name, f in globals().items() if name.startswith("fact_")
}


def test_every_query_has_a_fact():
    assert sorted(FACTS) == sorted(q.name for q in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_answers_a_known_fact(query, seeded):
    FACTS[query.name](run_saved(seeded, query, limit=5000).records(), seeded)


# -- the file format -----------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def test_header_values_continue_on_indented_lines(tmp_path):
    q = load_query(write(tmp_path, "demo", "// title: Demo\n// description: first\n"
                         "//   second\n// params: ids: list[str] = [a, 'b c'], n: int = 3,\n"
                         "//   flag: bool = false, x: float | None = None\n"
                         "// caption: Body=name\n\n// a body comment: not header\n"
                         "MATCH (b:Body) WHERE b.id IN $ids AND $flag AND b.x = $x\n"
                         "RETURN b.id AS id ORDER BY id LIMIT $n\n"))
    assert (q.name, q.title, q.description, q.view) == ("demo", "Demo", "first second", "table")
    assert q.params == (Param("ids", "list[str]", ("a", "b c")), Param("n", "int", 3),
                        Param("flag", "bool", False), Param("x", "float | None", None))
    assert q.captions == {"Body": "name"} and q.cypher.startswith("// a body comment")


def test_the_ladybug_variant_is_what_the_embedded_engine_runs(tmp_path):
    q = load_query(write(tmp_path, "v", "// title: V\nMATCH (n:Body) RETURN n.id AS id ORDER BY id"
                         "\n\n/* ladybug variant: why\nMATCH (m:Body) RETURN m.id AS id ORDER BY id"
                         "\n*/\n"))
    assert q.text_for("embedded") == "MATCH (m:Body) RETURN m.id AS id ORDER BY id"
    assert q.text_for("neo4j") == q.cypher == "MATCH (n:Body) RETURN n.id AS id ORDER BY id"


def test_a_variant_must_use_the_declared_parameters(tmp_path):
    _, problems = parse_query(write(tmp_path, "v", "// title: V\n// params: a: str = x\n"
                                    "MATCH (n:Body {id: $a}) RETURN n.id AS id ORDER BY id\n"
                                    "/* ladybug variant\nMATCH (n:Body {id: $b}) RETURN n.id AS id"
                                    " ORDER BY id\n*/\n"))
    assert any("v.cypher:5: the ladybug variant uses $b" in p for p in problems)
    assert any("the ladybug variant does not use $a" in p for p in problems)


def test_dollar_signs_in_strings_and_comments_are_not_parameters(tmp_path):
    q = load_query(write(tmp_path, "s", "// title: S\nMATCH (b:Body) // not $this\n"
                         "WHERE b.name <> 'costs $5' RETURN b.id AS id ORDER BY id\n"))
    assert q.params == ()


@pytest.mark.parametrize("file, line, message", [
    ("undeclared_param", 6, "the query uses $region but does not declare it. Add it to the "
                            "`// params:` line"),
    ("write_clause", 4, "the query contains SET; saved queries may only read. Move writes"),
    ("missing_title", 1, "no `// title:` line. Start the file with `// title:"),
    ("unused_param", 2, "`year` is declared but the query does not use $year"),
    ("bad_header", 2, "unknown header key 'author'. Use one of: title, description"),
    ("bad_header", 3, "parameter `limit` has type 'integer'. Use one of str, int"),
    ("bad_header", 4, "unknown view 'pie'. Use one of: table, graph, bar, metric"),
    ("bad_header", 5, "Framework has no property 'nickname'"),
    ("not_portable", 4, "the first use of $kind is `$kind IS NULL`"),
    ("not_portable", 5, "`+` next to CONTAINS without parentheses"),
    ("not_portable", 6, "labels(n) does not run the same on LadybugDB"),
    ("not_portable", 6, "substring() does not run the same on LadybugDB (LadybugDB counts from 1"),
])
def test_check_names_file_line_and_fix(file, line, message):
    problems = check_queries(BROKEN)
    location = f"broken_queries/{file}.cypher:{line}: "
    assert any(location in p and message in p for p in problems), "\n".join(problems)


def test_loading_a_broken_file_raises_query_file_error():
    with pytest.raises(QueryFileError, match=r"undeclared_param\.cypher:6: .*\$region"):
        load_query(BROKEN / "undeclared_param.cypher")
    with pytest.raises(QueryFileError, match="write_clause.cypher:4"):
        load_queries(BROKEN)


# -- parameters ----------------------------------------------------------------------------------

DEMO = SavedQuery("demo", "Demo", "", "RETURN $rec_id, $top, $tags, $flag, $score, $area",
                  (Param("rec_id", "str", required=True), Param("top", "int", 10),
                   Param("tags", "list[str]", ("a", "b")), Param("flag", "bool", True),
                   Param("score", "float", 0.5), Param("area", "str | None", None)))


def test_coerce_parses_strings_to_declared_types_and_fills_defaults():
    assert coerce_params(DEMO, {"rec_id": "x:a.1", "top": "5", "tags": "[c, d]", "flag": "no",
                                "score": "1", "area": "null"}) == \
        {"rec_id": "x:a.1", "top": 5, "tags": ["c", "d"], "flag": False, "score": 1.0, "area": None}
    assert coerce_params(DEMO, {"rec_id": "x", "tags": "e, f"}) == \
        {"rec_id": "x", "top": 10, "tags": ["e", "f"], "flag": True, "score": 0.5, "area": None}
    assert coerce_params(DEMO, {"rec_id": "x", "top": 3, "tags": ["g"]})["tags"] == ["g"]


def test_a_missing_required_parameter_names_it_and_the_query():
    with pytest.raises(MissingParameter, match="Query demo needs the parameter `rec_id` \\(str\\)"):
        coerce_params(DEMO, {})


@pytest.mark.parametrize("raw, message", [
    ({"top": "abc"}, "-p top=abc: top is an int"),
    ({"flag": "maybe"}, "-p flag=maybe: flag is a bool"),
    ({"score": "high"}, "-p score=high: score is a float"),
    ({"top": True}, "top is an int"),
    ({"colour": "red"}, "Query demo has no parameter 'colour'"),
])
def test_a_bad_parameter_value_says_which_type_it_needs(raw, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        coerce_params(DEMO, {"rec_id": "x", **raw})


# -- the command line ----------------------------------------------------------------------------


def invoke(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=True)


@pytest.fixture
def embedded_env(seeded_embedded) -> dict[str, str]:
    return {"GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(seeded_embedded.path)}


def test_check_passes_on_the_shipped_queries():
    result = invoke(["check"])
    assert result.exit_code == 0, result.output
    assert f"{len(QUERIES)} saved queries" in result.output


def test_check_fails_on_broken_files_with_file_line_messages():
    result = invoke(["check", str(BROKEN)])
    assert result.exit_code == 1
    assert "undeclared_param.cypher:6: the query uses $region" in result.output
    assert "write_clause.cypher:4: the query contains SET" in result.output
    assert "missing_title.cypher:1: no `// title:` line" in result.output
    assert "Traceback" not in result.output


def test_queries_lists_names_titles_and_params():
    result = invoke(["queries"])
    assert result.exit_code == 0
    for q in QUERIES:
        assert q.name in result.output and q.title in result.output
    assert "rec_id: str = gcm-ts5-summary:a.1" in result.output


def test_run_with_a_parameter_prints_json_rows(embedded_env):
    result = invoke(["run", "panel_speakers", "-p", "event_id=gcm-ts5-panel-1", "--format",
                     "json"], embedded_env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert ["gcm-ts5-panel-1", "Panel 1: Smuggling of migrants", "panelist", "Mark Shaw"] in \
        [r[:4] for r in rows]


def test_run_as_csv_with_a_list_parameter_and_a_limit(embedded_env, seed_records):
    result = invoke(["run", "recs_per_gcm_objective", "-p", "methods=cited,curated", "--format",
                     "csv", "--limit", "2"], embedded_env)
    assert result.exit_code == 0, result.output
    # Expected: the recommendations whose cited or curated links reach GCM objective 1.
    expected = len({e.src for e in seed_records.edges.values() if e.type == "MAPS_TO"
                    and e.dst == "gcm:obj-1" and e.props.get("method") in ("cited", "curated")})
    lines = result.output.splitlines()
    assert lines[0] == "objective,title,recommendations"
    assert lines[1] == ("obj-1,Collect and utilize accurate and disaggregated data as a basis "
                        f"for evidence-based policies,{expected}")
    assert lines[2].startswith("obj-2,") and not lines[3]  # --limit 2: two rows, then
    assert "(truncated: more than 2 rows" in lines[4]       # the notice on stderr


@pytest.mark.parametrize("args, message", [
    (["run", "shared_targets", "-p", "top=abc"], "-p top=abc: top is an int"),
    (["run", "shared_targets", "-p", "top"], "-p top: write KEY=VALUE"),
    (["run", "shared_targets", "-p", "colour=red"], "has no parameter 'colour'"),
    (["run", "rec_lnks"], "No saved query named 'rec_lnks'. Did you mean rec_links?"),
])
def test_run_with_a_bad_parameter_fails_cleanly(args, message, embedded_env):
    result = invoke(args, embedded_env)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_run_without_a_required_parameter_fails_cleanly(tmp_path):
    write(tmp_path, "needs_id", "// title: Needs an id\n// params: body_id: str\n"
          "MATCH (b:Body {id: $body_id}) RETURN b.name AS name ORDER BY name\n")
    result = invoke(["run", "needs_id", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "Query needs_id needs the parameter `body_id` (str)" in result.output
    assert isinstance(result.exception, SystemExit)
