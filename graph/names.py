"""Human names for nodes and relationships: captions, tooltips and the words of a path.

One place decides how a node reads, so the graph views, the tables and the sentences of the
Paths page agree: `tip-protocol:art-6` reads "Trafficking in Persons Protocol art. 6" when the
framework's short name is known, and `gcm-ts5-summary:b.1` reads "recommendation b.1".
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from graph.records import Edge, Node

REF_WORDS = {"art": "art.", "target": "target", "indicator": "indicator", "obj": "objective",
             "op": "op. para.", "para": "para.", "point": "point", "principle": "principle",
             "guideline": "guideline", "item": "item", "chapter": "chapter"}

# How each relationship reads, forwards (src -> dst) and backwards (dst <- src).
VERBS: dict[str, tuple[str, str]] = {
    "MADE_IN": ("was made in", "includes"),
    "IN_AREA": ("falls under", "covers"),
    "MAPS_TO": ("maps to", "is mapped from"),
    "MENTIONS": ("mentions", "is mentioned in"),
    "PART_OF": ("is part of", "contains"),
    "SUPPLEMENTS": ("supplements", "is supplemented by"),
    "ADOPTED_BY": ("was adopted by", "adopted"),
    "ALIGNS_WITH": ("aligns with", "aligns with"),
    "ISSUED_BY": ("was issued by", "issued"),
    "RECORDS": ("records", "is recorded in"),
    "CONVENED_BY": ("was convened by", "convened"),
    "SPOKE_AT": ("spoke at", "heard"),
    "AFFILIATED_WITH": ("is affiliated with", "counts among its people"),
    "SUPPORTS": ("supports", "is supported by"),
    "CITES": ("cites", "is cited by"),
}


def pretty_ref(ref: str) -> str:
    """`art-6` -> "art. 6", `target-8.7` -> "target 8.7", `obj-10` -> "objective 10"."""
    kind, _, number = ref.partition("-")
    return f"{REF_WORDS.get(kind, kind)} {number}".strip() if number else ref


def short(text: str, width: int = 60) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `width`."""
    one_line = " ".join(str(text).split())
    return textwrap.shorten(one_line, width=width, placeholder="…") if one_line else ""


def name(node: Node, frameworks: Mapping[str, str] | None = None) -> str:
    """The name a reader knows the node by (no article, not shortened)."""
    p = node.props
    if node.label == "Recommendation":
        return f"recommendation {node.id.rsplit(':', 1)[-1]}"
    if node.label == "Provision":
        fw = str(p.get("framework_id") or node.id.split(":", 1)[0])
        fw_name = (frameworks or {}).get(fw, fw)
        return f"{fw_name} {pretty_ref(str(p.get('ref') or node.id.split(':', 1)[-1]))}"
    if node.label == "Framework":
        return str(p.get("short_name") or p.get("name") or node.id)
    if node.label == "Body":
        return str(p.get("name") or p.get("acronym") or node.id)
    if node.label == "Theme":
        return f"theme {p.get('area', '')}: {p.get('name', node.id)}".replace(" : ", ": ")
    if node.label == "Document":
        return str(p.get("symbol") or p.get("title") or node.id)
    if node.label == "Passage":
        return f"{p.get('kind', 'passage')} {node.id.rsplit('.', 1)[-1]}"
    return str(p.get("name") or p.get("title") or node.id)


def caption(node: Node, frameworks: Mapping[str, str] | None = None, width: int = 28) -> str:
    """A short label for a graph view, wrapped on two lines at most."""
    text = name(node, frameworks)
    if node.label == "Recommendation":
        text = f"Rec. {node.id.rsplit(':', 1)[-1]}"
    elif node.label == "Body" and node.props.get("acronym") and len(text) > width:
        text = str(node.props["acronym"])
    lines = textwrap.wrap(text, width=width, max_lines=2, placeholder="…")
    return "\n".join(lines) or node.id


def description(node: Node) -> str:
    """The node's own text (recommendation text, provision title, framework name...)."""
    p = node.props
    for key in ("text", "title", "name", "summary"):
        if p.get(key):
            return str(p[key])
    return node.id


def tooltip(node: Node, frameworks: Mapping[str, str] | None = None) -> str:
    """Plain-text tooltip: label and id, the name, and the node's text (vis-network shows text)."""
    lines = [f"{node.label}: {node.id}", name(node, frameworks)]
    text = description(node)
    if text not in lines:
        lines.append(textwrap.fill(short(text, 600), width=70))
    if node.props.get("page") is not None:
        lines.append(f"page {node.props['page']}")
    return "\n".join(lines)


def with_article(text: str, node: Node) -> str:
    """ "the Trafficking in Persons Protocol" but "UNTOC" and "recommendation b.1"."""
    if node.label not in ("Framework", "Body", "Event", "Resource", "Provision"):
        return text
    first = text.split(" ", 1)[0]
    if " " not in text or first.isupper() or re.match(r"^[A-Z]+[/\d]", first):
        return text
    return f"the {text}"


def verb(edge: Edge, forwards: bool) -> str:
    """How `edge` reads when walked forwards (src first) or backwards."""
    fwd, back = VERBS.get(edge.type, (edge.type.lower().replace("_", " "),
                                      f"is {edge.type.lower().replace('_', ' ')} of"))
    return fwd if forwards else back
