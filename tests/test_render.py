"""Graph views as offline HTML, and the data exports beside them (no database needed)."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest

from graph.aggregate import aggregate
from graph.export import nodes_frame, to_csv, to_graphml
from graph.records import Edge, Node
from graph.render import EDGE_FONT_PX, LEGEND, NODE_FONT_PX, OPTIONS, remote_references, to_html

REC = Node("Recommendation", "gcm-ts5-summary:a.1",
           {"text": "Accede to and ratify UNTOC and the two relevant Protocols thereto",
            "area": "a", "page": 5})
UNTOC = Node("Framework", "untoc", {"short_name": "UNTOC", "name": "United Nations Convention "
                                    "against Transnational Organized Crime"})
TIP = Node("Framework", "tip-protocol", {"short_name": "Trafficking in Persons Protocol"})
ART6 = Node("Provision", "tip-protocol:art-6", {"framework_id": "tip-protocol", "ref": "art-6",
                                                "title": "Assistance to and protection of "
                                                         "victims of trafficking in persons"})
UNGA = Node("Body", "unga", {"name": "United Nations General Assembly", "acronym": "GA"})
EDGES = [Edge("MAPS_TO", "Recommendation", REC.id, "Framework", "untoc",
              {"method": "cited", "score": 1.0, "evidence": "UNTOC"}),
         Edge("MAPS_TO", "Recommendation", REC.id, "Provision", ART6.id,
              {"method": "inferred", "score": 0.4}),
         Edge("PART_OF", "Provision", ART6.id, "Framework", "tip-protocol"),
         Edge("SUPPLEMENTS", "Framework", "tip-protocol", "Framework", "untoc"),
         Edge("ADOPTED_BY", "Framework", "untoc", "Body", "unga")]
NODES = [REC, UNTOC, TIP, ART6, UNGA]


def big_graph(n: int = 1000) -> tuple[list[Node], list[Edge]]:
    nodes = [Node("Provision", f"x:art-{i}", {"title": f"Article {i}"}) for i in range(n)]
    nodes.append(Node("Framework", "x", {"short_name": "X"}))
    edges = [Edge("PART_OF", "Provision", f"x:art-{i}", "Framework", "x") for i in range(n)]
    return nodes, edges


def rendered_pages() -> list[str]:
    nodes, edges = big_graph()
    return [to_html(NODES, EDGES).html, to_html(NODES, EDGES, highlight={REC.id}).html,
            to_html([], []).html, to_html(nodes, edges, cap=300).html,
            to_html(NODES, EDGES, captions={"Framework": "name"}).html]


@pytest.mark.parametrize("page", rendered_pages(), ids=["small", "highlight", "empty",
                                                        "aggregated", "captions"])
def test_no_rendered_page_loads_anything_from_the_network(page):
    assert remote_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "cdn.jsdelivr.net" not in page and "bootstrap.min.css" not in page
    assert "vis.Network" in page  # vis-network itself is inlined


def test_the_offline_check_itself_catches_a_cdn_tag():
    page = '<link href="https://cdn.example.org/x.css" rel="stylesheet"><script src="//x/y.js">'
    assert len(remote_references(page)) == 2


def test_a_1000_node_input_draws_no_more_than_the_cap_and_says_so():
    nodes, edges = big_graph(1000)
    g = to_html(nodes, edges, cap=300)
    assert g.capped and g.total_nodes == 1001
    assert g.drawn_nodes <= 300
    assert g.notice and "Aggregated view" in g.notice and "1,001" in g.notice
    assert 'id="graph-notice"' in g.html
    drawn = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", g.html).group(1))
    assert len(drawn) == g.drawn_nodes
    assert {n["label"] for n in drawn} == {"Provision (1,000)", "Framework (1)"}


def test_a_graph_under_the_cap_is_drawn_node_by_node():
    g = to_html(NODES, EDGES, cap=300)
    assert not g.capped and g.notice is None
    assert (g.drawn_nodes, g.total_nodes, g.drawn_edges) == (5, 5, 5)


def test_edge_endpoints_missing_from_the_nodes_are_drawn_too():
    g = to_html([REC], EDGES[:1])
    assert g.drawn_nodes == 2 and g.drawn_edges == 1


def test_the_legend_names_every_label_in_the_view_with_its_colour():
    g = to_html(NODES, EDGES)
    legend = re.search(r'<div id="graph-legend".*?</div>', g.html, re.S).group(0)
    for label in ("Recommendation", "Framework", "Provision", "Body"):
        assert f"{label} (" in legend
        assert LEGEND[label]["color"] in legend
    assert "Person" not in legend


def test_labels_have_distinct_colours_or_shapes():
    looks = {(v["color"], v["shape"]) for v in LEGEND.values()}
    assert len(looks) == len(LEGEND)


def test_fonts_are_readable_on_a_projector():
    assert NODE_FONT_PX >= 18 and EDGE_FONT_PX >= 18
    assert OPTIONS["nodes"]["font"]["size"] >= 18 and OPTIONS["edges"]["font"]["size"] >= 18


def test_physics_stabilises_then_stops():
    page = to_html(NODES, EDGES).html
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))
    assert options["physics"]["stabilization"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] > 0
    assert 'network.once("stabilizationIterationsDone", freeze)' in page
    assert "network.setOptions({physics: false})" in page


def test_the_same_view_renders_the_same_page_with_a_fixed_layout_seed():
    assert to_html(NODES, EDGES).html == to_html(NODES, EDGES).html
    assert isinstance(OPTIONS["layout"]["randomSeed"], int)


def test_tooltips_carry_the_nodes_text_and_captions_its_short_name():
    page = to_html(NODES, EDGES).html
    drawn = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    by_id = {n["id"]: n for n in drawn}
    rec = by_id[f"Recommendation|{REC.id}"]
    assert "Accede to and ratify UNTOC" in rec["title"] and "page 5" in rec["title"]
    assert rec["label"] == "Rec. a.1"
    assert by_id["Provision|tip-protocol:art-6"]["label"].replace("\n", " ") == \
        "Trafficking in Persons Protocol art. 6"


def test_a_saved_querys_captions_choose_the_property_shown():
    page = to_html(NODES, EDGES, captions={"Framework": "name"}).html
    assert "United Nations Convention" in page.split("nodes = new vis.DataSet(")[1][:4000]


def test_the_highlighted_node_stands_out():
    page = to_html(NODES, EDGES, highlight={REC.id}).html
    drawn = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    sizes = {n["id"]: n["size"] for n in drawn}
    assert sizes[f"Recommendation|{REC.id}"] > sizes["Framework|untoc"]


def test_aggregate_counts_every_node_and_edge():
    nodes, edges = big_graph(10)
    meta_nodes, meta_edges = aggregate(nodes, edges)
    assert {n.id: n.props["count"] for n in meta_nodes} == {"Provision": 10, "Framework": 1}
    assert [(e.type, e.props["count"]) for e in meta_edges] == [("PART_OF", 10)]


def test_graphml_export_reads_back_with_every_node_and_edge():
    g = nx.read_graphml(io.BytesIO(to_graphml(NODES, EDGES).encode("utf-8")))
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 5
    assert g.nodes["untoc"]["label"] == "Framework"
    assert g.nodes["untoc"]["name"] == "UNTOC"


def test_csv_export_has_one_row_per_relationship_with_names_and_link_properties():
    rows = list(csv.DictReader(io.StringIO(to_csv(NODES, EDGES))))
    assert len(rows) == 5
    cited = next(r for r in rows if r["method"] == "cited")
    assert (cited["source"], cited["target"], cited["target_name"]) == (REC.id, "untoc", "UNTOC")


def test_csv_export_keeps_lone_nodes():
    rows = list(csv.DictReader(io.StringIO(to_csv([REC, UNGA], []))))
    assert {r["source"] for r in rows} == {REC.id, "unga"}


def test_nodes_frame_lists_each_node_once_with_its_properties():
    frame = nodes_frame(NODES, EDGES)
    assert sorted(frame["id"]) == sorted(n.id for n in NODES)
    assert frame.set_index("id").loc["unga", "acronym"] == "GA"
