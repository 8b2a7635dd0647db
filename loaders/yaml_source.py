"""Read a YAML data file into plain Python values that remember their line numbers.

`read_yaml(path)` returns the file's top-level value, built from `yaml.compose` (the safe
node graph) rather than `yaml.safe_load`, so that every mapping knows the line of each of its
keys and every list the line of each of its items. A validator can then say
"data/frameworks/untoc.yaml:14: unknown key 'titel' ..." about the exact line at fault.

What is refused here, each as a `LoaderError` naming the file, the line and the fix:
- bytes that are not UTF-8 (the line of the first bad byte);
- a UTF-16 or UTF-32 byte-order mark (a UTF-8 BOM is accepted and stripped: editors on
  Windows add one, and it carries no meaning);
- an empty file, or one holding only comments;
- malformed YAML (yaml's own message and line), several documents in one file;
- a key given twice in one mapping (PyYAML would silently keep the last one);
- a scalar that YAML reads as a date but that is no date (`2017-02-30`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph.errors import LoaderError

UTF8_BOM = codecs.BOM_UTF8
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        if Path(path).resolve().is_relative_to(Path.cwd().resolve()):
            return os.path.relpath(path)
    except (ValueError, OSError):
        pass
    return str(path)


def problem(path: Path | str, line: int | None, what: str, fix: str) -> str:
    """One problem as `file:line: what. fix` (the format every loader message uses)."""
    where = f"{path}:{line}" if line else f"{path}"
    what = what.rstrip(".")
    return f"{where}: {what}. {fix}"


def suggest(word: str, choices) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or '' when none is close."""
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class YMap(dict):
    """A YAML mapping: a dict plus the line of the mapping and of each of its keys."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A YAML sequence: a list plus the line of the sequence and of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(value: Any, default: int) -> int:
    """The line where `value` starts, when it is a located container."""
    return getattr(value, "line", default)


class _Builder:
    def __init__(self, where: str) -> None:
        self.where = where
        self.constructor = SafeConstructor()
        self.problems: list[str] = []

    def build(self, node: Node) -> Any:
        line = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            out = YMap()
            out.line, out.key_lines = line, {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                key_line = key_node.start_mark.line + 1
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self.problems.append(problem(
                        self.where, key_line, f"a mapping key must be a plain word, got {key!r}",
                        "Write the key as text, e.g. `title:`"))
                    continue
                key = str(key) if not isinstance(key, str) else key
                if key in out:
                    self.problems.append(problem(
                        self.where, key_line,
                        f"key {key!r} is given twice in this mapping (first on line "
                        f"{out.key_lines[key]})", "Keep one of the two and delete the other"))
                    continue
                out[key] = self.build(value_node)
                out.key_lines[key] = key_line
            return out
        if isinstance(node, SequenceNode):
            seq = YList()
            seq.line, seq.item_lines = line, []
            for item in node.value:
                seq.append(self.build(item))
                seq.item_lines.append(item.start_mark.line + 1)
            return seq
        assert isinstance(node, ScalarNode)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, ConstructorError) as exc:
            self.problems.append(problem(
                self.where, line, f"cannot read the value {node.value!r}: {exc}",
                "Write dates as YYYY-MM-DD with a real day and month, or quote the value "
                "to keep it as text"))
            return None


def _decode(data: bytes, where: str) -> str:
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise LoaderError(problem(
                where, 1, f"the file starts with a {name} byte-order mark; data files must be "
                "UTF-8", f"Re-save it as UTF-8 (e.g. `iconv -f {name} -t UTF-8`)"))
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]  # accepted and stripped: see the module docstring
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start: exc.start + 1].hex()
        raise LoaderError(problem(
            where, line, f"byte 0x{bad} at offset {exc.start} is not valid UTF-8 "
            "(the file is in another encoding, e.g. Latin-1 or Windows-1252)",
            "Re-save the file as UTF-8")) from None


MAX_BYTES = 10 * 1024 * 1024  # the largest data file today is ~92 KB; 10 MB is a mistake


def check_size(path: Path, limit: int = MAX_BYTES) -> None:
    """Refuse a data file far larger than any real one before reading it into memory."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if size > limit:
        raise LoaderError(problem(
            display_path(Path(path)), None,
            f"the file is {size / 2**20:.1f} MB; data files here are at most "
            f"{limit / 2**20:.0f} MB (the largest real one is under 0.1 MB)",
            "Check that this is the right file; split it if it really is this large"))


def read_yaml(path: Path) -> Any:
    """Compose `path` and return its value with line numbers (YMap / YList / scalars).

    Raises LoaderError (file, line, fix) for every problem listed in the module docstring.
    """
    path = Path(path)
    where = display_path(path)
    check_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoaderError(problem(where, None, f"cannot read the file: {exc.strerror}",
                                  "Check the path and the file's permissions")) from None
    text = _decode(data, where)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise LoaderError(problem(where, line, f"malformed YAML: {what}",
                                  "Fix the syntax at that line (indentation, a missing "
                                  "colon, an unclosed quote or bracket)")) from None
    except yaml.YAMLError as exc:
        raise LoaderError(problem(where, None, f"malformed YAML: {exc}",
                                  "Fix the syntax")) from None
    if node is None:
        raise LoaderError(problem(where, 1, "the file is empty (no YAML content)",
                                  "Add the data or delete the file"))
    builder = _Builder(where)
    value = builder.build(node)
    if builder.problems:
        err = LoaderError("\n".join(builder.problems))
        err.problems = builder.problems  # type: ignore[attr-defined]
        raise err
    return value


class FieldChecker:
    """Check a YAML mapping against a spec and collect problems as `file:line: what. fix`.

    A spec maps each known key to (type, required). Types: "str" (one line of text), "text"
    (text, may be empty), "bool", "date" (a real YYYY-MM-DD date), "words" (a list of
    strings), "ids" (an id or a list of ids), ("enum", allowed values), "any" (checked by the
    caller). Unknown keys, missing required keys and wrong types are each one problem.
    """

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems

    def fail(self, line: int | None, what: str, fix: str) -> None:
        self.problems.append(problem(self.where, line, what, fix))

    def fields(self, rec: Any, spec: dict, what: str, line: int) -> dict[str, Any] | None:
        """The clean values of `rec` by key (None for a bad or absent value; None overall
        when `rec` is not a mapping)."""
        if not isinstance(rec, YMap):
            self.fail(line, f"{what} must be a mapping of keys to values, got "
                      f"{type(rec).__name__} {rec!r:.40}", "Write it as `key: value` lines")
            return None
        misspelt: set[str] = set()  # known keys an unknown key probably meant
        for key in rec:
            if key not in spec:
                hint = suggest(key, spec)
                misspelt.update(difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6))
                self.fail(rec.line_of(key), f"unknown key {key!r} in {what}. Known keys: "
                          f"{', '.join(spec)}", f"Fix the spelling{hint} or remove it")
        clean: dict[str, Any] = {}
        for key, (kind, required) in spec.items():
            value = rec.get(key)
            if value is None or (kind == "str" and value == ""):
                if required and key not in misspelt:  # already reported as a misspelling
                    needed = ", ".join(k for k, (_, r) in spec.items() if r)
                    self.fail(rec.line, f"{what} has no {key!r}",
                              f"Add `{key}:` to it (required keys: {needed})")
                clean[key] = None
            else:
                clean[key] = self.typed(value, kind, key, what, rec.line_of(key))
        return clean

    def typed(self, value: Any, kind: Any, key: str, what: str, line: int) -> Any:
        def bad(expected: str, fix: str) -> None:
            self.fail(line, f"{key!r} of {what} must be {expected}, got "
                      f"{type(value).__name__} {value!r:.60}", fix)

        if kind in ("str", "text"):
            if isinstance(value, str):
                return value.strip()
            bad("text", f'Quote the value: `{key}: "{value}"`')
        elif kind == "bool":
            if isinstance(value, bool):
                return value
            bad("true or false", f"Write `{key}: true` or `{key}: false`")
        elif kind == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            bad("a date", f"Write it as YYYY-MM-DD without quotes or time, e.g. "
                f"`{key}: 2000-11-15`, or leave it out when the day is not known")
        elif isinstance(kind, tuple) and kind[0] == "enum":
            if value in kind[1]:
                return value
            self.fail(line, f"{key!r} of {what} is {value!r}, not one of the known values",
                      f"Use one of: {', '.join(kind[1])}{suggest(str(value), kind[1])}")
        elif kind == "words":
            return self._words(value, key, what, line, bad)
        elif kind == "ids":
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(isinstance(v, str) for v in items):
                return [v.strip() for v in items]
            bad("an id or a list of ids", f"Write `{key}: some-id` or `{key}: [a, b]`")
        elif kind == "any":
            return value
        else:
            raise AssertionError(f"unknown field type {kind!r}")
        return None

    def _words(self, value: Any, key: str, what: str, line: int, bad) -> list[str] | None:
        if not isinstance(value, list):
            bad("a list of words", f"Write `{key}: [word, another word]`")
            return None
        odd = [v for v in value if not isinstance(v, str) or not v.strip()]
        if odd:
            self.fail(line, f"{key!r} of {what} must hold words only; {odd[0]!r} is "
                      f"{type(odd[0]).__name__}", f'Quote it ("{odd[0]}") or remove it')
            return None
        seen: set[str] = set()
        for word in value:
            if word.strip().lower() in seen:
                self.fail(line, f"{word!r} is listed twice in {key!r} of {what}",
                          "Remove the repeat")
            seen.add(word.strip().lower())
        return [v.strip() for v in value]
