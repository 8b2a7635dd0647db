"""The programme of work (ANNEX) of the co-facilitators' summary: who spoke at which panel.

Why a module of its own: the annex is a table flattened by the OCR into one run of text, and its
names are where the OCR did the most damage. Each speaker entry is cut out between honorifics
('Ms.', 'H.E. Mr.') and section markers ('PANEL 2:', 'Moderators:'), cleaned with
`loaders.clean` (which corrects the misread names it can justify), then split into name and
affiliation at the first comma. What could not be recovered is kept as the text has it, with
`confirmed=False`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.clean import clean_text
from loaders.transcription import Transcription

__all__ = ["Speaker", "read_speakers", "slug", "PERSON_NOTES", "PERSON_BODIES"]

# Names whose spelling rests on background knowledge or could not be recovered: kept with
# confirmed=False and the reason. (Turner and Tichy-Fisslberger are corrected in loaders.clean
# and backed by the reference facts; Gómez Camacho and Lauber too.)
PERSON_NOTES: dict[str, str] = {
    "anne-t-her": "OCR damage beyond recovery: the text reads 'Ms. Anne T. her Academic Adviser "
                  "St Chambers'; the surname and the chambers' name are lost. Kept as written.",
    "mohamed-y-mattar": "OCR 'Matta!\"'; corrected to Mattar from background knowledge.",
    "gulnara-shahinyan": "OCR 'Guinara'; corrected to Gulnara from background knowledge.",
    "hassiba-hadj-sahraoui": "OCR 'Sabraoui'; corrected to Sahraoui from background knowledge.",
}

# Entries without a comma between name and affiliation: (name, affiliation) as the text has them.
DAMAGED_ENTRIES: dict[str, tuple[str, str]] = {
    "Anne T. her Academic Adviser St Chambers": ("Anne T. her", "Academic Adviser St Chambers"),
}

# The bodies each speaker is affiliated with, by person id (body ids per docs/ids.md). Edges are
# only emitted for the ids the frameworks corpus knows (see loaders.summary.NEEDED_BODIES).
PERSON_BODIES: dict[str, tuple[str, ...]] = {
    "juan-jose-gomez-camacho": ("state-mex", "gcm-cofacilitators"),
    "jurg-lauber": ("state-che", "gcm-cofacilitators"),
    "gabriella-e-sanchez": ("eui-migration-policy-centre",),
    "mark-shaw": ("global-initiative-toc",),
    "jorgen-carling": ("prio",),
    "rafael-mariano-grossi": ("state-arg",),
    "gulnara-shahinyan": ("democracy-today",),
    "mohamed-y-mattar": ("qatar-university",),
    "elisabeth-tichy-fisslberger": ("state-aut",),
    "andrew-goledzinowski": ("state-aus",),
    "maria-grazia-giammarinaro": ("sr-tip",),
    "bandana-pattanaik": ("gaatw",),
    "hassiba-hadj-sahraoui": ("msf",),
    "leigh-turner": ("state-gbr",),
    "stefanie-amadeo": ("state-usa",),
    "joy-ngozi-ezeilo": ("university-of-nigeria",),
}


@dataclass(frozen=True)
class Speaker:
    """One appearance of a person in the programme: at which event, in which role."""

    person_id: str
    name: str
    affiliation: str
    role: str  # co-facilitator, speaker, panelist, moderator, thematic-expert
    event_id: str
    page: int | None
    offset: int  # where the entry starts in the file


def slug(text: str) -> str:
    """A kebab-case ASCII slug: 'Juan José Gómez Camacho' -> 'juan-jose-gomez-camacho'."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O"))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_PERSON = re.compile(r"(?:H\.E\.\s+)?M[rs]s?\.\s+")
_SECTION = re.compile(r"PANEL\s+(\d):|SUMMARY\s+PANEL:")
_MARKERS = re.compile(r"Moderators?:|Moderators present|Day\s+\d:|PANEL\s+\d:|SUMMARY\s+PANEL:"
                      r"|Remarks by|Interactive exchange|Closing remarks")


def _sections(tr: Transcription, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """(event id, start, end) of the opening segment, each panel and the summary panel."""
    cuts = [(m.start(), f"gcm-ts5-panel-{m.group(1)}" if m.group(1) else "gcm-ts5-summary-panel")
            for m in _SECTION.finditer(tr.text, start, end)]
    bounds = [(start, "gcm-ts5"), *cuts]
    for (a, event), (b, _) in zip(bounds, [*bounds[1:], (end, "")], strict=True):
        yield event, a, b


def _role(event: str, text: str, at: int, a: int, entry: str) -> tuple[str, str]:
    """The role of the speaker at `at`, and the entry with a trailing role phrase removed."""
    if m := re.search(r",\s*thematic expert\b.*$", entry):
        return "thematic-expert", entry[:m.start()]
    if event == "gcm-ts5":
        before = text[a:at]
        return ("speaker" if "Remarks by" in before else "co-facilitator"), entry
    moderators = re.search(r"Moderators?:", text[a:at])
    return ("moderator" if moderators else "panelist"), entry


def read_speakers(tr: Transcription, start: int, end: int) -> list[Speaker]:
    """Every speaker entry of the programme in text[start:end], in order."""
    speakers = []
    for event, a, b in _sections(tr, start, end):
        for m in _PERSON.finditer(tr.text, a, b):
            stop = min([x.start() for x in (_PERSON.search(tr.text, m.end(), b),
                                            _MARKERS.search(tr.text, m.end(), b)) if x] + [b])
            entry = clean_text(tr.text[m.end():stop])
            # trailing furniture: a bullet before the next name, a page number, a dangling 'and'
            entry = re.sub(r"(?:\s+(?:[~amB]|\d{1,3})|,?\s+and)+$", "", entry).strip()
            role, entry = _role(event, tr.text, m.start(), a, entry)
            name, affiliation = DAMAGED_ENTRIES.get(entry) or _split(entry)
            page = tr.page_at(m.start()).printed
            speakers.append(Speaker(slug(name), name, affiliation, role, event, page, m.start()))
    return speakers


def _split(entry: str) -> tuple[str, str]:
    name, _, affiliation = entry.partition(",")
    return name.strip(), affiliation.strip()
