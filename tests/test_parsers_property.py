"""Property-based tests of the document parsers: no crash, nothing invented, nothing lost.

Every parser of data/sources (loaders.summary with loaders.transcription and
loaders.summary_annex, loaders.briefing, agenda, procedural_note, training, and the helpers of
loaders.text they share) is run on arbitrary text and on the real documents mutated the way a
bad copy or a bad OCR run would: lines dropped, duplicated or shuffled, the file cut short,
characters inserted, words dropped, numbers misread, page markers removed. Each run must end in
records or in a LoaderError that says `file:line`, never in any other exception. When there are
records, every word of the text they carry is a word of the source (after the documented
cleaning: loaders.clean, loaders.text.clean) and every page is one the document has.
Where a parser reads every item of a list (recommendations, agenda items, panels, objectives,
checklist questions, listed events), dropping one item from the document drops exactly that
item and leaves the others as they were: nothing is merged into a neighbour.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.errors import LoaderError
from graph.records import Edge, Node
from loaders import agenda, briefing, procedural_note, training
from loaders.clean import clean_text, words
from loaders.summary import FALLBACK_BODIES, IMPERATIVES, read_summary
from loaders.text import blocks, clean, find_citations, find_dates, fix_ocr, line_pages, \
    sentence_around
from loaders.transcription import Page, Transcription, split_items

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=25, deadline=None,  # the summary takes ~0.15 s a run
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _summary(path: Path) -> list[Node | Edge]:
    return read_summary(path, known_bodies=FALLBACK_BODIES)  # no YAML corpus to parse


def _transcription_pages(text: str) -> range:
    """1..n, n the page lines ('1 ...', '2 ...') that follow the line 'Transcription'."""
    after = re.split(r"(?m)^Transcription[ \t]*$", text, maxsplit=1)[-1]
    n = 0
    for line in (x for x in after.split("\n") if x.strip()):
        if not re.match(rf"{n + 1}[ \t]", line):
            break
        n += 1
    return range(1, n + 1)


def _footer_pages(text: str) -> range | None:
    """1..N for UN footers 'p/N V.17-04073' (N the largest total); None without footers."""
    found = re.findall(r"(?m)^\s*(?:\d+/(\d+)\s+[A-Z]\.\d{2}-\d{5}|[A-Z]\.\d{2}-\d{5}\s+\d+/(\d+))",
                       text)
    totals = [int(a or b) for a, b in found]
    return range(1, max(totals) + 1) if totals else None


@dataclass(frozen=True)
class Parser:
    name: str
    read: Callable[[Path], list[Node | Edge]]
    seed: str
    texts: tuple[tuple[str, str], ...]  # (label, property) holding words of the document
    pages: Callable[[str], range | None] = lambda text: None  # None: the document shows none
    markers: str | None = None  # page markers a mutation may remove (a regex)
    joined: tuple[tuple[str, str], ...] = ()  # of `texts`: put together from separate places

    @property
    def path(self) -> Path:
        return SOURCES / self.seed

    def __repr__(self) -> str:
        return self.name


PASSAGE = (("Passage", "text"),)
PARSERS = [
    Parser("summary", _summary, "003_2307a9ba4bf51685.txt",
           (*PASSAGE, ("Recommendation", "text"), ("Recommendation", "area_title"),
            ("Theme", "text"), ("Theme", "name"), ("Person", "name"), ("Person", "affiliation"),
            ("Event", "place"), ("Event", "structure")),
           _transcription_pages, r"(?m)^\d{1,2}[ \t]|[ \t]\d{1,3}[ \t]*$"),
    Parser("briefing", briefing.read_briefing, "000_491ae9bf49fe258f.txt",
           tuple(("Event", k) for k in ("name", "place", "summary", "participants", "structure",
                                        "documentation", "outcome")) + (("Document", "title"),),
           markers=r"(?m)^## ", joined=(("Event", "name"),)),  # the dates and place cut out
    Parser("agenda", agenda.read_agenda, "001_c8ce0308e6432a15.txt",
           (*PASSAGE, ("Event", "name"), ("Event", "summary"), ("Event", "documentation"),
            ("Event", "place")), _footer_pages,
           r"(?m)^.*(?:\d+/\d+\s+V\.\d{2}-\d{5}|V\.\d{2}-\d{5}\s+\d+/\d+).*$",
           PASSAGE),  # a row of the organization of work: 'day, time: agenda item n, title'
    Parser("procedural_note", procedural_note.read_procedural_note, "002_5f6558f3113a5cc1.txt",
           (*PASSAGE, ("Event", "topic"), ("Event", "summary"), ("Event", "place"),
            ("Document", "title"))),
    Parser("training", training.read_training, "004_c247a92fe6dc4f5c.txt",
           (*PASSAGE, ("Resource", "publisher"))),
]
BY_NAME = {p.name: p for p in PARSERS}

# Words a loader writes itself around the document's words (its own notes), left out of checks.
AUTHORED = re.compile(r"\(Date given as |\(footnote \S+ to: |\(the instruments named in "
                      r"objective \d+: |Session description from \d+ \(undated; the latest dated "
                      r"event it reports is of |^\d+(?:st|nd|rd|th)(?= session of )")


@cache
def seed_text(p: Parser) -> str:
    return p.path.read_text(encoding="utf-8")


@cache
def seed_records(p: Parser) -> tuple[Node | Edge, ...]:
    return tuple(p.read(p.path))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sources")


# ------------------------------------------------------------------ what every run must satisfy
def file_lines(text: str) -> int:
    """Lines as an editor counts them (\\n, \\r\\n or \\r ends one); an error may point one
    past the last, at the end of the file."""
    return len(re.split(r"\r\n|\r|\n", text))


def run(p: Parser, path: Path, text: str) -> list[Node | Edge] | None:
    """The records, or None after checking that the LoaderError says `file:line`."""
    try:
        return p.read(path)
    except LoaderError as exc:
        message = str(exc)
        lines = [int(n) for n in re.findall(rf"{re.escape(path.name)}:(\d+)", message)]
        assert lines, f"no file:line in {message!r}"
        assert all(1 <= n <= file_lines(text) + 1 for n in lines), (lines, message[:300])  # EOF
        return None


class Vocabulary:
    """The words of a source text, as it stands and as the documented cleaning leaves it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = {w.casefold() for v in (text, fix_ocr(text), clean(text), clean_text(text))
                      for w in words(v)}

    def __contains__(self, word: str) -> bool:
        if word.casefold() in self.words:
            return True  # else it must be letters the cleaning joined ('trafficki n g')
        spread = r"[\s*]*".join(map(re.escape, word))
        return re.search(rf"(?<!\w){spread}(?!\w)", self.text, re.I) is not None


def carried_texts(p: Parser, records: list[Node | Edge],
                  joined: bool = True) -> list[tuple[str, str]]:
    """(record, text) for every property `p` fills with the document's words, and evidence;
    without the properties put together from separate places unless `joined`."""
    props = [t for t in p.texts if joined or t not in p.joined]
    out = [(f"{r.label} {r.id}.{k}", r.props[k]) for r in records if isinstance(r, Node)
           for label, k in props if r.label == label and isinstance(r.props.get(k), str)
           and not (k == "title" and r.props[k] == r.props.get("symbol"))]  # a caption
    out += [(f"{r.type} {r.src}->{r.dst}", r.props["evidence"]) for r in records
            if isinstance(r, Edge) and isinstance(r.props.get("evidence"), str)]
    return [(who, AUTHORED.sub("\n", text)) for who, text in out]


def check_records(p: Parser, records: list[Node | Edge], text: str) -> None:
    vocabulary = Vocabulary(text)
    for who, value in carried_texts(p, records):
        invented = [w for w in words(value) if w not in vocabulary]
        assert not invented, f"{who}: {invented} are not words of the source"
    for r in records:
        if isinstance(r, Node) and r.label == "Recommendation":
            assert r.props["raw"] in text, r.id
    pages, shown = p.pages(text), [r.props["page"] for r in records
                                   if r.props.get("page") is not None]
    assert all(pages is not None and n in pages for n in shown), (pages, sorted(set(shown)))


# ------------------------------------------------------------------ mutations
OCR_CHARS = list("abceimoBIM01379 .,;:'\"~•¢°*#-/()<>[]|\t\n¹²") + ["\r\n", "**", "<b>", ".."]


def _at(draw: st.DrawFn, text: str) -> int:
    return draw(st.integers(0, len(text)))


def drop_lines(draw: st.DrawFn, text: str, p: Parser) -> str:
    lines = text.split("\n")
    i, k = draw(st.integers(0, len(lines) - 1)), draw(st.integers(1, 3))
    return "\n".join(lines[:i] + lines[i + k:])


def duplicate_line(draw: st.DrawFn, text: str, p: Parser) -> str:
    lines = text.split("\n")
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines)))
    return "\n".join(lines[:j] + [lines[i]] + lines[j:])


def shuffle_lines(draw: st.DrawFn, text: str, p: Parser) -> str:
    lines = text.split("\n")
    i, k = draw(st.integers(0, len(lines) - 1)), draw(st.integers(2, 6))
    return "\n".join(lines[:i] + draw(st.permutations(lines[i:i + k])) + lines[i + k:])


def truncate(draw: st.DrawFn, text: str, p: Parser) -> str:
    return text[:_at(draw, text)]


def insert_chars(draw: st.DrawFn, text: str, p: Parser) -> str:
    at = _at(draw, text)
    junk = draw(st.lists(st.sampled_from(OCR_CHARS) | st.characters(codec="utf-8"),
                         min_size=1, max_size=5))
    return text[:at] + "".join(junk) + text[at:]


def drop_words(draw: st.DrawFn, text: str, p: Parser) -> str:
    toks = list(re.finditer(r"\S+", text))
    i = draw(st.integers(0, len(toks) - 1)) if toks else 0
    j = min(i + draw(st.integers(0, 12)), len(toks) - 1)
    return text[:toks[i].start()] + text[toks[j].end():] if toks else text


def misread_number(draw: st.DrawFn, text: str, p: Parser) -> str:
    found = list(re.finditer(r"\d+", text))
    if not found:
        return text
    m = found[draw(st.integers(0, len(found) - 1))]
    return text[:m.start()] + str(draw(st.integers(0, 120))) + text[m.end():]


def remove_page_marker(draw: st.DrawFn, text: str, p: Parser) -> str:
    found = list(re.finditer(p.markers, text)) if p.markers else []
    if not found:
        return text
    m = found[draw(st.integers(0, len(found) - 1))]
    return text[:m.start()] + text[m.end():]


MUTATIONS = [drop_lines, duplicate_line, shuffle_lines, truncate, insert_chars, drop_words,
             misread_number, remove_page_marker]


@st.composite
def mutated(draw: st.DrawFn, p: Parser) -> str:
    text = seed_text(p)
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        text = mutation(draw, text, p)
    return text


def read_text(p: Parser, workdir: Path, text: str) -> list[Node | Edge] | None:
    """`text` read by `p` from a file of the seed's name: its records, or None if refused."""
    path = workdir / p.seed
    path.write_bytes(text.encode("utf-8"))
    return run(p, path, text)


def read_and_check(p: Parser, workdir: Path, text: str) -> None:
    if (records := read_text(p, workdir, text)) is not None:
        check_records(p, records, text)


NAMES = [p.name for p in PARSERS]  # parameters by name: hypothesis prints them short


# ------------------------------------------------------------------ no crash
@pytest.mark.parametrize("name", NAMES)
@FAST
@given(text=st.text(max_size=2000))
@example(text="")
@example(text="\x85\n9 June 2017")  # the error's line was 4, of 2: str.splitlines broke at \x85
def test_any_text_is_read_or_refused_with_file_and_line(name, text, workdir) -> None:
    read_and_check(BY_NAME[name], workdir, text)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_lines_of_the_document_among_any_text_are_read_or_refused(name, data, workdir) -> None:
    lines = seed_text(BY_NAME[name]).split("\n")
    text = "\n".join(data.draw(st.lists(st.sampled_from(lines) | st.text(max_size=60),
                                        max_size=80)))
    read_and_check(BY_NAME[name], workdir, text)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=20, deadline=None)
@given(data=st.binary(max_size=400))
@example(data=b"Transcription\n1 \xff page one")  # was a UnicodeDecodeError from the summary
def test_bytes_that_are_not_utf8_are_refused_with_file_and_line(name, data, workdir) -> None:
    p = BY_NAME[name]
    path = workdir / p.seed
    path.write_bytes(data)
    records = run(p, path, data.decode("utf-8", errors="replace"))
    assert records is None or is_utf8(data), "records read from bytes that are not UTF-8"


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("name", NAMES)
def test_a_missing_file_is_a_loader_error_naming_it(name, tmp_path) -> None:
    p = BY_NAME[name]  # the summary's reader raised FileNotFoundError
    with pytest.raises(LoaderError, match=re.escape(p.seed)):
        p.read(tmp_path / p.seed)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "summary"])
@FAST
@given(data=st.data())
def test_a_damaged_document_is_read_or_refused_and_invents_nothing(name, data, workdir) -> None:
    read_and_check(BY_NAME[name], workdir, data.draw(mutated(BY_NAME[name])))


@SLOW
@given(data=st.data())
def test_a_damaged_summary_is_read_or_refused_and_invents_nothing(data, workdir) -> None:
    read_and_check(BY_NAME["summary"], workdir, data.draw(mutated(BY_NAME["summary"])))


# ------------------------------------------------------------------ the real documents
def near_run(needle: list[str], hay: list[str], gap: int) -> bool:
    """Do `needle`'s words stand in `hay` in order, at most `gap` other words apart?"""
    at = {i for i, w in enumerate(hay) if w == needle[0]} if needle else {0}
    for w in needle[1:]:
        at = {j for i in at for j in range(i + 1, min(i + 2 + gap, len(hay)))
              if hay[j] == w}
    return bool(at)


def source_words(p: Parser) -> list[str]:
    """The document's words in order, cleaned as its parser cleans them."""
    if p.name == "summary":
        return words(clean_text(seed_text(p)))
    lines = [re.sub(r"^\s*(?:[-*•¢▪°eo]|#+)\s+", "", x) for x in seed_text(p).splitlines()]
    return [w for x in lines for w in words(clean(x))]


@pytest.mark.parametrize("p", PARSERS, ids=repr)
def test_the_real_document_is_read_and_nothing_is_invented(p) -> None:
    check_records(p, list(seed_records(p)), seed_text(p))


@pytest.mark.parametrize("p", PARSERS, ids=repr)
def test_every_extracted_text_stands_in_the_document_in_that_order(p) -> None:
    hay, gap = source_words(p), 0 if p.name == "summary" else 3
    for who, text in carried_texts(p, list(seed_records(p)), joined=False):
        for part in re.split(r"\n|; | \| ", text):  # paragraphs, sub-bullets, evidences
            assert near_run(words(part), hay, gap), f"{who}: {part[:80]!r}"


def test_summary_pages_are_the_printed_numbers_where_the_text_starts() -> None:
    p = BY_NAME["summary"]
    text, pages = seed_text(p), _transcription_pages(seed_text(p))
    for r in seed_records(p):  # 13: the last printed page number, of 15 page lines
        assert r.props.get("page") is None or 1 <= r.props["page"] <= 13 < len(pages)
        if isinstance(r, Node) and r.label == "Recommendation":
            line = text[text.rfind("\n", 0, text.index(r.props["raw"])) + 1:].split("\n")[0]
            printed = re.search(r"[ \t](\d{1,3})[ \t]*$", line)
            assert printed is None or int(printed.group(1)) == r.props["page"], r.id


def _recs(records) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in sorted((r for r in records if isinstance(r, Node) and r.label == "Recommendation"),
                    key=lambda r: (r.props["area"], r.props["ordinal"])):
        out.setdefault(r.props["area"], []).append(r.props["text"])
    return out


GLYPHS = {"e", "o", "II", "B"}  # bullets as letters (loaders.transcription.GLYPH_TOKEN)


def test_every_word_of_each_list_of_recommendations_is_in_one_of_them() -> None:
    p = BY_NAME["summary"]
    text, records = seed_text(p), seed_records(p)
    themes = sorted((r for r in records if isinstance(r, Node) and r.label == "Theme"),
                    key=lambda r: r.props["area"])
    starts = [m.end() for m in re.finditer(r"C'?oncrete [Ii]ssues and recommendations presented "
                                           r"for consideration included\s*:", text)]
    heads = [rf"{t.props['area']}\. " + r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+",
             t.props["name"]))) for t in themes[1:]]
    ends = [re.compile(rf"(?<!\S)(?:{h})").search(text, a).start()
            for h, a in zip([*heads, "iv. Conclusions"], starts, strict=True)]
    for theme, a, b in zip(themes, starts, ends, strict=True):
        listed = Counter(words(clean_text(text[a:b])))
        found = Counter(words(" ".join(_recs(records)[theme.props["area"]])))
        assert not found - listed, theme.props["area"]
        assert set(listed - found) <= GLYPHS, (theme.props["area"], listed - found)


# ------------------------------------------------------------------ one item fewer, not merged
def without(text: str, start: int, end: int) -> str:
    return text[:start] + text[end:]


REC_RAWS = [(r.props["area"], r.props["ordinal"], r.props["raw"])
            for r in seed_records(BY_NAME["summary"]) if isinstance(r, Node)
            and r.label == "Recommendation"]


@SLOW
@given(rec=st.sampled_from(REC_RAWS), twice=st.booleans())
def test_dropping_or_repeating_a_recommendation_changes_that_one_only(rec, twice,
                                                                      workdir) -> None:
    p = BY_NAME["summary"]
    area, n, raw = rec
    text = seed_text(p)
    assert text.count(raw) == 1
    at = text.index(raw)
    changed = (text[:at + len(raw)] + " .. " + text[at:] if twice
               else without(text, at, at + len(raw)))
    records = read_text(p, workdir, changed)
    expected = _recs(seed_records(p))
    item = expected[area][n - 1]
    expected[area][n - 1:n] = [item, item] if twice else []
    assert records is not None and _recs(records) == expected


def _line_items(p: Parser, pattern: str, within: tuple[str, str]) -> list[tuple[int, int]]:
    """(first, last + 1) line indices of each item between the lines matching `within` that
    opens with a line matching `pattern`: its continuation lines, sub-bullets ('o', '°') and
    tab-led continuation rows ride along, up to the next item, row, label or heading, or a
    blank line followed by a plain paragraph."""
    lines, out = seed_text(p).split("\n"), []
    a = next(i for i, x in enumerate(lines) if re.search(within[0], x))
    b = next((i for i, x in enumerate(lines) if i > a and re.search(within[1], x)), len(lines))
    for i, line in enumerate(lines[:b]):
        if i > a and re.match(pattern, line):
            j = i + 1
            while j < len(lines) and not re.match(pattern, lines[j]) and \
                    not re.match(r"^\s*[A-Z][\w_ -]*[._]*:\s*$|^#|^\d+\.\d+-\d", lines[j]) and \
                    not (lines[j].strip() and not lines[j - 1].strip()
                         and not re.match(r"^\s*[o°]\s|^\t", lines[j])):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():  # blank lines after it: not its own
                j -= 1
            out.append((i, j))
    return out


def _by(records, label: str, key: Callable[[Node], bool]) -> list[tuple[str, dict]]:
    return [(r.id, r.props) for r in records if isinstance(r, Node) and r.label == label
            and key(r)]


def _kind(kind: str) -> Callable[[Node], bool]:
    return lambda r: r.props.get("kind") == kind


LIST_ITEMS = [  # parser, the list's bounds, how an item's first line looks, the records made
    ("agenda", ("^Provisional agenda$", "^Annotations$"), r"^\s*-\s*\d+\.\s", "Event",
     _kind("agenda-item")),
    ("briefing", (r"^\d+ June 2017$", "^## "), r"^\*\*.+\*\*\s*$", "Event", lambda r: True),
    ("procedural_note", ("ANNEX", "(?!)"), r"^\d{1,2}\.\d{2}-\d{1,2}\.\d{2}\t.*PANEL", "Event",
     _kind("panel")),
    ("procedural_note", ("I. Introduction", "II. Format"), r"^(?!#)\S", "Passage",
     _kind("introduction")),
    ("training", ("^Objectives:", "^Agenda:"), r"^\s*[e¢•]\s", "Passage", _kind("objective")),
    ("training", ("^Post-session", "(?!)"), r"^\s*-\s", "Passage", _kind("checklist-question")),
]
DROPS = [(name, pattern, label, key, span) for name, within, pattern, label, key in LIST_ITEMS
         for span in _line_items(BY_NAME[name], pattern, within)]


def _said(props: dict) -> set[str]:
    """The words a record's properties say; a date as the documents write one."""
    said = [f"{v.day} {v:%B %Y}" if isinstance(v, dt.date) else str(v) for v in props.values()]
    return {w.casefold() for v in said for w in words(v)}


@pytest.mark.parametrize("name, within, pattern, label, key", LIST_ITEMS,
                         ids=[f"{x[0]}-{x[3]}" for x in LIST_ITEMS])
def test_every_word_of_each_listed_item_is_in_the_record_made_of_it(name, within, pattern, label,
                                                                    key) -> None:
    p = BY_NAME[name]
    lines, made = seed_text(p).split("\n"), _by(seed_records(p), label, key)
    spans = _line_items(p, pattern, within)
    assert len(spans) <= len(made)  # the training's paragraphs after its bullets: objectives too
    for (a, b), (rid, props) in zip(spans, made):
        item = [re.sub(r"^\s*(?:[-*•¢▪°eo]|#+)\s+", "", x) for x in lines[a:b]]
        lost = {w.casefold() for x in item for w in words(clean(x))} - _said(props)
        assert not lost - {"on", "in"}, (rid, lost)  # 'meeting on 23 June 2017 in New York'


def _texts(found: list[tuple[str, dict]]) -> list[dict]:
    return [{k: v for k, v in props.items() if k != "ordinal"} for _, props in found]


@pytest.mark.parametrize("name, pattern, label, key, span", DROPS,
                         ids=[f"{d[0]}-{d[2]}-line{d[4][0] + 1}" for d in DROPS])
def test_dropping_one_item_drops_it_and_leaves_the_others_alone(name, pattern, label, key,
                                                                span, workdir) -> None:
    p = BY_NAME[name]
    lines = seed_text(p).split("\n")
    text = "\n".join(lines[:span[0]] + lines[span[1]:])
    before = _by(seed_records(p), label, key)
    records = read_text(p, workdir, text)
    if records is None:
        return  # refused with file and line: fine
    after = _by(records, label, key)
    assert len(after) == len(before) - 1, [i for i, _ in after]
    kept = [b for b in _texts(before) if b in _texts(after)]
    assert kept == _texts(after), "an item changed when its neighbour was dropped"


def test_dropping_an_annotation_heading_is_refused_not_merged_into_the_item_above(
        workdir) -> None:
    p = BY_NAME["agenda"]
    lines = seed_text(p).split("\n")
    notes = lines.index("Annotations")
    for i in [i for i, x in enumerate(lines) if i > notes and re.match(r"\d\. ", x)]:
        records = read_text(p, workdir, "\n".join(lines[:i] + lines[i + 1:]))
        assert records is None or _texts(_by(records, "Event", _kind("agenda-item"))) == \
            _texts(_by(seed_records(p), "Event", _kind("agenda-item"))), lines[i]


# Damage hypothesis found (or the properties pointed at) that once crashed a parser, put a
# record off the document or gave no line, each with what it was: kept as fixed examples.
# (name, old, new): `old` replaced by `new`, or the file cut after `old` when `new` is None.
FOUND = [
    ("agenda", "V.17-04073 3/4", "V.17-04073 0/4"),  # records on page 0
    ("agenda", "Thursday, 7 September", "Thursday, 31 September"),  # ValueError
    ("procedural_note", "#### **I. Introduction**\n\n", "#### **I. Introduction**\n\n***\n"),
    ("procedural_note", "### Day 2", "### Day 99999999"),  # IndexError, OverflowError
    ("summary", "PANEL 2:", "PANEL 1:"),  # KeyError
    ("summary", "4-5 September 2017, United", "4-5 Septembe 2017, United"),  # ValueError
    ("summary", "GENERAL ASSEMBLY 9 October", "GENERAL ASSEMBLY 39 October"),  # ValueError
    ("training", "e Model Law against Trafficking", "e , Model Law against Trafficking"),
    ("training", "e Model Law against Trafficking in Persons, UNODC, late 2019", "e ."),  # Index-
    ("summary", "1 ~ THE PRESIDENT OF THE GENERAL ASSEMBLY 9 October 2", None),  # no line
]


@pytest.mark.parametrize("name, old, new", FOUND,
                         ids=[f"{n}-{(new or old)[:20]}" for n, old, new in FOUND])
def test_damage_found_before_is_read_or_refused_with_file_and_line(name, old, new,
                                                                   workdir) -> None:
    text = seed_text(BY_NAME[name])
    assert old in text
    cut = text[:text.index(old) + len(old)]
    read_and_check(BY_NAME[name], workdir, cut if new is None else text.replace(old, new, 1))


# ------------------------------------------------------------------ the shared helpers
FOOTERS = st.builds(lambda p, n, flip: f"V.17-04073 {p}/{n}" if flip else f"{p}/{n} V.17-04073",
                    st.integers(0, 6), st.integers(1, 6), st.booleans())
PAGE_LINES = st.lists(FOOTERS | st.sampled_from(["", "text", "¹ a footnote", "- 1. Item"])
                      | st.text(max_size=12), max_size=30)


@FAST
@given(PAGE_LINES)
@example(["text", "V.17-04073 0/4", "more"])  # page 0, before text.footer_page checked it
@example(["text", "4/4 V.17-04073", "debris"])  # page 5 of 4, before line_pages checked it
def test_every_line_page_is_a_page_the_footers_count(lines) -> None:
    pages = line_pages(lines)
    totals = [int(t) for x in lines if (m := re.fullmatch(
        r"\s*(?:\d+/(\d+) V\.17-04073|V\.17-04073 \d+/(\d+))\s*", x)) for t in m.groups() if t]
    assert len(pages) == len(lines)
    assert all(n is None or 1 <= n <= max(totals) for n in pages), pages


@FAST
@given(st.lists(st.text("abcxyzABC -*#.,;:\t", max_size=30), max_size=20))
@example(["*", ":"])  # an IndexError: nothing to join ':' to
def test_blocks_keep_every_letter_in_order_and_no_line_break(lines) -> None:
    found = blocks(lines)
    assert re.sub(r"[\W_]", "", "".join(found)) == re.sub(r"[\W_]", "", "".join(lines))
    assert not any("\n" in b for b in found)


@FAST
@given(st.text(max_size=200), st.integers(0, 200), st.integers(0, 200))
@example("000000\n0", 6, 2)  # a span that begins on the line break may carry it
def test_a_sentence_holds_its_words_and_a_line_break_ends_it(text, at, width) -> None:
    start = min(at, len(text))
    end = min(start + width, len(text))
    found = sentence_around(text, start, end)
    assert text[start:end].strip() in found
    assert "\n" not in found or "\n" in text[start:end]


DATE_BITS = st.sampled_from(["4", "22", "26", "31", "0", "-", "–", " to ", " and ", " ", ",",
                             "May", "September", "February", "2017", "1999", "x"])


@FAST
@given(st.lists(DATE_BITS, max_size=12).map("".join))
@example("22-2 May 2017")  # a range that ends before it starts
def test_a_found_date_is_the_text_it_stands_for_and_ends_after_it_starts(text) -> None:
    d = find_dates(text, default_year=2017)
    if d is not None:
        assert text[d.pos[0]:d.pos[1]] == d.text
        assert (d.start is None) == (d.end is None)
        assert d.start is None or (d.start <= d.end and d.start.month == d.month)


@FAST
@given(st.lists(st.sampled_from(["A/RES/71/280", "A/RES70/179", "S/PRST/2015/25", "PRST 2015/25",
                                 "GA resolutions 70/179", "Security Council resolution 2331",
                                 "and 2388", " ", ", ", "“Title”", "x", "/", "E/"]),
                max_size=10).map("".join))
def test_a_citation_is_the_text_it_stands_for_in_order(text) -> None:
    found = find_citations(text)
    assert [c.pos for c in found] == sorted(c.pos for c in found)
    assert all(text[c.pos[0]:c.pos[1]] == c.matched and " " not in c.symbol for c in found)


# Separators the OCR made of the bullets between two recommendations (loaders.transcription).
BULLETS = [" .. ", ".. ", ".,  ", ' " ', " '\" ", " e ", " o ", " II ", " • ", " ~ "]
RECS = [r.props["text"] for r in seed_records(BY_NAME["summary"])
        if isinstance(r, Node) and r.label == "Recommendation"]


def _bulleted(draw: st.DrawFn, recs: list[str]) -> str:
    out = recs[0] if recs else ""
    for rec in recs[1:]:
        lost = re.search(r"[A-Za-z]*[a-z]$", out) and rec.split()[0] in IMPERATIVES
        out += draw(st.sampled_from(BULLETS + [" "] * bool(lost))) + rec
    return out


@FAST
@given(st.data())
def test_a_bulleted_list_splits_into_exactly_its_items(data) -> None:
    recs = data.draw(st.lists(st.sampled_from(RECS), max_size=8))
    head = "Transcription\n1 included: "
    text = head + _bulleted(data.draw, recs)
    tr = Transcription(Path("list.txt"), text, (Page(1, 1, 2, len("Transcription\n1 "),
                                                     len(text), None),))
    items = split_items(tr, len(head), len(text), IMPERATIVES)
    assert [words(clean_text(i.raw)) for i in items] == [words(r) for r in recs]
