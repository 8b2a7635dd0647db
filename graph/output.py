"""Formatting query results for the command line and exports (table, CSV, JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from graph.backend import QueryResult
from graph.errors import GraphExplorerError
from graph.records import Edge, Node, Path


def plain(value: Any) -> Any:
    """A JSON-ready form of a result value (nodes, edges and paths as dicts)."""
    if isinstance(value, Node):
        return {"label": value.label, "id": value.id, **{k: plain(v) for k, v in value.props.items()}}
    if isinstance(value, Edge):
        return {"type": value.type, "from": value.src, "to": value.dst,
                **{k: plain(v) for k, v in value.props.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "edges": [plain(e) for e in value.edges]}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def cell(value: Any) -> str:
    """A one-line text form of a value for tables and CSV."""
    if isinstance(value, Node):
        return f"({value.label} {value.id})"
    if isinstance(value, Edge):
        return f"[{value.type} {value.src}->{value.dst}]"
    if isinstance(value, Path):
        return " ".join(cell(n) for n in value.nodes)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(plain(value), ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value.isoformat() if isinstance(value, dt.date) else value)


def to_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.columns)
    writer.writerows([cell(v) for v in row] for row in result.rows)
    return buffer.getvalue()


def to_json(result: QueryResult) -> str:
    return json.dumps({"columns": result.columns, "rows": [plain(list(r)) for r in result.rows],
                       "truncated": result.truncated}, ensure_ascii=False, indent=2)


def to_table(result: QueryResult, max_width: int = 60) -> str:
    cells = [[cell(v)[:max_width] for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body, f"({len(result.rows)} rows)"])


def format_result(result: QueryResult, fmt: str) -> str:
    return {"table": to_table, "csv": to_csv, "json": to_json}[fmt](result)


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """`key=value` pairs; values parse as JSON where they can (numbers, lists), else text."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise GraphExplorerError(f"Parameter {pair!r} is not KEY=VALUE. Write e.g. -p id=untoc.")
        try:
            params[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[key.strip()] = raw
    return params
