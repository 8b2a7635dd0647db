"""The framework corpus: data/frameworks/*.yaml -> Framework, Provision and Body records.

Each YAML file holds any of three top-level lists:

    frameworks:   instruments, each with its `provisions` (articles, targets, objectives...)
    bodies:       organs, agencies, States, networks, NGOs, academic institutions
    aligns_with:  crosswalk rows between two provisions (or two frameworks)

and produces
    nodes  Framework, Provision (id `<framework-id>:<ref>`), Body
    edges  PART_OF (Provision->Framework, Body->Body), SUPPLEMENTS (Framework->Framework),
           ADOPTED_BY (Framework->Body, with date and symbol), ALIGNS_WITH (evidence, confirmed)

Every node carries `source` (the YAML file's name) and `confirmed` (False wherever the value
rests on a fact the reference marks UNCONFIRMED; the record's `unconfirmed:` list names which).
The citation each record gives in its own `source:` key stays in the YAML (the schema has no
property for it yet) and goes into ALIGNS_WITH `evidence` for crosswalk rows.

Validation is all-or-nothing: every problem in every file is collected, each as
`file:line: what is wrong. how to fix it`, and one LoaderError lists them all. Nothing is
returned when any file is bad.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import NODES, id_problem, validate_records
from loaders.yaml_source import (FieldChecker, YList, YMap, display_path, line_of, problem,
                                 read_yaml, suggest)

FRAMEWORK_KINDS = ("convention", "protocol", "resolution", "plan-of-action", "agenda", "compact",
                   "declaration", "ilo-instrument", "guidelines")
BODY_KINDS = ("principal-organ", "subsidiary", "treaty-body", "agency", "member-state", "ngo",
              "expert", "network", "academic", "intergovernmental")

# Field specs: key -> (type, required). Order is the order shown in "Known keys: ...".
FRAMEWORK_SPEC = {
    "id": ("str", True), "name": ("str", True), "short_name": ("str", False),
    "kind": (("enum", FRAMEWORK_KINDS), True), "symbol": ("str", False), "adopted": ("date", False),
    "in_force": ("date", False), "adopted_by": ("any", False),
    "supplements": ("ids", False), "summary": ("text", False), "keywords": ("words", False),
    "source": ("str", True), "confirmed": ("bool", True), "unconfirmed": ("words", False),
    "provisions": ("any", False),
}
PROVISION_SPEC = {
    "ref": ("str", True), "title": ("str", True), "text": ("text", False),
    "keywords": ("words", False), "confirmed": ("bool", True), "source": ("str", True),
    "unconfirmed": ("words", False),
}
BODY_SPEC = {
    "id": ("str", True), "name": ("str", True), "acronym": ("str", False),
    "kind": (("enum", BODY_KINDS), True), "part_of": ("ids", False), "source": ("str", True),
    "confirmed": ("bool", True), "unconfirmed": ("words", False),
}
ADOPTED_BY_SPEC = {"body": ("str", True), "date": ("date", False), "symbol": ("str", False)}
ALIGN_SPEC = {"from": ("str", True), "to": ("str", True), "evidence": ("str", True),
              "source": ("str", True), "confirmed": ("bool", True)}
SECTIONS = ("frameworks", "bodies", "aligns_with")
_NOT_UNCONFIRMABLE = {"id", "ref", "source", "confirmed", "unconfirmed", "provisions"}


@dataclass
class _Ref:
    """A reference to an id defined somewhere in the corpus, checked once all files are read."""

    target: str
    label: str
    where: str  # "file:line"
    what: str  # e.g. "part_of of body wg-tip"


@dataclass
class _FileResult:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    defs: list[tuple[str, str, str]] = field(default_factory=list)  # (label, id, "file:line")
    refs: list[_Ref] = field(default_factory=list)
    aligns: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, "file:line")
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False  # the file could not be parsed at all


class _FileReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = display_path(path)
        self.name = path.name
        self.out = _FileResult()
        self.checker = FieldChecker(self.where, self.out.problems)

    # -- helpers -----------------------------------------------------------------------------
    def fail(self, line: int | None, what: str, fix: str) -> None:
        self.out.problems.append(problem(self.where, line, what, fix))

    def loc(self, line: int) -> str:
        return f"{self.where}:{line}"

    def fields(self, rec: Any, spec: dict, what: str, line: int) -> dict[str, Any] | None:
        clean = self.checker.fields(rec, spec, what, line)
        if clean is not None and clean.get("unconfirmed"):
            self.unconfirmed(rec, clean["unconfirmed"], what)
        return clean

    def unconfirmed(self, rec: YMap, names: list[str], what: str) -> None:
        """`unconfirmed:` names keys of this record, and the record must say confirmed: false."""
        line = rec.line_of("unconfirmed")
        for name in names:
            if name in _NOT_UNCONFIRMABLE or name not in rec:
                self.fail(line, f"'unconfirmed' of {what} names {name!r}, which is not a key "
                          "given in this record", "List only keys this record sets (e.g. "
                          "symbol, adopted, title)")
        if rec.get("confirmed") is not False:
            self.fail(rec.line_of("confirmed"), f"{what} lists unconfirmed values "
                      f"({', '.join(names)}) but does not say `confirmed: false`",
                      "Set `confirmed: false`: a record resting on an UNCONFIRMED fact must "
                      "say so")

    def scheme(self, label: str, node_id: str | None, line: int, what: str) -> bool:
        if node_id is None:
            return False
        p = id_problem(label, node_id)
        if p is not None:
            self.fail(line, f"{what}: {p}", "Use lower-case words joined by '-' (e.g. "
                      "`tip-protocol`, `state-mex`; provisions `art-6`, `target-8.7`, `obj-10`)")
            return False
        return True

    # -- sections ----------------------------------------------------------------------------
    def read(self) -> _FileResult:
        try:
            root = read_yaml(self.path)
        except LoaderError as exc:
            self.out.problems += getattr(exc, "problems", [str(exc)])
            self.out.unreadable = True
            return self.out
        if not isinstance(root, YMap):
            self.fail(line_of(root, 1), f"the file must be a mapping with any of the lists "
                      f"{', '.join(SECTIONS)}, got {type(root).__name__}",
                      "Start the file with `frameworks:`, `bodies:` or `aligns_with:`")
            return self.out
        readers = {"frameworks": self.framework, "bodies": self.body,
                   "aligns_with": self.align}
        for key, value in root.items():
            line = root.line_of(key)
            if key not in readers:
                self.fail(line, f"unknown top-level key {key!r}. Known keys: "
                          f"{', '.join(SECTIONS)}", f"Fix the spelling{suggest(key, SECTIONS)}"
                          " or remove it")
            elif not isinstance(value, YList):
                self.fail(line, f"{key!r} must be a list (each item starting with '- '), got "
                          f"{type(value).__name__}", f"Write `{key}:` then one `- ` item per "
                          "entry")
            else:
                for i, item in enumerate(value):
                    readers[key](item, value.line_of(i))
        return self.out

    def framework(self, rec: Any, line: int) -> None:
        fid = rec.get("id") if isinstance(rec, YMap) else None
        what = f"framework {fid}" if isinstance(fid, str) else f"the framework at line {line}"
        f = self.fields(rec, FRAMEWORK_SPEC, what, line)
        if f is None or not self.scheme("Framework", f["id"], rec.line_of("id"), what):
            return
        fid = f["id"]
        if f["adopted"] and f["in_force"] and f["in_force"] < f["adopted"]:
            self.fail(rec.line_of("in_force"), f"{what} enters into force ({f['in_force']}) "
                      f"before it is adopted ({f['adopted']})", "Check both dates")
        self.out.defs.append(("Framework", fid, self.loc(rec.line_of("id"))))
        self.out.nodes.append(Node("Framework", fid, self.props("Framework", f, rec, {
            k: f[k] for k in ("name", "short_name", "kind", "symbol", "adopted", "in_force",
                              "summary", "keywords")})))
        for target in f["supplements"] or []:
            self.out.refs.append(_Ref(target, "Framework", self.loc(rec.line_of("supplements")),
                                      f"'supplements' of {what}"))
            self.out.edges.append(Edge("SUPPLEMENTS", "Framework", fid, "Framework", target,
                                       {"source": self.name}))
        self.adopted_by(rec, f["adopted_by"], fid, what)
        provisions = f["provisions"]
        if provisions is not None and not isinstance(provisions, YList):
            self.fail(rec.line_of("provisions"), f"'provisions' of {what} must be a list",
                      "Write `provisions:` then one `- ref: ...` item per provision")
        elif provisions:
            for i, item in enumerate(provisions):
                self.provision(fid, item, provisions.line_of(i), i + 1)

    def adopted_by(self, rec: YMap, value: Any, fid: str, what: str) -> None:
        if value is None:
            return
        items = [value] if isinstance(value, YMap) else value
        if not isinstance(items, (YList, list)):
            self.fail(rec.line_of("adopted_by"), f"'adopted_by' of {what} must be a mapping "
                      "(body, date, symbol) or a list of them", "Write `adopted_by: {body: "
                      "unga, date: 2000-11-15, symbol: A/RES/55/25}`")
            return
        for i, item in enumerate(items):
            line = items.line_of(i) if isinstance(items, YList) else rec.line_of("adopted_by")
            a = self.fields(item, ADOPTED_BY_SPEC, f"'adopted_by' of {what}", line)
            if a is None or a["body"] is None:
                continue
            self.out.refs.append(_Ref(a["body"], "Body", self.loc(item.line_of("body")),
                                      f"'adopted_by' of {what}"))
            self.out.edges.append(Edge("ADOPTED_BY", "Framework", fid, "Body", a["body"], {
                "date": a["date"], "symbol": a["symbol"], "source": self.name}))

    def provision(self, fid: str, rec: Any, line: int, ordinal: int) -> None:
        ref = rec.get("ref") if isinstance(rec, YMap) else None
        what = (f"provision {fid}:{ref}" if isinstance(ref, str)
                else f"the provision at line {line} of framework {fid}")
        p = self.fields(rec, PROVISION_SPEC, what, line)
        if p is None or p["ref"] is None:
            return
        pid = f"{fid}:{p['ref']}"
        if not self.scheme("Provision", pid, rec.line_of("ref"), what):
            return
        self.out.defs.append(("Provision", pid, self.loc(rec.line_of("ref"))))
        self.out.nodes.append(Node("Provision", pid, self.props("Provision", p, rec, {
            "framework_id": fid, "ref": p["ref"], "title": p["title"], "text": p["text"] or "",
            "keywords": p["keywords"] or [], "ordinal": ordinal})))
        self.out.edges.append(Edge("PART_OF", "Provision", pid, "Framework", fid,
                                   {"source": self.name}))

    def body(self, rec: Any, line: int) -> None:
        bid = rec.get("id") if isinstance(rec, YMap) else None
        what = f"body {bid}" if isinstance(bid, str) else f"the body at line {line}"
        b = self.fields(rec, BODY_SPEC, what, line)
        if b is None or not self.scheme("Body", b["id"], rec.line_of("id"), what):
            return
        self.out.defs.append(("Body", b["id"], self.loc(rec.line_of("id"))))
        self.out.nodes.append(Node("Body", b["id"], self.props("Body", b, rec, {
            k: b[k] for k in ("name", "acronym", "kind")})))
        for parent in b["part_of"] or []:
            if parent == b["id"]:
                self.fail(rec.line_of("part_of"), f"{what} is part_of itself",
                          "Name its parent body instead")
                continue
            self.out.refs.append(_Ref(parent, "Body", self.loc(rec.line_of("part_of")),
                                      f"'part_of' of {what}"))
            self.out.edges.append(Edge("PART_OF", "Body", b["id"], "Body", parent,
                                       {"source": self.name}))

    def align(self, rec: Any, line: int) -> None:
        what = f"crosswalk row at line {line}"
        a = self.fields(rec, ALIGN_SPEC, what, line)
        if a is None or a["from"] is None or a["to"] is None:
            return
        labels = [("Provision" if ":" in a[k] else "Framework") for k in ("from", "to")]
        ok = all(self.scheme(lab, a[k], rec.line_of(k), f"'{k}' of {what}")
                 for lab, k in zip(labels, ("from", "to")))
        if not ok:
            return
        if labels[0] != labels[1]:
            self.fail(rec.line, f"{what} aligns a {labels[0]} ({a['from']}) with a {labels[1]} "
                      f"({a['to']}); ALIGNS_WITH joins two provisions or two frameworks",
                      "Name a provision of that framework (e.g. `tip-protocol:art-6`) instead")
            return
        if a["from"] == a["to"]:
            self.fail(rec.line, f"{what} aligns {a['from']} with itself",
                      "Name two different provisions")
            return
        for k in ("from", "to"):
            self.out.refs.append(_Ref(a[k], labels[0], self.loc(rec.line_of(k)),
                                      f"'{k}' of {what}"))
        self.out.aligns.append((a["from"], a["to"], self.loc(line)))
        self.out.edges.append(Edge("ALIGNS_WITH", labels[0], a["from"], labels[1], a["to"], {
            "evidence": f"{a['evidence']} [{a['source']}]", "confirmed": a["confirmed"],
            "source": self.name}))

    def props(self, label: str, clean: dict, rec: YMap, props: dict) -> dict:
        props = {**props, "source": self.name, "confirmed": clean["confirmed"]}
        if "citation" in NODES[label].properties:  # forward-compatible: schema may add it
            props["citation"] = clean["source"]
        return props


def _cross_checks(results: list[_FileResult], where: str, refs: bool = True) -> list[str]:
    """Duplicate ids and crosswalk rows across files, and references to undefined ids."""
    problems: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    for r in results:
        for label, node_id, loc in r.defs:
            if (label, node_id) in seen:
                problems.append(f"{loc}: duplicate {label} id {node_id!r} (first defined at "
                                f"{seen[(label, node_id)]}). Rename one of them or merge the "
                                "two records")
            else:
                seen[(label, node_id)] = loc
    by_label: dict[str, list[str]] = {}
    for label, node_id in seen:
        by_label.setdefault(label, []).append(node_id)
    for r in results if refs else []:
        for ref in r.refs:
            if (ref.label, ref.target) not in seen:
                problems.append(f"{ref.where}: {ref.what} names {ref.target!r}, but no "
                                f"{ref.label} has that id in {where}. Fix the id"
                                f"{suggest(ref.target, by_label.get(ref.label, []))} or add "
                                f"the {ref.label} to a file in {where}")
    pairs: dict[frozenset, str] = {}
    for r in results:
        for src, dst, loc in r.aligns:
            key = frozenset((src, dst))
            if key in pairs:
                problems.append(f"{loc}: crosswalk row {src} <-> {dst} repeats the row at "
                                f"{pairs[key]}. Delete one of them (rows work both ways)")
            else:
                pairs[key] = loc
    return problems


def _raise(problems: list[str]) -> None:
    head = f"{len(problems)} problem(s) in the framework data; nothing was loaded:\n  "
    err = LoaderError(head + "\n  ".join(problems))
    err.problems = problems  # type: ignore[attr-defined]
    raise err


def read_framework_file(path: Path) -> list[Node | Edge]:
    """Records from one YAML file, checked on its own.

    Keys, types, dates, ids and duplicates within the file are checked here; whether the ids
    it refers to (bodies, frameworks, crosswalk endpoints) exist is checked by
    `read_frameworks`, which sees every file.
    """
    result = _FileReader(Path(path)).read()
    problems = result.problems + _cross_checks([result], display_path(Path(path)), refs=False)
    if problems:
        _raise(problems)
    return [*result.nodes, *result.edges]


def read_frameworks(directory: Path) -> list[Node | Edge]:
    """Every Framework, Provision and Body record under `directory` (all *.yaml files).

    All-or-nothing: raises one LoaderError listing every problem in every file.
    """
    directory = Path(directory)
    where = display_path(directory)
    if not directory.is_dir():
        raise LoaderError(problem(where, None, "no such directory",
                                  "Point the loader at data/frameworks"))
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not files:
        raise LoaderError(problem(where, None, "no *.yaml files in the directory",
                                  "Point the loader at data/frameworks"))
    results = [_FileReader(f).read() for f in files]
    # An unreadable file defines nothing, so references into it would all look dangling: report
    # those only once every file parses.
    complete = not any(r.unreadable for r in results)
    problems = [p for r in results for p in r.problems] + _cross_checks(results, where, complete)
    if problems:
        _raise(problems)
    nodes = [n for r in results for n in r.nodes]
    edges = [e for r in results for e in r.edges]
    validate_records(nodes, edges, where=where)  # the schema's own check, as a safety net
    return [*nodes, *edges]
