"""The page structure of a web-page transcription of a PDF, and bullet-list splitting.

Why: the seed files are copies of a "Transcription" web page. After the page furniture that
precedes the word `Transcription`, each PDF page is one line opening with the site's page index
(1, 2, 3 ...), and most pages end with the document's own printed page number run into the last
sentence ("... holistic 3"). The site's index and the printed number differ (printed = index - 2
in the co-facilitators' summary, whose first two PDF pages are cover letters). After the last
page the site appends unrelated debris (other documents, "More information" links), which is not
part of the document: the document ends at the first line that does not carry the next index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import LoaderError

__all__ = ["Page", "Transcription", "read_transcription", "split_items", "Item"]


@dataclass(frozen=True)
class Page:
    """One PDF page: the site's index, the printed number (None when unprinted), its offsets."""

    index: int
    printed: int | None
    line: int  # 1-based line of the file
    start: int  # offset of the page text, after the site's index
    end: int  # offset where the page text ends, before the printed page number
    number_span: tuple[int, int] | None  # where the printed page number sits, if any


@dataclass(frozen=True)
class Transcription:
    """A transcription file: its text and its pages, with offsets into that text."""

    path: Path
    text: str
    pages: tuple[Page, ...]

    def page_at(self, offset: int) -> Page:
        """The page holding `offset` (an offset between pages belongs to the earlier one)."""
        found = self.pages[0]
        for page in self.pages:
            if page.start <= offset:
                found = page
        return found

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def where(self, offset: int) -> str:
        """`file:line`, for error messages."""
        return f"{self.path}:{self.line_at(offset)}"

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Narrow text[start:end] to its first and last word that is not page furniture."""
        furniture = self.furniture()
        toks = [m for m in re.finditer(r"\S+", self.text[start:end])
                if not any(a <= start + m.start() < b for a, b in furniture)]
        if not toks:
            return start, start
        return start + toks[0].start(), start + toks[-1].end()

    def furniture(self) -> list[tuple[int, int]]:
        """Spans of page furniture: the site's page indices and the printed page numbers."""
        spans = []
        for page in self.pages:
            spans.append((self.text.rfind("\n", 0, page.start) + 1, page.start))
            if page.number_span:
                spans.append(page.number_span)
        return spans


_TRAILING_NUMBER = re.compile(r"[ \t](\d{1,3})[ \t]*$")


def read_transcription(path: Path) -> Transcription:
    """Read `path` and find its pages; stop at the end of the document proper."""
    from loaders.text import read_source  # a LoaderError, not an OSError or UnicodeDecodeError

    text = read_source(path)
    marker = re.search(r"^Transcription[ \t]*$", text, re.M)
    if marker is None:
        raise LoaderError(f"{path}:1: no line 'Transcription' found; the loader expects a copy "
                          "of the transcription page, with one line per PDF page after it.")
    lines: list[tuple[int, int, str]] = []  # (line number, offset, text) of each page line
    expected, offset = 1, marker.end() + 1
    for line in text[offset:].split("\n"):
        here, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        prefix = re.match(rf"{expected}[ \t]+", line)
        if prefix is None:
            break  # the debris after the document: no more page indices
        lines.append((text.count("\n", 0, here) + 1, here, line))
        expected += 1
    if not lines:
        raise LoaderError(f"{path}:{text.count(chr(10), 0, marker.end()) + 1}: no page lines "
                          "('1 ...', '2 ...') follow 'Transcription'.")
    return Transcription(path, text, tuple(_pages(path, lines)))


def _pages(path: Path, lines: list[tuple[int, int, str]]) -> Iterator[Page]:
    numbers = {}
    for i, (_, _, line) in enumerate(lines, start=1):
        if m := _TRAILING_NUMBER.search(line):
            numbers[i] = int(m.group(1))
    # The printed numbering is offset from the site's index by a constant: take the usual one.
    offsets = Counter(i - n for i, n in numbers.items())
    shift = offsets.most_common(1)[0][0] if offsets else 0
    for i, (line_no, here, line) in enumerate(lines, start=1):
        start = here + len(re.match(r"\d+[ \t]+", line).group(0))  # type: ignore[union-attr]
        end, span = here + len(line.rstrip()), None
        printed = i - shift if i - shift >= 1 else None
        m = _TRAILING_NUMBER.search(line)
        if m and printed is not None and int(m.group(1)) == printed:
            span = (here + m.start(1), here + m.end(1))
            end = here + m.start()
        elif m and i in numbers and printed is not None and i - numbers[i] != shift:
            raise LoaderError(f"{path}:{line_no}: page {i} ends with {m.group(1)}, but the other "
                              f"pages are numbered index-{shift}; check the transcription.")
        yield Page(i, printed, line_no, start, end, span)


# Bullets in the lists of recommendations are rendered inconsistently by the OCR: as standalone
# glyph tokens, glued to the end of the previous item ('implementation..', 'smuggling.,') or not
# at all ('for children Promote early identification'). These are the glyph tokens.
GLYPH_TOKEN = re.compile(r"(?:\.\.+|\.,|'\"|\"|~|•|e|o|II|B)")
GLUED_BULLET = re.compile(r"(?:\.\.|\.,)$")
BARE_END = re.compile(r"[A-Za-z]*[a-z]$")


@dataclass(frozen=True)
class Item:
    """One list item: its raw text exactly as in the file, and its offsets."""

    raw: str
    start: int
    end: int


def split_items(tr: Transcription, start: int, end: int,
                imperatives: Collection[str]) -> list[Item]:
    """Split the bulleted list in text[start:end] into items.

    An item starts at a capitalised word after a bullet (a glyph token or a bullet glued to the
    previous word), at the start of the list, or, where the OCR lost the bullet altogether, at
    one of `imperatives` (the verbs the recommendations open with) right after a bare word.
    Page furniture is skipped, so an item may run across a page break.
    """
    furniture = tr.furniture()
    items: list[list[re.Match[str]]] = []
    pending, previous = True, ""
    for tok in re.finditer(r"\S+", tr.text[start:end]):
        at = start + tok.start()
        if any(a <= at < b for a, b in furniture):
            continue
        word = tok.group(0)
        if GLYPH_TOKEN.fullmatch(word):
            pending = True
            continue
        capital = word[0].isupper()
        bare = BARE_END.search(previous) is not None and word in imperatives
        if (pending and capital) or (not pending and bare) or not items:
            items.append([])
        items[-1].append(tok)
        pending, previous = GLUED_BULLET.search(word) is not None, word
    return [Item(tr.text[start + t[0].start():start + t[-1].end()],
                 start + t[0].start(), start + t[-1].end()) for t in items]
