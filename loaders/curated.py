"""Curated links: data/mappings/curated.csv, the reviewed links between recommendations and
frameworks (method `curated`).

Columns (a header row with exactly these names, any order):
    recommendation_id   a Recommendation id, e.g. gcm-ts5-summary:c.16
    target_id           a Framework or Provision id, or the literal `none`: a reviewed mark
                        that the recommendation has no framework behind it
    rationale           one line a lawyer would accept: the provision's actual subject
    reviewer            who reviewed it
    date                the review date, YYYY-MM-DD

Refused, each as `file:line: what. fix` in one LoaderError listing them all: a missing or
misspelt column, an unknown recommendation or target id (a Body is no MAPS_TO target), a bad
date, an empty rationale or reviewer, a row repeating an earlier (recommendation, target) pair,
and `none` next to a real target for the same recommendation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from graph.errors import LoaderError
from loaders.yaml_source import check_size, display_path, problem, suggest

COLUMNS = ("recommendation_id", "target_id", "rationale", "reviewer", "date")
NONE = "none"


@dataclass(frozen=True)
class CuratedRow:
    recommendation_id: str
    target_id: str  # a Framework or Provision id, or NONE
    rationale: str
    reviewer: str
    date: dt.date
    line: int
    where: str  # "file:line"


def _date(value: str) -> dt.date | None:
    if len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def read_curated(path: Path, recommendations: set[str],
                 targets: dict[str, str]) -> list[CuratedRow]:
    """The rows of curated.csv, checked against the known recommendation ids and the known
    targets (`targets`: id -> label). All-or-nothing."""
    path = Path(path)
    where = display_path(path)
    if not path.is_file():
        raise LoaderError(problem(where, None, "missing: the linker needs the curated links",
                                  "Restore data/mappings/curated.csv (a header row is enough)"))
    check_size(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoaderError(problem(where, None, f"not UTF-8 ({exc.reason})",
                                  "Re-save the file as UTF-8")) from None
    problems: list[str] = []

    def fail(line: int | None, what: str, fix: str) -> None:
        problems.append(problem(where, line, what, fix))

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise LoaderError(problem(where, 1, "the file is empty",
                                  f"Start it with the header row: {','.join(COLUMNS)}")) from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        what = "; ".join(filter(None, [
            f"missing column(s) {', '.join(missing)}" if missing else "",
            "unknown column(s) " + ", ".join(f"{u!r}{suggest(u, COLUMNS)}" for u in unknown)
            if unknown else "",
            "a column is named twice" if len(set(header)) != len(header) else ""]))
        raise LoaderError(problem(where, 1, f"bad header: {what}",
                                  f"The header row must be: {','.join(COLUMNS)}"))
    col = {c: header.index(c) for c in COLUMNS}
    rows: list[CuratedRow] = []
    seen: dict[tuple[str, str], int] = {}
    by_rec: dict[str, list[tuple[str, int]]] = {}
    previous_end = reader.line_num
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            fail(line, f"the row has {len(cells)} cells, the header {len(header)}",
                 "Quote a value that holds a comma (\"...\") and give every column a value")
            continue
        v = {c: cells[i].strip() for c, i in col.items()}
        rec, target = v["recommendation_id"], v["target_id"]
        ok = True
        if rec not in recommendations:
            fail(line, f"unknown recommendation id {rec!r}",
                 f"Use an id like gcm-ts5-summary:c.16{suggest(rec, recommendations)}")
            ok = False
        if target != NONE and targets.get(target) not in ("Framework", "Provision"):
            if targets.get(target):
                what = f"target {target!r} is a {targets[target]}; MAPS_TO points to a " \
                       "Framework or a Provision"
            else:
                what = f"unknown target id {target!r}"
            fail(line, what, "Use a framework or provision id from data/frameworks (e.g. "
                 f"tip-protocol:art-6){suggest(target, targets)}, or `none` for a reviewed "
                 "\"no framework\" mark")
            ok = False
        date = _date(v["date"])
        if date is None:
            fail(line, f"bad date {v['date']!r}", "Write the review date as YYYY-MM-DD, a real "
                 "day, e.g. 2026-11-23")
            ok = False
        for key in ("rationale", "reviewer"):
            if not v[key]:
                fail(line, f"empty {key} for {rec} -> {target}",
                     "Say in one line why the recommendation maps to the target"
                     if key == "rationale" else "Name who reviewed the link")
                ok = False
        if (rec, target) in seen:
            fail(line, f"duplicate row: {rec} -> {target} is already on line {seen[rec, target]}",
                 "Delete one of the two rows (merge their rationales if both say something)")
            continue
        seen[(rec, target)] = line
        by_rec.setdefault(rec, []).append((target, line))
        if ok:
            rows.append(CuratedRow(rec, target, v["rationale"], v["reviewer"], date, line,
                                   f"{where}:{line}"))
    for rec, entries in sorted(by_rec.items()):
        nones = [ln for t, ln in entries if t == NONE]
        others = [t for t, _ in entries if t != NONE]
        if nones and others:
            fail(nones[0], f"{rec} is marked `none` (no framework) but also maps to "
                 f"{', '.join(others)}", "Keep either the `none` row or the target rows")
    if problems:
        raise LoaderError(f"{len(problems)} problem(s) in {where}; no links were made:\n  "
                          + "\n  ".join(problems))
    return rows
