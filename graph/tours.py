"""Guided tours over the graph (core: no streamlit).

`step_graph(backend, step)` turns a step's focus into a small subgraph with parameterised Cypher:

- entity: the node and its neighbours up to `depth` hops (optionally only along `rels`), plus
  the relationships among the nodes found;
- query: the nodes and relationships a saved query returns (graph/queries.py, cypher/*.cypher),
  run with the step's params;
- path: the shortest path between two nodes, in each engine's own syntax (LadybugDB
  `[* SHORTEST 1..8]`, Neo4j `shortestPath(...[*..8]...)`).

Highlighted nodes are always included, with their relationships to the rest of the step's
graph (for a path, without adding shortcuts between the path's own nodes). Above `cap` nodes a
step keeps the focus, the highlighted nodes and the nodes nearest to them (a tour step must stay
readable; the count of what was left out is reported).

`export_tour_html(backend, tour)` writes a whole tour as ONE self-contained HTML file: each
step's graph (graph.render, vis-network inlined) in its own iframe, the narration beside it,
previous / next buttons, arrow-key navigation, a step counter, large type. Nothing is fetched
from a network: the large library blocks that every step page shares are stored once and put
back into each step's page by inline JavaScript when the step is first shown.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import names
from graph.backend import GraphBackend
from graph.errors import GraphExplorerError, QueryFailed
from graph.records import Edge, Node
from graph.schema import ID_PATTERNS, LABELS, RELS

if TYPE_CHECKING:
    from graph.render import RenderedGraph
    from loaders.tours import Focus, Step, Tour

DEFAULT_CAP = 60
PATH_MAX_HOPS = 8
ROW_LIMIT = 5000
TIMEOUT = 20.0
STEP_GRAPH_HEIGHT = "calc(100vh - 26px)"  # the drawing fills its iframe in the export
_LABEL_ORDER = {label: i for i, label in enumerate(LABELS)}


@dataclass(frozen=True)
class StepGraph:
    """The subgraph a step shows, and how many nodes the focus found before the cap."""

    nodes: list[Node]
    edges: list[Edge]
    total_nodes: int

    @property
    def pruned(self) -> bool:
        return self.total_nodes > len(self.nodes)

    @property
    def notice(self) -> str | None:
        if not self.pruned:
            return None
        return (f"Showing the {len(self.nodes)} nodes nearest the focus out of "
                f"{self.total_nodes}.")


# -- looking nodes up ----------------------------------------------------------------------------

def find_nodes(backend: GraphBackend, ids: Iterable[str]) -> dict[str, Node]:
    """The nodes with these ids, by id (ids not in the graph are absent from the answer).

    One indexed lookup per label whose id scheme fits at least one of the ids.
    """
    wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    found: dict[str, Node] = {}
    for label in LABELS:
        todo = [i for i in wanted if i not in found and ID_PATTERNS[label].match(i)]
        if not todo:
            continue
        result = backend.run(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n", {"ids": todo},
                             limit=len(todo) + 1, timeout=TIMEOUT)
        for node in result.nodes:
            found.setdefault(node.id, node)
    return found


def _node(found: Mapping[str, Node], node_id: str, what: str) -> Node:
    if node_id not in found:
        raise QueryFailed(f"no node with id {node_id!r} in the graph ({what}). Fix the id in the "
                          "tour or reload the graph with `python -m graph load`")
    return found[node_id]


# -- the three kinds of focus --------------------------------------------------------------------

def _rel_pattern(rels: Iterable[str]) -> str:
    rels = [r for r in rels if r in RELS]  # validated by the loader; never formatted unchecked
    return ":" + "|".join(rels) if rels else ""


def _neighbourhood(backend: GraphBackend, focus: Focus, found: Mapping[str, Node],
                   extra: Iterable[Node] = ()) -> tuple[list[Node], list[Edge]]:
    """The entity, its neighbours up to `focus.depth` hops, the `extra` nodes (a step's
    highlighted nodes), and every relationship among them (of `focus.rels`, when given)."""
    center = _node(found, focus.entity or "", "the step's entity")
    rel = _rel_pattern(focus.rels)
    depth = max(1, min(int(focus.depth), 3))
    if depth == 1:
        cypher = f"MATCH (a:{center.label} {{id: $id}})-[e{rel}]-(x) RETURN a, e, x"
    else:
        cypher = f"MATCH p = (a:{center.label} {{id: $id}})-[{rel}*1..{depth}]-(x) RETURN p"
    result = backend.run(cypher, {"id": center.id}, limit=ROW_LIMIT, timeout=TIMEOUT)
    nodes = {center.key: center, **{n.key: n for n in result.nodes}}
    for node in extra:
        nodes.setdefault(node.key, node)
    edges = {e.key: e for e in result.edges}
    for e in _edges_among(backend, nodes.values(), focus.rels):
        edges.setdefault(e.key, e)
    return list(nodes.values()), list(edges.values())


def _edges_among(backend: GraphBackend, nodes: Iterable[Node], rels: Iterable[str]
                 ) -> list[Edge]:
    """The relationships between any two of `nodes` (only of types `rels`, when given)."""
    nodes = list(nodes)
    ids = [n.id for n in nodes]
    allowed = list(rels) or list(RELS)
    out: list[Edge] = []
    for label in sorted({n.label for n in nodes}, key=_LABEL_ORDER.get):
        types = [r for r in allowed if any(a == label for a, _ in RELS[r].endpoints)]
        if not types:
            continue
        src = [n.id for n in nodes if n.label == label]
        result = backend.run(
            f"MATCH (a:{label})-[e{_rel_pattern(types)}]->(b) "
            "WHERE a.id IN $src AND b.id IN $ids RETURN e",
            {"src": src, "ids": ids}, limit=ROW_LIMIT, timeout=TIMEOUT)
        out += result.edges
    return out


def _shortest_path(backend: GraphBackend, focus: Focus, found: Mapping[str, Node]
                   ) -> tuple[list[Node], list[Edge]]:
    assert focus.path is not None
    a = _node(found, focus.path[0], "the start of the step's path")
    b = _node(found, focus.path[1], "the end of the step's path")
    match = f"MATCH (a:{a.label} {{id: $a}}), (b:{b.label} {{id: $b}}) "
    if backend.name == "neo4j":
        cypher = match + f"MATCH p = shortestPath((a)-[*..{PATH_MAX_HOPS}]-(b)) RETURN p"
    else:
        cypher = match + f"MATCH p = (a)-[* SHORTEST 1..{PATH_MAX_HOPS}]-(b) RETURN p"
    result = backend.run(cypher, {"a": a.id, "b": b.id}, limit=1, timeout=TIMEOUT)
    if not result.rows:
        raise QueryFailed(f"no path of at most {PATH_MAX_HOPS} relationships between {a.id!r} "
                          f"and {b.id!r}. Pick two nodes that are connected")
    return result.nodes, result.edges


def saved_query(name: str) -> tuple[Any, Any]:
    """(the graph.queries module, the saved query called `name`), or QueryFailed."""
    try:
        from graph import queries  # written alongside this module; optional until it lands
    except ImportError as exc:
        raise QueryFailed(f"saved queries are not available here (graph.queries: {exc}); the "
                          f"step that uses {name!r} cannot run") from exc
    loaded = queries.load_queries()
    if isinstance(loaded, Mapping):
        known = list(loaded)
        query = loaded.get(name)
    else:
        loaded = list(loaded)
        known = [getattr(q, "name", "?") for q in loaded]
        query = next((q for q in loaded if getattr(q, "name", None) == name), None)
    if query is None:
        from loaders.yaml_source import suggest

        raise QueryFailed(f"no saved query named {name!r}{suggest(name, known)}. Saved "
                          f"queries: {', '.join(sorted(known)) or 'none'}")
    return queries, query


def _saved_query_graph(backend: GraphBackend, focus: Focus) -> tuple[list[Node], list[Edge]]:
    queries, query = saved_query(focus.query or "")
    result = queries.run_saved(backend, query, dict(focus.params), limit=ROW_LIMIT,
                               timeout=TIMEOUT)
    return result.nodes, result.edges


# -- a step's subgraph ---------------------------------------------------------------------------

def _distances(nodes: list[Node], edges: list[Edge], anchors: set[str]) -> dict[str, int]:
    """Hops from the nearest anchor, ignoring direction (unreached nodes are absent)."""
    around: dict[str, set[str]] = {}
    for e in edges:
        around.setdefault(e.src, set()).add(e.dst)
        around.setdefault(e.dst, set()).add(e.src)
    dist = {a: 0 for a in anchors if any(n.id == a for n in nodes)}
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for there in around.get(here, ()):
            if there not in dist:
                dist[there] = dist[here] + 1
                queue.append(there)
    return dist


def _prune(nodes: list[Node], edges: list[Edge], anchors: set[str], cap: int
           ) -> tuple[list[Node], list[Edge]]:
    """At most `cap` nodes: the anchors, then the nearest, then by label and id (stable)."""
    dist = _distances(nodes, edges, anchors)
    far = 1 + max(dist.values(), default=0)
    ordered = sorted(nodes, key=lambda n: (n.id not in anchors, dist.get(n.id, far),
                                           _LABEL_ORDER.get(n.label, 99), n.id))
    kept = ordered[:max(cap, len([n for n in nodes if n.id in anchors]))]
    keys = {n.key for n in kept}
    return kept, [e for e in edges if (e.src_label, e.src) in keys and (e.dst_label, e.dst) in keys]


def step_subgraph(backend: GraphBackend, step: Step | Focus, *, cap: int = DEFAULT_CAP
                  ) -> StepGraph:
    """The subgraph a step (or a bare focus) shows, at most `cap` nodes (see StepGraph)."""
    focus = getattr(step, "focus", step)
    highlight = list(getattr(step, "highlight", ()))
    found = find_nodes(backend, [*focus.ids(), *highlight])
    if focus.kind == "entity":
        nodes, edges = _neighbourhood(backend, focus, found,
                                      [found[i] for i in highlight if i in found])
    elif focus.kind == "path":
        nodes, edges = _shortest_path(backend, focus, found)
    elif focus.kind == "query":
        nodes, edges = _saved_query_graph(backend, focus)
    else:
        raise QueryFailed(f"unknown focus kind {focus.kind!r}")
    by_key = {n.key: n for n in nodes}
    added = [found[i] for i in highlight if i in found and found[i].key not in by_key]
    for node in added:  # highlighted nodes are always drawn, even when the focus misses them
        by_key[node.key] = node
    edge_map = {e.key: e for e in edges}
    if added and focus.kind != "entity":  # link them in, without adding shortcuts to the path
        new = {n.key for n in added}
        for e in _edges_among(backend, by_key.values(), ()):
            if (e.src_label, e.src) in new or (e.dst_label, e.dst) in new:
                edge_map.setdefault(e.key, e)
    nodes = list(by_key.values())
    edges = [e for e in edge_map.values()
             if (e.src_label, e.src) in by_key and (e.dst_label, e.dst) in by_key]
    total = len(nodes)
    if total > cap:
        nodes, edges = _prune(nodes, edges, {*focus.ids(), *highlight}, cap)
    nodes.sort(key=lambda n: (_LABEL_ORDER.get(n.label, 99), n.id))
    edges.sort(key=lambda e: e.key)
    return StepGraph(nodes, edges, total)


def step_graph(backend: GraphBackend, step: Step | Focus, cap: int = DEFAULT_CAP
               ) -> tuple[list[Node], list[Edge]]:
    """(nodes, edges) of the subgraph a step shows; see `step_subgraph`."""
    graph = step_subgraph(backend, step, cap=cap)
    return graph.nodes, graph.edges


def framework_names(backend: GraphBackend) -> dict[str, str]:
    """Framework id -> short name, to caption provisions ("UNTOC art. 6")."""
    result = backend.run("MATCH (f:Framework) RETURN f.id, f.short_name, f.name",
                         limit=ROW_LIMIT, timeout=TIMEOUT)
    return {r[0]: str(r[1] or r[2] or r[0]) for r in result.rows}


def render_step(backend: GraphBackend, step: Step, *, cap: int = DEFAULT_CAP,
                height: str = "620px", frameworks: Mapping[str, str] | None = None
                ) -> tuple[StepGraph, RenderedGraph]:
    """A step's subgraph and its drawing (offline HTML with the highlighted nodes enlarged)."""
    from graph.render import to_html

    graph = step_subgraph(backend, step, cap=cap)
    if frameworks is None:
        frameworks = framework_names(backend)
    drawn = to_html(graph.nodes, graph.edges, highlight=step.highlight, height=height,
                    cap=max(cap, len(graph.nodes)), frameworks=frameworks)
    return graph, drawn


def focus_caption(step: Step, frameworks: Mapping[str, str] | None = None,
                  found: Mapping[str, Node] | None = None) -> str:
    """What the step's graph shows, in words: "what is linked to UNTOC (links: supplements)",
    "the shortest path from recommendation a.1 to GCM", "the result of the saved query …"."""
    found = found or {}

    def called(node_id: str) -> str:
        node = found.get(node_id)
        return names.name(node, frameworks) if node is not None else node_id

    f = step.focus
    if f.kind == "entity":
        verbs = [names.VERBS.get(r, (r.lower(),))[0] for r in f.rels]
        via = f" (links: {', '.join(verbs)})" if verbs else ""
        reach = "what is linked to" if f.depth == 1 else f"what lies within {f.depth} links of"
        return f"{reach} {called(f.entity or '')}{via}"
    if f.kind == "path":
        assert f.path is not None
        return f"the shortest path from {called(f.path[0])} to {called(f.path[1])}"
    try:
        title = getattr(saved_query(f.query or "")[1], "title", None)
    except GraphExplorerError:
        title = None
    return f"the result of the saved query “{title or f.query}”"


# -- the offline export --------------------------------------------------------------------------

_BIG_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_LIB_MIN_CHARS = 20_000
_LIB_MARK = "<!--tour-lib-{}-->"
_JSON_BLOCK = re.compile(r'<script type="application/json" id="(tour-[a-z]+-\d+)">(.*?)</script>',
                         re.DOTALL)


def _script_json(value: str) -> str:
    """`value` as JSON that is safe inside <script> (no '<' at all, so no '</script>')."""
    return json.dumps(value).replace("<", "\\u003c")


def _share_libraries(pages: list[str]) -> tuple[list[str], list[str]]:
    """Store each large <script>/<style> block once; pages keep a marker where it was."""
    libs: dict[str, int] = {}

    def swap(m: re.Match[str]) -> str:
        block = m.group(0)
        if len(block) < _LIB_MIN_CHARS:
            return block
        index = libs.setdefault(block, len(libs))
        return _LIB_MARK.format(index)

    slim = [_BIG_BLOCK.sub(swap, page) for page in pages]
    return slim, list(libs)


def unpack_export(page: str) -> list[str]:
    """The full HTML of every step graph inside an exported tour (for checks and debugging)."""
    blocks = {k: json.loads(v) for k, v in _JSON_BLOCK.findall(page)}
    libs = {k: v for k, v in blocks.items() if k.startswith("tour-lib-")}
    out = []
    for key in sorted((k for k in blocks if k.startswith("tour-step-")),
                      key=lambda k: int(k.rsplit("-", 1)[1])):
        step_page = blocks[key]
        for lib_key, text in libs.items():
            step_page = step_page.replace(_LIB_MARK.format(lib_key.rsplit("-", 1)[1]), text)
        out.append(step_page)
    return out


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a narration: YAML's folded style (`>-`) keeps one newline where the
    file has a blank line; literal text (`|`) keeps blank lines between paragraphs."""
    splitter = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    return [" ".join(p.split()) for p in re.split(splitter, text) if p.strip()]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs(text))


EXPORT_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --accent: #0b5cad; --bg: #ffffff; --panel: #f6f7f9; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--ink);
  font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans",
  sans-serif; font-size: 22px; line-height: 1.45; }
body { display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 1.5rem; padding: 0.4rem 1.2rem;
  border-bottom: 2px solid #d9dde3; }
header .titles { flex: 1 1 auto; min-width: 0; }
header h1 { font-size: 1.5rem; line-height: 1.2; margin: 0; }
header .audience { color: var(--muted); font-size: 0.85rem; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
#counter { flex: 0 0 auto; font-weight: 700; font-size: 1.3rem; white-space: nowrap;
  color: var(--accent); }
main { flex: 1; min-height: 0; }
section.step { display: grid; grid-template-columns: minmax(0, 60fr) minmax(0, 40fr);
  height: 100%; }
section.step[hidden] { display: none; }
.graph { min-height: 0; border-right: 2px solid #d9dde3; }
.graph iframe { width: 100%; height: 100%; border: 0; display: block; }
.narration { overflow-y: auto; padding: 0.9rem 1.4rem; background: var(--panel); }
.narration h2 { font-size: 1.45rem; line-height: 1.25; margin: 0 0 0.5rem; }
.narration p { margin: 0 0 0.7rem; font-size: 1rem; }
.narration .about { font-size: 0.8rem; color: var(--muted); border-bottom: 1px solid #d0d4da;
  padding-bottom: 0.5rem; margin-bottom: 0.7rem; }
.narration p.shows { color: var(--muted); font-size: 0.85rem; border-top: 1px solid #d0d4da;
  padding-top: 0.5rem; }
.narration p.notice { background: #fff3cd; border: 1px solid #d6b656; padding: 0.3rem 0.6rem;
  font-size: 0.85rem; }
nav { display: flex; align-items: center; gap: 1rem; padding: 0.45rem 1.2rem;
  border-top: 2px solid #d9dde3; }
nav button { flex: 0 0 auto; white-space: nowrap; font: inherit; font-size: 1.1rem;
  font-weight: 600; padding: 0.3rem 1.3rem; border: 2px solid var(--accent); border-radius: 6px;
  background: #fff; color: var(--accent); cursor: pointer; }
nav button.primary { background: var(--accent); color: #fff; }
nav button:disabled { border-color: #b9bec6; color: #8a9099; background: #f0f1f3;
  cursor: default; }
nav button:focus-visible { outline: 4px solid #f0b400; outline-offset: 2px; }
nav .hint { color: var(--muted); font-size: 0.85rem; margin-left: auto; white-space: nowrap; }
"""

EXPORT_JS = """
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var total = sections.length, current = -1;
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var counter = document.getElementById("counter");
  var libs = {};
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  function stepPage(i) {
    var page = data("tour-step-" + (i + 1));
    var marks = page.match(/<!--tour-lib-[0-9]+-->/g) || [];
    marks.forEach(function (mark) {
      var key = mark.slice(4, -3);
      if (!(key in libs)) { libs[key] = data(key); }
      page = page.split(mark).join(libs[key]);
    });
    return page;
  }
  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target && e.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") { return; }
    if (e.key === "ArrowRight" || e.key === "PageDown") { show(current + 1); }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { show(current - 1); }
    else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(total - 1); }
    else { return; }
    e.preventDefault();
  }
  // Once the layout holds still, fit it again allowing a zoom above 100 %: a small graph
  // then fills the screen, with labels large enough for the back of the room.
  function zoomWhenSettled(frame, tries) {
    try {
      var w = frame.contentWindow;
      if (w.document.body.dataset.stabilized === "1" && w.network) {
        w.network.fit({maxZoomLevel: 1.3});
        frame.setAttribute("data-zoomed", "1");
        return;
      }
    } catch (err) { return; }
    if (tries < 100) { setTimeout(function () { zoomWhenSettled(frame, tries + 1); }, 150); }
  }
  function drawGraph(i) {
    var box = document.getElementById("graph-" + (i + 1));
    if (box.querySelector("iframe")) { return; }
    var frame = document.createElement("iframe");
    frame.title = "Graph of step " + (i + 1);
    frame.setAttribute("tabindex", "-1");
    frame.addEventListener("load", function () {
      try { frame.contentWindow.document.addEventListener("keydown", onKey); } catch (err) { }
      zoomWhenSettled(frame, 0);
    });
    frame.srcdoc = stepPage(i);
    box.appendChild(frame);
  }
  function show(i) {
    i = Math.max(0, Math.min(total - 1, i));
    if (i === current) { return; }
    current = i;
    sections.forEach(function (s, k) { s.hidden = k !== i; });
    drawGraph(i);
    counter.textContent = "Step " + (i + 1) + " of " + total;
    prev.disabled = i === 0;
    next.disabled = i === total - 1;
    document.body.dataset.step = String(i + 1);
    if (history.replaceState) {
      try { history.replaceState(null, "", "#step-" + (i + 1)); } catch (err) { }
    }
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", onKey);
  function fromHash() {
    var m = /^#step-([0-9]+)$/.exec(location.hash || "");
    return m ? parseInt(m[1], 10) - 1 : 0;
  }
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
"""


def export_tour_html(backend: GraphBackend, tour: Tour, *, cap: int = DEFAULT_CAP) -> str:
    """The whole tour as one self-contained, offline HTML page (see the module docstring)."""
    frameworks = framework_names(backend)
    found = find_nodes(backend, [i for s in tour.steps for i in s.ids()])
    pages: list[str] = []
    sections: list[str] = []
    total = len(tour.steps)
    for number, step in enumerate(tour.steps, 1):
        try:
            graph, drawn = render_step(backend, step, cap=cap, height=STEP_GRAPH_HEIGHT,
                                       frameworks=frameworks)
            page, notice = drawn.html, graph.notice or drawn.notice
        except GraphExplorerError as exc:  # one broken step must not lose the whole tour
            page = ("<!DOCTYPE html><html><body style=\"font:20px Arial;padding:1rem\">"
                    f"<p>This step's graph could not be drawn: {html_lib.escape(str(exc))}</p>"
                    "</body></html>")
            notice = None
        pages.append(page)
        shows = html_lib.escape(focus_caption(step, frameworks, found))
        extra = f'<p class="notice">{html_lib.escape(notice)}</p>' if notice else ""
        about = (f'<div class="about"><b>About this tour.</b> '
                 f'{html_lib.escape(tour.description)}</div>') if number == 1 else ""
        sections.append(
            f'<section class="step" id="step-{number}" data-step="{number}" '
            f'aria-label="Step {number} of {total}"{"" if number == 1 else " hidden"}>'
            f'<div class="graph" id="graph-{number}"></div>'
            f'<article class="narration">{about}<h2>{html_lib.escape(step.title)}</h2>'
            f'{_paragraphs(step.narration)}{extra}<p class="shows">The graph shows {shows}.</p>'
            f'</article></section>')
    slim, libs = _share_libraries(pages)
    data = "".join(f'<script type="application/json" id="tour-lib-{i}">{_script_json(lib)}'
                   f"</script>\n" for i, lib in enumerate(libs))
    data += "".join(f'<script type="application/json" id="tour-step-{i}">{_script_json(p)}'
                    f"</script>\n" for i, p in enumerate(slim, 1))
    title = html_lib.escape(tour.title)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<title>{title}</title>\n<style>{EXPORT_CSS}</style>\n</head>\n"
        f"<body data-tour=\"{html_lib.escape(tour.name)}\">\n"
        f"<header><div class=\"titles\"><h1>{title}</h1><div class=\"audience\">For: "
        f"{html_lib.escape(tour.audience)}</div></div>"
        f"<div id=\"counter\" aria-live=\"polite\">Step 1 of {total}</div></header>\n"
        f"<main>{''.join(sections)}</main>\n"
        "<nav><button id=\"prev\" type=\"button\" disabled>&#9664; Previous</button>"
        "<button id=\"next\" type=\"button\" class=\"primary\">Next &#9654;</button>"
        "<span class=\"hint\">Keys: &#8592; previous, &#8594; next, Home, End</span></nav>\n"
        f"{data}<script>{EXPORT_JS}</script>\n</body>\n</html>\n")


def default_export_path(name: str, directory: Path | None = None) -> Path:
    """Where `python -m graph tour export NAME` writes by default: tours/NAME.html."""
    return (directory or Path.cwd()) / "tours" / f"{name}.html"
