"""`python -m graph ...`: a few lines over the core for each command.

Every command ends in `except GraphExplorerError` -> a one-paragraph message and exit code 1,
never a traceback for an error the project raises on purpose.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from graph.backend import connect
from graph.config import REPO_ROOT, Settings
from graph.errors import GraphExplorerError

DATA_DIR = REPO_ROOT / "data"


def friendly(func):
    """Turn project errors into a clean message and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GraphExplorerError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


@click.group(help="Recommendation-tracking graph explorer: trafficking in persons and migrant "
                  "smuggling. The backend comes from GRAPH_BACKEND (embedded | neo4j).")
def cli() -> None:
    pass


@cli.command(help="Show the configured backend, where it lives, and counts per label and type.")
@friendly
def info() -> None:
    settings = Settings.load()
    backend = connect(settings)
    try:
        click.echo(f"backend: {backend.name}\nlocation: {backend.describe()}")
        click.echo("nodes:")
        for label, n in backend.counts().items():
            click.echo(f"  {label:<16}{n:>8}")
        click.echo("relationships:")
        for rel, n in backend.rel_counts().items():
            click.echo(f"  {rel:<16}{n:>8}")
    finally:
        backend.close()


@cli.command(help="Build the graph from data/ (documents, frameworks, mappings) into the backend.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DATA_DIR, show_default=True, help="The data directory to load.")
@click.option("--replace/--merge", default=True, show_default=True,
              help="Replace the graph with exactly what data/ holds, or merge into it.")
@friendly
def load(data_dir: Path, replace: bool) -> None:
    from loaders.pipeline import build_records

    records = build_records(data_dir, progress=lambda m: click.echo(m, err=True))
    backend = connect()
    try:
        stats = backend.write(records.nodes.values(), records.edges.values(), replace=replace)
        click.echo(f"Loaded into {backend.describe()} in {stats.seconds:.2f} s")
        click.echo("nodes:")
        for label, n in sorted(stats.nodes.items()):
            click.echo(f"  {label:<16}{n:>8}")
        click.echo("relationships:")
        for rel, n in sorted(stats.edges.items()):
            click.echo(f"  {rel:<16}{n:>8}")
    finally:
        backend.close()


@cli.command(help="Run one read-only Cypher query and print the rows.")
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable). Values are parsed as JSON when they can be.")
@click.option("--limit", default=1000, show_default=True, help="Row cap.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds before the query stops.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@friendly
def query(cypher: str, params: tuple[str, ...], limit: int, timeout: float, fmt: str) -> None:
    from graph.output import format_result, parse_params

    backend = connect()
    try:
        result = backend.run(cypher, parse_params(params), limit=limit, timeout=timeout)
        click.echo(format_result(result, fmt))
        if result.truncated:
            click.echo(f"(truncated: more than {limit} rows; raise --limit)", err=True)
    finally:
        backend.close()


@cli.group(help="A local Neo4j 5.26 server from Maven jars (Java 17): for development and tests.")
def neo4j() -> None:
    pass


@neo4j.command("install", help="Fetch the Neo4j jars from Maven Central into tools/neo4j/lib.")
@friendly
def neo4j_install() -> None:
    from graph import neo4j_server

    neo4j_server.install_jars()
    click.echo(f"Neo4j jars are in {neo4j_server.LIB_DIR}")


@neo4j.command("start", help="Start the local server in the background and print its URI.")
@click.option("--port", type=int, default=7687, show_default=True)
@click.option("--heap", default="1g", show_default=True)
@click.option("--pagecache", default="256m", show_default=True)
@friendly
def neo4j_start(port: int, heap: str, pagecache: str) -> None:
    from graph import neo4j_server

    if not neo4j_server.jars_present():
        click.echo("Neo4j jars missing: fetching them from Maven Central...", err=True)
        neo4j_server.install_jars()
    server = neo4j_server.start(port, heap=heap, pagecache=pagecache)
    click.echo(f"Neo4j is ready at {server.uri} (pid {server.pid}). Use it with:\n"
               f"  export GRAPH_BACKEND=neo4j NEO4J_URI={server.uri}")


@neo4j.command("stop", help="Stop the local server started with `neo4j start`.")
@friendly
def neo4j_stop() -> None:
    from graph import neo4j_server

    click.echo("stopped" if neo4j_server.stop() else "no local Neo4j was running")


@neo4j.command("status", help="Say whether the local server is running, and where.")
@friendly
def neo4j_status() -> None:
    from graph import neo4j_server

    server = neo4j_server.status()
    click.echo(f"running at {server.uri} (pid {server.pid})" if server else "not running")
    sys.exit(0 if server else 3)


def main() -> None:
    cli(prog_name="python -m graph")
