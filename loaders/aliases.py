"""Cited links: data/aliases.yaml, the ways documents name frameworks, provisions and bodies.

The file has two lists:

    aliases:   a target (or several) and the literal ways a text names it
        - target: untoc                        # an id, or a list of ids (any label below)
          phrases: [Palermo Convention, ...]   # matched case-insensitively
          acronyms: [UNTOC, UNT0C]             # matched case-sensitively (OCR variants too)
          note: free text (why an odd variant is there)
    numbered:  a family of provisions named by number ("SDG 8.7", "goals 5.2, 8.7 and 16.2")
        - template: "agenda-2030:target-{ref}" # `{ref}` is filled with each number found
          ref: '\\d{1,2}\\.\\d{1,2}'           # a regular expression for one number
          before: [SDG, target, goals, ...]    # the words that introduce the number(s)
          after: [of the GCM]                  # optional: words that must follow them
          note: ...

Targets may be a Framework or a Provision (a match gives MAPS_TO, method `cited`) or a Body
(a match gives MENTIONS, method `cited`); one entry may name several, e.g. "ILO labour
conventions" names the four ILO instruments and the ILO itself.

Matching is on a recommendation's cleaned `text`, word-bounded (no match inside a longer word),
with spaces and hyphens interchangeable ("10 Point Plan" = "10-Point Plan") and either
apostrophe. Where matches overlap the longest wins (so "Inter-Agency Coordination Group against
Trafficking in Persons" is ICAT and nothing else). A number a `numbered` entry finds that is not
in the corpus ("SDG 3.8" while only some targets are) links to the template's framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import LoaderError
from loaders.yaml_source import (FieldChecker, YList, YMap, display_path, line_of, problem,
                                 read_yaml, suggest)

ALIAS_SPEC = {"target": ("ids", True), "phrases": ("any", False), "acronyms": ("any", False),
              "note": ("text", False)}
NUMBERED_SPEC = {"template": ("str", True), "ref": ("str", True), "before": ("any", True),
                 "after": ("any", False), "note": ("text", False)}
SECTIONS = ("aliases", "numbered")
CONTEXT_WORDS = 4  # words of context either side of a matched span in `evidence`

_GAP = r"[\s\-\u2010\u2011\u2013]+"  # what may stand between two words of a phrase
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)"  # between numbers in a list


_START, _END = r"(?<!\w)", r"(?!\w)"


def phrase_regex(phrase: str) -> str:
    """A word-bounded pattern for a literal phrase: spaces and hyphens interchangeable,
    either apostrophe."""
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013]+", phrase.strip()) if w]
    body = _GAP.join(re.escape(w).replace("'", "['\u2019]") for w in words)
    return f"{_START}{body}{_END}"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    targets: tuple[str, ...]  # fixed targets, or () for a numbered pattern
    template: str = ""  # numbered: "framework:ref-{ref}"
    ref: re.Pattern[str] | None = None
    where: str = ""  # file:line of the entry, for messages


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    span: str
    targets: tuple[str, ...]
    evidence: str


def evidence(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> str:
    """The matched span in «», with a few words of context either side (text as written)."""
    lead = re.search(rf"(?:\S+\s+){{0,{words}}}$", text[:start])
    tail = re.match(rf"(?:\s*\S+){{0,{words}}}", text[end:])
    left, right = lead.group(0) if lead else "", tail.group(0) if tail else ""
    dots_l = "\u2026" if len(left) < len(text[:start].rstrip()) else ""
    dots_r = "\u2026" if len(right) < len(text[end:].rstrip()) else ""
    return f"{dots_l}{left.lstrip()}\u00ab{text[start:end]}\u00bb{right.rstrip()}{dots_r}"


class AliasSet:
    """The compiled patterns of data/aliases.yaml and the label of every target."""

    def __init__(self, patterns: list[Pattern], labels: dict[str, str]) -> None:
        self.patterns = patterns
        self.labels = labels  # target id -> Framework / Provision / Body
        self._cache: dict[str, list[Match]] = {}

    def find(self, text: str) -> list[Match]:
        """Every alias in `text`, longest first where matches overlap, in text order."""
        if text not in self._cache:
            self._cache[text] = self._find(text)
        return list(self._cache[text])

    def _find(self, text: str) -> list[Match]:
        found: list[tuple[int, int, int, Pattern, re.Match[str]]] = []
        for order, p in enumerate(self.patterns):
            for m in p.regex.finditer(text):
                found.append((m.start(), m.end(), order, p, m))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0], f[2]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for start, end, order, p, m in found:
            if any(start < b and a < end for a, b in taken):
                continue
            targets = p.targets or self._numbered(p, m)
            if not targets:
                continue
            taken.append((start, end))
            chosen.append(Match(start, end, text[start:end], targets,
                                evidence(text, start, end)))
        return sorted(chosen, key=lambda c: c.start)

    def _numbered(self, p: Pattern, m: re.Match[str]) -> tuple[str, ...]:
        out: list[str] = []
        framework = p.template.split(":", 1)[0]
        for ref in p.ref.finditer(m.group("refs")):  # type: ignore[union-attr]
            target = p.template.replace("{ref}", ref.group(0))
            if target not in self.labels and framework in self.labels:
                target = framework  # a number the corpus does not hold: the framework itself
            if target in self.labels and target not in out:
                out.append(target)
        return tuple(out)


def _strings(checker: FieldChecker, value: Any, key: str, what: str, line: int) -> list[str]:
    """A list of non-empty strings, or [] after reporting why not."""
    if value is None:
        return []
    if not isinstance(value, list):
        checker.fail(line, f"{key!r} of {what} must be a list of strings",
                     f"Write `{key}: [first, second]`")
        return []
    out = []
    for i, v in enumerate(value):
        at = value.line_of(i) if isinstance(value, YList) else line
        if not isinstance(v, str) or not v.strip():
            checker.fail(at, f"{key!r} of {what} holds an empty or non-text pattern {v!r}",
                         "Write the phrase as text, or remove the empty item")
        else:
            out.append(v.strip())
    return out


def read_aliases(path: Path, labels: dict[str, str]) -> AliasSet:
    """Read and check data/aliases.yaml against the known target ids (`labels`: id -> label).

    All-or-nothing: one LoaderError lists every problem as `file:line: what. fix`."""
    path = Path(path)
    where = display_path(path)
    if not path.is_file():
        raise LoaderError(problem(where, None, "missing: the linker needs the alias dictionary",
                                  "Restore data/aliases.yaml from the repository"))
    root = read_yaml(path)
    problems: list[str] = []
    checker = FieldChecker(where, problems)
    patterns: list[Pattern] = []
    if not isinstance(root, YMap):
        raise LoaderError(problem(where, line_of(root, 1), "the file must be a mapping with "
                                  "the lists `aliases:` and `numbered:`",
                                  "Start the file with `aliases:`"))
    for key, value in root.items():
        if key not in SECTIONS:
            checker.fail(root.line_of(key), f"unknown top-level key {key!r}. Known keys: "
                         f"{', '.join(SECTIONS)}", f"Fix the spelling{suggest(key, SECTIONS)} "
                         "or remove it")
        elif not isinstance(value, YList):
            checker.fail(root.line_of(key), f"{key!r} must be a list of entries",
                         f"Write `{key}:` then one `- ` item per entry")
        else:
            read = _alias if key == "aliases" else _numbered
            for i, item in enumerate(value):
                read(checker, item, value.line_of(i), labels, patterns)
    if problems:
        err = LoaderError(f"{len(problems)} problem(s) in {where}; no links were made:\n  "
                          + "\n  ".join(problems))
        err.problems = problems  # type: ignore[attr-defined]
        raise err
    return AliasSet(patterns, labels)


def _check_target(checker: FieldChecker, target: str, line: int, what: str,
                  labels: dict[str, str]) -> bool:
    if target in labels:
        return True
    checker.fail(line, f"{what} names {target!r}, which is no Framework, Provision or Body "
                 "in data/frameworks", f"Fix the id{suggest(target, labels)} or add the target "
                 "to data/frameworks/*.yaml")
    return False


def _alias(checker: FieldChecker, rec: Any, line: int, labels: dict[str, str],
           out: list[Pattern]) -> None:
    what = f"the alias entry at line {line}"
    f = checker.fields(rec, ALIAS_SPEC, what, line)
    if f is None:
        return
    targets = [t for t in f["target"] or []
               if _check_target(checker, t, rec.line_of("target"), what, labels)]
    phrases = _strings(checker, f["phrases"], "phrases", what, rec.line_of("phrases"))
    acronyms = _strings(checker, f["acronyms"], "acronyms", what, rec.line_of("acronyms"))
    if not phrases and not acronyms:
        checker.fail(line, f"{what} has no patterns", "Add `phrases: [...]` (matched in any "
                     "case) or `acronyms: [...]` (matched as written)")
    if not targets or len(targets) != len(f["target"] or []):
        return
    where = f"{checker.where}:{line}"
    for text, flags in [(p, re.IGNORECASE) for p in phrases] + [(a, 0) for a in acronyms]:
        out.append(Pattern(re.compile(phrase_regex(text), flags), tuple(targets), where=where))


def _numbered(checker: FieldChecker, rec: Any, line: int, labels: dict[str, str],
              out: list[Pattern]) -> None:
    what = f"the numbered entry at line {line}"
    f = checker.fields(rec, NUMBERED_SPEC, what, line)
    if f is None:
        return
    before = _strings(checker, f["before"], "before", what, rec.line_of("before"))
    after = _strings(checker, f["after"], "after", what, rec.line_of("after"))
    template, ref = f["template"], f["ref"]
    if f["before"] is not None and not before:
        checker.fail(rec.line_of("before"), f"{what} has no `before` words",
                     "List the words that introduce the numbers, e.g. `before: [SDG, target]`")
    if template is None or ref is None:
        return
    if template.count("{ref}") != 1:
        checker.fail(rec.line_of("template"), f"template {template!r} of {what} must hold "
                     "`{ref}` exactly once", 'Write e.g. `template: "agenda-2030:target-{ref}"`')
        return
    try:
        ref_re = re.compile(ref)
    except re.error as exc:
        checker.fail(rec.line_of("ref"), f"ref {ref!r} of {what} is not a regular expression "
                     f"({exc})", r"Write e.g. `ref: '\d{1,2}\.\d{1,2}'`")
        return
    head, tail = template.split("{ref}")
    if not any(t.startswith(head) and t.endswith(tail) for t in labels):
        checker.fail(rec.line_of("template"), f"template {template!r} of {what} matches no "
                     "Framework, Provision or Body in data/frameworks",
                     "Fix the framework id or the ref prefix (e.g. `target-`, `obj-`, `op-`)")
        return
    if not before:
        return
    one = rf"(?:{ref})(?![\w]|\.\d)"
    refs = rf"(?P<refs>{one}(?:{_SEP}{one})*)"
    lead = "|".join(phrase_regex(b).removesuffix(_END) for b in before)
    pattern = rf"(?:{lead})\.?\s*{refs}"
    if after:
        tail = "|".join(phrase_regex(a).removeprefix(_START) for a in after)
        pattern += rf"\s+(?:{tail})"
    out.append(Pattern(re.compile(pattern, re.IGNORECASE), (), template, ref_re,
                       f"{checker.where}:{line}"))
