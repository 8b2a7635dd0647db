"""Shortest paths between two entities, drawn and told in words.

The engines spell shortest paths differently, so the switch lives here: LadybugDB writes
`MATCH p = (a)-[* ALL SHORTEST 1..8]-(b)`, Neo4j `allShortestPaths((a)-[*..8]-(b))`. Labels
come from the schema whitelist and the hop bound is an int: nothing the user typed is ever
formatted into the query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph import names
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError
from graph.records import Node, Path
from graph.schema import LABELS, NODES, REL_NAMES

MAX_HOPS = 12

NAME_PROPS = ("short_name", "name", "title")
TEXT_PROPS = ("text",)


def _search_query(label: str | None, with_text: bool = True) -> str:
    """Name matches first, then text matches; only properties the label declares."""
    declared = set(NODES[label].properties) if label else set(NAME_PROPS + TEXT_PROPS)
    named = [f"n.{p}" for p in NAME_PROPS if p in declared]
    texts = [f"n.{p}" for p in NAME_PROPS + TEXT_PROPS if p in declared]
    name_expr = f"lower(coalesce({', '.join(named)}, ''))" if named else "''"
    text_expr = f"lower(coalesce({', '.join(texts)}, ''))" if texts else "''"
    match = f"MATCH (n:{label})" if label else "MATCH (n)"
    if not with_text:  # LadybugDB: `x CONTAINS ''` is false (Neo4j: true), so no filter at all
        return f"{match} RETURN n ORDER BY n.id LIMIT $limit"
    return (f"{match} WHERE lower(n.id) CONTAINS $q OR {text_expr} CONTAINS $q "
            f"RETURN n ORDER BY CASE WHEN {name_expr} CONTAINS $q OR lower(n.id) CONTAINS $q "
            "THEN 0 ELSE 1 END, n.id LIMIT $limit")


def _label(label: str | None) -> str | None:
    if label is None:
        return None
    if label not in LABELS:
        raise GraphExplorerError(f"Unknown kind {label!r}; choose one of {', '.join(LABELS)}.")
    return label


def search_entities(backend: GraphBackend, text: str = "", label: str | None = None,
                    limit: int = 50) -> list[Node]:
    """Nodes whose id, name, title or text contains `text` (any label, or one whitelisted)."""
    label = _label(label)
    q = text.strip().lower()
    params: dict[str, object] = {"limit": int(limit)}
    if q:
        params["q"] = q
    result = backend.run(_search_query(label, bool(q)), params, limit=limit)
    return [row[0] for row in result.rows if isinstance(row[0], Node)]


def get_node(backend: GraphBackend, label: str, node_id: str) -> Node | None:
    """One node by label and id, or None."""
    result = backend.run(f"MATCH (n:{_label(label)} {{id: $id}}) RETURN n", {"id": node_id})
    return result.rows[0][0] if result.rows else None


def path_query(engine: str, a_label: str, b_label: str, max_hops: int = 8, limit: int = 10,
               types: Sequence[str] = ()) -> str:
    """The all-shortest-paths query in the engine's dialect (labels and types whitelisted)."""
    a, b = _label(a_label), _label(b_label)
    unknown = [t for t in types if t not in REL_NAMES]
    if unknown:
        raise GraphExplorerError(f"Unknown relationship type(s) {', '.join(unknown)}; "
                                 f"choose from {', '.join(REL_NAMES)}.")
    rels = (":" + "|".join(types)) if types else ""
    hops = max(1, min(int(max_hops), MAX_HOPS))
    if engine == "neo4j":
        return (f"MATCH (a:{a} {{id: $a}}), (b:{b} {{id: $b}}) "
                f"MATCH p = allShortestPaths((a)-[{rels}*..{hops}]-(b)) RETURN p LIMIT {int(limit)}")
    return (f"MATCH p = (a:{a} {{id: $a}})-[{rels}* ALL SHORTEST 1..{hops}]-(b:{b} {{id: $b}}) "
            f"RETURN p LIMIT {int(limit)}")


def shortest_paths(backend: GraphBackend, a: tuple[str, str], b: tuple[str, str], *,
                   max_hops: int = 8, limit: int = 10, types: Sequence[str] = (),
                   timeout: float = 20.0) -> list[Path]:
    """All shortest paths (up to `limit`) between node a and node b, each a (label, id) pair.

    Example
    -------
    >>> paths = shortest_paths(backend, ("Provision", "tip-protocol:art-6"), ("Body", "unga"))
    >>> path_in_words(paths[0])  # doctest: +SKIP
    'Art. 6 of the Trafficking in Persons Protocol is part of the Trafficking in Persons ...'
    """
    if a == b:
        raise GraphExplorerError("Pick two different entities: a path needs two ends.")
    query = path_query(backend.name, a[0], b[0], max_hops, limit, types)
    result = backend.run(query, {"a": a[1], "b": b[1]}, limit=limit, timeout=timeout)
    paths = [row[0] for row in result.rows if isinstance(row[0], Path)]
    return sorted(paths, key=lambda p: [(e.type, e.src, e.dst) for e in p.edges])


def spoken(node: Node, frameworks: Mapping[str, str] | None = None) -> str:
    """How a node reads inside a sentence: "art. 6 of the Trafficking in Persons Protocol"."""
    if node.label == "Provision":
        fw_id = str(node.props.get("framework_id") or node.id.split(":", 1)[0])
        fw_name = (frameworks or {}).get(fw_id, fw_id)
        fw_node = Node("Framework", fw_id, {"short_name": fw_name})
        ref = str(node.props.get("ref") or node.id.split(":", 1)[-1])
        return f"{names.pretty_ref(ref)} of {names.with_article(fw_name, fw_node)}"
    if node.label == "Document":
        return f"the document {names.short(names.name(node), 70)}"
    if node.label == "Event":
        return names.with_article(names.short(names.name(node), 70), node)
    return names.with_article(names.name(node, frameworks), node)


def path_in_words(path: Path, frameworks: Mapping[str, str] | None = None) -> str:
    """A path as a sentence, each hop read in its own direction.

    "Recommendation b.1 maps to art. 6 of the Trafficking in Persons Protocol, which is part of
    the Trafficking in Persons Protocol, which supplements UNTOC, which was adopted by the
    United Nations General Assembly."
    """
    fw = {**(frameworks or {}), **{n.id: names.name(n) for n in path.nodes
                                   if n.label == "Framework"}}
    if not path.nodes:
        return ""
    words = [spoken(path.nodes[0], fw)]
    for i, edge in enumerate(path.edges):
        here, there = path.nodes[i], path.nodes[i + 1]
        forwards = (edge.src_label, edge.src) == here.key
        lead = "" if i == 0 else ", which"
        words.append(f"{lead} {names.verb(edge, forwards)} {spoken(there, fw)}")
    sentence = "".join(words).strip() + "."
    return sentence[0].upper() + sentence[1:]
