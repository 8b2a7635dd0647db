"""A lexical read-only check for Cypher, used by the embedded engine (which has no EXPLAIN type).

It strips comments, string literals and backticked names, then refuses any clause that writes,
changes the schema, touches files or changes settings. The embedded backend also opens its
database read-only, so anything this check misses is still refused by the engine itself.
"""

from __future__ import annotations

import re

from graph.errors import QueryNotReadOnly

WRITE_WORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "COPY",
               "LOAD", "INSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "FOREACH",
               "BEGIN", "COMMIT", "ROLLBACK", "USE")
# Procedures that only read the catalogue; every other CALL is refused.
READ_PROCEDURES = ("show_tables", "table_info", "show_connection", "db_version",
                   "show_functions", "show_indexes", "db.labels", "db.relationshiptypes",
                   "db.propertykeys", "db.schema.visualization")

_STRIP = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9.]*")


def strip_literals(cypher: str) -> str:
    """Cypher with comments, strings and backticked names blanked out (keywords remain)."""
    return _STRIP.sub(" ", cypher)


def write_clause(cypher: str) -> str | None:
    """The first clause that would write or call a non-catalogue procedure, or None."""
    words = _WORD.findall(strip_literals(cypher))
    for i, word in enumerate(words):
        upper = word.upper()
        if upper in WRITE_WORDS:
            return upper
        if upper == "CALL":
            target = words[i + 1].lower() if i + 1 < len(words) else ""
            if target not in READ_PROCEDURES:
                return f"CALL {target}".strip()
    return None


def file_access(cypher: str) -> str | None:
    """`LOAD CSV` and friends read the server's disk: refused even where the engine calls them reads."""
    words = [w.upper() for w in _WORD.findall(strip_literals(cypher))]
    for i, word in enumerate(words):
        if word == "LOAD" or (word == "CALL" and i + 1 < len(words)
                              and words[i + 1].startswith(("APOC.LOAD", "APOC.IMPORT"))):
            return " ".join(words[i:i + 2])
    return None


def ensure_no_file_access(cypher: str) -> None:
    """Raise QueryNotReadOnly for clauses that read files on the database server."""
    clause = file_access(cypher)
    if clause is not None:
        raise QueryNotReadOnly(
            f"Refused: {clause} reads files on the database server, which this console does not "
            "allow. Put data in data/ and load it with `python -m graph load`.")


def ensure_read_only(cypher: str) -> None:
    """Raise QueryNotReadOnly when the query contains a writing clause."""
    clause = write_clause(cypher)
    if clause is not None:
        raise QueryNotReadOnly(
            f"Refused: the query contains {clause}, and this console is read-only. "
            "Queries here may only read; load data with `python -m graph load`.")
