"""Text analysis for the inferred links: words -> stems -> synonym concepts.

Used by loaders/retrieval.py on both sides (recommendations and provisions), so that the two
always meet on the same terms:

1. words: lower-cased runs of letters and digits ("8.7" stays one word, "victims'" is victim);
2. English stop words and the domain's `ignore` words of data/synonyms.yaml are dropped;
3. each word is reduced by `stem`, a small deterministic suffix stemmer;
4. each run of stems that is a phrase of a synonym group of data/synonyms.yaml is replaced by
   the group's concept term ("~" + the group's first phrase), the longest phrase at each
   position winning; a phrase listed in two groups gives both concepts.

Every term keeps the span of the text it came from (`Term.surface`), for evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import LoaderError
from loaders.yaml_source import FieldChecker, YList, YMap, display_path, problem, read_yaml

STOPWORDS = frozenset("""a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during
each either few for from further had has have having he her here hers him his how i if in into
is it its itself just may me might more most must my no nor not now of off on once only or
other our ours out over own same shall she should so some such than that the their theirs them
then there these they this those through thus to too under until up upon very via was we were
what when where whether which while who whom why will with within without would you your
thereto therein thereof""".split())

# (suffix, replacement, shortest stem left) - the first that applies wins; one pass.
_SUFFIXES = (
    ("ifications", "ify", 3), ("ification", "ify", 3), ("ified", "ify", 3), ("ifying", "ify", 3),
    ("ifies", "ify", 3), ("izations", "iz", 3), ("ization", "iz", 3), ("isation", "iz", 3),
    ("izing", "iz", 3), ("ized", "iz", 3), ("izes", "iz", 3), ("ize", "iz", 3),
    ("ssions", "ssion", 0), ("ssion", "ssion", 0), ("abilities", "", 4), ("ability", "", 4),
    ("able", "", 4), ("ations", "", 4), ("ation", "", 4), ("ions", "", 4), ("ion", "", 4),
    ("ments", "", 6), ("ment", "", 6), ("ness", "", 4), ("ated", "", 4), ("ating", "", 4),
    ("ings", "", 4), ("ing", "", 4), ("ers", "", 4), ("er", "", 4), ("ed", "", 4),
    ("ies", "y", 3), ("ate", "", 4), ("ates", "", 4), ("sses", "ss", 2),
)
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?(?:\.[0-9]+)*")


def stem(word: str) -> str:
    """trafficking/trafficked/traffickers -> traffick, protection/protect -> protect,
    identification/identify/identified -> identify, accession stays apart from access."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ies", "sses")):
        w = w[:-1]
    for suffix, repl, shortest in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= shortest:
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Term:
    term: str  # a stem, or a concept "~first phrase of its group"
    surface: str  # the text it came from
    start: int  # where that text starts


@dataclass(frozen=True)
class Analyzer:
    """Words -> stems (stop words out) -> stems and synonym concepts."""

    ignore: frozenset[str] = frozenset()
    groups: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()  # (concept, phrases)
    by_first: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        for concept, phrases in self.groups:
            for p in phrases:
                self.by_first.setdefault(p[0], []).append((p, concept))

    def stems(self, text: str) -> list[tuple[str, int, int]]:
        """(stem, start, end) of every content word of `text`."""
        out = []
        for m in _WORD.finditer(text.lower()):
            w = m.group(0)
            if w in STOPWORDS or w in self.ignore:
                continue
            s = stem(w)
            if s and s not in self.ignore:
                out.append((s, m.start(), m.end()))
        return out

    def analyse(self, text: str) -> list[Term]:
        stems, out, i = self.stems(text), [], 0
        seq = [s for s, _, _ in stems]
        while i < len(seq):
            best, concepts = 0, []
            for phrase, concept in self.by_first.get(seq[i], ()):
                n = len(phrase)
                if n >= best and tuple(seq[i:i + n]) == phrase:
                    if n > best:
                        best, concepts = n, []
                    if concept not in concepts:
                        concepts.append(concept)
            if best:
                surface = text[stems[i][1]:stems[i + best - 1][2]]
                out += [Term(c, surface, stems[i][1]) for c in concepts]
                i += best
            else:
                out.append(Term(seq[i], text[stems[i][1]:stems[i][2]], stems[i][1]))
                i += 1
        return out

    def terms(self, text: str) -> list[str]:
        return [t.term for t in self.analyse(text)]


def read_synonyms(path: Path) -> Analyzer:
    """Read and check data/synonyms.yaml (`groups`: lists of phrases, `ignore`: words)."""
    path = Path(path)
    where = display_path(path)
    if not path.is_file():
        raise LoaderError(problem(where, None, "missing: the linker needs the synonym list",
                                  "Restore data/synonyms.yaml from the repository"))
    root = read_yaml(path)
    problems: list[str] = []
    check = FieldChecker(where, problems)
    if not isinstance(root, YMap):
        raise LoaderError(problem(where, 1, "the file must be a mapping with `groups:` and "
                                  "`ignore:`", "Start the file with `groups:`"))
    clean = check.fields(root, {"groups": ("any", True), "ignore": ("words", False)},
                         "the synonym file", 1) or {}
    words = [w.lower() for w in clean.get("ignore") or []]
    ignore = frozenset(words) | frozenset(stem(w) for w in words)
    plain = Analyzer(ignore)
    groups = []
    raw = clean.get("groups")
    if raw is not None and not isinstance(raw, YList):
        check.fail(root.line_of("groups"), "'groups' must be a list of lists of phrases",
                   "Write `groups:` then one `- [phrase, other phrase]` per group")
        raw = None
    for i, group in enumerate(raw or []):
        line = raw.line_of(i)
        if not isinstance(group, list) or len(group) < 2:
            check.fail(line, f"synonym group {group!r:.60} must list two or more phrases",
                       "Write `- [phrase, other phrase]` or remove the group")
            continue
        phrases = []
        for p in group:
            stems = tuple(s for s, _, _ in plain.stems(p)) if isinstance(p, str) else ()
            if not stems:
                check.fail(line, f"the synonym group holds {p!r}, which is empty or only "
                           "stop words", "Remove it or write a content word")
            else:
                phrases.append(stems)
        groups.append((f"~{group[0]}", tuple(phrases)))
    if problems:
        raise LoaderError(f"{len(problems)} problem(s) in {where}:\n  " + "\n  ".join(problems))
    return Analyzer(ignore, tuple(groups))
