"""Loader for the co-facilitators' summary of the GCM fifth informal thematic session (Vienna,
4-5 September 2017): data/sources/003_2307a9ba4bf51685.txt -> Node and Edge records.

Why it reads the text itself rather than a hand-made table: the recommendations must stay
traceable to the transcription (`raw` is an exact substring of the file), so a reviewer can check
every split and every cleaning against the source. Ids follow docs/ids.md.

NEEDED_BODIES: Body ids this loader links Persons to (AFFILIATED_WITH) that are not in the
fixed list of architecture.md. Bodies belong to the `bodies:` lists of data/frameworks/*.yaml
(another loader); until an id is there, no edge to it is emitted. Please add:
    eui-migration-policy-centre  Migration Policy Centre, European University Institute
    global-initiative-toc        Global Initiative against Transnational Organized Crime
    prio                         Peace Research Institute Oslo (PRIO)
    democracy-today              Democracy Today
    qatar-university             Qatar University College of Law
    gaatw                        Global Alliance Against Traffic in Women (GAATW; the
                                 programme writes "Trafficking in Women")
    msf                          Médecins Sans Frontières (MSF)
    university-of-nigeria        University of Nigeria
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import edge_problems, node_problems
from loaders.clean import clean_text
from loaders.summary_annex import PERSON_BODIES, PERSON_NOTES, Speaker, read_speakers, slug
from loaders.transcription import Page, Transcription, read_transcription, split_items

__all__ = ["read_summary", "NEEDED_BODIES", "FALLBACK_BODIES", "DOCUMENT_ID", "IMPERATIVES"]

DOCUMENT_ID = "gcm-ts5-summary"
EVENT_ID = "gcm-ts5"

NEEDED_BODIES: dict[str, str] = {
    "eui-migration-policy-centre": "Migration Policy Centre, European University Institute",
    "global-initiative-toc": "Global Initiative against Transnational Organized Crime",
    "prio": "Peace Research Institute Oslo (PRIO)",
    "democracy-today": "Democracy Today",
    "qatar-university": "Qatar University College of Law",
    "gaatw": "Global Alliance Against Traffic in Women (GAATW)",
    "msf": "Médecins Sans Frontières (MSF)",
    "university-of-nigeria": "University of Nigeria",
}

# Body ids AFFILIATED_WITH may point to while no data/frameworks/*.yaml lists bodies yet.
FALLBACK_BODIES = frozenset({"state-mex", "state-che", "state-arg", "state-aut", "state-aus",
                             "state-gbr", "state-usa", "sr-tip", "pga", "gcm-cofacilitators"})

# The words (verbs, and one adverb) the recommendations open with. Only used where the OCR
# lost a bullet entirely ("... for children Promote early identification ..."): such a word
# after a bare word starts a new item. After a visible bullet any capitalised word does.
IMPERATIVES = frozenset(
    "Accede Address Allocate Analyze Apply Avoid Call Conclude Consider Consolidate Contemplate "
    "Develop Empower Enact Encourage Endorse Engage Enhance Ensure Establish Implement Improve "
    "Include Incorporate Increase Introduce Involve Maintain Make Organize Prevent Promote "
    "Provide Ratify Recognize Regularly Render Review Strengthen Support Systematize Use".split())

_ROMAN = {"I": r"(?:I|i)", "II": r"II", "III": r"(?:III|iii|m)", "IV": r"(?:IV|iv)"}
_CONCRETE = (r"C'?oncrete\s+[Ii]ssues\s+and\s+recommendations\s+presented\s+for\s+"
             r"consideration\s+included\s*:")


@dataclass
class _Out:
    """The records being built, with the file line each came from (for error messages)."""

    tr: Transcription
    nodes: list[Node]
    edges: list[Edge]
    lines: dict[object, int]

    def node(self, label: str, node_id: str, at: int, **props: object) -> None:
        props = {"source": DOCUMENT_ID, **{k: v for k, v in props.items() if v is not None}}
        n = Node(label, node_id, props)
        self.nodes.append(n)
        self.lines[n.key] = self.tr.line_at(at)

    def edge(self, rel: str, src: tuple[str, str], dst: tuple[str, str], at: int,
             **props: object) -> None:
        e = Edge(rel, src[0], src[1], dst[0], dst[1], {"source": DOCUMENT_ID, **props})
        self.edges.append(e)
        self.lines[e.key] = self.tr.line_at(at)


def _find(tr: Transcription, pattern: str, start: int, end: int, what: str) -> re.Match[str]:
    m = re.compile(pattern).search(tr.text, start, end)
    if m is None:
        raise LoaderError(f"{tr.where(start)}: could not find {what} (pattern {pattern!r}) "
                          "after this line; has the transcription changed?")
    return m


def _title_re(title: str) -> str:
    """A pattern for a heading whose spaces and hyphens the OCR may have swapped."""
    parts = [re.escape(w).replace("Panel", "Pane[l!]") for w in re.split(r"[\s-]+", title)]
    return r"[\s-]+".join(parts)


def _clean(tr: Transcription, start: int, end: int) -> tuple[str, int]:
    a, b = tr.trim(start, end)
    return clean_text(tr.text[a:b]), a


def _rec_text(raw: str) -> str:
    """Cleaned text of one recommendation, without the final stop: the OCR cannot tell a full
    stop from a bullet rendered as '.', so no item keeps one (except in 'etc.')."""
    text = re.sub(r"[\s.,;:]+$", "", clean_text(raw))
    return text + "." if text.endswith("etc") else text


def _date(day: str, month: str, year: str, where: str) -> dt.date:
    try:
        return dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:  # 'Septembe', '39 October': a crash found by tests/test_parsers_property
        raise LoaderError(f"{where}: '{day} {month} {year}' is not a date; correct it in the "
                          "transcription") from None


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _corpus_bodies(path: Path) -> frozenset[str]:
    """Body ids listed under `bodies:` in data/frameworks/*.yaml (next to data/sources), or
    `FALLBACK_BODIES` while no file there lists any."""
    ids: set[str] = set()
    for corpus in sorted((path.resolve().parent.parent / "frameworks").glob("*.yaml")):
        try:
            data = yaml.safe_load(corpus.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # the frameworks loader reports a broken corpus file with its line
        listed = data.get("bodies") if isinstance(data, dict) else None
        ids.update(str(b["id"]) for b in listed or () if isinstance(b, dict) and "id" in b)
    return frozenset(ids) or FALLBACK_BODIES


def read_summary(path: Path, known_bodies: Collection[str] | None = None) -> list[Node | Edge]:
    """Read the co-facilitators' summary and return its nodes and edges.

    `known_bodies` are the Body ids AFFILIATED_WITH may point to; by default those listed
    under `bodies:` in data/frameworks/*.yaml, or `FALLBACK_BODIES` while none are.
    """
    tr = read_transcription(path)
    out = _Out(tr, [], [], {})
    bodies = frozenset(known_bodies) if known_bodies is not None else _corpus_bodies(path)
    contents = next((p for p in tr.pages if p.printed == 1), None)
    if contents is None:
        raise LoaderError(f"{tr.where(tr.pages[0].start)}: no page numbered 1 (the contents "
                          "page) was found.")  # with a line: tests/test_parsers_property.py
    end = tr.pages[-1].end
    annex = _find(tr, r"ANNEX\s+-\s+Programme\s+of\s+work", contents.end, end, "the ANNEX")
    topic, place, dates = _document(tr, out, contents.start, contents.end)
    findings, intro = _sections(tr, out, contents, annex.start())
    _session(out, contents.start, topic, place, dates, intro)
    _annex(tr, out, annex.start(), end, dates, findings, bodies)
    _check(out, path)
    return [*out.nodes, *out.edges]


def _document(tr: Transcription, out: _Out, start: int,
              end: int) -> tuple[str, str, list[dt.date]]:
    """The Document, from the cover letters and the contents page."""
    head = _find(tr, r'migration\s+"(?P<topic>[^"]+)"\s+(?P<d1>\d{1,2})\s*-\s*(?P<d2>\d{1,2})\s+'
                 r"(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4}),\s+(?P<place>.+?)\s+Co-facilitators",
                 start, end, "the session's title, dates and place")
    topic, place = clean_text(head["topic"]), clean_text(head["place"])
    dates = [_date(head[d], head["month"], head["year"], tr.where(head.start()))
             for d in ("d1", "d2")]
    sent = _find(tr, r"GENERAL\s+ASSEMBLY\s+(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})", 0, start,
                 "the date of the PGA's covering letter")
    letter = _find(tr, r"New\s+York,\s+(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})", 0, start,
                   "the date of the co-facilitators' letter")
    basis = re.search(r"paragraph \d+ of A/RES/\d+/\d+", clean_text(tr.text[0:start]))
    issued = _date(*sent.groups(), tr.where(sent.start()))
    written = _date(*letter.groups(), tr.where(letter.start()))
    out.node("Document", DOCUMENT_ID, start, kind="summary", date=issued,
             title=f"Co-facilitators' summary of the fifth informal thematic session of the "
                   f'global compact for safe, orderly and regular migration: "{topic}"',
             source_file=f"data/sources/{tr.path.name}",
             summary=f"Summary of the session held at the {place} on {dates[0].day}-"
                     f"{_day(dates[1])}, submitted by the co-facilitators' letter of "
                     f"{_day(written)}" + (f" under {basis.group(0)}" if basis else "") +
                     f" and transmitted by the President of the General Assembly on "
                     f"{_day(issued)}.")
    doc = ("Document", DOCUMENT_ID)
    for body in ("gcm-cofacilitators", "pga"):
        out.edge("ISSUED_BY", doc, ("Body", body), start)
    out.edge("RECORDS", doc, ("Event", EVENT_ID), start)
    return topic, place, dates


def _session(out: _Out, at: int, topic: str, place: str, dates: list[dt.date],
             intro: str) -> None:
    """The session Event; who attended and how it ran, in the introduction's own words."""
    structure = re.search(r"The session consisted of [^.]+\.", intro)
    attended = re.search(r"In total, .+?second day\.", intro)
    out.node("Event", EVENT_ID, at, kind="session", place=place, series="gcm-thematic-sessions",
             name=f"GCM fifth informal thematic session: {topic}", ordinal=5,
             start_date=dates[0], end_date=dates[-1],
             structure=structure.group(0) if structure else None,
             participants=attended.group(0) if attended else None)
    out.edge("CONVENED_BY", ("Event", EVENT_ID), ("Body", "pga"), at)


def _titles(tr: Transcription, start: int, end: int, after: str,
            pattern: str) -> list[tuple[str, str]]:
    """Numbered or lettered titles listed on the contents page after the heading `after`."""
    at = _find(tr, after, start, end, f"the contents entry {after!r}").end()
    text = clean_text(tr.text[at:end])
    return re.findall(pattern, text)


def _sections(tr: Transcription, out: _Out, contents: Page,
              stop: int) -> tuple[dict[int, str], str]:
    """Introduction, panel findings, areas a-g with their recommendations, and conclusions.

    Returns the findings of each panel by number, and the introduction."""
    c0, c1 = contents.start, contents.end
    panels = _titles(tr, c0, c1, r"II\.\s+Panels", r"(?<!\S)([1-4])\. (.+?)(?= [1-4]\. | III\.)")
    areas = _titles(tr, c0, c1, r"Areas of discussion",
                    r"(?<!\S)([a-g])\. (.+?)(?= [a-g]\. | IV\.| Conclusions\b)")
    intro = _find(tr, rf"(?<!\S){_ROMAN['I']}\.\s+Introduction\b", c1, stop, "I. Introduction")
    heads = [intro, _find(tr, rf"(?<!\S){_ROMAN['II']}\.\s+Panels\b", intro.end(), stop,
                          "II. Panels")]
    for n, title in panels:
        heads.append(_find(tr, rf"(?<!\S){n}\.\s+{_title_re(title)}", heads[-1].end(), stop,
                           f"the heading of panel {n}"))
    heads.append(_find(tr, rf"(?<!\S){_ROMAN['III']}\.\s+Areas\s+of\s+discussion\b",
                       heads[-1].end(), stop, "III. Areas of discussion"))
    for letter, title in areas:
        heads.append(_find(tr, rf"(?<!\S)(?:{letter}|<I)\.\s+{_title_re(title)}",
                           heads[-1].end(), stop, f"the heading of area {letter}"))
    concl = _find(tr, rf"(?<!\S){_ROMAN['IV']}\.\s+Conclusions\b", heads[-1].end(), stop,
                  "IV. Conclusions")
    heads.append(concl)
    ends = [h.start() for h in heads[1:]] + [stop]
    spans = list(zip([h.end() for h in heads], ends, strict=True))
    intro_text = _passage(tr, out, "introduction", 1, *spans[0])
    _passage(tr, out, "introduction", 2, *spans[1])
    findings = {int(n): _passage(tr, out, "panel-finding", int(n), *span)
                for (n, _), span in zip(panels, spans[2:2 + len(panels)], strict=True)}
    for (letter, title), span in zip(areas, spans[3 + len(panels):-1], strict=True):
        _area(tr, out, letter, title, *span)
    _passage(tr, out, "conclusion", 1, *spans[-1])
    return findings, intro_text


def _passage(tr: Transcription, out: _Out, kind: str, n: int, start: int, end: int) -> str:
    text, at = _clean(tr, start, end)
    pid = f"{DOCUMENT_ID}:{kind}.{n}"
    out.node("Passage", pid, at, kind=kind, text=text, ordinal=n, document_id=DOCUMENT_ID,
             page=tr.page_at(at).printed)
    out.edge("MADE_IN", ("Passage", pid), ("Document", DOCUMENT_ID), at)
    return text


def _area(tr: Transcription, out: _Out, letter: str, title: str, start: int, end: int) -> None:
    """One area of discussion: its Theme and its concrete recommendations."""
    concrete = _find(tr, _CONCRETE, start, end, f"the recommendations of area {letter}")
    text, at = _clean(tr, start, concrete.start())
    theme = ("Theme", f"theme-{slug(title)}")
    out.node(*theme, at, name=title, area=letter, text=text, page=tr.page_at(at).printed)
    items = split_items(tr, concrete.end(), end, IMPERATIVES)
    if not items:
        raise LoaderError(f"{tr.where(concrete.end())}: area {letter} lists no recommendations.")
    for n, item in enumerate(items, start=1):
        rid = ("Recommendation", f"{DOCUMENT_ID}:{letter}.{n}")
        out.node(*rid, item.start, text=_rec_text(item.raw), raw=item.raw, area=letter,
                 area_title=title, ordinal=n, document_id=DOCUMENT_ID,
                 page=tr.page_at(item.start).printed)
        out.edge("MADE_IN", rid, ("Document", DOCUMENT_ID), item.start)
        out.edge("IN_AREA", rid, theme, item.start)


def _annex(tr: Transcription, out: _Out, start: int, end: int, dates: list[dt.date],
           findings: dict[int, str], bodies: frozenset[str]) -> None:
    """The panels as Events, and the Persons of the programme of work with SPOKE_AT edges."""
    text = clean_text(tr.text[start:end])
    day2 = text.find("Day 2:")
    titles = re.findall(r"PANEL (\d): (.+?) This panel", text)
    summary_title = re.search(r"SUMMARY PANEL: (.+?) Moderators present", text)
    # numbered 1..n as in section II: 'PANEL 1' twice was a KeyError (tests/test_parsers_property)
    if [int(n) for n, _ in titles] != list(range(1, len(findings))) or summary_title is None \
            or sorted(findings) != list(range(1, len(findings) + 1)):
        raise LoaderError(f"{tr.where(start)}: the programme of work does not list the "
                          f"{len(findings)} panels of section II (3 expert panels and a "
                          "summary panel).")
    names = {int(n): f"Panel {n}: {t}" for n, t in titles}
    names[len(names) + 1] = f"Summary panel: {summary_title.group(1)}"
    speakers = read_speakers(tr, start, end)
    if "Moderators present" in text:  # the moderators report back at the summary panel
        speakers += [replace(s, event_id="gcm-ts5-summary-panel")
                     for s in speakers if s.role == "moderator"]
    for n, finding in findings.items():
        summary_panel = n > len(titles)
        eid = "gcm-ts5-summary-panel" if summary_panel else f"gcm-ts5-panel-{n}"
        marker = text.find("SUMMARY PANEL:" if summary_panel else f"PANEL {n}:")
        day = dates[-1] if 0 <= day2 < marker else dates[0]
        who = "; ".join(f"{s.role}: {s.name}" for s in speakers if s.event_id == eid)
        out.node("Event", eid, start, kind="panel", ordinal=n, name=names[n], summary=finding,
                 start_date=day, end_date=day, participants=who or None)
        out.edge("PART_OF", ("Event", eid), ("Event", EVENT_ID), start)
    _persons(out, speakers, bodies)


def _persons(out: _Out, speakers: list[Speaker], bodies: frozenset[str]) -> None:
    """One Person per name, SPOKE_AT each event they spoke at, AFFILIATED_WITH known bodies."""
    seen: set[str] = set()
    for s in speakers:
        person = ("Person", s.person_id)
        if s.person_id not in seen:
            seen.add(s.person_id)
            out.node(*person, s.offset, name=s.name, role=s.role, affiliation=s.affiliation,
                     page=s.page, confirmed=s.person_id not in PERSON_NOTES)
            for body in PERSON_BODIES.get(s.person_id, ()):
                if body in bodies:
                    out.edge("AFFILIATED_WITH", person, ("Body", body), s.offset)
        out.edge("SPOKE_AT", person, ("Event", s.event_id), s.offset, role=s.role)


def _check(out: _Out, path: Path) -> None:
    """Refuse records off the schema, or edges to nodes this loader should have made."""
    problems = []
    keys = {n.key for n in out.nodes}
    for n in out.nodes:
        problems += [f"{path}:{out.lines[n.key]}: {n.label} {n.id!r}: {p}"
                     for p in node_problems(n)]
    for e in out.edges:
        found = edge_problems(e)
        for label, key in ((e.src_label, e.src), (e.dst_label, e.dst)):
            if label != "Body" and (label, key) not in keys:
                found.append(f"no {label} with id {key!r} among this document's records")
        problems += [f"{path}:{out.lines[e.key]}: {e.type} {e.src!r}->{e.dst!r}: {p}"
                     for p in found]
    if len({n.key for n in out.nodes}) != len(out.nodes):
        problems.append(f"{path}: two nodes share an id")
    if problems:
        raise LoaderError(f"{len(problems)} schema problem(s) in records read from {path}; "
                          "fix the loader or the transcription:\n  " + "\n  ".join(problems))
