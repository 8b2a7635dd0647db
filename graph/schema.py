"""The graph schema, declared once: labels, typed properties, relationship types and endpoints.

Both engines are generated from this module: LadybugDB node/relationship table DDL
(`ladybug_ddl`) and Neo4j unique constraints on `id` (`neo4j_constraints`). Loaders validate
their records against it (`validate_node`, `validate_edge`), so a record that one engine would
reject is refused before either engine sees it.

Provenance properties are declared on every label: `source` (the document id or data file the
node came from), `page` (the document's own page number, where there is one) and `confirmed`
(False where the reference facts mark a value UNCONFIRMED).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import LoaderError
from graph.records import Edge, Node

# Property types: the name used here, the LadybugDB column type, and the Python types accepted.
TYPES: dict[str, tuple[str, tuple[type, ...]]] = {
    "str": ("STRING", (str,)),
    "int": ("INT64", (int,)),
    "float": ("DOUBLE", (float, int)),
    "bool": ("BOOLEAN", (bool,)),
    "date": ("DATE", (dt.date,)),
    "list[str]": ("STRING[]", (list, tuple)),
}

PROVENANCE = {"source": "str", "page": "int", "confirmed": "bool"}


@dataclass(frozen=True)
class NodeType:
    label: str
    properties: Mapping[str, str]  # name -> type name in TYPES (id is implicit, a str)
    caption: str  # the property shown as the node's caption
    description: str


@dataclass(frozen=True)
class RelType:
    type: str
    endpoints: tuple[tuple[str, str], ...]  # (from label, to label) pairs
    properties: Mapping[str, str]
    description: str


def _node(label: str, caption: str, description: str, **props: str) -> NodeType:
    return NodeType(label, {**props, **PROVENANCE}, caption, description)


NODE_TYPES: tuple[NodeType, ...] = (
    _node("Recommendation", "id", "A concrete recommendation made in a document.",
          text="str", raw="str", area="str", area_title="str", ordinal="int",
          document_id="str", no_framework="str"),
    _node("Document", "title", "A source document or a document it cites.",
          title="str", symbol="str", date="date", kind="str", source_file="str",
          summary="str"),
    _node("Event", "name", "A meeting, session, panel or agenda item.",
          name="str", kind="str", start_date="date", end_date="date", place="str", series="str",
          participants="str", structure="str", documentation="str", outcome="str",
          summary="str", topic="str", ordinal="int"),
    _node("Body", "name", "An organ, agency, State, network or expert mandate.",
          name="str", acronym="str", kind="str"),
    _node("Framework", "short_name", "An instrument: convention, protocol, resolution, plan...",
          name="str", short_name="str", kind="str", symbol="str", adopted="date",
          in_force="date", summary="str", keywords="list[str]"),
    _node("Provision", "title", "An article, target, indicator, objective or paragraph.",
          framework_id="str", ref="str", title="str", text="str", keywords="list[str]",
          ordinal="int"),
    _node("Theme", "name", "An area of discussion (a-g) of the co-facilitators' summary.",
          name="str", area="str", text="str"),
    _node("Person", "name", "A panelist, moderator or co-facilitator.",
          name="str", role="str", affiliation="str"),
    _node("Resource", "title", "A tool or publication: guide, model law, database, digest.",
          title="str", year="int", publisher="str", kind="str"),
    _node("Passage", "kind", "A finding, conclusion, objective, challenge or checklist question.",
          kind="str", text="str", ordinal="int", document_id="str"),
)

LINK = {"method": "str", "score": "float", "evidence": "str", "reviewed": "bool",
        "rationale": "str", "reviewer": "str", "reviewed_on": "date"}
SOURCE = {"source": "str"}

_TEXT = ("Recommendation", "Document", "Passage", "Event")
_TARGETS = ("Provision", "Framework", "Body")

REL_TYPES: tuple[RelType, ...] = (
    RelType("MADE_IN", (("Recommendation", "Document"), ("Passage", "Document")),
            SOURCE, "Where a recommendation or passage was made."),
    RelType("IN_AREA", (("Recommendation", "Theme"),), SOURCE, "Its area of discussion."),
    RelType("MAPS_TO", (("Recommendation", "Provision"), ("Recommendation", "Framework")),
            {**LINK, **SOURCE}, "A recommendation relates to a framework or provision."),
    RelType("MENTIONS", tuple((s, t) for s in _TEXT for t in _TARGETS),
            {**LINK, **SOURCE}, "A text names a body or a framework."),
    RelType("PART_OF", (("Provision", "Framework"), ("Body", "Body"), ("Event", "Event")),
            SOURCE, "Containment: provision in framework, body under body, panel in session."),
    RelType("SUPPLEMENTS", (("Framework", "Framework"),), SOURCE,
            "A protocol supplements a convention."),
    RelType("ADOPTED_BY", (("Framework", "Body"),), {"date": "date", "symbol": "str", **SOURCE},
            "The body that adopted an instrument."),
    RelType("ALIGNS_WITH", (("Provision", "Provision"), ("Framework", "Framework")),
            {"evidence": "str", "confirmed": "bool", **SOURCE},
            "A crosswalk between provisions (e.g. GCM objective 10 and SDG target 8.7)."),
    RelType("ISSUED_BY", (("Document", "Body"),), SOURCE, "Who issued a document."),
    RelType("RECORDS", (("Document", "Event"),), SOURCE, "A document records an event."),
    RelType("CONVENED_BY", (("Event", "Body"),), SOURCE, "Who convened an event."),
    RelType("SPOKE_AT", (("Person", "Event"),), {"role": "str", **SOURCE},
            "A panelist or moderator at a panel."),
    RelType("AFFILIATED_WITH", (("Person", "Body"),), SOURCE, "A person's organization or State."),
    RelType("SUPPORTS", (("Resource", "Framework"),), SOURCE,
            "A resource supports implementing a framework."),
    RelType("CITES", tuple((s, t) for s in ("Document", "Event", "Passage")
                           for t in ("Document", "Framework", "Provision")),
            {"evidence": "str", **SOURCE}, "A document or event cites another document."),
)

NODES: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}
RELS: dict[str, RelType] = {r.type: r for r in REL_TYPES}
LABELS: tuple[str, ...] = tuple(NODES)
REL_NAMES: tuple[str, ...] = tuple(RELS)

# Fixed identifier scheme (architecture.md, "Identifiers"). Provision refs follow <kind>-<n>.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PROVISION_REF = r"(?:art-\d+|target-\d+\.[0-9a-z]+|indicator-\d+\.[0-9a-z]+\.\d+|obj-\d+|op-\d+|para-\d+|point-\d+|principle-\d+|guideline-\d+|item-\d+(?:\.\d+)?|chapter-[0-9a-z]+)"
ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "Framework": re.compile(rf"^{SLUG}$"),
    "Provision": re.compile(rf"^{SLUG}:{PROVISION_REF}$"),
    "Body": re.compile(rf"^{SLUG}$"),
    "Recommendation": re.compile(rf"^{SLUG}:[a-g]\.\d+$"),
    "Theme": re.compile(rf"^theme-{SLUG}$"),
    "Event": re.compile(rf"^{SLUG}$"),
    "Document": re.compile(rf"^{SLUG}$"),
    "Person": re.compile(rf"^{SLUG}$"),
    "Resource": re.compile(rf"^{SLUG}$"),
    "Passage": re.compile(rf"^{SLUG}:[a-z0-9-]+\.\d+$"),
}


def id_problem(label: str, node_id: str) -> str | None:
    """Say why `node_id` is off the fixed scheme for `label`, or None when it is on it."""
    pattern = ID_PATTERNS.get(label)
    if pattern is None:
        return f"unknown label {label!r}; known labels: {', '.join(LABELS)}"
    if not isinstance(node_id, str) or not pattern.match(node_id):
        return (f"id {node_id!r} is off the scheme for {label} (expected {pattern.pattern}); "
                "see the Identifiers section of the README")
    return None


def _type_problem(name: str, value: Any, type_name: str) -> str | None:
    if value is None:
        return None
    accepted = TYPES[type_name][1]
    if type_name == "int" and isinstance(value, bool):
        return f"property {name!r} must be an int, got a bool"
    if type_name == "float" and isinstance(value, bool):
        return f"property {name!r} must be a number, got a bool"
    if type_name == "date" and isinstance(value, dt.datetime):
        return f"property {name!r} must be a date, got a datetime"
    if not isinstance(value, accepted):
        return f"property {name!r} must be {type_name}, got {type(value).__name__} {value!r:.40}"
    if type_name == "list[str]" and not all(isinstance(v, str) for v in value):
        return f"property {name!r} must be a list of strings"
    return None


# The exact Python types that need no further check, per schema type (the fast path that keeps
# validating 1.5 million records to a few seconds).
_EXACT = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,),
          "date": (dt.date,), "list[str]": ()}


def _props_ok(props: Mapping[str, Any], declared: Mapping[str, str]) -> bool:
    for name, value in props.items():
        type_name = declared.get(name)
        if type_name is None or (value is not None and type(value) not in _EXACT[type_name]):
            return False
    return True


def node_problems(node: Node) -> list[str]:
    """Every way `node` breaks the schema (empty when it is valid)."""
    problems: list[str] = []
    pattern = ID_PATTERNS.get(node.label)
    if pattern is not None and isinstance(node.id, str) and pattern.match(node.id) \
            and _props_ok(node.props, NODES[node.label].properties):
        return problems
    if (p := id_problem(node.label, node.id)) is not None:
        return [p]
    declared = NODES[node.label].properties
    for name, value in node.props.items():
        if name == "id":
            problems.append("'id' belongs in Node.id, not in props")
        elif name not in declared:
            problems.append(f"unknown property {name!r} for {node.label}; "
                            f"declared: {', '.join(sorted(declared))}")
        elif (p := _type_problem(name, value, declared[name])) is not None:
            problems.append(p)
    return problems


def edge_problems(edge: Edge) -> list[str]:
    """Every way `edge` breaks the schema (empty when it is valid)."""
    rel = RELS.get(edge.type)
    if rel is not None and (edge.src_label, edge.dst_label) in rel.endpoints \
            and _props_ok(edge.props, rel.properties):
        return []
    if rel is None:
        return [f"unknown relationship type {edge.type!r}; known: {', '.join(REL_NAMES)}"]
    if (edge.src_label, edge.dst_label) not in rel.endpoints:
        pairs = ", ".join(f"{a}->{b}" for a, b in rel.endpoints)
        return [f"{edge.type} cannot go from {edge.src_label} to {edge.dst_label}; allowed: {pairs}"]
    problems: list[str] = []
    for name, value in edge.props.items():
        if name not in rel.properties:
            problems.append(f"unknown property {name!r} for {edge.type}; "
                            f"declared: {', '.join(sorted(rel.properties)) or 'none'}")
        elif (p := _type_problem(name, value, rel.properties[name])) is not None:
            problems.append(p)
    return problems


def validate_records(nodes: list[Node], edges: list[Edge], where: str = "records") -> None:
    """Raise LoaderError listing schema problems and dangling edge endpoints, if any."""
    problems: list[str] = []
    keys = {n.key for n in nodes}
    for n in nodes:
        problems += [f"{n.label} {n.id!r}: {p}" for p in node_problems(n)]
    for e in edges:
        found = edge_problems(e)
        problems += [f"{e.type} {e.src!r}->{e.dst!r}: {p}" for p in found]
        if not found:
            for label, key in ((e.src_label, e.src), (e.dst_label, e.dst)):
                if (label, key) not in keys:
                    problems.append(f"{e.type} {e.src!r}->{e.dst!r}: no {label} with id {key!r} "
                                    "(dangling reference: add the node or fix the id)")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise LoaderError(f"{where}: {len(problems)} schema problem(s); nothing was written:\n"
                          f"  {shown}{more}")


def ladybug_ddl() -> list[str]:
    """CREATE statements for LadybugDB: one node table per label, one rel table per type."""
    statements = []
    for n in NODE_TYPES:
        cols = ", ".join(f"{k} {TYPES[t][0]}" for k, t in n.properties.items())
        statements.append(f"CREATE NODE TABLE {n.label}(id STRING, {cols}, PRIMARY KEY(id))")
    for r in REL_TYPES:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in r.endpoints)
        cols = "".join(f", {k} {TYPES[t][0]}" for k, t in r.properties.items())
        statements.append(f"CREATE REL TABLE {r.type}({pairs}{cols})")
    return statements


def neo4j_constraints() -> list[str]:
    """Neo4j 5 unique constraints on `id`, one per label (they also index the key)."""
    return [f"CREATE CONSTRAINT {n.label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.id IS UNIQUE" for n in NODE_TYPES]
