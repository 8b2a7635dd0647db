"""graph.analytics: known answers on hand-built graphs, facts read from the seed data, the
GraphML round trip, k-sampling, the whitelist, and the Insights page (views/insights.py).

The module's doctests run here too (`doctest.testmod`), so `pytest tests/` covers them without
a shared pytest.ini change.
"""

from __future__ import annotations

import datetime as dt
import doctest
import io
import json
import random
import xml.etree.ElementTree as ET
from collections import Counter
from fractions import Fraction

import networkx as nx
import pytest

import graph.analytics as A
from graph.records import Edge, Node

REC = "Recommendation"


def maps(rec: str, target: str, method: str = "cited", label: str = "Provision") -> Edge:
    return Edge("MAPS_TO", REC, rec, label, target, {"method": method, "score": 1.0})


def part_of(provision: str, framework: str) -> Edge:
    return Edge("PART_OF", "Provision", provision, "Framework", framework)


def aligns(a: str, b: str, a_label: str = "Provision", b_label: str = "Provision") -> Edge:
    return Edge("ALIGNS_WITH", a_label, a, b_label, b)


# -- doctests ------------------------------------------------------------------------------------


def test_doctests_pass():
    result = doctest.testmod(A, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 20
    assert result.failed == 0


def test_every_public_function_has_a_numpy_docstring_with_an_example():
    for name in A.__all__:
        obj = getattr(A, name)
        if callable(obj):
            assert obj.__doc__ and "Examples\n    --------" in obj.__doc__, name


# -- building graphs -----------------------------------------------------------------------------


def test_to_networkx_keys_nodes_by_id_and_edges_by_type():
    G = A.to_networkx(
        [Node("Framework", "untoc", {"short_name": "UNTOC", "adopted": dt.date(2000, 11, 15),
                                     "keywords": ("crime",), "symbol": None}),
         Node("Provision", "untoc:art-5", {"ref": "art-5"})],
        [part_of("untoc:art-5", "untoc"),
         Edge("MAPS_TO", REC, "d:a.1", "Framework", "untoc", {"method": "cited", "score": 1})])
    assert G.nodes["untoc"] == {"label": "Framework", "short_name": "UNTOC",
                                "adopted": dt.date(2000, 11, 15), "keywords": ["crime"]}
    assert G.nodes["d:a.1"] == {"label": REC}  # endpoint added with its label
    assert sorted(G.edges(keys=True)) == [("d:a.1", "untoc", "MAPS_TO"),
                                          ("untoc:art-5", "untoc", "PART_OF")]
    score = G.edges["d:a.1", "untoc", "MAPS_TO"]["score"]
    assert score == 1.0 and isinstance(score, float)  # the schema declares score a float


def test_to_networkx_refuses_an_id_shared_by_two_labels():
    with pytest.raises(ValueError, match="both a Event and a Document"):
        A.to_networkx([Node("Event", "x"), Node("Document", "x")], [])


@pytest.mark.parametrize("kwargs", [
    {"labels": ["Recommendation) DETACH DELETE (n"]},
    {"labels": ["recommendation"]},
    {"rel_types": ["MAPS_TO]->() DELETE r //"]},
    {"labels": ["Recommendation"], "properties": {"Recommendation": ["text, n.id"]}},
])
def test_from_backend_refuses_names_off_the_schema(kwargs):
    class Untouchable:
        def run(self, *a, **k):
            raise AssertionError("no query may run")

    with pytest.raises(ValueError, match="unknown"):
        A.from_backend(Untouchable(), **kwargs)


def test_degree_from_backend_refuses_a_label_off_the_schema():
    with pytest.raises(ValueError, match="unknown label"):
        A.degree_from_backend(None, "Provision) DETACH DELETE (n")


def test_from_backend_sends_methods_as_a_parameter():
    seen = []

    class Recorder:
        def run(self, cypher, params=None, **kwargs):
            from graph.backend import QueryResult
            seen.append((cypher, params))
            return QueryResult([], [])

    A.from_backend(Recorder(), labels=["Recommendation", "Provision"], rel_types=["MAPS_TO"],
                   methods=["cited'; DROP"])
    maps_to = [(c, p) for c, p in seen if "MAPS_TO" in c]
    assert maps_to and all(p == {"methods": ["cited'; DROP"]} and "DROP" not in c
                           for c, p in maps_to)


# -- betweenness ---------------------------------------------------------------------------------


def _random_graph(seed: int, n: int = 120, m: int = 160) -> nx.Graph:
    G = nx.gnm_random_graph(n, m, seed=seed)  # sparse: several components, some isolated nodes
    return nx.relabel_nodes(G, {i: f"n{i}" for i in G})


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_networkx_exact_and_sampled(seed):
    U = _random_graph(seed)
    mine, k = A._betweenness(U, None, 42)
    assert k is None
    expected = nx.betweenness_centrality(U)
    assert mine == pytest.approx(expected, abs=1e-12)
    mine, k = A._betweenness(U, 25, seed)
    assert k == 25
    assert mine == pytest.approx(nx.betweenness_centrality(U, k=25, seed=seed), abs=1e-12)


def test_betweenness_ignores_direction_parallel_edges_and_self_loops():
    U = _random_graph(3)
    D = nx.MultiDiGraph()
    D.add_nodes_from(U)
    for u, v in U.edges():
        D.add_edge(u, v, key="MAPS_TO")
        D.add_edge(v, u, key="ALIGNS_WITH")
    D.add_edge("n0", "n0", key="PART_OF")
    mine, _ = A._betweenness(D, None, 42)
    assert mine == pytest.approx(nx.betweenness_centrality(U), abs=1e-12)


def _star_of_stars(recs: int) -> nx.MultiDiGraph:
    """`recs` recommendations, each on 1-3 of 12 provisions of 3 frameworks (seeded)."""
    rng = random.Random(5)
    edges = [part_of(f"f{i % 3}:art-{i}", f"f{i % 3}") for i in range(12)]
    for r in range(recs):
        for p in rng.sample(range(12), rng.randint(1, 3)):
            edges.append(maps(f"d:a.{r}", f"f{p % 3}:art-{p}"))
    return A.to_networkx([], edges)


def test_k_sampling_switches_on_above_the_threshold_and_says_so():
    G = _star_of_stars(300)
    n = G.number_of_nodes()
    exact = A.centrality_by_label(G, "Provision", sample_above=n)
    assert not any(r["sampled"] for r in exact) and {r["pivots"] for r in exact} == {None}
    sampled = A.centrality_by_label(G, "Provision", sample_above=n - 1)
    pivots = {r["pivots"] for r in sampled}
    assert all(r["sampled"] for r in sampled) and len(pivots) == 1
    (k,) = pivots
    assert 16 <= k < n
    # the estimate is networkx's estimate with the same pivots
    U = nx.Graph(G.to_undirected())
    expected = nx.betweenness_centrality(U, k=k, seed=42)
    assert {r["id"]: r["betweenness"] for r in sampled} == pytest.approx(
        {r["id"]: expected[r["id"]] for r in sampled}, abs=1e-12)
    # and degree does not depend on sampling
    assert [(r["id"], r["recommendations"]) for r in exact] == \
        [(r["id"], r["recommendations"]) for r in sorted(
            sampled, key=lambda r: (-r["recommendations"], -exact_b(exact, r["id"]), r["id"]))]
    explicit = A.centrality_by_label(G, "Provision", k=10)
    assert all(r["sampled"] and r["pivots"] == 10 for r in explicit)


def exact_b(rows, node):
    return next(r["betweenness"] for r in rows if r["id"] == node)


def test_centrality_counts_recommendations_per_provision_framework_and_body():
    G = A.to_networkx(
        [Node("Framework", "fw", {"short_name": "FW"}), Node("Body", "iom", {"name": "IOM"})],
        [part_of("fw:art-1", "fw"), part_of("fw:art-2", "fw"),
         maps("d:a.1", "fw:art-1"), maps("d:a.2", "fw:art-1", "inferred"),
         maps("d:a.2", "fw:art-2"), maps("d:a.3", "fw", label="Framework"),
         maps("d:a.1", "fw", label="Framework"),
         Edge("MENTIONS", REC, "d:a.3", "Body", "iom", {"method": "cited"})])
    provisions = {r["id"]: r["recommendations"] for r in A.centrality_by_label(G, "Provision")}
    assert provisions == {"fw:art-1": 2, "fw:art-2": 1}
    # a.1 (art-1 and fw), a.2 (art-1, art-2), a.3 (fw): three distinct recommendations
    assert A.centrality_by_label(G, "Framework")[0]["recommendations"] == 3
    assert A.centrality_by_label(G, "Body")[0]["recommendations"] == 1
    cited = {r["id"]: r["recommendations"]
             for r in A.centrality_by_label(G, "Provision", methods=["cited"])}
    assert cited == {"fw:art-1": 1, "fw:art-2": 1}
    assert A.centrality_by_label(G, "Provision")[0]["name"] == "FW art. 1"


# -- communities -----------------------------------------------------------------------------------


def planted_communities() -> nx.MultiDiGraph:
    """Two groups of five recommendations, each group sharing its own three provisions, and
    one weak tie (a single shared provision between one member of each group)."""
    edges = []
    for group, fw in (("a", "tip-protocol"), ("b", "som-protocol")):
        for i in range(1, 6):
            for art in (5, 6, 7):
                edges.append(maps(f"d:{group}.{i}", f"{fw}:art-{art}"))
    edges += [maps("d:a.1", "gcm:obj-1"), maps("d:b.1", "gcm:obj-1")]
    nodes = [Node("Framework", "tip-protocol", {"short_name": "TIP"}),
             Node("Framework", "som-protocol", {"short_name": "SOM"})]
    return A.to_networkx(nodes, edges)


def test_louvain_finds_the_planted_communities_and_names_them_by_shared_provisions():
    rows = A.recommendation_communities(planted_communities())
    assert [r["members"] for r in rows] == [[f"d:a.{i}" for i in range(1, 6)],
                                            [f"d:b.{i}" for i in range(1, 6)]]
    assert rows[0]["name"] == "TIP art. 5 · TIP art. 6"
    assert rows[0]["top_targets"][:3] == [("tip-protocol:art-5", "TIP art. 5", 5),
                                          ("tip-protocol:art-6", "TIP art. 6", 5),
                                          ("tip-protocol:art-7", "TIP art. 7", 5)]
    assert not any(r["sampled"] for r in rows) and rows[0]["considered"] == 10


def test_communities_are_reproducible_with_a_seed():
    G = _star_of_stars(120)
    assert A.recommendation_communities(G, seed=7) == A.recommendation_communities(G, seed=7)


def test_communities_sample_a_projection_that_would_be_too_large_and_say_so():
    G = _star_of_stars(300)
    full = A.recommendation_communities(G)
    assert not full[0]["sampled"] and full[0]["considered"] == 300
    rows = A.recommendation_communities(G, max_pairs=2_000)
    assert all(r["sampled"] for r in rows)
    considered = rows[0]["considered"]
    assert 2 < considered < 300 and sum(r["size"] for r in rows) == considered


# -- bridges ---------------------------------------------------------------------------------------


def planted_bridges() -> nx.MultiDiGraph:
    nodes = [Node("Framework", f, {"short_name": f.upper()})
             for f in ("tip-protocol", "som-protocol", "untoc", "gcm", "agenda-2030")]
    edges = [
        part_of("tip-protocol:art-6", "tip-protocol"), part_of("tip-protocol:art-11", "tip-protocol"),
        part_of("som-protocol:art-11", "som-protocol"), part_of("som-protocol:art-16", "som-protocol"),
        part_of("gcm:obj-9", "gcm"), part_of("gcm:obj-10", "gcm"), part_of("gcm:obj-11", "gcm"),
        part_of("agenda-2030:target-8.7", "agenda-2030"),
        aligns("gcm:obj-11", "tip-protocol:art-11"), aligns("som-protocol:art-11", "gcm:obj-11"),
        aligns("gcm:obj-10", "tip-protocol:art-6"), aligns("gcm:obj-9", "som-protocol:art-16"),
        aligns("agenda-2030:target-8.7", "gcm:obj-10"),  # two hops from the Protocol: no side
        Edge("SUPPLEMENTS", "Framework", "tip-protocol", "Framework", "untoc"),
        Edge("SUPPLEMENTS", "Framework", "som-protocol", "Framework", "untoc"),
        maps("d:a.1", "gcm:obj-11"),                                   # on both via the bridge
        maps("d:a.2", "tip-protocol:art-6"), maps("d:a.2", "som-protocol:art-16"),  # both
        maps("d:a.3", "tip-protocol:art-6"), maps("d:a.3", "agenda-2030:target-8.7"),  # one side
        maps("d:a.4", "untoc", label="Framework"),                     # the parent: no side
        maps("d:a.5", "gcm:obj-10", "inferred"), maps("d:a.5", "gcm:obj-9", "inferred"),
    ]
    return A.to_networkx(nodes, edges)


def test_bridges_find_what_was_planted_with_reasons():
    out = A.trafficking_smuggling_bridges(planted_bridges())
    got = {b["id"]: (b["reasons"], b["trafficking"], b["smuggling"], b["recommendations"])
           for b in out["bridges"]}
    assert got == {
        "gcm:obj-11": (["aligns-with-both"], ["tip-protocol:art-11"], ["som-protocol:art-11"], 1),
        "gcm": (["provisions-on-both-sides"], ["gcm:obj-10", "gcm:obj-11"],
                ["gcm:obj-11", "gcm:obj-9"], 2),
        "untoc": (["supplemented-by-both"], ["tip-protocol"], ["som-protocol"], 1),
    }
    assert [b["id"] for b in out["bridges"]] == ["gcm", "gcm:obj-11", "untoc"]
    assert out["recommendations"] == [
        {"id": "d:a.1", "trafficking": ["gcm:obj-11"], "smuggling": ["gcm:obj-11"]},
        {"id": "d:a.2", "trafficking": ["tip-protocol:art-6"],
         "smuggling": ["som-protocol:art-16"]},
        {"id": "d:a.5", "trafficking": ["gcm:obj-10"], "smuggling": ["gcm:obj-9"]},
    ]
    cited = A.trafficking_smuggling_bridges(planted_bridges(), methods=["cited"])
    assert [r["id"] for r in cited["recommendations"]] == ["d:a.1", "d:a.2"]


# -- related recommendations -----------------------------------------------------------------------


def test_jaccard_values_computed_by_hand():
    G = A.to_networkx([], [
        part_of("x:art-1", "x"), part_of("x:art-2", "x"), part_of("y:art-1", "y"),
        maps("d:a.1", "x:art-1"), maps("d:a.1", "y:art-1"),   # {x:art-1, x, y:art-1, y}
        maps("d:a.2", "x:art-1"),                             # {x:art-1, x}          2/4
        maps("d:a.3", "x:art-2"), maps("d:a.3", "y:art-1"),   # {x:art-2, x, y:art-1, y}  3/5
        maps("d:a.4", "y", label="Framework"),                # {y}                   1/4
        maps("d:a.5", "z:art-9"),                             # nothing shared
    ])
    rows = A.related_recommendations(G, "d:a.1", top=10)
    got = [(r["id"], Fraction(r["jaccard"]).limit_denominator(100), r["shared"]) for r in rows]
    assert got == [("d:a.3", Fraction(3, 5), ["x", "y", "y:art-1"]),
                   ("d:a.2", Fraction(1, 2), ["x", "x:art-1"]),
                   ("d:a.4", Fraction(1, 4), ["y"])]
    assert A.related_recommendations(G, "d:a.1", top=1)[0]["id"] == "d:a.3"
    assert A.related_recommendations(G, "d:a.5") == []
    with pytest.raises(KeyError):
        A.related_recommendations(G, "x:art-1")


# -- coverage --------------------------------------------------------------------------------------


def test_coverage_by_framework_per_method():
    G = A.to_networkx(
        [Node("Framework", "x", {"short_name": "X"}), Node("Framework", "empty")],
        [part_of(f"x:art-{i}", "x") for i in range(1, 6)] + [
            maps("d:a.1", "x:art-1", "cited"), maps("d:a.2", "x:art-1", "inferred"),
            maps("d:a.2", "x:art-2", "curated"), maps("d:a.3", "x:art-3", "inferred"),
            maps("d:a.4", "x", "cited", label="Framework")])
    rows = {(r["framework_id"], r["method"]): (r["touched"], r["provisions"], r["share"],
                                               r["framework_links"])
            for r in A.coverage_by_framework(G)}
    assert rows[("x", "cited")] == (1, 5, 0.2, 1)
    assert rows[("x", "curated")] == (1, 5, 0.2, 0)
    assert rows[("x", "inferred")] == (2, 5, 0.4, 0)
    assert rows[("x", "any")] == (3, 5, 0.6, 1)
    assert rows[("empty", "any")] == (0, 0, None, 0)


# -- export ----------------------------------------------------------------------------------------


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert (a.number_of_nodes(), a.number_of_edges()) == (b.number_of_nodes(), b.number_of_edges())
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    edges_a = {(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
    edges_b = {(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)}
    assert edges_a == edges_b
    for (u, v, k), d in edges_a.items():  # types too: 1.0 == 1 would hide an int/float change
        assert {x: type(y) for x, y in d.items()} == {x: type(y) for x, y in edges_b[u, v, k].items()}
    for n, d in a.nodes(data=True):
        assert {x: type(y) for x, y in d.items()} == {x: type(y) for x, y in b.nodes[n].items()}


def test_graphml_decodes_only_what_it_encoded():
    G = A.to_networkx([Node("Recommendation", "d:a.1", {"text": '["not", "a list"]',
                                                        "raw": "2017-06-09"}),
                       Node("Framework", "f", {"keywords": ["a", "b"], "adopted": dt.date(2000, 1, 2)}),
                       Node("Framework", "g", {"keywords": []})], [])
    G.graph["title"] = "test"
    buffer = io.BytesIO()
    A.export_graphml(G, buffer)
    back = A.read_graphml(io.BytesIO(buffer.getvalue()))
    assert_same_graph(G, back)
    assert back.graph == {"title": "test"}


def test_graphml_edge_ids_are_unique_for_gephi():
    G = A.to_networkx([], [maps("d:a.1", "x:art-1"), maps("d:a.2", "x:art-1"),
                           part_of("x:art-1", "x")])
    buffer = io.BytesIO()
    A.export_graphml(G, buffer)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in ET.fromstring(buffer.getvalue()).iter(f"{{{ns['g']}}}edge")]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_seed_graph_graphml_round_trip_is_exact(seed_records, tmp_path):
    G = A.to_networkx(seed_records.nodes.values(), seed_records.edges.values())
    path = tmp_path / "seed.graphml"
    A.export_graphml(G, path)
    assert_same_graph(G, A.read_graphml(path))
    plain = nx.read_graphml(path)  # what Gephi-like readers see: same counts, encoded values
    assert (plain.number_of_nodes(), plain.number_of_edges()) == (len(G), G.number_of_edges())
    keywords = plain.nodes["tip-protocol"]["keywords"]
    assert isinstance(keywords, str) and json.loads(keywords) == G.nodes["tip-protocol"]["keywords"]
    assert plain.nodes["tip-protocol"]["adopted"] == G.nodes["tip-protocol"]["adopted"].isoformat()
    assert Counter(d["label"] for *_, d in plain.edges(data=True)) == \
        Counter(k for *_, k in G.edges(keys=True))


def test_seed_graph_node_link_json_round_trip_is_exact(seed_records, tmp_path):
    G = A.to_networkx(seed_records.nodes.values(), seed_records.edges.values())
    path = tmp_path / "seed.json"
    A.export_node_link_json(G, path)
    assert_same_graph(G, A.read_node_link_json(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == len(G) and len(data["edges"]) == G.number_of_edges()
    # d3's fields stay `source` / `target`; the provenance property `source` is renamed
    edge = next(e for e in data["edges"] if e["key"] == "ADOPTED_BY")
    assert edge["source"] in G and edge["property:source"].endswith(".yaml")


# -- the seed graph --------------------------------------------------------------------------------


def seed_graph(seed_records) -> nx.MultiDiGraph:
    return A.to_networkx(seed_records.nodes.values(), seed_records.edges.values())


def test_from_backend_pulls_exactly_the_records(seeded_embedded, seed_records):
    pulled = A.from_backend(seeded_embedded)
    assert_same_graph(seed_graph(seed_records), pulled)


def test_from_backend_pulls_only_the_view_asked_for(seeded, seed_records):
    """Both engines: the bipartite view, ids only for recommendations, cited links only."""
    G = A.from_backend(seeded, labels=A.BIPARTITE_LABELS, rel_types=A.BIPARTITE_RELS,
                       properties={"Recommendation": [], "MAPS_TO": ["method"]},
                       methods=["cited"])
    assert {d["label"] for _, d in G.nodes(data=True)} == set(A.BIPARTITE_LABELS)
    assert {k for *_, k in G.edges(keys=True)} == {"MAPS_TO", "PART_OF"}
    assert all(d == {"label": REC} for _, d in G.nodes(data=True) if d["label"] == REC)
    expected = Counter(e.type for e in seed_records.edges.values()
                       if e.type == "PART_OF" and e.src_label == "Provision"
                       or e.type == "MAPS_TO" and e.props.get("method") == "cited")
    assert Counter(k for *_, k in G.edges(keys=True)) == expected
    assert all(d == {"method": "cited"} for *_, k, d in G.edges(keys=True, data=True)
               if k == "MAPS_TO")


@pytest.mark.parametrize("label", ["Provision", "Framework", "Body"])
def test_degree_counted_in_the_engine_equals_networkx(seeded, seed_records, label):
    G = seed_graph(seed_records)
    in_nx = {r["id"]: (r["name"], r["recommendations"]) for r in A.centrality_by_label(G, label)}
    in_engine = {r["id"]: (r["name"], r["recommendations"])
                 for r in A.degree_from_backend(seeded, label)}
    assert in_engine == in_nx
    cited = {r["id"]: r["recommendations"]
             for r in A.centrality_by_label(G, label, methods=["cited"])}
    assert {r["id"]: r["recommendations"]
            for r in A.degree_from_backend(seeded, label, methods=["cited"])} == cited


def test_seed_provision_degree_matches_the_maps_to_records(seed_records):
    counts = Counter(e.dst for e in seed_records.edges.values()
                     if e.type == "MAPS_TO" and e.dst_label == "Provision")
    rows = A.centrality_by_label(seed_graph(seed_records), "Provision")
    assert {r["id"]: r["recommendations"] for r in rows if r["recommendations"]} == dict(counts)
    assert rows[0]["recommendations"] == max(counts.values())


def test_seed_betweenness_equals_networkx(seed_records):
    G = seed_graph(seed_records)
    expected = nx.betweenness_centrality(nx.Graph(G.to_undirected()))
    rows = A.centrality_by_label(G, "Framework")
    assert {r["id"]: r["betweenness"] for r in rows} == pytest.approx(
        {r["id"]: expected[r["id"]] for r in rows}, abs=1e-12)


def test_seed_bridges_are_the_crosswalk_rows_that_touch_both_protocols(seed_records):
    """data/frameworks/crosswalk.yaml: GCM objective 11 aligns with art. 11 of both Protocols,
    objective 21 with TIP art. 8 and SOM art. 18, non-refoulement (Refugee Convention art. 33)
    with TIP art. 14 and SOM art. 19; the GCM has objective 10 (trafficking) and 9 (smuggling);
    both Protocols supplement UNTOC."""
    out = A.trafficking_smuggling_bridges(seed_graph(seed_records))
    reasons = {b["id"]: b["reasons"] for b in out["bridges"]}
    for provision in ("gcm:obj-11", "gcm:obj-21", "refugee-convention:art-33"):
        assert "aligns-with-both" in reasons[provision]
    assert "provisions-on-both-sides" in reasons["gcm"]
    assert reasons["untoc"] == ["supplemented-by-both"]
    bridge = next(b for b in out["bridges"] if b["id"] == "refugee-convention:art-33")
    assert (bridge["trafficking"], bridge["smuggling"]) == (["tip-protocol:art-14"],
                                                            ["som-protocol:art-19"])
    both = {r["id"] for r in out["recommendations"]}
    # a.1: "Accede to and ratify UNTOC and the two relevant Protocols thereto" (cited)
    # a.9: "Apply the non-refoulement principle in cases of trafficking ... and smuggling"
    assert {"gcm-ts5-summary:a.1", "gcm-ts5-summary:a.9"} <= both


def test_seed_related_recommendations_explain_with_shared_targets(seed_records):
    G = seed_graph(seed_records)
    rows = A.related_recommendations(G, "gcm-ts5-summary:a.1")
    assert rows and rows == sorted(rows, key=lambda r: -r["jaccard"])
    mine = {"tip-protocol", "som-protocol", "untoc"}  # its cited targets (frameworks)
    for r in rows:
        theirs = set(A._rec_targets(G)[r["id"]])
        theirs |= {A._provision_frameworks(G)[t] for t in theirs if ":" in t}
        assert r["shared"] == sorted(mine & theirs)
        assert r["jaccard"] == pytest.approx(len(mine & theirs) / len(mine | theirs))


def test_seed_coverage_counts_touched_provisions(seed_records):
    rows = A.coverage_by_framework(seed_graph(seed_records))
    any_rows = {r["framework_id"]: r for r in rows if r["method"] == "any"}
    provisions = Counter(e.dst for e in seed_records.edges.values()
                         if e.type == "PART_OF" and e.src_label == "Provision")
    touched = Counter(p.split(":")[0] for p in {e.dst for e in seed_records.edges.values()
                                                if e.type == "MAPS_TO" and e.dst_label == "Provision"})
    for fw, n in provisions.items():
        assert (any_rows[fw]["provisions"], any_rows[fw]["touched"]) == (n, touched.get(fw, 0))


# -- the Insights page -----------------------------------------------------------------------------


def test_readings_name_the_top_node_with_its_count():
    from views.insights import (reading_bridges, reading_centrality, reading_communities,
                                reading_coverage, reading_related)

    rows = [{"id": "tip-protocol:art-6", "name": "Trafficking Protocol art. 6",
             "recommendations": 14, "betweenness": 0.2, "sampled": False, "pivots": None},
            {"id": "x", "name": "X", "recommendations": 3, "betweenness": 0.1,
             "sampled": False, "pivots": None}]
    assert reading_centrality(rows, "Provision", 87) == (
        "Trafficking Protocol art. 6 is the provision most recommendations map to: 14 of 87. "
        "It also sits on the most shortest paths between the others (betweenness 0.200).")
    tie = [dict(rows[0], name=n, recommendations=1, betweenness=b) for n, b in
           (("UNHCR", 0.03), ("ICAT", 0.0), ("IOM", 0.0), ("ILO", 0.0), ("ICC", 0.0))]
    assert reading_centrality(tie, "Body", 87) == (
        "5 bodies share the top place, 1 of 87 recommendations each, among them UNHCR, ICAT and "
        "IOM. UNHCR sits on the most shortest paths between the others (betweenness 0.030).")
    rows[1]["betweenness"], rows[1]["sampled"], rows[1]["pivots"] = 0.5, True, 17
    rows[1]["recommendations"] = 12_000
    rows[0]["recommendations"] = 102_097
    assert reading_centrality(rows, "Provision", 250_000) == (
        "Trafficking Protocol art. 6 is the provision most recommendations map to: 102,097 of "
        "250,000. X sits on the most shortest paths between the others (betweenness 0.500, "
        "estimated from 17 sampled sources).")
    assert reading_centrality([], "Body", 87) == "No recommendation links to a body yet."
    communities = A.recommendation_communities(planted_communities())
    assert reading_communities(communities) == (
        "Louvain finds 2 communities of two or more among the 10 recommendations that map to a "
        "provision or framework; the largest (5) centres on TIP art. 5 and TIP art. 6.")
    assert reading_bridges(A.trafficking_smuggling_bridges(planted_bridges())).startswith(
        "3 provisions and frameworks join the trafficking and smuggling sides; GCM carries the "
        "most recommendations (2). 3 recommendations sit on both sides.")
    assert reading_related("recommendation a.1", [
        {"id": "d:a.3", "jaccard": 0.6, "shared_names": ["X", "Y"]}]) == (
        "Recommendation a.1 shares most with d:a.3 (Jaccard 0.60): X and Y.")
    assert reading_coverage([
        {"framework": "X", "method": "any", "provisions": 5, "touched": 3, "share": 0.6},
        {"framework": "X", "method": "cited", "provisions": 5, "touched": 1, "share": 0.2},
        {"framework": "Y", "method": "any", "provisions": 10, "touched": 2, "share": 0.2}]) == (
        "Recommendations touch 5 of 15 provisions (33%); the widest coverage is X (3 of 5), "
        "the largest gap Y (8 of 10 untouched).")


def test_insights_page_renders_on_the_seed_graph(seeded_embedded, monkeypatch):
    from streamlit.testing.v1 import AppTest

    for key in ("GRAPH_BACKEND", "NEO4J_URI"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GRAPH_DB_PATH", str(seeded_embedded.path))
    script = ("from graph.embedded_backend import EmbeddedBackend\n"
              "from views import insights\n"
              f"insights.render(EmbeddedBackend({str(seeded_embedded.path)!r}))\n")
    at = AppTest.from_string(script, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = "\n".join(m.value for m in at.markdown)
    assert "most recommendations map to" in text
    assert "join the trafficking and smuggling sides" in text
    assert "Louvain finds" in text and "Recommendations touch" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"GraphML", "Node-link JSON"} <= set(labels)
