"""Everything in data/ as one validated set of records: documents, frameworks, then links.

This is what `python -m graph load` and the app's first run write to the graph. It needs no
database; a bad file stops it with a LoaderError before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.errors import LoaderError
from graph.records import Records
from graph.schema import validate_records

SOURCES = {
    "000_491ae9bf49fe258f.txt": ("loaders.briefing", "read_briefing"),
    "001_c8ce0308e6432a15.txt": ("loaders.agenda", "read_agenda"),
    "002_5f6558f3113a5cc1.txt": ("loaders.procedural_note", "read_procedural_note"),
    "003_2307a9ba4bf51685.txt": ("loaders.summary", "read_summary"),
    "004_c247a92fe6dc4f5c.txt": ("loaders.training", "read_training"),
}


def _reader(module: str, name: str) -> Callable:
    from importlib import import_module

    return getattr(import_module(module), name)


def document_records(data_dir: Path, progress: Callable[[str], None] = lambda m: None) -> Records:
    """Frameworks, bodies and the five source documents, without links."""
    records = Records()
    frameworks = data_dir / "frameworks"
    progress(f"Reading the framework corpus in {frameworks}")
    records.add(_reader("loaders.frameworks", "read_frameworks")(frameworks))
    for filename, (module, name) in SOURCES.items():
        path = data_dir / "sources" / filename
        if not path.is_file():
            raise LoaderError(f"{path}: missing. The source documents live in data/sources/; "
                              "restore the file from the repository.")
        progress(f"Reading {path.name}")
        records.add(_reader(module, name)(path))
    return records


def build_records(data_dir: Path, progress: Callable[[str], None] = lambda m: None) -> Records:
    """All records from data/: documents and frameworks, then cited, curated, inferred links."""
    data_dir = Path(data_dir)
    records = document_records(data_dir, progress)
    try:
        from loaders.linker import link
    except ImportError:  # the linker lands separately; without it the graph has no MAPS_TO yet
        link = None
    if link is not None:
        progress("Linking recommendations to frameworks")
        records.add(link(records, data_dir))
    validate_records(list(records.nodes.values()), list(records.edges.values()),
                     where=str(data_dir))
    progress(f"{len(records.nodes)} nodes and {len(records.edges)} relationships ready")
    return records
