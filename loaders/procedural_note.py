"""Loader for the procedural note of a GCM informal thematic session (data/sources/002_*.txt).

The document: a '##' heading naming the compact, a '###' heading 'Procedural Note for the
<Nth> Informal Thematic Session: “<theme>”', a bold '<place>, <dates>' line, then sections
'I. Introduction', 'II. Format' (sub-sections 'a. Welcoming remarks' ... 'f. Side events') and
'ANNEX 1: Agenda' with '### Day <n>' tables whose rows are '<hh.mm>-<hh.mm><TAB><cell>'; the
panels are the rows whose cell opens with '<b>PANEL <n>: <title></b>' or
'<b>SUMMARY PANEL: <title></b>' (a row may continue on a line with an empty time cell).

Records: the note's Document (ISSUED_BY the PGA, RECORDS the session), the session Event
(`gcm-ts<N>`, CONVENED_BY the PGA when the note says the PGA organizes the sessions), one
Passage per introduction paragraph (kind 'introduction') and per format section (kind
'format'), one Event per panel (`gcm-ts<N>-panel-<n>`, `gcm-ts<N>-summary-panel`, PART_OF the
session; the schema's dates are days, so the time slot goes into `structure`), and what it cites.
Pages: the transcription shows no page numbers, so `page` is None on every record.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from graph.records import Edge, Node
from loaders.text import (CITATION_IDS, MENTION_IDS, Record, blocks, checked, citation_records,
                          clean, fail, find_dates, mention_edges, ordinal_number, read_lines,
                          source_file)

DOCUMENT_ID = "gcm-ts5-procedural-note"  # docs/ids.md
ISSUER = "pga"  # the note comes from the Office of the President of the General Assembly
COMPACT = re.compile(r"Global compact for safe, orderly and regular migration", re.I)
CONVENER = ("pga", re.compile(r"President of the General Assembly[^.]*\bto organize", re.I))

REFERENCED_IDS: frozenset[str] = frozenset({ISSUER, CONVENER[0]}) | CITATION_IDS | MENTION_IDS

_SECTION = re.compile(r"^#+\s*\**\s*([IVX]+)\.\s+(.+?)\**\s*$")
_SUBSECTION = re.compile(r"^(?:#+\s*)?\*{0,3}([a-z])\.\s+(.+?)\*{0,3}\s*$")
_ANNEX = re.compile(r"^#+\s*ANNEX\b", re.I)
_DAY = re.compile(r"^#+\s*Day\s+(\d+)\s*$", re.I)
_ROW = re.compile(r"^(\d{1,2}\.\d{2})-(\d{1,2}\.\d{2})\t(.*)$")
_PANEL = re.compile(r"<b>\s*(?:PANEL\s+(\d+)|(SUMMARY PANEL))\s*:\s*(.+?)\s*</b>", re.I)


def read_procedural_note(path: Path) -> list[Node | Edge]:
    """Records of the procedural note (see the module docstring)."""
    lines = read_lines(path)
    title_i = next((i for i, x in enumerate(lines)
                    if re.search(r"Procedural Note for the .*Session", x, re.I)), None)
    if title_i is None:
        raise fail(path, 1, "no title found; expected a heading like 'Procedural Note for the "
                   "Fifth Informal Thematic Session: ...'. Is this the GCM procedural note?")
    title = clean(re.sub(r"^#+", "", lines[title_i]))
    n = ordinal_number(title)
    if n is None or not any(COMPACT.search(x) for x in lines[:title_i]):
        raise fail(path, title_i + 1, "cannot tell which GCM thematic session this note is for; "
                   "expected a heading 'Global compact for safe, orderly and regular migration' "
                   "and 'Procedural Note for the Fifth Informal Thematic Session: ...'")
    session = f"gcm-ts{n}"
    when_i = next((i for i in range(title_i + 1, len(lines)) if (d := find_dates(lines[i]))
                   and d.start), None)
    if when_i is None:
        raise fail(path, title_i + 2, "no session dates after the title; expected a line like "
                   "'Vienna, 4-5 September 2017'")
    when = find_dates(lines[when_i])
    sections = _sections(lines)
    if "format" not in sections:
        raise fail(path, title_i + 1, "no format section found; expected a heading like "
                   "'#### **II. Format**' with sub-sections 'a. Welcoming remarks' ...")
    annex_at = next((i for i, x in enumerate(lines) if _ANNEX.match(x)), None)
    panels = _panels(path, lines, annex_at, when.start) if annex_at is not None else []
    if not panels:
        raise fail(path, (annex_at or 0) + 1, "no panels found in the annex agenda; expected "
                   "rows like '10.15-13.00<TAB><p><b>PANEL 1: Smuggling of migrants</b></p>'")

    doc = DOCUMENT_ID
    theme = re.search(r"[“\"](.+?)[”\"]", title)
    compact = clean(next(x for x in lines[:title_i] if COMPACT.search(x)).lstrip("# "))
    out: list[Record] = [
        Node("Document", doc, {"title": title, "kind": "procedural-note",
                               "source_file": source_file(path), "source": doc, "page": None}),
        Node("Event", session, {
            "name": f"{title.split(':')[0].replace('Procedural Note for the ', '')} on the "
                    f"{compact}",
            "kind": "session", "series": "gcm-thematic-sessions", "start_date": when.start,
            "end_date": when.end, "place": clean(lines[when_i][:when.pos[0]]).strip(" ,") or None,
            "summary": theme.group(1) if theme else None, "source": doc, "page": None}),
        Edge("ISSUED_BY", "Document", doc, "Body", ISSUER, {"source": doc}),
        Edge("RECORDS", "Document", doc, "Event", session, {"source": doc}),
    ]
    text = "\n".join(blocks(lines))
    if CONVENER[1].search(text):
        out.append(Edge("CONVENED_BY", "Event", session, "Body", CONVENER[0], {"source": doc}))
    for kind in ("introduction", "format"):
        for k, passage in enumerate(sections.get(kind, []), start=1):
            pid = f"{doc}:{kind}.{k}"
            out += [Node("Passage", pid, {"kind": kind, "text": passage, "ordinal": k,
                                          "document_id": doc, "source": doc, "page": None}),
                    Edge("MADE_IN", "Passage", pid, "Document", doc, {"source": doc})]
    for key, name, summary, slot in panels:
        event = f"{session}-{key}"
        out += [Node("Event", event, {"name": name, "kind": "panel", "topic": summary,
                                      "start_date": slot[0], "end_date": slot[0],
                                      "structure": slot[1], "source": doc, "page": None}),
                Edge("PART_OF", "Event", event, "Event", session, {"source": doc})]
    out += citation_records("Document", doc, text, doc)
    out += mention_edges("Document", doc, text, doc)
    return checked(out, path, REFERENCED_IDS)


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """Passage texts by kind: 'introduction' (one per paragraph) and 'format' (the section's
    opening text, then one per lettered sub-section, prefixed with its title)."""
    parts: list[tuple[str, str | None, list[str]]] = []  # (kind, sub-section title, lines)
    kind = None
    for line in lines:
        if (m := _SECTION.match(line)) or _ANNEX.match(line):
            kind = m.group(2).strip("* ").lower() if m else None
            if kind in ("introduction", "format"):
                parts.append((kind, None, []))
            else:
                kind = None
        elif kind == "format" and (m := _SUBSECTION.match(line)):
            parts.append((kind, clean(m.group(2)), []))
        elif kind:
            parts[-1][2].append(line)
    out: dict[str, list[str]] = {}
    for kind, heading, body in parts:
        texts = blocks(body)
        if kind == "format" and texts:
            texts = [f"{heading + ': ' if heading else ''}{' '.join(texts)}"]
        out.setdefault(kind, []).extend(texts)
    return out


def _panels(path: Path, lines: list[str], start: int,
            first_day: dt.date) -> list[tuple[str, str, str, tuple[dt.date, str]]]:
    """(id suffix, name, summary, (day, 'Day n, hh.mm-hh.mm')) for each panel row."""
    rows: list[list] = []  # [day number, 'hh.mm-hh.mm', cell html, line]
    day = 1
    for i, line in enumerate(lines[start:], start=start + 1):
        if (m := _DAY.match(line)):
            day = int(m.group(1))
        elif (m := _ROW.match(line)):
            rows.append([day, f"{m.group(1)}-{m.group(2)}", m.group(3), i])
        elif rows and line.startswith("\t") and line.strip():  # continuation of the row above
            rows[-1][2] += " " + line.strip()
    panels = []
    for day, slot, cell, line in rows:
        m = _PANEL.search(cell)
        if m is None:
            continue
        rest = cell[m.end():]
        items = [clean(li).lstrip("▪ ").strip() for li in re.findall(r"<li>(.*?)</li>", rest)]
        summary = "; ".join(items) if items else clean(rest)
        key = f"panel-{m.group(1)}" if m.group(1) else "summary-panel"
        label = f"Panel {m.group(1)}" if m.group(1) else "Summary panel"
        try:
            date = first_day + dt.timedelta(days=day - 1)
        except OverflowError:  # '### Day 99999999': a crash found by tests/test_parsers_property
            raise fail(path, line, f"day {day} of the session is no date; correct the "
                       "'### Day' heading above this row") from None
        panels.append((key, f"{label}: {clean(m.group(3))}", summary,
                       (date, f"Day {day} ({date:%-d %B %Y}), {slot}")))
    return panels
