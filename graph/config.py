"""Configuration from the environment, or from `.streamlit/secrets.toml` when a variable is unset.

Keys: GRAPH_BACKEND (embedded | neo4j), GRAPH_DB_PATH, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE. The password never appears in `repr()` or in any message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import GraphExplorerError

KEYS = ("GRAPH_BACKEND", "GRAPH_DB_PATH", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
        "NEO4J_DATABASE")
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_db_path() -> Path:
    """The embedded database under the user's data dir (XDG), created on first run."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tip-graph" / "graph.lbug"


def _secrets(search: tuple[Path, ...]) -> dict[str, str]:
    for folder in search:
        path = folder / ".streamlit" / "secrets.toml"
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
                raise GraphExplorerError(
                    f"{path}: cannot read it as TOML ({e}). Fix the file or remove it.") from e
            return {k: str(v) for k, v in data.items() if k in KEYS}
    return {}


@dataclass(frozen=True)
class Settings:
    """Where the graph lives and how to reach it."""

    backend: str = "embedded"
    db_path: Path = field(default_factory=default_db_path)
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None

    @classmethod
    def load(cls, environ: dict[str, str] | None = None,
             search: tuple[Path, ...] = (Path.cwd(), REPO_ROOT)) -> Settings:
        env = dict(os.environ if environ is None else environ)
        values = {**_secrets(search), **{k: v for k, v in env.items() if k in KEYS and v}}
        backend = values.get("GRAPH_BACKEND", "embedded").strip().lower()
        if backend not in ("embedded", "neo4j"):
            raise GraphExplorerError(
                f"GRAPH_BACKEND={backend!r} is not known. Use 'embedded' (the default, no server) "
                "or 'neo4j' (with NEO4J_URI).")
        return cls(
            backend=backend,
            db_path=Path(values["GRAPH_DB_PATH"]).expanduser() if "GRAPH_DB_PATH" in values
            else default_db_path(),
            neo4j_uri=values.get("NEO4J_URI"),
            neo4j_user=values.get("NEO4J_USER"),
            neo4j_password=values.get("NEO4J_PASSWORD"),
            neo4j_database=values.get("NEO4J_DATABASE"),
        )

    def describe(self) -> str:
        """Where the graph is, for messages and `python -m graph info` (never the password)."""
        if self.backend == "neo4j":
            user = f" as {self.neo4j_user}" if self.neo4j_user else ""
            return f"neo4j at {self.neo4j_uri}{user} (database {self.neo4j_database or 'default'})"
        return f"embedded LadybugDB at {self.db_path}"
