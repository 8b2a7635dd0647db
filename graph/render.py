"""Graph views as self-contained HTML (pyvis / vis-network with its JavaScript inlined).

The HTML works offline: pyvis 0.3.2 inlines vis-network with `cdn_resources="in_line"` but its
template still links Bootstrap from a CDN, so those tags are stripped here (`strip_remote`), and
tests check that no `src`/`href` in any rendered HTML points to http(s). Physics runs until the
layout stabilises and is then switched off, so nodes stop moving (pyvis#88, visjs/vis#3240).
Above `cap` nodes the view is aggregated (one node per label), never silently truncated.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import textwrap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyvis.network import Network

from graph import names
from graph.aggregate import aggregate, complete
from graph.export import to_csv, to_graphml  # the view's data, beside its picture
from graph.records import Edge, Node

__all__ = ["LEGEND", "RenderedGraph", "remote_references", "strip_remote", "to_csv",
           "to_graphml", "to_html"]

# Colour-blind-safe colours (Okabe-Ito and neighbours) and a shape per label.
LEGEND: dict[str, dict[str, str]] = {
    "Recommendation": {"color": "#D55E00", "shape": "dot", "glyph": "●"},
    "Provision": {"color": "#56B4E9", "shape": "dot", "glyph": "●"},
    "Framework": {"color": "#0072B2", "shape": "diamond", "glyph": "◆"},
    "Body": {"color": "#009E73", "shape": "hexagon", "glyph": "⬢"},
    "Document": {"color": "#6E6E6E", "shape": "square", "glyph": "■"},
    "Theme": {"color": "#CC79A7", "shape": "triangle", "glyph": "▲"},
    "Event": {"color": "#E6B800", "shape": "star", "glyph": "★"},
    "Person": {"color": "#E69F00", "shape": "triangleDown", "glyph": "▼"},
    "Resource": {"color": "#8C564B", "shape": "square", "glyph": "■"},
    "Passage": {"color": "#999999", "shape": "dot", "glyph": "●"},
}
OTHER = {"color": "#444444", "shape": "dot", "glyph": "●"}
NODE_FONT_PX = 20
EDGE_FONT_PX = 18

OPTIONS: dict[str, Any] = {
    "nodes": {"size": 18, "borderWidth": 2,
              "font": {"size": NODE_FONT_PX, "face": "Arial, Helvetica, sans-serif",
                       "color": "#111111", "strokeWidth": 4, "strokeColor": "#ffffff"}},
    "edges": {"width": 1.6, "color": {"color": "#8a8a8a", "highlight": "#333333",
                                      "inherit": False},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
              "smooth": {"enabled": True, "type": "continuous"},
              "font": {"size": EDGE_FONT_PX, "face": "Arial, Helvetica, sans-serif",
                       "color": "#444444", "strokeWidth": 4, "strokeColor": "#ffffff",
                       "align": "middle"}},
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -120, "centralGravity": 0.01,
                                     "springLength": 170, "springConstant": 0.05,
                                     "avoidOverlap": 0.9},
                "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25,
                                  "fit": True},
                "minVelocity": 1.0},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                    "multiselect": False},
    # A fixed seed: the same view gets the same layout on every rerun and every machine.
    "layout": {"randomSeed": 7, "improvedLayout": True},
}

# After stabilisation (or 8 s at most) physics goes off: the layout holds still for the talk.
# A big graph is not shrunk below MIN_SCALE (captions would fall under ~12 px): the view then
# centres on the focus node and says that scrolling zooms out.
# `document.body.dataset.stabilized` tells a test or a screenshot that drawing is done.
MIN_SCALE = 0.6
FREEZE_JS = """
<script type="text/javascript">
  (function () {
    var frozen = false, focusId = __FOCUS__, minScale = __MIN_SCALE__;
    // fit() frames the shapes, not their captions: zoom out a little so captions stay inside.
    function fitWithMargin() {
      network.fit();
      var scale = network.getScale() * 0.85;
      if (scale >= minScale) { network.moveTo({scale: scale}); return; }
      if (focusId !== null) { network.focus(focusId, {scale: minScale}); }
      else { network.moveTo({scale: minScale}); }
      var legend = document.getElementById("graph-legend");
      if (legend && !document.getElementById("graph-zoom-note")) {
        legend.insertAdjacentHTML("beforeend", ' <i id="graph-zoom-note">(zoomed in so ' +
          'captions stay readable: scroll to zoom out, drag to pan)</i>');
      }
    }
    function freeze() {
      if (frozen || typeof network === "undefined") { return; }
      frozen = true;
      network.setOptions({physics: false});
      fitWithMargin();
      document.body.dataset.stabilized = "1";
    }
    if (typeof network !== "undefined") {
      network.once("stabilizationIterationsDone", freeze);
      network.once("stabilized", freeze);
    }
    setTimeout(freeze, 8000);
    // The iframe is often resized after the first draw: keep the graph framed.
    window.addEventListener("resize", function () {
      if (frozen) { fitWithMargin(); }
    });
  })();
</script>
"""
EDGE_LABELS_UP_TO = 40  # more nodes than this: relationship types only in edge tooltips

_REMOTE_TAG = re.compile(
    r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']https?://[^>]*>(?:\s*</script>)?",
    re.IGNORECASE | re.DOTALL)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
REMOTE_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@dataclass(frozen=True)
class RenderedGraph:
    """A drawn view: its HTML, how many nodes it drew, out of how many, and whether it was capped."""

    html: str
    drawn_nodes: int
    total_nodes: int
    capped: bool
    drawn_edges: int = 0
    total_edges: int = 0
    notice: str | None = None  # what a reader must know about this view, e.g. "aggregated"


def strip_remote(page: str) -> str:
    """Drop <link>/<script> tags that load from http(s) (pyvis' Bootstrap CDN tags)."""
    return _REMOTE_TAG.sub("", page)


def remote_references(page: str) -> list[str]:
    """Every src/href in `page` that points off the machine (should be empty)."""
    return [page[m.start():m.start() + 80] for m in REMOTE_REF.finditer(page)]


def style(label: str) -> dict[str, str]:
    """Colour, shape and legend glyph of a label."""
    return LEGEND.get(label, OTHER)


def _key(label: str, node_id: str) -> str:
    return f"{label}|{node_id}"


def _framework_names(nodes: Iterable[Node], extra: Mapping[str, str] | None) -> dict[str, str]:
    found = {n.id: str(n.props.get("short_name") or n.props.get("name") or n.id)
             for n in nodes if n.label == "Framework"}
    return {**(extra or {}), **found}


def _edge_label(edge: Edge, aggregated: bool) -> str:
    if aggregated:
        return f"{edge.type} × {edge.props.get('count', 0):,}"
    method = edge.props.get("method") if edge.type == "MAPS_TO" else None
    words = names.verb(edge, forwards=True)
    return f"{words} ({method})" if method else words


def _edge_title(edge: Edge) -> str:
    lines = [f"{edge.type}: {edge.src} → {edge.dst}"]
    for key in ("method", "score", "reviewed", "evidence", "rationale", "role", "date", "symbol"):
        value = edge.props.get(key)
        if value not in (None, ""):
            lines.append(f"{key}: {names.short(str(value), 300)}")
    return "\n".join(lines)


def _legend_html(counts: Mapping[str, int], notice: str | None) -> str:
    """A strip above the drawing (not over it): one coloured glyph per label, with counts."""
    items = " ".join(
        f'<span style="white-space:nowrap;margin-right:14px">'
        f'<span style="color:{style(label)["color"]};font-size:20px">{style(label)["glyph"]}'
        f'</span> {html_lib.escape(label)} ({n:,})</span>'
        for label, n in counts.items())
    banner = (f'<div id="graph-notice" style="background:#fff3cd;border:1px solid #d6b656;'
              f'padding:4px 8px;margin-bottom:4px">{html_lib.escape(notice)}</div>'
              if notice else "")
    return (f'<div id="graph-legend" style="font:16px Arial, Helvetica, sans-serif;'
            f'line-height:1.6;padding:2px 4px 4px 4px">{banner}<b>Legend:</b> {items}</div>')


def _caption(node: Node, frameworks: Mapping[str, str],
             captions: Mapping[str, str] | None) -> str:
    prop = (captions or {}).get(node.label)
    value = node.id if prop == "id" else node.props.get(prop) if prop else None
    if value in (None, ""):
        return names.caption(node, frameworks)
    return "\n".join(textwrap.wrap(str(value), width=28, max_lines=2, placeholder="…"))


def _network(height: str) -> Network:
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#111111")
    net.options = dict(OPTIONS)
    return net


def to_html(nodes: Iterable[Node], edges: Iterable[Edge], *, highlight: Collection[str] = (),
            height: str = "620px", cap: int = 300,
            frameworks: Mapping[str, str] | None = None,
            captions: Mapping[str, str] | None = None) -> RenderedGraph:
    """Draw nodes and edges as an offline HTML page, aggregated when there are more than `cap`.

    Parameters
    ----------
    nodes, edges
        The view's records; endpoints of edges that are not in `nodes` are added as bare nodes.
    highlight
        Node ids drawn larger with a thick border (the entity the view is about).
    height
        CSS height of the drawing.
    cap
        Most nodes drawn one by one; above it, one node per label (see graph.aggregate).
    frameworks
        Framework id -> short name, to caption provisions ("UNTOC art. 6").
    captions
        Label -> the property to caption its nodes with (a saved query's `caption:` line);
        labels not named, or nodes lacking the property, get the default caption.

    Example
    -------
    >>> g = to_html([Node("Framework", "untoc", {"short_name": "UNTOC"})], [])
    >>> (g.drawn_nodes, g.capped, "Legend" in g.html)
    (1, False, True)
    """
    node_list, edge_list = complete(nodes, edges)
    # Sorted, so the seeded layout depends on the view's content, not on query row order.
    node_list.sort(key=lambda n: n.key)
    edge_list.sort(key=lambda e: e.key)
    total_nodes, total_edges = len(node_list), len(edge_list)
    capped = total_nodes > cap
    if capped:
        node_list, edge_list = aggregate(node_list, edge_list)
        node_list = node_list[:max(cap, 1)]
        kept = {n.key for n in node_list}
        edge_list = [e for e in edge_list
                     if (e.src_label, e.src) in kept and (e.dst_label, e.dst) in kept]
    fw_names = _framework_names(node_list, frameworks)
    wanted = set(highlight)
    net = _network(height)
    for n in node_list:
        look = style(n.label)
        big = n.id in wanted
        if capped:
            label, title = str(n.props["name"]), f"{n.props['count']:,} {n.label} nodes"
            size = 18 + min(40, int(n.props["count"]) ** 0.5 * 2)
        else:
            label, title = _caption(n, fw_names, captions), names.tooltip(n, fw_names)
            size = 30 if big else 18
        net.add_node(_key(n.label, n.id), label=label, title=title, shape=look["shape"],
                     color={"background": look["color"], "border": "#111111" if big else
                            look["color"], "highlight": {"background": look["color"],
                                                         "border": "#111111"}},
                     size=size, borderWidth=5 if big else 2,
                     font={"size": NODE_FONT_PX + (4 if big else 0), "bold": big})
    for e in edge_list:
        width = 1.5 + min(8.0, float(e.props.get("count", 1)) ** 0.5) if capped else 1.6
        label = _edge_label(e, capped) if len(node_list) <= EDGE_LABELS_UP_TO or capped else ""
        net.add_edge(_key(e.src_label, e.src), _key(e.dst_label, e.dst),
                     label=label, title=_edge_title(e), width=width)
    counts: dict[str, int] = {}
    for n in node_list:
        counts[n.label] = counts.get(n.label, 0) + (int(n.props["count"]) if capped else 1)
    counts = {label: counts[label] for label in dict.fromkeys([*LEGEND, *counts])
              if label in counts}  # legend order: Recommendation, Provision, Framework, ...
    notice = None
    if capped:
        notice = (f"Aggregated view: {total_nodes:,} nodes are more than the {cap:,} this view "
                  f"draws one by one, so it shows one node per label with its count and one "
                  f"edge per relationship type. Narrow the query or download the data.")
    page = net.generate_html(notebook=False)
    page = _COMMENT.sub("", _EMPTY_HEADING.sub("", strip_remote(page)))
    strip = _legend_html(counts, notice)
    page = re.sub(r"<body>", lambda m: '<body style="margin:0">' + strip, page, count=1)
    page = page.replace("</head>", "<style>#mynetwork{box-sizing:border-box}</style></head>", 1)
    drawn = {n.id: _key(n.label, n.id) for n in node_list}
    focus = next((drawn[h] for h in highlight if h in drawn), None) if not capped else None
    freeze = FREEZE_JS.replace("__FOCUS__", json.dumps(focus)).replace("__MIN_SCALE__",
                                                                       str(MIN_SCALE))
    page = page.replace("</body>", freeze + "</body>", 1)
    page = page.replace("<head>", '<head>\n<meta name="referrer" content="no-referrer">', 1)
    return RenderedGraph(page, len(node_list), total_nodes, capped, len(edge_list), total_edges,
                         notice)
