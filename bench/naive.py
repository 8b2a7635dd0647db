"""The naive baseline: one auto-committed statement per record, as row-at-a-time ORM code does.

py2neo's `graph.create(node)` / `graph.merge(...)` send one statement per object; this is that
pattern written against each engine directly, on the same records the project's write path gets.
"""

from __future__ import annotations

import time
from pathlib import Path

import ladybug
from neo4j import GraphDatabase

from graph.records import Edge, Node
from graph.schema import ladybug_ddl



def _node_statement(node: Node) -> tuple[str, dict]:
    props = {k: v for k, v in node.props.items() if v is not None}
    inner = ", ".join(["id: $id"] + [f"{k}: $p_{k}" for k in props])
    return f"CREATE (n:{node.label} {{{inner}}})", {"id": node.id, **{f"p_{k}": v for k, v in props.items()}}


def _edge_statement(edge: Edge) -> tuple[str, dict]:
    props = {k: v for k, v in edge.props.items() if v is not None}
    inner = ", ".join(f"{k}: $p_{k}" for k in props)
    return (f"MATCH (a:{edge.src_label} {{id: $src}}) MATCH (b:{edge.dst_label} {{id: $dst}}) "
            f"CREATE (a)-[:{edge.type} {{{inner}}}]->(b)",
            {"src": edge.src, "dst": edge.dst, **{f"p_{k}": v for k, v in props.items()}})


def naive_embedded(path: Path, nodes: list[Node], edges: list[Edge]) -> float:
    """Seconds to load the records into a fresh LadybugDB one statement at a time."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for statement in ladybug_ddl():
        conn.execute(statement)
    started = time.perf_counter()
    for node in nodes:
        conn.execute(*_node_statement(node))
    for edge in edges:
        conn.execute(*_edge_statement(edge))
    seconds = time.perf_counter() - started
    del conn
    db.close()
    return seconds


def naive_neo4j(uri: str, nodes: list[Node], edges: list[Edge]) -> float:
    """Seconds to load the records into Neo4j one auto-committed statement at a time."""
    with GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()  # the bench server is scratch
        started = time.perf_counter()
        for node in nodes:
            text, params = _node_statement(node)
            session.run(text, params).consume()
        for edge in edges:
            text, params = _edge_statement(edge)
            session.run(text, params).consume()
        seconds = time.perf_counter() - started
        session.run("MATCH (n) DETACH DELETE n").consume()
    return seconds
