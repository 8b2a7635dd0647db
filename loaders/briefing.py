"""Loader for the UNODC HTMSS briefing on upcoming events (data/sources/000_*.txt).

The briefing is a slide deck: a title block ending with the briefing date, an opening list of
events (one bold line each: name, dates, place), then one slide ('## ' heading) per event with
labelled bullets ('**Topic:**', '**Time and place:**', ...), and a closing 'Thank you' slide.
Events get the fixed ids of docs/ids.md, derived from what the line says (the ordinal of a
session, the year and month of a meeting) by EVENT_RULES, so a changed briefing changes them.

Pages: the transcription shows no page (slide) numbers, so `page` is None on every record.
Everything after the closing slide's heading is ignored: the seed copy was taken from a site
that can run the next document into the deck's last line (text such as '14:3 Global compact ...').
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.records import Edge, Node
from loaders.text import (CITATION_IDS, MENTION_IDS, DateSpan, Record, blocks, checked,
                          citation_records, clean, fail, find_dates, mention_edges,
                          ordinal_number, read_lines, slug, source_file)

DOCUMENT_ID = "htmss-briefing-2017-06"  # docs/ids.md

# The issuing body, from the names in the title block (most specific first).
ISSUERS = (("unodc-htmss", re.compile(r"Human Trafficking and Migrant Smuggling Section", re.I)),
           ("unodc", re.compile(r"United Nations Office on Drugs and Crime|\bUNODC\b")))


@dataclass(frozen=True)
class EventRule:
    """How to recognise one kind of event (in its list line or slide heading) and name it."""

    key: str
    pattern: re.Pattern[str]
    make_id: Callable[[int | None, DateSpan | None], str | None]  # (ordinal, dates) -> id
    kind: str
    convener: str
    series: str | None = None


def _ym(fmt: str) -> Callable[[int | None, DateSpan | None], str | None]:
    """An id from the year (and month) of the event: 'gpa-consultation-{y}-{m:02d}'."""
    return lambda _n, d: fmt.format(y=d.year, m=d.month) if d else None


def _nth(prefix: str) -> Callable[[int | None, DateSpan | None], str | None]:
    return lambda n, _d: f"{prefix}{n}" if n else None


_I = re.I
# Order matters: the first rule whose pattern matches wins.
EVENT_RULES: tuple[EventRule, ...] = (
    EventRule("gcm-stocktaking", re.compile(r"stocktaking.*global compact", _I),
              _ym("gcm-stocktaking-{y}"), "meeting", "pga"),
    EventRule("gcm-thematic", re.compile(r"global compact", _I), _nth("gcm-ts"), "session",
              "pga", "gcm-thematic-sessions"),
    EventRule("gpa-consultation", re.compile(r"consultation.*global plan of action", _I),
              _ym("gpa-consultation-{y}-{m:02d}"), "meeting", "unga"),
    EventRule("gpa-appraisal", re.compile(r"appraisal.*global plan of action", _I),
              _ym("gpa-appraisal-{y}"), "meeting", "unga"),
    EventRule("ccpcj", re.compile(r"Commission on Crime Prevention and Criminal Justice|\bCCPCJ\b",
                                  _I), _nth("ccpcj-"), "session", "ccpcj", "ccpcj-sessions"),
    EventRule("wg-tip", re.compile(r"Working Group on Trafficking in Persons|\bTiP WG\b", _I),
              _nth("wg-tip-"), "session", "untoc-cop", "wg-tip-sessions"),
    EventRule("wg-som", re.compile(r"Working Group on the Smuggling of Migrants|\bSoM WG\b", _I),
              _nth("wg-som-"), "session", "untoc-cop", "wg-som-sessions"),
    EventRule("unsc-tip", re.compile(r"Security Council meeting on (?:human )?trafficking", _I),
              _ym("unsc-tip-meeting-{y}-{m:02d}"), "meeting", "unsc"),
)

REFERENCED_IDS: frozenset[str] = (frozenset(b for b, _ in ISSUERS)
                                  | {r.convener for r in EVENT_RULES} | CITATION_IDS | MENTION_IDS)

# Slide bullet labels -> Event property ('summary' holds the topic).
FIELDS = {"topic": "summary", "meeting": "summary", "participants": "participants",
          "structure": "structure", "background documentation": "documentation",
          "documentation": "documentation", "outcome": "outcome",
          "time and place": "when", "time & place": "when"}
_LABELLED = re.compile(r"^\s*-\s+\*\*(?P<label>[^*]+?):?\*\*:?\s*(?P<value>.*)$")
_BOLD_LINE = re.compile(r"^\*\*(.+)\*\*\s*$")
_CLOSING = re.compile(r"thank you", re.I)


@dataclass
class Listed:
    line: int
    title: str
    rule: EventRule | None
    name: str
    dates: DateSpan | None
    place: str | None


@dataclass
class Slide:
    line: int
    heading: str
    rule: EventRule | None
    fields: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(blocks(self.lines))


def _rule(text: str) -> EventRule | None:
    return next((r for r in EVENT_RULES if r.pattern.search(text)), None)


def _split_when_where(title: str) -> tuple[str, DateSpan | None, str | None]:
    """'7th session of ..., 6-8 September 2017, Vienna' -> (name, dates, 'Vienna')."""
    dates = find_dates(title)
    if dates is None:
        return title, None, None
    before, after = title[:dates.pos[0]], title[dates.pos[1]:]
    place = None
    m = re.match(r"^(?:,\s*|\s+in\s+)([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)", after)
    if m:
        place, after = m.group(1), after[m.end():]
    before = re.sub(r"(?:,|\s+on|\s+in)\s*$", "", before.rstrip())
    return re.sub(r"\s+", " ", before + after).strip(" ,"), dates, place


def _slides(lines: list[str], start: int) -> tuple[list[Slide], int]:
    """The '## ' slides from line index `start` up to the closing slide; and where it stops."""
    slides: list[Slide] = []
    label = None
    for i in range(start, len(lines)):
        line = lines[i]
        if line.startswith("## "):
            heading = clean(line[3:])
            if _CLOSING.search(heading):
                return slides, i
            slides.append(Slide(i + 1, heading, _rule(heading)))
            label = None
            continue
        if not slides or not line.strip():
            continue
        slide = slides[-1]
        slide.lines.append(line)
        m = _LABELLED.match(line)
        if m:
            label = FIELDS.get(clean(m.group("label")).lower(), "summary")
            value = clean(m.group("value"))
            if label in slide.fields:  # 'Meeting:' after 'Topic:' and the like
                value = f"{slide.fields[label]} {value}"
            slide.fields[label] = value
        elif label:  # sub-bullets and continuation lines belong to the bullet above
            before = slide.fields[label]
            glue = "; " if line.lstrip().startswith("- ") and not before.endswith((":", ";", ".")) \
                else " "
            slide.fields[label] = f"{before}{glue}{clean(line.lstrip(' -'))}".strip()
    return slides, len(lines)


def read_briefing(path: Path) -> list[Node | Edge]:
    """Records of the briefing: its Document, the events it lists, and what they cite."""
    lines = read_lines(path)
    date_i = next((i for i, line in enumerate(lines) if not line.startswith("#")
                   and (d := find_dates(line)) is not None and d.start
                   and clean(line) == d.text), None)
    if date_i is None:
        raise fail(path, 1, "no briefing date found; expected a line of its own like "
                   "'9 June 2017' after the title. Is this the HTMSS briefing?")
    header = "\n".join(lines[:date_i])
    title = re.search(r"\*\*(.+?)\*\*", header, re.S)
    issuer = next((b for b, p in ISSUERS if p.search(header)), None)

    listed: list[Listed] = []
    i = date_i + 1
    while i < len(lines) and not lines[i].startswith("## "):
        if (m := _BOLD_LINE.match(lines[i])):
            text = clean(m.group(1))
            listed.append(Listed(i + 1, text, _rule(text), *_split_when_where(text)))
        i += 1
    if not listed:
        raise fail(path, date_i + 2, "no events found after the briefing date; expected bold "
                   "lines like '**26th session of ..., 22-26 May 2017, Vienna**'. Is this the "
                   "HTMSS briefing?")
    slides, end = _slides(lines, i)

    doc = DOCUMENT_ID
    out: list[Record] = [Node("Document", doc, {
        "title": clean(title.group(1)) if title else None, "kind": "briefing",
        "date": find_dates(lines[date_i]).start, "source_file": source_file(path),
        "source": doc, "page": None})]
    if issuer:
        out.append(Edge("ISSUED_BY", "Document", doc, "Body", issuer, {"source": doc}))
    by_rule: dict[str, Listed] = {}
    for item in listed:
        if item.rule and item.rule.key in by_rule:
            raise fail(path, item.line, f"two listed events look like {item.rule.key!r} "
                       f"(lines {by_rule[item.rule.key].line} and {item.line}); cannot tell "
                       "which slide describes which")
        if item.rule:
            by_rule[item.rule.key] = item
    for item in listed:
        slide = next((s for s in slides if item.rule and s.rule is item.rule), None)
        out += _event_records(item, slide, doc)
    body = "\n".join(blocks(lines[:end]))
    out += mention_edges("Document", doc, body, doc)
    return checked(out, path, REFERENCED_IDS)


def _event_records(item: Listed, slide: Slide | None, doc: str) -> list[Record]:
    """The Event for one listed line (plus its slide, if any) and its edges."""
    rule = item.rule
    n = ordinal_number(item.title) or (ordinal_number(slide.text) if slide else None)
    event_id = rule.make_id(n, item.dates) if rule else None
    if event_id is None:  # an event the rules do not know: still loaded, under a slug id
        when = f"{item.dates.year}-{item.dates.month:02d}" if item.dates else ""
        event_id = slug(f"{item.name} {when}")[:80].strip("-")
    fields = dict(slide.fields) if slide else {}
    fields.pop("when", None)
    summary = fields.pop("summary", None)
    if item.dates and item.dates.start is None:  # month only: the schema's dates are days
        summary = f"{summary + ' ' if summary else ''}(Date given as {item.dates.text}.)"
    out: list[Record] = [Node("Event", event_id, {
        "name": item.name, "kind": rule.kind if rule else None,
        "start_date": item.dates.start if item.dates else None,
        "end_date": item.dates.end if item.dates else None, "place": item.place,
        "series": rule.series if rule else None, "summary": summary, **fields,
        "source": doc, "page": None})]
    out.append(Edge("RECORDS", "Document", doc, "Event", event_id, {"source": doc}))
    if rule:
        out.append(Edge("CONVENED_BY", "Event", event_id, "Body", rule.convener, {"source": doc}))
    if slide:
        out += citation_records("Event", event_id, slide.text.strip(), doc)
    return out
