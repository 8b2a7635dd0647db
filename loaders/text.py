"""Helpers the document loaders share, so that they agree with each other and with docs/ids.md.

Why one module: the same UN symbol must become the same id in every loader (`symbol_id`), the
same wording must name the same framework (`framework_mentions`), '4-5 September 2017' must
parse the same way everywhere (`find_dates`), and every loader must refuse bad records the same
way (`checked`). Nothing here knows a particular document's content: only UN conventions
(symbols, footers such as '2/4 V.17-04073'), the id registry, and the transcriptions' OCR habits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import edge_problems, node_problems

Record = Node | Edge

# Labels a document loader owns; edges to any other label (Body, Framework, Provision) must
# point at an id listed in the module's REFERENCED_IDS, since data/frameworks/*.yaml owns those.
OWN_LABELS = frozenset({"Event", "Document", "Passage", "Resource", "Person", "Theme",
                        "Recommendation"})

# ---------------------------------------------------------------- files, errors, markup


def where(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def fail(path: Path, line: int, message: str) -> LoaderError:
    """A LoaderError in the `file:line: message` form editors and terminals understand."""
    return LoaderError(f"{where(path)}:{line}: {message}")


def source_file(path: Path) -> str:
    """The source file as the project names it (Document.source_file): data/sources/<name>."""
    return f"data/sources/{Path(path).name}"


def read_source(path: Path) -> str:
    """The file's text; a LoaderError, not an OSError or UnicodeDecodeError, when it cannot be
    read, naming for bytes that are not UTF-8 the line of the first (the summary's reader
    crashed on them: found by tests/test_parsers_property.py)."""
    from loaders.yaml_source import check_size

    check_size(Path(path))
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = len(re.split(rb"\r\n|\r|\n", exc.object[:exc.start]))
        raise LoaderError(f"{where(path)}:{line}: byte 0x{exc.object[exc.start]:02x} is not "
                          "UTF-8; re-save the source document as UTF-8") from exc
    except OSError as exc:
        raise LoaderError(f"{where(path)}: cannot read the source document ({exc}); the "
                          "project reads its sources from data/sources/") from exc


def read_lines(path: Path) -> list[str]:
    """The file's lines (no line ends); a LoaderError when it cannot be read (`read_source`).

    Split at line feeds only (the reader already turned \\r\\n and \\r into \\n), not with
    str.splitlines, which also breaks at \\f, \\x85 or \\u2028 and so made the `file:line` of
    errors point past the line an editor shows (found by tests/test_parsers_property.py)."""
    lines = read_source(path).split("\n")
    return lines[:-1] if lines[-1] == "" else lines


# OCR slips seen in the transcriptions (seeds README): fixed before names are matched.
OCR_FIXES = ((re.compile(r"\bSherlock\b"), "SHERLOC"), (re.compile(r"\bCEDA W\b"), "CEDAW"),
             (re.compile(r"\b10M\b"), "IOM"), (re.compile(r"\bGrime\b"), "Crime"),
             (re.compile(r"\ba\.m(?=\d)"), "a.m.-"))  # '10 a.m1 p.m.' (dash lost)


def fix_ocr(text: str) -> str:
    for pattern, repl in OCR_FIXES:
        text = pattern.sub(repl, text)
    return text


def clean(text: str) -> str:
    """Plain text from the transcriptions' markdown/HTML: tags, emphasis and links removed,
    known OCR slips fixed (`fix_ocr`)."""
    text = fix_ocr(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)          # [text](url) -> text
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)               # <http://...> -> url
    text = re.sub(r"</?sup>", "", text)                              # 7<sup>th</sup> -> 7th
    text = re.sub(r"<[^>]+>", " ", text)                             # other tags -> space
    text = re.sub(r"\*+", "", text)                                  # **bold**, *italic*
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,;:.)])", r"\1", text)                      # 'Persons ,' -> 'Persons,'


def slug(text: str) -> str:
    """Lower-case, every run of non-alphanumerics turned into '-' (docs/ids.md)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def blocks(lines: list[str]) -> list[str]:
    """Cleaned text blocks: runs of non-blank lines, where a bullet or heading starts a new
    block. Joined with newlines they make text whose line ends `sentence_around` respects."""
    out: list[str] = []
    joining = False
    for line in lines:
        if not line.strip():
            joining = False
            continue
        text = clean(re.sub(r"^\s*(?:[-*]|#+)\s+", "", line))
        # `out and`: a first line with no text ('***', '<br>') left nothing to join to
        # (an IndexError found by tests/test_parsers_property.py)
        if joining and out and not re.match(r"^\s*(?:[-*]|#+)\s", line):
            out[-1] = f"{out[-1]} {text}".strip()
        elif text:
            out.append(text)
        joining = True
    return out


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding text[start:end] (evidence a reader can check).
    A newline always ends a sentence (see `blocks`)."""
    bounds = [0] + [m.end() for m in re.finditer(r"(?<=[.!?;])[ \t]+(?=[A-Z(“\"])|\n", text)]
    lo = max(b for b in bounds if b <= start)
    hi = min([b for b in bounds if b >= end] + [len(text)])
    return text[lo:hi].strip()


# ---------------------------------------------------------------- numbers and dates

ORDINAL_WORDS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    .split(), start=1)}
_ORDINAL = re.compile(r"\b(?:(\d+)\s*(?:st|nd|rd|th)|(" + "|".join(ORDINAL_WORDS) + r"))\b",
                      re.I)


def ordinal_number(text: str) -> int | None:
    """The first ordinal in `text`: '26th' -> 26, 'seventh' -> 7, None if there is none."""
    m = _ORDINAL.search(text)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else ORDINAL_WORDS[m.group(2).lower()]


def ordinal_suffix(n: int) -> str:
    """7 -> '7th', 22 -> '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December"
    .split(), start=1)}
_M = "|".join(MONTHS)
_DAY_RANGE = re.compile(rf"\b(\d{{1,2}})(?:\s*(?:-|–|to|and)\s*(\d{{1,2}}))?\s+({_M})\b"
                        rf"(?:,?\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"\b({_M}),?\s+(\d{{4}})\b")


@dataclass(frozen=True)
class DateSpan:
    """A date or date range found in text. Month-only mentions ('December 2017') have no
    start/end (the schema's dates are days), but keep their `text` so a loader can say so."""

    start: dt.date | None
    end: dt.date | None
    text: str
    pos: tuple[int, int]
    year: int
    month: int


def find_dates(text: str, default_year: int | None = None) -> DateSpan | None:
    """The first day-precise date (range) in `text`, else the first 'Month YYYY', else None.

    '22-26 May 2017', '4 and 5 September 2017', '6 to 8 September' (year from default_year).
    """
    for m in _DAY_RANGE.finditer(text):
        year = int(m.group(4)) if m.group(4) else default_year
        if year is None:
            continue
        month = MONTHS[m.group(3)]
        try:
            start = dt.date(year, month, int(m.group(1)))
            end = dt.date(year, month, int(m.group(2) or m.group(1)))
        except ValueError:
            continue
        if end < start:  # '22-2 May': a misread day, not a range (tests/test_parsers_property.py)
            continue
        return DateSpan(start, end, m.group(0), m.span(), year, month)
    m = _MONTH_YEAR.search(text)
    if m is None:
        return None
    return DateSpan(None, None, m.group(0), m.span(), int(m.group(2)), MONTHS[m.group(1)])


# ---------------------------------------------------------------- pages

_FOOTER = re.compile(r"^\s*(?:(\d+)/(\d+)\s+[A-Z]\.\d{2}-\d{5}|[A-Z]\.\d{2}-\d{5}\s+(\d+)/(\d+))"
                     r"\s*(?:\(E\))?\s*$")
_FOOTNOTE = re.compile(r"^\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")


def _footer(line: str) -> tuple[int, int] | None:
    """(page, pages) of a UN page footer ('2/4 V.17-04073' -> (2, 4)), None for other lines."""
    m = _FOOTER.match(line)
    return None if m is None else (int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4)))


def footer_page(line: str) -> int | None:
    """The page a UN page footer closes ('2/4 V.17-04073' -> 2), None for other lines and for a
    footer naming no page of the document ('0/4', '5/4': a misread number; found by
    tests/test_parsers_property.py, where '0/4' gave records page 0)."""
    found = _footer(line)
    return found[0] if found and 1 <= found[0] <= found[1] else None


def line_pages(lines: list[str]) -> list[int | None]:
    """The document page of each line, from UN footers ('2/4 V.17-04073', 'V.17-04073 3/4').

    A footer closes its page. Before the first footer, earlier page breaks are the runs of three
    or more blank lines the transcriber left where a footer was dropped, if their number fits;
    otherwise those lines get None. Footnote lines straight after a footer belong to the page
    the footer closed (the transcription puts a page's footnotes after its footer).
    Without any footer every line gets None: the document shows no pages.
    """
    pages: list[int | None] = [None] * len(lines)
    footers = [(i, p) for i, line in enumerate(lines) if (p := footer_page(line)) is not None]
    if not footers:
        return pages
    first_i, first_p = footers[0]
    runs, blank = [], 0
    for i in range(first_i):
        blank = blank + 1 if not lines[i].strip() else 0
        if blank == 3:
            runs.append(i)
    if first_p == 1 or len(runs) == first_p - 1:
        page = first_p - len(runs) if first_p > 1 else 1
        for i in range(first_i + 1):
            if runs and i > runs[0] and page < first_p:
                runs.pop(0)
                page += 1
            pages[i] = page
    prev_i = first_i
    for i, p in footers[1:]:
        for j in range(prev_i + 1, i + 1):
            pages[j] = p
        prev_i = i
    last, pages_in_all = footers[-1][1], _footer(lines[prev_i])[1]  # type: ignore[index]
    # after the footer of the last page ('4/4'): on no page, not on page 5 of 4 as before
    # (found by tests/test_parsers_property.py)
    for j in range(prev_i + 1, len(lines)):
        pages[j] = last + 1 if last < pages_in_all else None
    for i, p in footers:  # footnotes printed after their page's footer
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or _FOOTNOTE.match(lines[j])):
            if lines[j].strip():
                pages[j] = p
            j += 1
    return pages


def is_furniture(line: str) -> bool:
    """Page furniture (a footer, even one with a misread number) rather than document text."""
    return _footer(line) is not None


# ---------------------------------------------------------------- symbols and citations

# Symbols that are frameworks in the corpus (docs/ids.md): cited as that Framework.
SYMBOL_FRAMEWORKS = {
    "A/RES/73/195": "gcm", "A/RES/71/1": "new-york-declaration", "A/RES/64/293": "gpa",
    "A/RES/72/1": "political-declaration-2017", "S/RES/2331": "unsc-2331",
    "S/RES/2388": "unsc-2388",
}
# Who issues a cited document, known from its symbol alone.
SYMBOL_ISSUERS = (("A/RES/", "unga"), ("S/PRST/", "unsc"))

_SYMBOL = re.compile(r"\b(?:A|S|E|CTOC|CAC|HRC)(?:/[A-Za-z0-9.]*[A-Za-z0-9])+")
_PRST = re.compile(r"\b(?:S/)?PRST[/ ](\d{4})/(\d+)")
_GA_RES = re.compile(r"\b(?:GA|General Assembly)(?:'s)? resolutions? (\d{2})/(\d+)")
_SC_RES = re.compile(r"\bSecurity Council resolutions? (\d{3,4}(?:(?:,\s*|,?\s+and\s+)\d{3,4})*)")
_QUOTED_TITLE = re.compile(r"^\s*(?:\(\d{4}\)\s*)?[“\"]([^”\"]+)[”\"]")


def symbol_id(symbol: str) -> str:
    """Document id of a cited symbol: 'CTOC/COP/WG.4/2017/2' -> 'ctoc-cop-wg-4-2017-2'."""
    return slug(symbol)


def normalize_symbol(raw: str) -> str:
    """Repair OCR damage to a symbol: 'A/RES70/179' -> 'A/RES/70/179'."""
    return re.sub(r"^A/RES(?=\d)", "A/RES/", raw.rstrip("."))


@dataclass(frozen=True)
class Citation:
    symbol: str          # normalized, e.g. 'A/RES/70/179'
    matched: str         # the text as it stands in the document
    pos: tuple[int, int]
    title: str | None    # a quoted title right after the symbol, if any

    @property
    def target(self) -> tuple[str, str]:
        """(label, id) the citation points at: a corpus Framework or a cited Document."""
        fw = SYMBOL_FRAMEWORKS.get(self.symbol)
        return ("Framework", fw) if fw else ("Document", symbol_id(self.symbol))


def find_citations(text: str) -> list[Citation]:
    """Every UN symbol cited in `text`, in order, including the informal forms the briefing
    uses ('PRST 2015/25', 'GA resolutions 70/179', 'Security Council resolution 2331')."""
    found: list[tuple[str, str, tuple[int, int]]] = []
    for m in _SYMBOL.finditer(text):
        found.append((normalize_symbol(m.group(0)), m.group(0), m.span()))
    for m in _PRST.finditer(text):
        found.append((f"S/PRST/{m.group(1)}/{m.group(2)}", m.group(0), m.span()))
    for m in _GA_RES.finditer(text):
        found.append((f"A/RES/{m.group(1)}/{m.group(2)}", m.group(0), m.span()))
    for m in _SC_RES.finditer(text):
        for n in re.findall(r"\d{3,4}", m.group(1)):
            found.append((f"S/RES/{n}", m.group(0), m.span()))
    out = []
    for symbol, matched, pos in sorted(found, key=lambda f: f[2]):
        if any(c.pos[0] <= pos[0] < c.pos[1] and c.symbol == symbol for c in out):
            continue
        title = _QUOTED_TITLE.match(text[pos[1]:])
        out.append(Citation(symbol, matched, pos, title.group(1).strip() if title else None))
    return out


def citation_records(src_label: str, src_id: str, text: str, source: str,
                     page: int | None = None) -> list[Record]:
    """Cited Documents (kind 'cited') and CITES edges from (src_label, src_id) for `text`."""
    out: list[Record] = []
    for c in find_citations(text):
        label, target = c.target
        if label == "Document":
            out.append(Node("Document", target, {
                "title": c.title, "symbol": c.symbol, "kind": "cited",
                "source": source, "page": page}))
            out += [Edge("ISSUED_BY", "Document", target, "Body", body, {"source": source})
                    for prefix, body in SYMBOL_ISSUERS if c.symbol.startswith(prefix)]
        out.append(Edge("CITES", src_label, src_id, label, target, {
            "evidence": sentence_around(text, *c.pos), "source": source}))
    return out


CITATION_IDS = frozenset(SYMBOL_FRAMEWORKS.values()) | {b for _, b in SYMBOL_ISSUERS}

# ---------------------------------------------------------------- framework names

FRAMEWORK_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (fid, re.compile(p, re.I)) for fid, p in (
        ("untoc", r"United Nations Convention against Transnational Organi[sz]ed Crime|\bUNTOC\b"),
        ("tip-protocol", r"Protocol to Prevent, Suppress and Punish Trafficking in Persons"
                         r"(?:, Especially Women and Children)?|\bTIP Protocol\b"
                         r"|\bTrafficking in Persons Protocol\b"),
        ("som-protocol", r"Protocol against the Smuggling of Migrants(?: by Land, Sea and Air)?"
                         r"|\bSOM Protocol\b|\bSmuggling of Migrants Protocol\b"),
        ("gpa", r"Global Plan of Action(?: to Combat Trafficking in Persons?)?"),
        ("gcm", r"Global Compact for Safe, Orderly and Regular Migration"),
        ("agenda-2030", r"2030 Agenda(?: for Sustainable Development)?"
                        r"|Sustainable Development Goals|\bSDGs?\b"),
        ("new-york-declaration", r"New York Declaration for Refugees and Migrants"),
    ))
# 'the Trafficking in Persons and Smuggling of Migrants Protocols', 'the UN Protocols': plural,
# resolved to the Protocols whose crime the same sentence names.
_PROTOCOLS = re.compile(r"\bProtocols\b(?! thereto)", re.I)
PROTOCOL_CRIMES = (("tip-protocol", re.compile(r"trafficking in persons", re.I)),
                   ("som-protocol", re.compile(r"smuggling of migrants", re.I)))
MENTION_IDS = (frozenset(f for f, _ in FRAMEWORK_NAMES) | {"unsc-2331", "unsc-2388"})


def framework_mentions(text: str) -> list[tuple[str, str]]:
    """(framework id, evidence) for each corpus framework `text` names, first mention only."""
    hits: list[tuple[int, str, str]] = []
    for fid, pattern in FRAMEWORK_NAMES:
        hits += [(m.start(), fid, m.group(0)) for m in pattern.finditer(text)]
    for m in _PROTOCOLS.finditer(text):
        sentence = sentence_around(text, *m.span())
        hits += [(m.start(), fid, sentence) for fid, crime in PROTOCOL_CRIMES
                 if crime.search(sentence)]
    for c in find_citations(text):
        if c.target[0] == "Framework" and c.target[1] in MENTION_IDS:
            hits.append((c.pos[0], c.target[1], c.matched))
    seen: dict[str, str] = {}
    for _, fid, evidence in sorted(hits):
        seen.setdefault(fid, evidence)
    return list(seen.items())


def mention_edges(src_label: str, src_id: str, text: str, source: str) -> list[Edge]:
    """MENTIONS edges (method 'cited', evidence = the words matched) for `text`."""
    return [Edge("MENTIONS", src_label, src_id, "Framework", fid,
                 {"method": "cited", "evidence": evidence, "source": source})
            for fid, evidence in framework_mentions(text)]


# ---------------------------------------------------------------- merging and checking

def merge(records: Iterable[Record]) -> list[Record]:
    """One record per key, in first-seen order: node props merged (later non-None wins, as
    graph.records.Records does) except `page`, which stays the first page the node appears on;
    a repeated edge keeps every distinct evidence, joined by ' | '. A Document that got no
    title takes its symbol as title (its caption)."""
    out: dict[tuple, Record] = {}
    for r in records:
        old = out.get(r.key)
        if old is not None:
            props = {**old.props, **{k: v for k, v in r.props.items() if v is not None}}
            if old.props.get("page") is not None:
                props["page"] = old.props["page"]
            a, b = old.props.get("evidence"), r.props.get("evidence")
            if isinstance(r, Edge) and a and b and b not in a.split(" | "):
                props["evidence"] = f"{a} | {b}"
            r = replace(r, props=props)
        out[r.key] = r
    for key, r in out.items():
        if isinstance(r, Node) and r.label == "Document" and not r.props.get("title") \
                and r.props.get("symbol"):
            out[key] = replace(r, props={**r.props, "title": r.props["symbol"]})
    return list(out.values())


def checked(records: Iterable[Record], path: Path, referenced: frozenset[str]) -> list[Record]:
    """Merge `records`, then refuse them (LoaderError naming the file) if any breaks the schema,
    points at a node of this document that was not emitted, or points at a Body/Framework id the
    module did not declare in REFERENCED_IDS."""
    merged = merge(records)
    keys = {r.key for r in merged if isinstance(r, Node)}
    problems: list[str] = []
    for r in merged:
        if isinstance(r, Node):
            problems += [f"{r.label} {r.id!r}: {p}" for p in node_problems(r)]
            continue
        found = edge_problems(r)
        problems += [f"{r.type} {r.src!r}->{r.dst!r}: {p}" for p in found]
        for label, key in () if found else ((r.src_label, r.src), (r.dst_label, r.dst)):
            if label in OWN_LABELS and (label, key) not in keys:
                problems.append(f"{r.type} {r.src!r}->{r.dst!r}: no {label} {key!r} emitted")
            elif label not in OWN_LABELS and key not in referenced:
                problems.append(f"{r.type} {r.src!r}->{r.dst!r}: {key!r} is not in "
                                "REFERENCED_IDS")
    if problems:
        raise LoaderError(f"{where(path)}: {len(problems)} record(s) break the schema; nothing "
                          "was loaded:\n  " + "\n  ".join(problems[:20]))
    return merged
