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


def open_backend():
    """The configured backend; an empty embedded graph is first built from data/ (first run)."""
    from graph.bootstrap import ensure_built

    backend = connect()
    try:
        ensure_built(backend, progress=lambda m: click.echo(m, err=True))
    except BaseException:
        backend.close()
        raise
    return backend


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
    from graph.bootstrap import build_from_data

    backend = connect()
    try:
        stats = build_from_data(backend, data_dir, replace=replace,
                                progress=lambda m: click.echo(m, err=True))
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

    backend = open_backend()
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
@click.option("--auth", is_flag=True,
              help="Require a login: user neo4j, with the password in NEO4J_PASSWORD (environment "
                   "or .streamlit/secrets.toml); it is passed on stdin, never on the command line.")
@friendly
def neo4j_start(port: int, heap: str, pagecache: str, auth: bool) -> None:
    from graph import neo4j_server

    password = Settings.load().neo4j_password if auth else None
    if auth and not password:
        raise GraphExplorerError("--auth needs the password in NEO4J_PASSWORD (environment or "
                                 ".streamlit/secrets.toml); set it, or leave --auth out for no "
                                 "login.")
    if not neo4j_server.jars_present():
        click.echo("Neo4j jars missing: fetching them from Maven Central...", err=True)
        neo4j_server.install_jars()
    server = neo4j_server.start(port, heap=heap, pagecache=pagecache, auth_password=password)
    login = f" NEO4J_USER={neo4j_server.AUTH_USER}" if auth else ""
    click.echo(f"Neo4j is ready at {server.uri} (pid {server.pid}). Use it with:\n"
               f"  export GRAPH_BACKEND=neo4j NEO4J_URI={server.uri}{login}")


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
    login = f", login as {neo4j_server.AUTH_USER}" if server and server.auth else ""
    click.echo(f"running at {server.uri} (pid {server.pid}{login})" if server else "not running")
    sys.exit(0 if server else 3)


@neo4j.command("abandon-load", help="Remove the staged records of a load into NEO4J_URI that "
                                     "crashed while staging (the graph itself is untouched).")
@friendly
def neo4j_abandon_load() -> None:
    from graph.neo4j_backend import Neo4jBackend

    settings = Settings.load()
    backend = Neo4jBackend.from_settings(settings)
    try:
        removed = backend.abandon_load()
    finally:
        backend.close()
    click.echo(f"removed {removed} staged nodes; the next `python -m graph load` can run")


_QUERY_DIR = click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
                          default=None, help="The folder of saved queries [default: cypher/].")


@cli.command(help="List the saved queries in cypher/: name, title and parameters.")
@_QUERY_DIR
@friendly
def queries(directory: Path | None) -> None:
    from graph.queries import CYPHER_DIR, load_queries

    for q in load_queries(directory or CYPHER_DIR):
        params = ", ".join(p.describe() for p in q.params) or "no parameters"
        variants = f"  [variants: {', '.join(q.variants)}]" if q.variants else ""
        click.echo(f"{q.name}\n  {q.title}\n  {params}  (view: {q.view}){variants}")


@cli.command(help="Run a saved query by name (or a .cypher file) with typed parameters: "
                  "`run rec_links -p rec_id=gcm-ts5-summary:b.1 --format csv`.")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeatable), parsed to its declared type. Lists: a,b or [a, b].")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--limit", default=1000, show_default=True, help="Row cap.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds before the query stops.")
@_QUERY_DIR
@friendly
def run(name: str, params: tuple[str, ...], fmt: str, limit: int, timeout: float,
        directory: Path | None) -> None:
    from graph.output import format_result
    from graph.queries import (CYPHER_DIR, ParameterError, coerce_params, find_query,
                               load_queries, load_query, run_saved)

    if name.endswith(".cypher") and Path(name).is_file():
        saved = load_query(Path(name))
    else:
        saved = find_query(load_queries(directory or CYPHER_DIR), name)
    raw: dict[str, str] = {}
    for pair in params:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"-p {pair}: write KEY=VALUE, e.g. -p rec_id=gcm-ts5-summary:a.1.")
        if key.strip() in raw:
            raise ParameterError(f"-p {key.strip()} is given twice. Give it once "
                                 "(a list parameter takes a,b or [a, b]).")
        raw[key.strip()] = value
    coerce_params(saved, raw)  # a bad parameter fails before any connection is made
    backend = open_backend()
    try:
        result = run_saved(backend, saved, raw, limit=limit, timeout=timeout)
        click.echo(format_result(result, fmt))
        if result.truncated:
            click.echo(f"(truncated: more than {limit} rows; raise --limit)", err=True)
    finally:
        backend.close()


@cli.command(help="Validate every saved query file (header, parameters, read-only, portability) "
                  "without a database; exits 1 and prints `file:line: problem. fix` lines.")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@friendly
def check(directory: Path | None) -> None:
    from graph.queries import CYPHER_DIR, check_queries, load_queries

    directory = directory or CYPHER_DIR
    problems = check_queries(directory)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        sys.exit(1)
    click.echo(f"{len(load_queries(directory))} saved queries in {directory}: OK")


@cli.group(help="Guided tours for trainers (data/tours/*.yaml): list them, export one as an "
                "offline HTML file.")
def tour() -> None:
    pass


@tour.command("list", help="List the tours: name, number of steps, title and audience.")
@click.option("--check", is_flag=True, help="Also check every tour against the graph "
              "(ids exist, saved queries run).")
@friendly
def tour_list(check: bool) -> None:
    from loaders.tours import check_tour, load_tours

    tours = load_tours()
    backend = connect() if check else None
    problems: list[str] = []
    try:
        for t in tours:
            click.echo(f"{t.name:<34}{len(t.steps):>3} steps  {t.title}  (for: {t.audience})")
            if backend is not None:
                found = check_tour(t, backend)
                problems += found
                click.echo(f"  {'ok' if not found else f'{len(found)} problem(s)'}")
    finally:
        if backend is not None:
            backend.close()
    if problems:
        raise click.ClickException("\n".join(problems))


@tour.command("export", help="Write tour NAME as one self-contained HTML file (works offline: "
                             "open it in any browser, no server needed).")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write [default: tours/NAME.html under the current "
                   "directory].")
@friendly
def tour_export(name: str, output: Path | None) -> None:
    from graph.tours import default_export_path, export_tour_html
    from loaders.tours import find_tour, load_tours

    chosen = find_tour(load_tours(), name)
    backend = open_backend()
    try:
        page = export_tour_html(backend, chosen)
    finally:
        backend.close()
    path = output or default_export_path(chosen.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot write {path}: {e.strerror}. Choose another "
                                   "file with -o") from e
    click.echo(f"Wrote {len(chosen.steps)} steps of {chosen.title!r} to {path.resolve()} "
               f"({len(page) / 1e6:.1f} MB). Open it in a browser; arrow keys change step.")


def main() -> None:
    cli(prog_name="python -m graph")
