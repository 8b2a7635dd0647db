"""Build the graph from data/ into a backend: the one path the CLI, the app and the tests share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.backend import GraphBackend, LoadStats
from graph.config import REPO_ROOT

DATA_DIR = REPO_ROOT / "data"


def build_from_data(backend: GraphBackend, data_dir: Path = DATA_DIR, *, replace: bool = True,
                    progress: Callable[[str], None] = lambda m: None) -> LoadStats:
    """Read, link and validate everything in `data_dir`, then write it (all or nothing)."""
    from loaders.pipeline import build_records

    records = build_records(data_dir, progress=progress)
    progress(f"Writing to {backend.describe()}")
    return backend.write(records.nodes.values(), records.edges.values(), replace=replace)


def is_empty(backend: GraphBackend) -> bool:
    """True when the graph holds no node at all (a first run)."""
    return backend.run("MATCH (n) RETURN count(n)").scalar() == 0


def ensure_built(backend: GraphBackend, progress: Callable[[str], None] = lambda m: None) -> bool:
    """Build an empty *embedded* graph from data/ (a shared Neo4j is never loaded implicitly)."""
    if backend.name != "embedded" or not is_empty(backend):
        return False
    progress("The embedded graph is empty: building it from data/ (first run)")
    build_from_data(backend, progress=progress)
    return True
