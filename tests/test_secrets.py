"""Credentials come only from the environment or secrets.toml and never show up anywhere else.

A canary password is set and then looked for in every message, repr and CLI output a user or
a log could see."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.config import Settings
from graph.errors import GraphExplorerError
from graph.neo4j_backend import Neo4jBackend

REPO = Path(__file__).resolve().parent.parent
CANARY = "canary-Pa55word-7f3e9b"


def test_secrets_toml_is_read_when_the_environment_is_silent(tmp_path):
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "secrets.toml").write_text(
        f'GRAPH_BACKEND = "neo4j"\nNEO4J_URI = "bolt://db.example:7687"\n'
        f'NEO4J_USER = "reader"\nNEO4J_PASSWORD = "{CANARY}"\n', encoding="utf-8")
    settings = Settings.load(environ={}, search=(tmp_path,))
    assert (settings.backend, settings.neo4j_uri, settings.neo4j_user) == (
        "neo4j", "bolt://db.example:7687", "reader")
    assert settings.neo4j_password == CANARY
    assert CANARY not in repr(settings) and CANARY not in settings.describe()


def test_the_environment_wins_over_secrets_toml(tmp_path):
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "secrets.toml").write_text('NEO4J_URI = "bolt://from-file:7687"\n')
    settings = Settings.load(environ={"NEO4J_URI": "bolt://from-env:7687"}, search=(tmp_path,))
    assert settings.neo4j_uri == "bolt://from-env:7687"


def test_a_broken_secrets_file_is_named_without_its_contents(tmp_path):
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "secrets.toml").write_text(f'NEO4J_PASSWORD = "{CANARY}\n')  # unterminated
    with pytest.raises(GraphExplorerError) as caught:
        Settings.load(environ={}, search=(tmp_path,))
    assert "secrets.toml" in str(caught.value) and CANARY not in str(caught.value)


def test_connection_errors_never_show_the_password():
    backend = Neo4jBackend("bolt://127.0.0.1:9", ("reader", CANARY), connection_timeout=1)
    with pytest.raises(GraphExplorerError) as caught:
        backend.run("RETURN 1")
    assert "reader" in str(caught.value) or "127.0.0.1:9" in str(caught.value)
    assert CANARY not in str(caught.value) and CANARY not in backend.describe()
    backend.close()


@pytest.mark.parametrize("command", [["info"], ["query", "RETURN 1"], ["run", "graph_size"]])
def test_cli_output_never_shows_the_password(command):
    env = {**os.environ, "GRAPH_BACKEND": "neo4j", "NEO4J_URI": "bolt://127.0.0.1:9",
           "NEO4J_USER": "reader", "NEO4J_PASSWORD": CANARY}
    done = subprocess.run([sys.executable, "-m", "graph", *command], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Could not reach Neo4j at bolt://127.0.0.1:9" in done.stderr
    assert CANARY not in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_secrets_file_is_ignored_by_git():
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=REPO, capture_output=True,
                             text=True).stdout
    assert "secrets.toml" not in tracked
