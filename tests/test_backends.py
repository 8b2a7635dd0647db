"""One conformance suite, run on both engines: what a backend promises, checked on real data."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from graph.errors import (
    BackendUnavailable,
    LoaderError,
    LoadFailed,
    QueryNotReadOnly,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.neo4j_backend import Neo4jBackend
from graph.records import Edge, Node, Path
from graph.schema import ID_PATTERNS, NODE_TYPES, REL_TYPES

SAMPLE_IDS = {
    "Recommendation": "doc-x:a.{}", "Document": "doc-{}", "Event": "event-{}", "Body": "body-{}",
    "Framework": "fw-{}", "Provision": "fw-x:art-{}", "Theme": "theme-t{}", "Person": "person-{}",
    "Resource": "resource-{}", "Passage": "doc-x:finding.{}",
}
VALUES = {"str": "text é ü 'quoted' \"double\"", "int": 42, "float": 0.75, "bool": True,
          "date": dt.date(2017, 9, 4), "list[str]": ["smuggling", "trafficking"]}


def sample_node(label: str, n: int = 1) -> Node:
    """A node with every declared property set to a value of its type."""
    ntype = next(t for t in NODE_TYPES if t.label == label)
    props = {k: VALUES[t] for k, t in ntype.properties.items()}
    return Node(label, SAMPLE_IDS[label].format(n), props)


def sample_graph() -> tuple[list[Node], list[Edge]]:
    """One node per label and one edge per relationship type and endpoint pair."""
    nodes = [sample_node(t.label) for t in NODE_TYPES]
    ids = {n.label: n.id for n in nodes}
    edges = []
    for rel in REL_TYPES:
        props = {k: VALUES[t] for k, t in rel.properties.items()}
        for src, dst in rel.endpoints:
            if src == dst:  # a self-pair needs a second node of that label
                other = sample_node(dst, 2)
                nodes.append(other)
                edges.append(Edge(rel.type, src, ids[src], dst, other.id, props))
            else:
                edges.append(Edge(rel.type, src, ids[src], dst, ids[dst], props))
    unique = {n.key: n for n in nodes}
    return list(unique.values()), edges


def total(backend) -> int:
    return backend.run("MATCH (n) RETURN count(n)").scalar()


def test_sample_ids_are_on_the_scheme():
    for label, pattern in SAMPLE_IDS.items():
        assert ID_PATTERNS[label].match(pattern.format(1)), label


def test_every_label_round_trips_with_every_property_type(backend):
    nodes, edges = sample_graph()
    backend.write(nodes, edges)
    for node in nodes:
        got = backend.run(f"MATCH (n:{node.label} {{id: $id}}) RETURN n", {"id": node.id}).rows
        assert got == [(node,)], node.label
        assert got[0][0].props == node.props


def test_every_relationship_type_round_trips_with_its_properties(backend):
    nodes, edges = sample_graph()
    backend.write(nodes, edges)
    for edge in edges:
        query = (f"MATCH (a:{edge.src_label} {{id: $a}})-[r:{edge.type}]->"
                 f"(b:{edge.dst_label} {{id: $b}}) RETURN r")
        got = backend.run(query, {"a": edge.src, "b": edge.dst}).rows
        assert len(got) == 1, edge.key
        assert got[0][0] == edge and got[0][0].props == edge.props


def test_paths_come_back_as_nodes_and_edges_in_order(backend):
    nodes = [Node("Framework", "untoc", {"name": "UNTOC"}),
             Node("Framework", "tip-protocol", {"name": "Trafficking Protocol"}),
             Node("Provision", "tip-protocol:art-6", {"title": "Assistance to victims"})]
    edges = [Edge("PART_OF", "Provision", "tip-protocol:art-6", "Framework", "tip-protocol"),
             Edge("SUPPLEMENTS", "Framework", "tip-protocol", "Framework", "untoc")]
    backend.write(nodes, edges)
    result = backend.run("MATCH p = (:Provision)-[:PART_OF]->(:Framework)-[:SUPPLEMENTS]->(u) "
                         "RETURN p, u.id AS target")
    path = result.rows[0][0]
    assert isinstance(path, Path)
    assert [n.id for n in path.nodes] == ["tip-protocol:art-6", "tip-protocol", "untoc"]
    assert [e.type for e in path.edges] == ["PART_OF", "SUPPLEMENTS"]
    assert result.rows[0][1] == "untoc"
    assert {n.id for n in result.nodes} == {"tip-protocol:art-6", "tip-protocol", "untoc"}
    assert len(result.edges) == 2


def test_loading_the_same_records_twice_changes_nothing(backend):
    nodes, edges = sample_graph()
    backend.write(nodes, edges)
    first = (backend.counts(), backend.rel_counts(),
             backend.run("MATCH (n) RETURN n ORDER BY n.id").rows)
    backend.write(nodes, edges)
    second = (backend.counts(), backend.rel_counts(),
              backend.run("MATCH (n) RETURN n ORDER BY n.id").rows)
    assert first == second
    assert sum(first[0].values()) == len(nodes)
    assert sum(first[1].values()) == len(edges)


def test_a_second_write_merges_into_the_graph(backend):
    backend.write([Node("Body", "iom", {"name": "IOM", "kind": "agency"})], [])
    backend.write([Node("Body", "iom", {"acronym": "IOM"}), Node("Body", "unhcr", {})], [])
    rows = backend.run("MATCH (b:Body) RETURN b.id, b.name, b.acronym, b.kind ORDER BY b.id").rows
    assert rows == [("iom", "IOM", "IOM", "agency"), ("unhcr", None, None, None)]


def test_replace_drops_what_the_new_records_do_not_hold(backend):
    backend.write([Node("Body", "iom", {}), Node("Body", "unhcr", {})], [])
    backend.write([Node("Body", "ilo", {})], [], replace=True)
    assert backend.run("MATCH (b:Body) RETURN b.id").rows == [("ilo",)]


def test_a_load_that_fails_half_way_leaves_the_previous_graph(backend):
    nodes, edges = sample_graph()
    backend.write(nodes, edges)
    before = backend.run("MATCH (n) RETURN n ORDER BY n.id").rows
    # Valid records first, then one the engine cannot store (a map is not a property value);
    # small batches make the engine write the first ones before it meets the bad one.
    fresh = [Node("Body", f"new-{i}", {"name": f"new {i}"}) for i in range(10)]
    bad = Node("Body", "bad", {"name": {"nested": "map"}})
    with pytest.raises(LoadFailed, match="previous graph is unchanged"):
        backend.write(fresh + [bad], [], batch_size=2, validate=False)
    assert backend.run("MATCH (n) RETURN n ORDER BY n.id").rows == before


def test_invalid_records_are_refused_before_anything_is_written(backend):
    backend.write([Node("Body", "iom", {})], [])
    with pytest.raises(LoaderError, match="dangling reference"):
        backend.write([Node("Body", "ilo", {})],
                      [Edge("PART_OF", "Body", "ilo", "Body", "no-such-body")])
    with pytest.raises(LoaderError, match="unknown property"):
        backend.write([Node("Body", "ilo", {"colour": "blue"})], [])
    assert backend.run("MATCH (b:Body) RETURN b.id").rows == [("iom",)]


def test_embedded_copy_failure_mid_build_keeps_the_old_file(embedded_backend):
    embedded_backend.write([Node("Body", "iom", {})], [])
    # Without validation the dangling edge reaches COPY after the node tables were copied.
    with pytest.raises(LoadFailed):
        embedded_backend.write([Node("Body", "ilo", {})],
                               [Edge("PART_OF", "Body", "ilo", "Body", "nowhere")],
                               validate=False)
    assert embedded_backend.run("MATCH (b:Body) RETURN b.id").rows == [("iom",)]
    leftovers = [p.name for p in embedded_backend.path.parent.iterdir() if "building" in p.name]
    assert leftovers == []


WRITES = [
    "CREATE (n:Body {id: 'x'})",
    "MERGE (n:Body {id: 'x'})",
    "MATCH (n:Body) SET n.name = 'changed'",
    "MATCH (n:Body) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Body) REMOVE n.name",
    "CREATE INDEX body_name IF NOT EXISTS FOR (n:Body) ON (n.name)",
    "CREATE CONSTRAINT body_name IF NOT EXISTS FOR (n:Body) REQUIRE n.name IS UNIQUE",
    "DROP CONSTRAINT body_id IF EXISTS",
    "MATCH (n:Body) WITH n LIMIT 1 CREATE (m:Body {id: n.id + '-copy'}) RETURN m",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
]
PROCEDURES = {"embedded": "CALL threads=1", "neo4j": "CALL db.createLabel('Intruder')"}


@pytest.mark.parametrize("cypher", WRITES)
def test_write_query_is_refused_and_graph_is_unchanged(backend, cypher):
    backend.write([Node("Body", "iom", {"name": "IOM"})], [])
    before = backend.run("MATCH (n) RETURN n").rows
    with pytest.raises((QueryNotReadOnly, QuerySyntaxError)) as caught:
        backend.run(cypher)
    if caught.type is QuerySyntaxError:  # only Neo4j-only syntax may fail to parse on LadybugDB
        assert backend.name == "embedded"
    assert backend.run("MATCH (n) RETURN n").rows == before


def test_writing_procedure_is_refused(backend):
    backend.write([Node("Body", "iom", {"name": "IOM"})], [])
    before = backend.run("MATCH (n) RETURN n").rows
    with pytest.raises(QueryNotReadOnly):
        backend.run(PROCEDURES[backend.name])
    assert backend.run("MATCH (n) RETURN n").rows == before


def test_read_only_guard_lets_reads_through(backend):
    backend.write([Node("Body", "iom", {"name": "IOM"})], [])
    backend.ensure_read_only("MATCH (n:Body) WHERE n.name = 'CREATE' RETURN n.id // SET")
    assert backend.run("MATCH (n:Body) WHERE n.name <> 'DELETE' RETURN n.id").rows == [("iom",)]


def test_truncated_says_more_rows_existed(backend):
    backend.write([Node("Body", f"b-{i}", {}) for i in range(5)], [])
    cut = backend.run("MATCH (b:Body) RETURN b.id ORDER BY b.id", limit=3)
    assert cut.rows == [("b-0",), ("b-1",), ("b-2",)] and cut.truncated
    whole = backend.run("MATCH (b:Body) RETURN b.id ORDER BY b.id", limit=5)
    assert len(whole.rows) == 5 and not whole.truncated


def test_a_runaway_query_times_out_and_the_backend_stays_usable(backend):
    backend.write([Node("Body", f"b-{i}", {}) for i in range(300)], [])
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 1 s"):
        backend.run("MATCH (a:Body), (b:Body), (c:Body), (d:Body), (e:Body) "
                    "WHERE a.id + b.id + c.id + d.id + e.id = 'never' RETURN count(*)",
                    timeout=1)
    assert time.monotonic() - started < 60  # liveness bound, not a speed claim
    assert backend.run("MATCH (b:Body) RETURN count(b)").scalar() == 300


def test_syntax_error_carries_the_engine_message(backend):
    with pytest.raises(QuerySyntaxError) as caught:
        backend.run("MATCH (n:Body RETURN n")
    assert "Syntax error" in str(caught.value)
    assert ("Invalid input" in str(caught.value)) or ("expected" in str(caught.value))


def test_counts_are_per_label(backend):
    nodes, edges = sample_graph()
    backend.write(nodes, edges)
    counts = backend.counts()
    assert counts["Body"] == 2 and counts["Recommendation"] == 1 and counts["Theme"] == 1


def test_unreachable_neo4j_names_the_uri_and_what_to_do():
    backend = Neo4jBackend("bolt://127.0.0.1:9", connection_timeout=1)
    with pytest.raises(BackendUnavailable) as caught:
        backend.run("RETURN 1")
    message = str(caught.value)
    assert "bolt://127.0.0.1:9" in message
    assert "python -m graph neo4j start" in message and "GRAPH_BACKEND=embedded" in message
    backend.close()


def test_a_bad_neo4j_uri_is_explained():
    with pytest.raises(BackendUnavailable, match="not a valid Neo4j URI"):
        Neo4jBackend("http://localhost:7474")
