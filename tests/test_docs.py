"""The README is a contract: every CLI command is documented there and has help text."""

from __future__ import annotations

import re

import click

from graph.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in commands(cli):
        assert (command.help or "").strip(), f"`{name}` has no help text"
        words = name.split()
        # `neo4j start|stop|status` documents three subcommands on one line.
        pattern = r"python -m graph " + r"\s+".join(
            re.escape(w) if i < len(words) - 1 else rf"(?:\S*\|)?{re.escape(w)}\b"
            for i, w in enumerate(words))
        assert re.search(pattern, README), f"`python -m graph {name}` is not in the README"


def test_the_readme_gives_the_two_setup_commands():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert "pip install -r requirements-dev.txt && python -m pytest" in README


def test_ci_runs_the_readme_test_command_with_neo4j_required():
    script = (REPO / ".ci" / "run").read_text()
    assert "REQUIRE_NEO4J=1" in script
    assert "pip install -q --disable-pip-version-check -r requirements-dev.txt" in script
    assert "-m pytest" in script
