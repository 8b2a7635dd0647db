"""Saved Cypher queries: `cypher/<name>.cypher` files with a metadata header.

A file is plain Cypher that runs unchanged in Neo4j Browser; its metadata lives in `//` comments
at the top, and a query the two engines cannot share carries the embedded engine's text in a
block comment at the end (cypher/README.md describes the format)::

    // title: Recommendations per GCM objective
    // description: How many recommendations map to each objective,
    //   counting only the link methods asked for (an indented line continues).
    // params: methods: list[str] = [cited, curated, inferred], min_score: float = 0.0
    // view: bar
    // caption: Provision=title
    MATCH (p:Provision) ...

    /* ladybug variant
    MATCH ...
    */

`load_queries(dir)` parses and validates every file (QueryFileError with `file:line`, the problem
and the fix), `coerce_params` turns `-p key=value` strings into the declared types, and
`run_saved` runs the engine's text on a backend. `check_queries(dir)` lists every problem without
touching a database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.backend import DEFAULT_LIMIT, DEFAULT_TIMEOUT, GraphBackend, QueryResult
from graph.config import REPO_ROOT
from graph.errors import GraphExplorerError, MissingParameter, ParameterError, QueryFileError
from graph.readonly import write_clause
from graph.schema import NODES

CYPHER_DIR = REPO_ROOT / "cypher"
PARAM_TYPES = ("str", "int", "float", "bool", "list[str]")
HEADER_KEYS = ("title", "description", "params", "view", "caption")
VIEWS = ("table", "graph", "bar", "metric")
# Engine (backend.name) -> the dialect whose variant it runs; "neo4j" always runs the common text.
DIALECTS = {"embedded": "ladybug", "ladybug": "ladybug", "neo4j": "neo4j"}
VARIANT_DIALECTS = ("ladybug",)

_HEADER_LINE = re.compile(r"^//(?P<indent>\s*)(?P<rest>.*)$")
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>[^=]+?)\s*(?:=\s*(?P<default>.*))?$")
# `/* ladybug variant <why>` ... `*/` on a line of its own, at the end of the file.
_VARIANT = re.compile(
    r"^/\*[ \t]*(?P<dialect>[\w-]+)[ \t]+variant\b[^\n]*\n(?P<text>.*?)^[ \t]*\*/",
    re.MULTILINE | re.DOTALL)
_MASK = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", re.DOTALL)
_DOLLAR = re.compile(r"\$([A-Za-z_]\w*)")
# `a + b CONTAINS c`: Neo4j reads (a + b) CONTAINS c, LadybugDB a + (b CONTAINS c).
_GAP = r"(?:(?!\b(?:AND|OR|XOR|NOT|WHERE|RETURN|WITH|AS)\b)[^()\n,])*?"
_LOOSE_PLUS = re.compile(
    rf"\+{_GAP}\b(?P<op>CONTAINS|STARTS\s+WITH|ENDS\s+WITH)\b"
    rf"|\b(?P<op2>CONTAINS|STARTS\s+WITH|ENDS\s+WITH)\b{_GAP}\+", re.I)
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")

# Constructs LadybugDB does not run (embedded-engines.md 2.5): fine only with a ladybug variant.
_NOT_ON_LADYBUG = (
    (re.compile(r"\blabels\s*\(", re.I), "labels(n)", "LadybugDB spells it label(n)"),
    (re.compile(r"\b(?:all)?shortestPath\s*\(", re.I), "shortestPath()",
     "LadybugDB writes (a)-[* SHORTEST 1..n]-(b)"),
    (re.compile(r"\btoString\s*\(", re.I), "toString()", "LadybugDB writes CAST(x AS STRING)"),
    (re.compile(r"\belementId\s*\(", re.I), "elementId()", "look nodes up by their `id` property"),
    (re.compile(r"\btype\s*\(", re.I), "type(r)", "LadybugDB spells it label(r)"),
    (re.compile(r"\breduce\s*\(", re.I), "reduce()", "LadybugDB has list_reduce()"),
    (re.compile(r"\bsubstring\s*\(", re.I), "substring()",
     "LadybugDB counts from 1, Neo4j from 0: use left(), replace() or STARTS WITH"),
    (re.compile(r"\[\s*\w+\s+IN\b[^\]]*\|", re.I), "a list comprehension",
     "LadybugDB has list_transform()/list_filter()"),
    (re.compile(r"\w\s*\{\s*\.\w"), "a map projection", "write a map literal {a: n.a}"),
    # Undirected variable length: LadybugDB walks may reuse a relationship, Neo4j's may not.
    (re.compile(r"(?<!<)-\[[^\]]*\*[^\]]*\]-(?!>)"), "an undirected variable-length pattern",
     "LadybugDB may walk back over the same relationship; use [* TRAIL 1..n] there"),
)


@dataclass(frozen=True)
class Param:
    """One declared parameter: `name: type = default`; `type` may end in `| None`."""

    name: str
    type: str
    default: Any = None
    required: bool = False

    @property
    def base_type(self) -> str:
        return self.type.split("|")[0].strip()

    @property
    def optional(self) -> bool:
        return self.type.replace(" ", "").endswith("|None")

    def describe(self) -> str:
        """`name: type = default` as written in a header (required ones have no default)."""
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {_show(self.default)}"

    def parse(self, value: Any) -> Any:
        """`value` (text from the command line, or a Python value) in this parameter's type."""
        if value is None or (isinstance(value, str) and self.optional
                             and value.strip().lower() in ("", "null", "none")):
            if self.optional:
                return None
            raise ValueError("it cannot be empty")
        kind = self.base_type
        if kind == "list[str]":
            if isinstance(value, str):
                return _parse_list(value)
            if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                return list(value)
            raise ValueError(f"got {type(value).__name__} {value!r}")
        if not isinstance(value, str):
            return _check_type(kind, value)
        text = value.strip()
        if kind == "str":
            return value
        try:
            if kind == "int":
                return int(text)
            if kind == "float":
                return float(text)
        except ValueError:
            raise ValueError("") from None
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("")


@dataclass(frozen=True)
class SavedQuery:
    """One `.cypher` file: its metadata, its common text and any per-engine variants."""

    name: str
    title: str
    description: str
    cypher: str
    params: tuple[Param, ...] = ()
    view: str = "table"
    captions: dict[str, str] = field(default_factory=dict, hash=False)
    path: Path | None = None
    variants: dict[str, str] = field(default_factory=dict, hash=False)

    def text_for(self, engine: str) -> str:
        """What `engine` (backend.name or a dialect) runs: its variant, else the common text."""
        return self.variants.get(DIALECTS.get(engine, engine), self.cypher)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


# -- loading -------------------------------------------------------------------------------------


def load_queries(directory: Path = CYPHER_DIR) -> list[SavedQuery]:
    """Every `*.cypher` file in `directory`, parsed and validated, sorted by name.

    Raises QueryFileError listing every problem (``file:line: problem. fix``) when any file is bad.

    Examples
    --------
    >>> queries = load_queries()
    >>> [q.name for q in queries] == sorted(q.name for q in queries)
    True
    """
    queries, problems = _load_dir(Path(directory))
    if problems:
        raise QueryFileError("\n".join(problems))
    return queries


def load_query(path: Path) -> SavedQuery:
    """One saved query file, parsed and validated (QueryFileError on any problem)."""
    query, problems = parse_query(Path(path))
    if problems or query is None:
        raise QueryFileError("\n".join(problems))
    return query


def check_queries(directory: Path = CYPHER_DIR) -> list[str]:
    """Every problem in the saved queries of `directory`, as ``file:line: problem. fix`` lines."""
    return _load_dir(Path(directory))[1]


def _load_dir(directory: Path) -> tuple[list[SavedQuery], list[str]]:
    if not directory.is_dir():
        return [], [f"{_where(directory)}: not a directory. Point it at the folder of "
                    ".cypher files."]
    files = sorted(directory.glob("*.cypher"))
    if not files:
        return [], [f"{_where(directory)}: no .cypher files. Add one per query (see "
                    "cypher/README.md)."]
    queries, problems = [], []
    for path in files:
        query, found = parse_query(path)
        problems += found
        if query is not None and not found:
            queries.append(query)
    return sorted(queries, key=lambda q: q.name), problems


def parse_query(path: Path, text: str | None = None) -> tuple[SavedQuery | None, list[str]]:
    """Parse one file into a SavedQuery plus the list of its problems (empty when it is valid)."""
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as e:
        return None, [f"{_where(path)}:1: cannot read the file ({e}). Save it as UTF-8 text."]
    where = _where(path)
    problems: list[str] = []
    header, body_start = _read_header(text, where, problems)
    name = path.stem
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        problems.append(f"{where}:1: the name {name!r} is not snake_case. Rename the file, "
                        "e.g. recs_per_area.cypher (the stem is the query's name).")
    if not header.get("title", ("", 0))[0]:
        problems.append(f"{where}:1: no `// title:` line. Start the file with "
                        "`// title: <the question the query answers>`.")
    params = _read_params(header.get("params"), where, problems)
    view = header.get("view", ("table", 0))
    if view[0] not in VIEWS:
        problems.append(f"{where}:{view[1]}: unknown view {view[0]!r}. Use one of: "
                        f"{', '.join(VIEWS)}.")
    captions = _read_captions(header.get("caption"), where, problems)
    variants = _read_variants(text, body_start, where, problems)
    # The common text is the whole file with its comments masked: header and variants vanish.
    _check_text(text, 0, text, params, header, where, problems, variant=None,
                portable="ladybug" not in variants)
    for dialect, (variant_text, offset) in variants.items():
        _check_text(variant_text, offset, text, params, header, where, problems, variant=dialect)
    query = SavedQuery(name, header.get("title", ("", 0))[0], header.get("description", ("", 0))[0],
                       _body(text, body_start), params, view[0], captions, path,
                       {d: t.strip() for d, (t, _) in variants.items()})
    return query, problems


def _read_header(text: str, where: str,
                 problems: list[str]) -> tuple[dict[str, tuple[str, int]], int]:
    """The `// key: value` lines at the top: key -> (value, line), and where the body starts."""
    header: dict[str, tuple[str, int]] = {}
    last: str | None = None
    offset, seen = 0, False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if (stripped and not stripped.startswith("//")) or (not stripped and seen):
            return header, offset  # the body starts; a blank line also ends the header
        seen = seen or bool(stripped)
        offset += len(line)
        m = _HEADER_LINE.match(stripped)
        if m is None or not m.group("rest").strip():
            last = None
            continue
        rest = m.group("rest").strip()
        if len(m.group("indent")) >= 2 and last is not None:  # an indented line continues
            value, first = header[last]
            header[last] = (f"{value} {rest}".strip(), first)
            continue
        kv = _KEY_VALUE.match(rest)
        if kv is None:
            problems.append(f"{where}:{number}: header line is neither `// key: value` nor an "
                            f"indented continuation. Write `// description: {rest[:30]}` or "
                            "indent it under the key it continues.")
            continue
        key = kv.group("key").lower()
        if key not in HEADER_KEYS:
            problems.append(f"{where}:{number}: unknown header key {key!r}. Use one of: "
                            f"{', '.join(HEADER_KEYS)}.")
            last = None
            continue
        if key in header:
            problems.append(f"{where}:{number}: `// {key}:` appears twice. Keep one (continue "
                            "a long value on indented `//` lines).")
        header[key], last = (kv.group("value").strip(), number), key
    return header, len(text)


def _read_params(entry: tuple[str, int] | None, where: str,
                 problems: list[str]) -> tuple[Param, ...]:
    if entry is None or not entry[0].strip():
        return ()
    value, line = entry
    params: list[Param] = []
    for item in _split_top(value):
        m = _PARAM.match(item.strip())
        if m is None:
            problems.append(f"{where}:{line}: cannot read the parameter {item.strip()!r}. Write "
                            "`name: type = default` (e.g. `limit: int = 10`).")
            continue
        name, kind = m.group("name"), re.sub(r"\s*\|\s*", " | ", m.group("type").strip())
        base, optional = kind.split(" | ")[0], kind.endswith(" | None")
        if base not in PARAM_TYPES or kind.count("|") > int(optional):
            problems.append(f"{where}:{line}: parameter `{name}` has type {kind!r}. Use one of "
                            f"{', '.join(PARAM_TYPES)}, optionally followed by `| None`.")
            continue
        if any(p.name == name for p in params):
            problems.append(f"{where}:{line}: parameter `{name}` is declared twice. Keep one.")
            continue
        raw = m.group("default")
        param = Param(name, kind, None, required=raw is None and not optional)
        if raw is not None:
            try:
                default = param.parse(_unquote(raw.strip()) if base != "list[str]" else raw.strip())
            except ValueError:
                problems.append(f"{where}:{line}: the default of `{name}` ({raw.strip()}) is not "
                                f"{_article(base)}. Fix the default or the type.")
                continue
            param = Param(name, kind, tuple(default) if isinstance(default, list) else default)
        params.append(param)
    return tuple(params)


def _read_captions(entry: tuple[str, int] | None, where: str,
                   problems: list[str]) -> dict[str, str]:
    captions: dict[str, str] = {}
    if entry is None:
        return captions
    value, line = entry
    for item in filter(None, (x.strip() for x in value.split(","))):
        label, sep, prop = (x.strip() for x in item.partition("="))
        if not sep or label not in NODES:
            problems.append(f"{where}:{line}: caption {item!r} is not `Label=property` with a "
                            f"known label. Labels: {', '.join(NODES)}.")
        elif prop != "id" and prop not in NODES[label].properties:
            problems.append(f"{where}:{line}: caption {item!r}: {label} has no property {prop!r}. "
                            f"Use one of: id, {', '.join(NODES[label].properties)}.")
        else:
            captions[label] = prop
    return captions


def _read_variants(text: str, start: int, where: str,
                   problems: list[str]) -> dict[str, tuple[str, int]]:
    """Each variant's text and its offset in the file, by dialect; checks the body is there."""
    variants: dict[str, tuple[str, int]] = {}
    for m in _VARIANT.finditer(text, start):
        line = _line(text, m.start())
        dialect = m.group("dialect").lower()
        if dialect not in VARIANT_DIALECTS:
            problems.append(f"{where}:{line}: unknown variant {dialect!r}. Only "
                            f"{', '.join(VARIANT_DIALECTS)} variants exist (Neo4j runs the "
                            "common text).")
        elif dialect in variants:
            problems.append(f"{where}:{line}: a second {dialect} variant. Keep one.")
        elif "*/" in m.group("text") or not m.group("text").strip():
            problems.append(f"{where}:{line}: the {dialect} variant is empty or contains `*/`, "
                            "which would end the comment early in Neo4j Browser. Fix the block.")
        else:
            variants[dialect] = (m.group("text"), m.start("text"))
    if not _mask(text[start:]).strip():
        problems.append(f"{where}:{_line(text, start)}: no query after the header. Add the "
                        "Cypher below the `//` lines.")
    return variants


def _body(text: str, start: int) -> str:
    """The common text: everything after the header, without the variant blocks."""
    return _VARIANT.sub("", text[start:]).strip()


def _check_text(text: str, offset: int, whole: str, params: tuple[Param, ...],
                header: Mapping[str, tuple[str, int]], where: str, problems: list[str],
                variant: str | None, portable: bool = False) -> None:
    """Parameters used vs declared, writes, multiple statements and non-portable constructs."""
    masked = _mask(text)
    label = f"the {variant} variant" if variant else "the query"
    used: dict[str, int] = {}
    for m in _DOLLAR.finditer(masked):
        used.setdefault(m.group(1), m.start())
    declared = {p.name: p for p in params}
    params_line = header.get("params", ("", 1))[1] or 1
    for name, pos in used.items():
        if name not in declared:
            problems.append(f"{where}:{_line(whole, offset + pos)}: {label} uses ${name} but does "
                            f"not declare it. Add it to the `// params:` line, e.g. `{name}: str`.")
    for name, param in declared.items():
        if name not in used:
            problems.append(f"{where}:{params_line}: `{name}` is declared but {label} does not use "
                            f"${name}. Use it or remove it from `// params:`.")
        elif param.optional and re.match(r"\s+IS\s+(?:NOT\s+)?NULL\b",
                                         masked[used[name] + len(name) + 1:], re.I):
            problems.append(
                f"{where}:{_line(whole, offset + used[name])}: the first use of ${name} is "
                f"`${name} IS NULL`, so LadybugDB types a null ${name} as BOOL and the comparison "
                f"after it fails. Put the typed use first: `x.prop = ${name} OR ${name} IS NULL`.")
    clause = write_clause(masked)
    if clause is not None:
        first = re.search(rf"\b{re.escape(clause.split()[0])}\b", masked, re.I)
        line = _line(whole, offset + (first.start() if first else 0))
        problems.append(f"{where}:{line}: {label} contains {clause}; saved queries may only read. "
                        "Move writes into a loader.")
    loose = _LOOSE_PLUS.search(masked)
    if loose:
        problems.append(f"{where}:{_line(whole, offset + loose.start())}: `+` next to "
                        f"{' '.join((loose.group('op') or loose.group('op2')).upper().split())} without parentheses; the "
                        "engines bind them differently. Parenthesise: (a + b) CONTAINS c.")
    semicolon = masked.find(";")
    if semicolon >= 0 and masked[semicolon + 1:].strip():
        problems.append(f"{where}:{_line(whole, offset + semicolon)}: more than one statement. "
                        "Keep one query per file.")
    if portable:
        for pattern, what, hint in _NOT_ON_LADYBUG:
            m = pattern.search(masked)
            if m:
                problems.append(f"{where}:{_line(whole, offset + m.start())}: {what} does not run "
                                f"the same on LadybugDB ({hint}). Write the common subset or add "
                                "a `/* ladybug variant` block (cypher/README.md).")


# -- parameters ----------------------------------------------------------------------------------


def coerce_params(query: SavedQuery, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters to send for `query`: `raw` values parsed to their declared types, defaults
    filled in. Strings (from `-p key=value`) are parsed; Python values are type-checked.

    Examples
    --------
    >>> q = SavedQuery("demo", "Demo", "", "RETURN $n, $tags", (Param("n", "int", 5),
    ...                Param("tags", "list[str]", ("a",))))
    >>> coerce_params(q, {"n": "7", "tags": "x, y"})
    {'n': 7, 'tags': ['x', 'y']}
    """
    raw = dict(raw or {})
    unknown = sorted(set(raw) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.describe() for p in query.params) or "none"
        raise ParameterError(f"Query {query.name} has no parameter {unknown[0]!r}. Its "
                             f"parameters: {known}.")
    values: dict[str, Any] = {}
    for p in query.params:
        if p.name not in raw:
            if p.required:
                raise MissingParameter(
                    f"Query {query.name} needs the parameter `{p.name}` ({p.type}). Pass it "
                    f"with -p {p.name}=VALUE.")
            values[p.name] = list(p.default) if isinstance(p.default, tuple) else p.default
            continue
        try:
            values[p.name] = p.parse(raw[p.name])
        except ValueError as e:
            why = f" ({e})" if str(e) else ""
            raise ParameterError(
                f"-p {p.name}={_show(raw[p.name])}: {p.name} is {_article(p.base_type)}{why}; "
                f"query {query.name} declares `{p.describe()}`.") from e
    return values


def run_saved(backend: GraphBackend, query: SavedQuery, raw_params: Mapping[str, Any] | None = None,
              *, limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run `query` on `backend` (its variant for that engine, if any) with typed parameters."""
    params = coerce_params(query, raw_params)
    return backend.run(query.text_for(backend.name), params, limit=limit, timeout=timeout)


def find_query(queries: list[SavedQuery], name: str) -> SavedQuery:
    """The query called `name`, or a QueryFileError naming the close matches."""
    import difflib

    by_name = {q.name: q for q in queries}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, list(by_name), n=3)
    hint = (f"Did you mean {', '.join(close)}?" if close
            else "List them with `python -m graph queries`.")
    raise QueryFileError(f"No saved query named {name!r}. {hint}")


# -- helpers -------------------------------------------------------------------------------------


def _mask(text: str) -> str:
    """`text` with comments, strings and backticked names blanked, keeping offsets and newlines."""
    return _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _where(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _split_top(text: str) -> list[str]:
    """Split on commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    return [p for p in parts + [current] if p.strip()]


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _parse_list(text: str) -> list[str]:
    """`[a, "b c"]`, `["a", "b"]` (JSON) or `a, b` as a list of strings."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            if not text.endswith("]"):
                raise ValueError("a list like [a, b]") from None
            value = [_unquote(x.strip()) for x in _split_top(text[1:-1])]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("a list of strings")
        return value
    return [_unquote(x.strip()) for x in _split_top(text)]


def _check_type(kind: str, value: Any) -> Any:
    ok = {"str": isinstance(value, str),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, (int, float)) and not isinstance(value, bool),
          "bool": isinstance(value, bool)}[kind]
    if not ok:
        raise ValueError(f"got {type(value).__name__} {value!r}")
    return float(value) if kind == "float" else value


def _article(kind: str) -> str:
    return {"int": "an int", "float": "a float (a number)", "bool": "a bool (true or false)",
            "str": "a str", "list[str]": "a list[str] (a, b or [a, b])"}.get(kind, kind)


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
