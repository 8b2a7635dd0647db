"""Records to typed Arrow tables, the shape LadybugDB's `COPY ... FROM` loads fastest.

Column types come from graph.schema, so a missing value is a typed null rather than a pandas
NaN that would turn an INT64 column into floats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyarrow as pa

from graph.records import Edge, Node
from graph.schema import NODES, RELS

ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "list[str]": pa.list_(pa.string()),
}


def _column(values: list, type_name: str) -> pa.Array:
    if type_name == "float":
        values = [None if v is None else float(v) for v in values]
    if type_name == "list[str]":
        values = [None if v is None else list(v) for v in values]
    return pa.array(values, type=ARROW_TYPES[type_name])


def node_tables(nodes: Iterable[Node]) -> dict[str, pa.Table]:
    """One table per label: `id` then every declared property, in schema order."""
    by_label: dict[str, list[Node]] = defaultdict(list)
    for n in nodes:
        by_label[n.label].append(n)
    tables = {}
    for label, group in by_label.items():
        props = NODES[label].properties
        columns = {"id": pa.array([n.id for n in group], type=pa.string())}
        for name, type_name in props.items():
            columns[name] = _column([n.props.get(name) for n in group], type_name)
        tables[label] = pa.table(columns)
    return tables


def edge_tables(edges: Iterable[Edge]) -> dict[tuple[str, str, str], pa.Table]:
    """One table per (type, from label, to label): `from`, `to`, then declared properties."""
    by_pair: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for e in edges:
        by_pair[(e.type, e.src_label, e.dst_label)].append(e)
    tables = {}
    for key, group in by_pair.items():
        props = RELS[key[0]].properties
        columns = {"from": pa.array([e.src for e in group], type=pa.string()),
                   "to": pa.array([e.dst for e in group], type=pa.string())}
        for name, type_name in props.items():
            columns[name] = _column([e.props.get(name) for e in group], type_name)
        tables[key] = pa.table(columns)
    return tables
