"""Loader for the annotated provisional agenda of a UNTOC working group (data/sources/001_*.txt).

The document: a header (issuing Conference, 'Distr.: General <date>', the working group,
'<place>, <dates>'), the 'Provisional agenda' list ('- 1. Organizational matters:'), the
'Annotations' (one '<n>. <title>' heading per item, then its text and an optional
'Documentation' block), page footers ('2/4 V.17-04073') with footnotes, and an 'Annex' with the
'Proposed organization of work' table (day rows, then 'time<TAB>item<TAB>title' rows).

Records: the agenda Document, the session Event (`<group>-<ordinal>`, e.g. wg-tip-7), one Event
per agenda item (`<session>-item-<n>`, PART_OF the session, dated from the annex), one Passage
(kind 'format') per row of the organization of work, cited Documents with CITES edges from the
item whose text (or footnote) cites them, and the Conference resolutions it invokes.
Pages come from the UN footers (see loaders.text.line_pages).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from graph.records import Edge, Node
from loaders.text import (CITATION_IDS, MENTION_IDS, MONTHS, Record, checked, citation_records,
                          clean, fail, find_citations, find_dates, is_furniture, line_pages,
                          mention_edges,
                          ordinal_number, ordinal_suffix, read_lines, sentence_around,
                          source_file)

DOCUMENT_ID = "ctoc-cop-wg4-2017-1"  # docs/ids.md
# The transcription lost the symbol line of the header; a symbol found there wins over this.
DEFAULT_SYMBOL = "CTOC/COP/WG.4/2017/1"

# Issuing conference (header line) -> Body; working group (header line) -> Body / event prefix.
CONFERENCES = (("untoc-cop", re.compile(r"Conference of the Parties to the United Nations "
                                        r"Convention against Transnational Organi[sz]ed Crime")),)
GROUPS = (("wg-tip", re.compile(r"Working Group on Trafficking in Persons")),
          ("wg-som", re.compile(r"Working Group on (?:the )?Smuggling of Migrants")),
          ("wg-firearms", re.compile(r"Working Group on Firearms")))

REFERENCED_IDS: frozenset[str] = (frozenset(b for b, _ in CONFERENCES) | CITATION_IDS
                                  | MENTION_IDS)

_LIST_ITEM = re.compile(r"^\s*-\s*(\d+)\.\s+(.+?)\s*$")
_HEADING = re.compile(r"^(\d+)\.\s+(.+?)\s*$")
_SUBHEADING = re.compile(r"^\(([a-z])\)\s+(.+?)\s*$")
_FOOTNOTE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(.+?)\s*$")
_COP_RESOLUTION = re.compile(r"(?<!GA )(?<!Assembly )\bresolution (\d{1,2})/(\d{1,2})\b"
                             r"(?:,\s*entitled\s*[“\"]([^”\"]+)[”\"])?")
_DAY_ROW = re.compile(rf"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s*"
                      rf"(\d{{1,2}})\s+({'|'.join(MONTHS)})\b")


@dataclass
class Item:
    number: int
    title: str
    line: int
    body: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of annotations
    docs: list[tuple[int, str]] = field(default_factory=list)  # Documentation block
    days: list[dt.date] = field(default_factory=list)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _find(lines: list[str], pattern: str, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if re.fullmatch(pattern, lines[i].strip(),
                                                                       re.I)), None)


def read_agenda(path: Path) -> list[Node | Edge]:
    """Records of the annotated provisional agenda (see the module docstring)."""
    lines = read_lines(path)
    pages = line_pages(lines)
    list_at = _find(lines, r"Provisional agenda")
    notes_at = _find(lines, r"Annotations", list_at or 0)
    items = [Item(int(m.group(1)), clean(m.group(2)).rstrip(":;."), i + 1)
             for i in range(list_at or 0, notes_at or len(lines))
             if list_at is not None and (m := _LIST_ITEM.match(lines[i]))]
    if not items or notes_at is None:
        raise fail(path, 1, "no agenda items found; expected a 'Provisional agenda' line, lines "
                   "like '- 1. Organizational matters', then 'Annotations'. Is this the "
                   "annotated agenda?")
    header = lines[:list_at]
    conference = next((b for b, p in CONFERENCES for x in header if p.search(x)), None)
    group = next(((g, m.group(0)) for g, p in GROUPS for x in header if (m := p.search(x))), None)
    if group is None:
        raise fail(path, 1, "no working group named in the header; expected a line like "
                   "'Working Group on Trafficking in Persons'")
    issued = next((d.start for x in header if x.startswith("Distr.") and (d := find_dates(x))),
                  None)
    when_i = next((i for i, x in enumerate(header) if (d := find_dates(x)) and d.start
                   and not x.startswith("Distr.")), None)
    if when_i is None:
        raise fail(path, 1, "no session dates in the header; expected a line like "
                   "'Vienna, 6-8 September 2017'")
    when = find_dates(header[when_i])
    place = clean(header[when_i][:when.pos[0]]).strip(" ,") or None
    symbol = next((clean(x) for x in header if re.fullmatch(r"CTOC/COP/WG\.\d+/\d{4}/\d+",
                                                            x.strip())), DEFAULT_SYMBOL)

    annex_at = _find(lines, r"Annex", notes_at) or len(lines)
    footnotes = _annotations(path, lines, items, notes_at, annex_at)
    rows = _organization(path, lines, items, annex_at, when.start.year)
    text = "\n".join(clean(x) for x in lines if x.strip() and not is_furniture(x))
    m = re.search(rf"\b(\w+) session of the {re.escape(group[1])}", text, re.I)
    if m is None or ordinal_number(m.group(1)) is None:
        raise fail(path, notes_at + 1, "the annotations never say which session this is; "
                   "expected a sentence like 'The seventh session of the Working Group ...'")
    n = ordinal_number(m.group(1))
    session = f"{group[0]}-{n}"

    doc = DOCUMENT_ID
    session_name = f"{ordinal_suffix(n)} session of the {group[1]}"
    out: list[Record] = [
        Node("Document", doc, {"title": f"Annotated provisional agenda, {session_name}",
                               "symbol": symbol, "kind": "agenda", "date": issued,
                               "source_file": source_file(path), "source": doc, "page": pages[0]}),
        Node("Event", session, {"name": session_name, "kind": "session", "start_date": when.start,
                                "end_date": when.end, "place": place, "source": doc,
                                "page": pages[when_i]}),
        Edge("RECORDS", "Document", doc, "Event", session, {"source": doc}),
    ]
    if conference:
        out += [Edge("ISSUED_BY", "Document", doc, "Body", conference, {"source": doc}),
                Edge("CONVENED_BY", "Event", session, "Body", conference, {"source": doc})]
    titles = _resolution_titles(text)
    for item in items:
        out += _item_records(item, session, doc, pages, footnotes, conference, titles)
    for k, (line, row) in enumerate(rows, start=1):
        pid = f"{doc}:format.{k}"
        out += [Node("Passage", pid, {"kind": "format", "text": row, "ordinal": k,
                                      "document_id": doc, "source": doc, "page": pages[line - 1]}),
                Edge("MADE_IN", "Passage", pid, "Document", doc, {"source": doc})]
    out += mention_edges("Document", doc, text, doc)
    return checked(out, path, REFERENCED_IDS)


def _annotations(path: Path, lines: list[str], items: list[Item], start: int,
                 end: int) -> dict[str, str]:
    """Fill each item's annotation and Documentation paragraphs; return the footnotes.

    A heading of an item the list lacks, or an item without its heading, is refused: the text
    under it would silently become the annotation of the item above (found by
    tests/test_parsers_property.py, dropping one line of the list)."""
    by_number = {i.number: i for i in items}
    footnotes: dict[str, str] = {}
    current: Item | None = None
    in_docs, headed = False, set()
    for i in range(start + 1, end):
        line = lines[i].strip()
        if not line or is_furniture(line):
            continue
        if (m := _FOOTNOTE.match(line)):
            footnotes[m.group(1)] = clean(m.group(2))
            continue
        m = _HEADING.match(line)
        item = by_number.get(int(m.group(1))) if m else None
        if item and _norm(m.group(2)).startswith(_norm(item.title)[:40]):
            current, in_docs = item, False
            headed.add(item.number)
            continue
        if m and item is None and not line.endswith((".", ":", ";")):  # a heading, no sentence
            raise fail(path, i + 1, f"the heading {line[:60]!r} is not an item of the "
                       f"provisional agenda (items {', '.join(map(str, by_number))}); add it to "
                       "the list or correct its number")
        if current is None:
            continue
        if line == "Documentation":
            in_docs = True
        elif in_docs:
            current.docs.append((i + 1, clean(line)))
        else:
            current.body.append((i + 1, clean(line)))
    for item in items:
        if item.number not in headed:
            raise fail(path, item.line, f"agenda item {item.number} has no heading "
                       f"'{item.number}. {item.title}' in the annotations; restore it, or its "
                       "annotation is read as part of the item above")
    return footnotes


def _organization(path: Path, lines: list[str], items: list[Item], start: int,
                  year: int) -> list[tuple[int, str]]:
    """The rows of the proposed organization of work as (line, text); dates the items."""
    by_number = {i.number: i for i in items}
    rows: list[tuple[int, str]] = []
    day, day_text, time = None, "", ""
    for i in range(start, len(lines)):
        raw = lines[i]
        if (m := _DAY_ROW.match(raw.strip())):
            try:
                day = dt.date(year, MONTHS[m.group(2)], int(m.group(1)))
            except ValueError:  # '31 September': a ValueError found by tests/test_parsers_property
                raise fail(path, i + 1, f"{m.group(0)!r} is no day of {year}; correct the "
                           "day of this row of the organization of work") from None
            day_text, time = clean(raw), ""
            continue
        cells = [clean(c) for c in raw.split("\t")]
        if len(cells) < 3 or day is None or not re.match(r"^\d+", cells[1]):
            continue
        time = cells[0] or time
        rows.append((i + 1, f"{day_text}, {time}: agenda item {cells[1]}, {cells[2]}"))
        item = by_number.get(int(re.match(r"\d+", cells[1]).group(0)))
        if item and day not in item.days:
            item.days.append(day)
    return rows


def _item_records(item: Item, session: str, doc: str, pages: list[int | None],
                  footnotes: dict[str, str], conference: str | None,
                  resolution_titles: dict[str, str]) -> list[Record]:
    """The Event of one agenda item, and what its annotation and documentation cite."""
    event = f"{session}-item-{item.number}"
    body = "\n".join(t for _, t in item.body)
    docs = "\n".join(t for _, t in item.docs)
    out: list[Record] = [
        Node("Event", event, {
            "name": item.title, "kind": "agenda-item", "ordinal": item.number,
            "summary": body or None, "documentation": docs or None,
            "start_date": min(item.days, default=None), "end_date": max(item.days, default=None),
            "source": doc, "page": pages[item.body[0][0] - 1] if item.body else None}),
        Edge("PART_OF", "Event", event, "Event", session, {"source": doc}),
    ]
    for line, text in item.body + item.docs:
        page = pages[line - 1]
        out += citation_records("Event", event, text, doc, page)
        described = re.match(r"^(.+?)\s*\(([^()]+)\)$", text) if (line, text) in item.docs else None
        for c in find_citations(described.group(2)) if described else ():
            if c.target[0] == "Document":  # 'Background paper ... (CTOC/COP/WG.4/2017/2)'
                out.append(Node("Document", c.target[1], {"title": described.group(1)}))
        for m in re.finditer(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", text):  # a footnote called from this text
            note = footnotes.get(m.group(0), "")
            called = sentence_around(text, *m.span())
            for r in citation_records("Event", event, note, doc, page):
                if isinstance(r, Edge) and r.type == "CITES":
                    r = replace(r, props={**r.props, "evidence":
                                          f"{note} (footnote {m.group(0)} to: {called})"})
                out.append(r)
        for m in _COP_RESOLUTION.finditer(text):
            rid = _resolution_id(m)
            out += [Node("Document", rid, {"title": resolution_titles[rid], "kind": "resolution",
                                           "source": doc, "page": page}),
                    Edge("CITES", "Event", event, "Document", rid, {
                        "evidence": sentence_around(text, *m.span()), "source": doc})]
            if conference:
                out.append(Edge("ISSUED_BY", "Document", rid, "Body", conference,
                                {"source": doc}))
    return out


def _resolution_id(m: re.Match[str]) -> str:
    return f"cop-resolution-{m.group(1)}-{m.group(2)}"


def _resolution_titles(text: str) -> dict[str, str]:
    """Conference resolution id -> its title where the text gives one ('entitled "..."'),
    else 'Conference of the Parties resolution n/m'."""
    titles: dict[str, str] = {}
    for m in _COP_RESOLUTION.finditer(text):
        rid = _resolution_id(m)
        if m.group(3) or rid not in titles:
            number = f"{m.group(1)}/{m.group(2)}"
            titles[rid] = m.group(3) or f"Conference of the Parties resolution {number}"
    return titles
