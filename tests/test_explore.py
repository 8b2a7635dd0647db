"""The data behind the explorer's pages, on both engines (the same answers from each)."""

from __future__ import annotations

import pytest

from graph import coverage, events, explore, framework_view, paths
from graph.errors import GraphExplorerError
from graph.records import Edge, Node, Path

REC = "gcm-ts5-summary:a.1"


def maps_to(seed_records, **where) -> list[Edge]:
    return [e for e in seed_records.edges.values() if e.type == "MAPS_TO"
            and all(getattr(e, k) == v for k, v in where.items())]


def test_counts_per_label_are_the_seed_graphs(seeded, seed_records):
    table = coverage.counts(seeded)
    got = dict(zip(table["label"], table["nodes"]))
    assert got["Recommendation"] == 87
    assert sum(got.values()) == len(seed_records.nodes)


def test_coverage_counts_each_recommendation_once_per_area_and_framework(seeded, seed_records):
    table = coverage.coverage(seeded)
    links = maps_to(seed_records)
    assert int(table["links"].sum()) == len(links)
    if links:
        assert set(table["area"]) <= set("abcdefg")
        assert (table["recommendations"] <= table["links"]).all()
    assert coverage.coverage(seeded, []).empty


def test_gaps_are_provisions_and_recommendations_without_links(seeded, seed_records):
    linked_recs = {e.src for e in maps_to(seed_records)}
    targets = {e.dst for e in maps_to(seed_records)}
    provisions = [n for n in seed_records.nodes.values() if n.label == "Provision"]
    assert len(coverage.unmapped_provisions(seeded)) == sum(p.id not in targets
                                                            for p in provisions)
    assert len(coverage.unlinked_recommendations(seeded)) == 87 - len(linked_recs)


def test_search_needs_every_word_and_filters_by_area(seeded):
    found = explore.search_recommendations(seeded, "ratify protocols")
    assert REC in set(found["id"])
    assert all("ratify" in t.lower() and "protocols" in t.lower() for t in found["text"])
    assert set(explore.search_recommendations(seeded, areas=["g"])["area"]) == {"g"}


def test_a_framework_filter_also_finds_links_to_its_provisions(seeded, seed_records):
    found = set(explore.search_recommendations(seeded, framework="tip-protocol")["id"])
    expected = {e.src for e in maps_to(seed_records)
                if e.dst == "tip-protocol" or e.dst.startswith("tip-protocol:")}
    assert found == expected


def test_search_values_travel_as_parameters_never_in_the_query_text():
    query, params = explore.recommendation_query("x') DETACH DELETE r //", ["a"], "untoc",
                                                 ["cited"], "unga")
    assert "DETACH" not in query and "untoc" not in query and "unga" not in query
    assert params["terms"][0] == "x')"


def test_the_linkage_view_holds_the_recommendation_its_source_and_its_links(seeded,
                                                                            seed_records):
    view = explore.linkage(seeded, REC)
    assert view.recommendation is not None and view.recommendation.props["page"] == 5
    assert view.document is not None and view.document.id == "gcm-ts5-summary"
    assert view.theme is not None and view.theme.props["area"] == "a"
    assert sorted(view.links["target_id"]) == sorted(e.dst for e in maps_to(seed_records,
                                                                             src=REC))
    assert explore.linkage(seeded, "no-such:a.1").recommendation is None


def test_framework_view_of_the_trafficking_protocol(seeded, seed_records):
    data = framework_view.framework_view(seeded, "tip-protocol")
    assert data.node is not None and len(data.provisions) == 20
    assert "supplements" in set(data.related["relation"])
    assert "United Nations General Assembly" in set(data.bodies["who"])
    expected = [e for e in maps_to(seed_records)
                if e.dst == "tip-protocol" or e.dst.startswith("tip-protocol:")]
    assert len(data.mapped) == len(expected)


def test_a_provision_view_lists_what_it_aligns_with(seeded):
    data = framework_view.provision_view(seeded, "agenda-2030:target-8.7")
    assert data.node is not None
    assert "gcm:obj-10" in set(data.related["other_id"])


def test_entity_search_finds_names_and_lists_all_without_words(seeded):
    found = paths.search_entities(seeded, "general assembly", "Body")
    assert "unga" in [n.id for n in found]
    assert len(paths.search_entities(seeded, "", "Theme")) == 7  # LadybugDB: CONTAINS '' is false
    with pytest.raises(GraphExplorerError, match="Unknown kind"):
        paths.search_entities(seeded, "x", "Body) DETACH DELETE (n")


def test_shortest_paths_are_told_in_words_on_both_engines(seeded):
    found = paths.shortest_paths(seeded, ("Provision", "tip-protocol:art-6"), ("Body", "unga"))
    assert found and all(isinstance(p, Path) and len(p) == 2 for p in found)
    assert paths.path_in_words(found[0]) == (
        "Art. 6 of the Trafficking in Persons Protocol is part of the Trafficking in Persons "
        "Protocol, which was adopted by the United Nations General Assembly.")


def test_a_path_reads_each_hop_in_its_own_direction():
    rec = Node("Recommendation", "d:b.1")
    art = Node("Provision", "tip-protocol:art-6", {"framework_id": "tip-protocol",
                                                    "ref": "art-6"})
    tip = Node("Framework", "tip-protocol", {"short_name": "Trafficking Protocol"})
    untoc = Node("Framework", "untoc", {"short_name": "UNTOC"})
    ga = Node("Body", "unga", {"name": "General Assembly"})
    path = Path((rec, art, tip, untoc, ga), (
        Edge("MAPS_TO", "Recommendation", rec.id, "Provision", art.id),
        Edge("PART_OF", "Provision", art.id, "Framework", tip.id),
        Edge("SUPPLEMENTS", "Framework", tip.id, "Framework", untoc.id),
        Edge("ADOPTED_BY", "Framework", untoc.id, "Body", ga.id)))
    assert paths.path_in_words(path) == (
        "Recommendation b.1 maps to art. 6 of the Trafficking Protocol, which is part of the "
        "Trafficking Protocol, which supplements UNTOC, which was adopted by the General "
        "Assembly.")
    backwards = Path(tuple(reversed(path.nodes)), tuple(reversed(path.edges)))
    assert paths.path_in_words(backwards).startswith(
        "The General Assembly adopted UNTOC, which is supplemented by the Trafficking Protocol")


def test_path_queries_whitelist_labels_and_relationship_types():
    assert "ALL SHORTEST 1..8" in paths.path_query("embedded", "Recommendation", "Body")
    assert "allShortestPaths" in paths.path_query("neo4j", "Recommendation", "Body")
    with pytest.raises(GraphExplorerError):
        paths.path_query("neo4j", "Recommendation", "Body", types=["MAPS_TO]-() DELETE x //"])
    with pytest.raises(GraphExplorerError, match="two different"):
        paths.shortest_paths(None, ("Body", "unga"), ("Body", "unga"))  # type: ignore[arg-type]


def test_the_2017_calendar_has_the_briefings_eight_events(seeded):
    calendar = events.calendar(seeded)
    assert len(calendar) == 8
    assert {"gcm-ts5", "wg-tip-7", "wg-som-4"} <= set(calendar["id"])
    speakers = events.speakers(seeded)
    assert {"panelist", "moderator"} <= set(speakers["role"])
    assert ("gcm-ts5-summary", "gcm-ts5") in set(zip(events.recorded(seeded)["document_id"],
                                                     events.recorded(seeded)["event_id"]))
