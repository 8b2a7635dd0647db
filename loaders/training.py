"""Loader for a UNODC training-session description (data/sources/004_*.txt).

The document: a title line, then sections introduced by a label line ('Description:',
'Objectives:', 'Agenda:', 'Key resource material.:', 'Post-session_checklist:' -- OCR keeps
stray dots and underscores), each holding paragraphs and bullets. The OCR renders first-level
bullets as 'e', '¢', '•' or '-' and second-level ones as 'o' or '°'; a line without a bullet
continues the bullet above unless a blank line separates them.

Records: the Document (kind 'training', ISSUED_BY UNODC; the description gives no issue day,
so `date` is None and the year goes into `summary`), objectives and the implementation
challenges listed under one of them as Passages (kinds 'objective', 'challenge'), the key
resource materials as Resources with SUPPORTS edges to the instruments they serve, and the
post-session checklist questions as Passages (kind 'checklist-question') with MENTIONS edges
to the frameworks each names. Pages: none are shown, so `page` is None on every record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.records import Edge, Node
from loaders.text import (CITATION_IDS, MENTION_IDS, Record, checked, clean, fail, find_dates,
                          framework_mentions, mention_edges, read_lines, slug, source_file)

DOCUMENT_ID = "unodc-training-international-framework"  # docs/ids.md
ISSUER = "unodc"  # UNODC's training-session descriptions carry no issuer line
PUBLISHERS = ("UNODC", "IOM", "UNHCR", "OHCHR", "ILO", "UNICEF", "ICAT")
# What a resource's kind is, from its title (first match wins).
RESOURCE_KINDS = (("legislative-guide", r"legislative guide"), ("model-law", r"model law"),
                  ("framework-for-action", r"framework for action"),
                  ("case-digest", r"case digest"), ("database", r"portal|database"))
# Crimes a resource addresses -> the Protocol it supports (besides instruments it names).
CRIME_PROTOCOLS = (("tip-protocol", re.compile(r"trafficking in persons|human trafficking", re.I)),
                   ("som-protocol", re.compile(r"smuggling of migrants|migrant smuggling", re.I)))
_ANAPHORA = re.compile(r"\bth(?:ese|e)\s+(two|three|four|five|\d)\s+(?:international\s+)?"
                       r"instruments\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}

REFERENCED_IDS: frozenset[str] = (frozenset({ISSUER}) | {f for f, _ in CRIME_PROTOCOLS}
                                  | MENTION_IDS | CITATION_IDS)

_LABEL = re.compile(r"^\s*([A-Z][A-Za-z_-]*(?: [A-Za-z_-]+){0,3}?)[\s._]*:\s*$")  # <= 4 words
_BULLET = re.compile(r"^\s*(e|¢|•|-|▪|o|°)\s+(.*)$")
_TOP = {"e", "¢", "•", "-", "▪"}


@dataclass
class Bullet:
    line: int
    text: str
    subs: list[str] = field(default_factory=list)


@dataclass
class Section:
    line: int
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # before/between bullets
    bullets: list[Bullet] = field(default_factory=list)
    trailing: list[tuple[int, str]] = field(default_factory=list)    # paragraphs after bullets


def _sections(lines: list[str]) -> dict[str, Section]:
    """Sections by normalized label ('objectives', 'key resource material', ...)."""
    out: dict[str, Section] = {}
    sec: Section | None = None
    last: list[str] | None = None  # where a continuation line goes: [text] holder
    blank = True
    for i, raw in enumerate(lines, start=1):
        if (m := _LABEL.match(raw)):
            sec = out.setdefault(re.sub(r"[\W_]+", " ", m.group(1)).strip().lower(), Section(i))
            last, blank = None, True
            continue
        if sec is None:
            continue
        if not raw.strip():
            blank = True
            continue
        text = clean(raw)
        if (m := _BULLET.match(raw)):
            body = clean(m.group(2))
            if m.group(1) in _TOP or not sec.bullets:
                sec.bullets.append(Bullet(i, body))
                last = ["bullet"]
            else:
                sec.bullets[-1].subs.append(body)
                last = ["sub"]
        elif last and not blank:  # continuation of the bullet above
            b = sec.bullets[-1]
            if last[0] == "sub":
                b.subs[-1] += " " + text
            else:
                b.text += " " + text
        else:  # a paragraph: before the bullets, or after them
            target = sec.trailing if sec.bullets else sec.paragraphs
            if blank or not target:
                target.append((i, text))
            else:
                target[-1] = (target[-1][0], f"{target[-1][1]} {text}")
            last = None
        blank = False
    return out


def _get(sections: dict[str, Section], prefix: str, path: Path, example: str) -> Section:
    sec = next((s for k, s in sections.items() if k.startswith(prefix)), None)
    if sec is None or not sec.bullets:
        raise fail(path, sec.line if sec else 1, f"no {prefix!r} section with bullets found; "
                   f"expected a label line like {example!r} followed by bullets. Is this the "
                   "UNODC training-session description?")
    return sec


def read_training(path: Path) -> list[Node | Edge]:
    """Records of the training-session description (see the module docstring)."""
    lines = read_lines(path)
    sections = _sections(lines)
    objectives = _get(sections, "objective", path, "Objectives:")
    resources = _get(sections, "key resource", path, "Key resource material:")
    checklist = _get(sections, "post session checklist", path, "Post-session checklist:")
    title = next((clean(x) for x in lines if x.strip()), "")
    description = sections.get("description", Section(0))
    dated = [d for _, p in description.paragraphs if (d := find_dates(p)) and d.start]
    latest = max((d.start for d in dated), default=None)

    doc = DOCUMENT_ID
    summary = "\n\n".join(p for _, p in description.paragraphs) or None
    if latest:
        summary = (f"Session description from {latest.year} (undated; the latest dated event it "
                   f"reports is of {latest:%-d %B %Y}).\n\n{summary}")
    out: list[Record] = [
        Node("Document", doc, {"title": title, "kind": "training", "summary": summary,
                               "source_file": source_file(path), "source": doc, "page": None}),
        Edge("ISSUED_BY", "Document", doc, "Body", ISSUER, {"source": doc}),
    ]
    out += mention_edges("Document", doc, "\n".join(p for _, p in description.paragraphs), doc)
    named: list[list[tuple[str, str]]] = []  # frameworks each objective names, in order
    kinds_n = {"objective": 0, "challenge": 0}

    def passage(kind: str, text: str) -> str:
        kinds_n[kind] = kinds_n.get(kind, 0) + 1
        pid = f"{doc}:{kind}.{kinds_n[kind]}"
        out.extend([Node("Passage", pid, {"kind": kind, "text": text, "ordinal": kinds_n[kind],
                                          "document_id": doc, "source": doc, "page": None}),
                    Edge("MADE_IN", "Passage", pid, "Document", doc, {"source": doc})])
        return pid

    for b in objectives.bullets:
        text = " ".join([b.text, *b.subs]).rstrip(";")
        pid = passage("objective", text)
        out += mention_edges("Passage", pid, text, doc)
        named.append(framework_mentions(text))
        if re.search(r"challenge", b.text, re.I):
            for sub in b.subs:
                passage("challenge", re.sub(r"[;,.]*(?:\s+and)?;?$", "", sub))
    for _, text in objectives.trailing:
        passage("objective", text)
    out += _resources(resources, doc, path)
    for b in checklist.bullets:
        text = " ".join([b.text, *b.subs])
        pid = passage("checklist-question", text)
        out += mention_edges("Passage", pid, text, doc)
        out += _resolve_instruments(pid, text, named, doc)
    return checked(out, path, REFERENCED_IDS)


def _resolve_instruments(pid: str, text: str, named: list[list[tuple[str, str]]],
                         doc: str) -> list[Edge]:
    """'these three international instruments' -> the first objective naming exactly three."""
    m = _ANAPHORA.search(text)
    if m is None:
        return []
    count = _NUMBERS.get(m.group(1).lower()) or int(m.group(1))
    k, frameworks = next(((k, f) for k, f in enumerate(named, 1) if len(f) == count), (0, []))
    names = ", ".join(e for _, e in frameworks)
    return [Edge("MENTIONS", "Passage", pid, "Framework", fid, {
        "method": "cited", "source": doc,
        "evidence": f"{m.group(0)} (the instruments named in objective {k}: {names})"})
        for fid, _ in frameworks]


def _resources(section: Section, doc: str, path: Path) -> list[Record]:
    """Resources (and SUPPORTS edges) for the key resource material bullets. A bullet naming
    only instruments ('UNTOC, TIP Protocol and SOM Protocol') is a citation of those
    frameworks, not a resource; 'X — A (2015); B (2004)' is one resource per part."""
    out: list[Record] = []
    end = section.trailing[0][0] if section.trailing else None  # 'For other material, see:'
    for b in section.bullets:
        if end is not None and b.line > end:
            break
        made = len(out)
        text = b.text.strip().lstrip("(").rstrip(".")
        named = framework_mentions(text)
        rest = text
        for _, evidence in named:
            rest = rest.replace(evidence, "")
        if named and not re.sub(r"\W+|\band\b", "", rest):
            out += [Edge("CITES", "Document", doc, "Framework", fid,
                         {"evidence": b.text, "source": doc}) for fid, _ in named]
            continue
        m = re.match(r"^(.+?)\s+[—–]\s+(.+)$", text)
        parts = [p.strip() for p in m.group(2).split(";")] if m else []
        if len(parts) >= 2 and all(re.search(r"\(.*\d{4}\)$", p) for p in parts):
            prefix = re.sub(r"s$", "", m.group(1))  # 'Legislative Guides' -> one guide each
            for p in parts:
                name, when = re.match(r"^(.*?)\s*\((.*)\)$", p).groups()
                out += _resource(f"{prefix} — {name}", when, p, doc,
                                 note=when if re.search(r"[A-Za-z]", when) else None)
        else:
            head, *tail = [x.strip() for x in text.split(",")]
            out += _resource(head, ", ".join(tail), text, doc)
        if any(isinstance(r, Node) and not r.id for r in out[made:]):  # ', Model Law ...'
            raise fail(path, b.line, "this key resource bullet has no title (the words before "
                       "its first comma); correct the line")
    return out


def _resource(title: str, rest: str, scope: str, doc: str, note: str | None = None) -> list[Record]:
    """One Resource: publisher from a leading acronym ('UNODC Legislative Guide', "UNODC's
    SHERLOC") or from `rest`; year from `rest`; id from an acronym name or the title."""
    publisher = None
    m = re.match(rf"^({'|'.join(PUBLISHERS)})(?:'s|’s)?\s+(.+)$", title)
    if m:
        publisher, title = m.group(1), m.group(2)
    publisher = publisher or next((p for p in PUBLISHERS if re.search(rf"\b{p}\b", rest)), None)
    year = re.findall(r"\b(19\d{2}|20\d{2})\b", rest)
    first = (title.split() or [""])[0]  # an IndexError on an empty title (test_parsers_property)
    rid = slug(first) if re.fullmatch(r"[A-Z]{4,}", first) else slug(title)
    kind = next((k for k, p in RESOURCE_KINDS if re.search(p, title, re.I)), "publication")
    frameworks = [f for f, _ in framework_mentions(scope)]
    frameworks += [f for f, p in CRIME_PROTOCOLS if p.search(scope) and f not in frameworks]
    if note:
        title = f"{title} ({note})"
    out: list[Record] = [Node("Resource", rid, {
        "title": title, "year": int(year[-1]) if year else None, "publisher": publisher,
        "kind": kind, "source": doc, "page": None})]
    out += [Edge("SUPPORTS", "Resource", rid, "Framework", f, {"source": doc}) for f in frameworks]
    return out
