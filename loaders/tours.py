"""Guided tours for trainers: data/tours/*.yaml -> Tour records (pure: no engine, no streamlit).

A tour file holds one tour:

    title: From Palermo to the SDGs          # required
    audience: Criminal justice practitioners # required
    description: >-                          # required
      What the tour shows and why.
    name: palermo-to-sdgs                    # optional; defaults to the file name without .yaml
    steps:                                   # required, at least one, shown in this order
      - title: The Palermo Convention
        narration: >-
          A few sentences the trainer says while the step is on screen.
        focus: {entity: untoc, depth: 1}     # exactly one of entity / query / path
        highlight: [untoc, tip-protocol]     # optional: ids drawn larger

A focus is one of
    entity: <id>   with optional depth (1-3, default 1) and rels (relationship types to follow)
    query: <name>  a saved query (cypher/<name>.cypher) with optional params: {key: value}
    path: [<id>, <id>]   the shortest path between two nodes (at most 8 hops)
Cypher is not allowed in a tour: a tour runs only saved, reviewed queries.

`load_tours(directory)` validates every file the way the other data files are validated:
unknown keys, a missing or empty title / narration, no steps, a focus with none or several of
entity / query / path, a malformed id, duplicate tour names, malformed YAML and an empty file
are each one `file:line: what. fix` problem, and one LoaderError lists them all.

`check_tour(tour, backend)` checks a tour against a loaded graph: every id exists, every query
runs with the tour's params, every step draws something, and every highlighted id is drawn and
linked to the rest of its step's graph.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.config import REPO_ROOT
from graph.errors import GraphExplorerError, LoaderError
from graph.schema import ID_PATTERNS, REL_NAMES, SLUG
from loaders.yaml_source import (FieldChecker, YList, YMap, display_path, line_of, problem,
                                 read_yaml, suggest)

if TYPE_CHECKING:
    from graph.backend import GraphBackend

TOURS_DIR = REPO_ROOT / "data" / "tours"
FOCUS_KINDS = ("entity", "query", "path")
MAX_DEPTH = 3
ID_EXAMPLES = "`untoc`, `tip-protocol:art-3`, `agenda-2030:target-8.7`, `gcm-ts5-summary:a.9`"

TOUR_SPEC = {
    "name": ("str", False), "title": ("str", True), "audience": ("str", True),
    "description": ("str", True), "steps": ("any", True),
}
STEP_SPEC = {
    "title": ("str", True), "narration": ("str", True), "focus": ("any", True),
    "highlight": ("any", False),
}
FOCUS_SPEC = {
    "entity": ("str", False), "depth": ("any", False), "rels": ("any", False),
    "query": ("str", False), "params": ("any", False), "path": ("any", False),
}
_ONLY_WITH = {"depth": "entity", "rels": "entity", "params": "query"}
_SCALARS = (str, int, float, bool, dt.date)


@dataclass(frozen=True)
class Focus:
    """What a step shows: a node's neighbourhood, a saved query's result, or a shortest path."""

    kind: str  # one of FOCUS_KINDS
    entity: str | None = None
    depth: int = 1
    rels: tuple[str, ...] = ()
    query: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    path: tuple[str, str] | None = None

    def ids(self) -> list[str]:
        """The graph ids this focus names (the entity, or both ends of the path)."""
        if self.kind == "entity" and self.entity:
            return [self.entity]
        if self.kind == "path" and self.path:
            return list(self.path)
        return []

    def describe(self) -> str:
        """One line for people: "neighbourhood of untoc (depth 1)"."""
        if self.kind == "entity":
            via = f", via {', '.join(self.rels)}" if self.rels else ""
            return f"neighbourhood of {self.entity} (depth {self.depth}{via})"
        if self.kind == "query":
            args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
            return f"saved query {self.query}({args})"
        assert self.path is not None
        return f"shortest path {self.path[0]} → {self.path[1]}"


@dataclass(frozen=True)
class Step:
    """One screen of a tour: what to say (narration), what to show (focus), what to point at."""

    title: str
    narration: str
    focus: Focus
    highlight: tuple[str, ...] = ()
    where: str = ""  # "file:line" of the step, for messages

    def ids(self) -> list[str]:
        """Every graph id the step names, each once, in order."""
        return list(dict.fromkeys([*self.focus.ids(), *self.highlight]))


@dataclass(frozen=True)
class Tour:
    """A guided tour: ordered steps with a title, an audience and a description."""

    name: str
    title: str
    audience: str
    description: str
    steps: tuple[Step, ...]
    source: str = ""  # the file it came from, as displayed in messages

    def __len__(self) -> int:
        return len(self.steps)


def id_format_problem(value: Any) -> str | None:
    """Why `value` cannot be a graph id (None when it has the shape of one)."""
    if not isinstance(value, str) or not value.strip():
        return f"{value!r} is not an id"
    if any(p.match(value) for p in ID_PATTERNS.values()):
        return None
    return f"{value!r} is not a graph id"


class _TourReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = display_path(path)
        self.problems: list[str] = []
        self.checker = FieldChecker(self.where, self.problems)

    def fail(self, line: int | None, what: str, fix: str) -> None:
        self.problems.append(problem(self.where, line, what, fix))

    def read(self) -> tuple[Tour | None, int]:
        """The tour (None when the file has problems) and the line of its name."""
        try:
            root = read_yaml(self.path)
        except LoaderError as exc:
            self.problems += getattr(exc, "problems", [str(exc)])
            return None, 1
        if not isinstance(root, YMap):
            self.fail(line_of(root, 1), f"a tour file must be a mapping with the keys "
                      f"{', '.join(TOUR_SPEC)}, got {type(root).__name__}",
                      "Start the file with `title:`, `audience:`, `description:` and `steps:`")
            return None, 1
        t = self.checker.fields(root, TOUR_SPEC, "the tour", root.line)
        assert t is not None
        name = t["name"] if t["name"] is not None else self.path.stem
        name_line = root.line_of("name") if "name" in root else 1
        if not re.fullmatch(SLUG, name or ""):
            self.fail(name_line, f"the tour name {name!r} is not lower-case words joined by '-'",
                      "Rename the file (or set `name:`) to e.g. `palermo-to-sdgs`")
        steps = self.steps(root.get("steps"), root)
        if self.problems or steps is None:
            return None, name_line
        return Tour(name, t["title"], t["audience"], t["description"], tuple(steps),
                    self.where), name_line

    def steps(self, value: Any, root: YMap) -> list[Step] | None:
        if value is None:
            return None  # FieldChecker reported the missing key
        line = root.line_of("steps")
        if not isinstance(value, YList):
            self.fail(line, f"'steps' must be a list (each step starting with '- '), got "
                      f"{type(value).__name__} {value!r:.40}",
                      "Write `steps:` then one `- title: ...` item per step")
            return None
        if not value:
            self.fail(line, "the tour has no steps (the list under 'steps' is empty)",
                      "Add at least one step with `title`, `narration` and `focus`")
            return None
        out = []
        for i, item in enumerate(value):
            step = self.step(item, value.line_of(i), i + 1)
            if step is not None:
                out.append(step)
        return out

    def step(self, rec: Any, line: int, number: int) -> Step | None:
        what = f"step {number}"
        s = self.checker.fields(rec, STEP_SPEC, what, line)
        if s is None:
            return None
        focus = self.focus(rec.get("focus"), rec.line_of("focus"), what) \
            if rec.get("focus") is not None else None
        highlight = self.ids(rec.get("highlight"), rec.line_of("highlight"), "highlight", what) \
            if "highlight" in rec else []
        if focus is None or highlight is None or None in (s["title"], s["narration"]):
            return None
        return Step(s["title"], s["narration"], focus, tuple(highlight),
                    f"{self.where}:{line}")

    def ids(self, value: Any, line: int, key: str, what: str) -> list[str] | None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.fail(line, f"{key!r} of {what} must be a list of ids, got "
                      f"{type(value).__name__} {value!r:.40}", f"Write `{key}: [untoc, gcm]`")
            return None
        ok = True
        for item in items:
            if (p := id_format_problem(item)) is not None:
                ok = False
                self.fail(line, f"{key!r} of {what}: {p}",
                          f"Use an id from the graph, e.g. {ID_EXAMPLES}")
        if len(set(items)) != len(items):
            ok = False
            self.fail(line, f"{key!r} of {what} names an id twice", "Remove the repeat")
        return [i.strip() for i in items] if ok else None

    def focus(self, rec: Any, line: int, what: str) -> Focus | None:
        what = f"the focus of {what}"
        if isinstance(rec, YMap) and "cypher" in rec:
            self.fail(rec.line_of("cypher"), f"{what} holds Cypher; tours do not run Cypher "
                      "written into them", "Save the query as cypher/<name>.cypher (reviewed, "
                      "tested on both engines) and write `query: <name>` with `params:`")
            rest = YMap({k: v for k, v in rec.items() if k != "cypher"})
            rest.line = rec.line
            rest.key_lines = {k: n for k, n in rec.key_lines.items() if k != "cypher"}
            rec = rest
        f = self.checker.fields(rec, FOCUS_SPEC, what, line)
        if f is None:
            return None
        given = [k for k in FOCUS_KINDS if rec.get(k) is not None]
        if len(given) != 1:
            named = "none of them" if not given else " and ".join(given)
            self.fail(line, f"{what} must name exactly one of entity, query, path; it names "
                      f"{named}", "Write one of `focus: {entity: untoc}`, `focus: {query: "
                      "<saved query>, params: {...}}` or `focus: {path: [<id>, <id>]}`")
            return None
        kind = given[0]
        for key, needs in _ONLY_WITH.items():
            if rec.get(key) is not None and kind != needs:
                self.fail(rec.line_of(key), f"{what}: {key!r} goes with {needs!r}, not with "
                          f"{kind!r}", f"Remove {key!r}")
                return None
        if kind == "entity":
            return self.entity_focus(rec, f, what)
        if kind == "query":
            return self.query_focus(rec, f, what)
        return self.path_focus(rec, what)

    def entity_focus(self, rec: YMap, f: dict, what: str) -> Focus | None:
        ok = True
        if f["entity"] is None:
            return None  # wrong type, already reported
        if (p := id_format_problem(f["entity"])) is not None:
            ok = False
            self.fail(rec.line_of("entity"), f"'entity' of {what}: {p}",
                      f"Use an id from the graph, e.g. {ID_EXAMPLES}")
        depth = rec.get("depth", 1)
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
            ok = False
            self.fail(rec.line_of("depth"), f"'depth' of {what} must be a whole number from 1 "
                      f"to {MAX_DEPTH}, got {depth!r}", "Write `depth: 1` (neighbours) or "
                      "`depth: 2` (neighbours of neighbours)")
        rels = rec.get("rels") or []
        rels = [rels] if isinstance(rels, str) else rels
        if not isinstance(rels, list) or not all(isinstance(r, str) for r in rels):
            ok = False
            self.fail(rec.line_of("rels"), f"'rels' of {what} must be a list of relationship "
                      "types", "Write `rels: [MAPS_TO, PART_OF]`")
        else:
            for r in rels:
                if r not in REL_NAMES:
                    ok = False
                    self.fail(rec.line_of("rels"), f"'rels' of {what}: {r!r} is not a "
                              f"relationship type. Known: {', '.join(REL_NAMES)}",
                              f"Fix the spelling{suggest(r, REL_NAMES)}")
        return Focus("entity", entity=f["entity"], depth=depth, rels=tuple(rels)) if ok else None

    def query_focus(self, rec: YMap, f: dict, what: str) -> Focus | None:
        if f["query"] is None:
            return None
        params = rec.get("params") or {}
        if not isinstance(params, dict):
            self.fail(rec.line_of("params"), f"'params' of {what} must be a mapping of "
                      f"parameter names to values, got {type(params).__name__}",
                      "Write `params: {id: untoc}`")
            return None
        for key, value in params.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, _SCALARS) for v in values):
                self.fail(params.line_of(key) if isinstance(params, YMap) else rec.line,
                          f"parameter {key!r} of {what} must be text, a number, true/false, a "
                          f"date or a list of those, got {value!r:.40}", "Write a plain value")
                return None
        return Focus("query", query=f["query"], params=dict(params))

    def path_focus(self, rec: YMap, what: str) -> Focus | None:
        value, line = rec.get("path"), rec.line_of("path")
        if not isinstance(value, list) or len(value) != 2:
            self.fail(line, f"'path' of {what} must be a list of exactly two ids, got "
                      f"{value!r:.60}", "Write `path: [gcm-ts5-summary:a.9, gcm]`")
            return None
        ids = self.ids(value, line, "path", what)
        if ids is None:
            return None
        return Focus("path", path=(ids[0], ids[1]))


def _raise(problems: list[str], where: str) -> None:
    err = LoaderError(f"{len(problems)} problem(s) in the tours in {where}; no tour was "
                      "loaded:\n  " + "\n  ".join(problems))
    err.problems = problems  # type: ignore[attr-defined]
    raise err


def tour_files(directory: Path) -> list[Path]:
    directory = Path(directory)
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def load_tour(path: Path) -> Tour:
    """One tour file, validated on its own."""
    reader = _TourReader(Path(path))
    tour, _ = reader.read()
    if reader.problems or tour is None:
        _raise(reader.problems, display_path(Path(path)))
    assert tour is not None
    return tour


def load_tours(directory: Path = TOURS_DIR) -> list[Tour]:
    """Every tour in `directory` (*.yaml, in file-name order), all validated or none.

    Raises one LoaderError listing every problem (`file:line: what. fix`) in every file.
    """
    directory = Path(directory)
    where = display_path(directory)
    if not directory.is_dir():
        raise LoaderError(problem(where, None, "no such directory",
                                  "Point the loader at data/tours"))
    files = tour_files(directory)
    if not files:
        raise LoaderError(problem(where, None, "no *.yaml tour files in the directory",
                                  "Add a tour (see data/tours/*.yaml) or point at data/tours"))
    problems: list[str] = []
    tours: list[Tour] = []
    seen: dict[str, str] = {}
    for path in files:
        reader = _TourReader(path)
        tour, name_line = reader.read()
        problems += reader.problems
        if tour is None:
            continue
        here = f"{display_path(path)}:{name_line}"
        if tour.name in seen:
            problems.append(f"{here}: duplicate tour name {tour.name!r} (also at "
                            f"{seen[tour.name]}). Rename one of the files or change its `name:`")
            continue
        seen[tour.name] = here
        tours.append(tour)
    if problems:
        _raise(problems, where)
    return tours


def find_tour(tours: list[Tour], name: str) -> Tour:
    """The tour called `name`, or a LoaderError listing the tours there are."""
    for tour in tours:
        if tour.name == name:
            return tour
    names = [t.name for t in tours]
    raise LoaderError(f"no tour named {name!r}{suggest(name, names)}. Tours: "
                      f"{', '.join(names) or 'none'} (see `python -m graph tour list`)")


def check_tour(tour: Tour, backend: GraphBackend) -> list[str]:
    """Every way `tour` does not work on the graph in `backend` (empty when it works).

    Checks that every id the tour names exists, that every saved query runs (with the step's
    params) on this backend, that every step draws at least one node, and that every
    highlighted id is drawn by its step and linked to the rest of it (a highlight left floating
    usually means the link the narration talks about is not in the graph).
    """
    from graph.tours import find_nodes, step_subgraph  # the core; imported here to stay pure

    problems: list[str] = []
    ids = list(dict.fromkeys(i for s in tour.steps for i in s.ids()))
    try:
        found = find_nodes(backend, ids)
    except GraphExplorerError as exc:
        return [f"{tour.source}: cannot look the tour's ids up on {backend.describe()}: {exc}"]
    for number, step in enumerate(tour.steps, 1):
        head = f"{step.where}: step {number} ({step.title!r})"
        missing = [i for i in step.ids() if i not in found]
        for node_id in missing:
            problems.append(f"{head}: no node with id {node_id!r} in the graph at "
                            f"{backend.describe()}. Fix the id, or reload the graph with "
                            "`python -m graph load`")
        if missing and step.focus.kind != "query":
            continue
        try:
            graph = step_subgraph(backend, step)
        except GraphExplorerError as exc:
            problems.append(f"{head}: {step.focus.describe()} failed on {backend.name}: {exc}")
            continue
        if not graph.nodes:
            problems.append(f"{head}: {step.focus.describe()} finds nothing on {backend.name}. "
                            "Pick another focus, or check the ids and params")
            continue
        drawn = {n.id for n in graph.nodes}
        linked = {e.src for e in graph.edges} | {e.dst for e in graph.edges}
        for node_id in step.highlight:
            if node_id in found and node_id not in drawn:
                problems.append(f"{head}: highlighted {node_id!r} is not in the step's graph "
                                f"({step.focus.describe()}). Widen the focus or drop the "
                                "highlight")
            elif node_id in found and node_id not in linked and len(drawn) > 1:
                problems.append(f"{head}: highlighted {node_id!r} is drawn but linked to "
                                f"nothing else in the step's graph ({step.focus.describe()}). "
                                "Add the relationship type that links it to `rels`, widen the "
                                "focus, or drop the highlight")
    return problems
