"""Engine fixtures: every conformance test runs on the embedded engine and on a real Neo4j.

Neo4j comes from NEO4J_URI when it is set (the tests wipe that database: point it at a
scratch server), or else from a local server started from the Maven jars in tools/neo4j for
the whole session. Without Java or the jars the Neo4j tests skip, unless REQUIRE_NEO4J=1
(as in CI), where a missing Neo4j is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples on every run (a red build always means a change broke something);
# runs elsewhere draw new examples each time, which is where new bugs are found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from graph.embedded_backend import EmbeddedBackend
from graph.neo4j_backend import Neo4jBackend

ENGINES = ["embedded", "neo4j"]
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


def neo4j_required() -> bool:
    return os.environ.get("REQUIRE_NEO4J", "") not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if neo4j_required():
        pytest.fail(f"REQUIRE_NEO4J=1 but Neo4j is unavailable: {reason}")
    pytest.skip(f"Neo4j unavailable: {reason}")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A Bolt URI of a Neo4j 5 server the tests may wipe."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    from graph import neo4j_server

    if not neo4j_server.java_available():
        _unavailable("no Java runtime on PATH")
    if not neo4j_server.jars_present():
        if shutil.which("mvn") is None:
            _unavailable("no Neo4j jars in tools/neo4j/lib and no Maven to fetch them")
        neo4j_server.install_jars()  # one-time: ~120 MB from Maven Central, cached in ~/.m2
    server = neo4j_server.start(heap="1g", pagecache="128m")
    try:
        yield server.uri
    finally:
        neo4j_server.stop(server)


@pytest.fixture(scope="session")
def neo4j_session_backend(neo4j_uri: str) -> Iterator[Neo4jBackend]:
    auth = None
    if os.environ.get("NEO4J_USER"):
        auth = (os.environ["NEO4J_USER"], os.environ.get("NEO4J_PASSWORD", ""))
    backend = Neo4jBackend(neo4j_uri, auth, os.environ.get("NEO4J_DATABASE"))
    yield backend
    backend.close()


def wipe(backend: Neo4jBackend) -> None:
    backend._driver.execute_query("MATCH (n) DETACH DELETE n", database_=backend.database)


@pytest.fixture
def neo4j_backend(neo4j_session_backend: Neo4jBackend) -> Neo4jBackend:
    """The session's Neo4j, emptied for this test."""
    wipe(neo4j_session_backend)
    return neo4j_session_backend


@pytest.fixture
def embedded_backend(tmp_path: Path) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(tmp_path / "graph.lbug")
    yield backend
    backend.close()


@pytest.fixture(params=ENGINES)
def backend(request: pytest.FixtureRequest):
    """An empty graph on each engine in turn (test ids name the engine)."""
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seed_records():
    """Every record built from data/ (documents, frameworks, links), once per session."""
    from loaders.pipeline import build_records

    return build_records(REPO / "data")


@pytest.fixture(scope="session")
def seeded_embedded(seed_records, tmp_path_factory) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(tmp_path_factory.mktemp("seed") / "graph.lbug")
    backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
    yield backend
    backend.close()


@pytest.fixture
def seeded_neo4j(seed_records, neo4j_session_backend: Neo4jBackend) -> Neo4jBackend:
    """The session's Neo4j holding the seed graph (reloaded only if a test emptied it)."""
    backend = neo4j_session_backend
    expected = len(seed_records.nodes), len(seed_records.edges)
    have = (backend.run("MATCH (n) RETURN count(n)").scalar(),
            backend.run("MATCH ()-[r]->() RETURN count(r)").scalar())
    if have != expected:
        backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
    return backend


@pytest.fixture(params=ENGINES)
def seeded(request: pytest.FixtureRequest):
    """The seed graph on each engine in turn (read-only tests: do not write to it)."""
    return request.getfixturevalue(f"seeded_{request.param}")
