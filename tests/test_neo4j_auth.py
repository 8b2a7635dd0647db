"""A real login: a local Neo4j with authentication on, reached with the right and a wrong password.

One auth-enabled server per module (the slow part), with the canary password of test_secrets.py
for user neo4j. A wrong password must end in AuthenticationFailed, a message that names where and
who and says what to do, everywhere a user meets it (backend, CLI, explorer); and neither password
may show up in a message, a rendered page, an export, the server's files or its command line.

Neo4j locks a user out for 5 s after 3 failed logins in a row (auth_max_failed_attempts); a
successful login resets that count, so every test that logs in wrongly first logs in rightly once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import neo4j_server as ns
from graph import output
from graph.errors import AuthenticationFailed, GraphExplorerError
from graph.export import to_csv, to_graphml
from graph.neo4j_backend import Neo4jBackend
from graph.render import to_html
from tests.conftest import REPO, _unavailable
from tests.test_secrets import CANARY

WRONG = "canary-Wr0ngPass-2c41d8"  # a second canary: the wrong password must not leak either
USER = ns.AUTH_USER
APP = str(REPO / "app.py")
ENV_KEYS = ("GRAPH_BACKEND", "GRAPH_DB_PATH", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
            "NEO4J_DATABASE")


def assert_no_canary(text: str | bytes, where: str) -> None:
    data = text.encode() if isinstance(text, str) else text
    for secret in (CANARY, WRONG):
        assert secret.encode() not in data, f"a password shows in {where}"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ns.LocalNeo4j]:
    """A local Neo4j on a free port, user neo4j with password CANARY, its home kept to inspect."""
    if not ns.java_available():
        _unavailable("no Java 17/21 runtime")
    if not ns.jars_present():
        if shutil.which("mvn") is None:
            _unavailable("no Neo4j jars in tools/neo4j/lib and no Maven to fetch them")
        ns.install_jars()
    base = tmp_path_factory.mktemp("neo4j-auth")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ns, "RUN_DIR", base / "run")  # not a developer's tools/neo4j/run/server.json
        server = ns.start(home=base / "home", heap="512m", pagecache="64m",
                          auth_password=CANARY)
        try:
            yield server
        finally:
            ns.stop(server)


@pytest.fixture(scope="module")
def seeded_auth(auth_server: ns.LocalNeo4j, seed_records) -> Iterator[Neo4jBackend]:
    """The right-credential backend, holding the seed graph."""
    backend = Neo4jBackend(auth_server.uri, (USER, CANARY))
    backend.write(seed_records.nodes.values(), seed_records.edges.values(), replace=True)
    yield backend
    backend.close()


def login(uri: str, password: str) -> None:
    """One login on a new connection (pooled ones do not log in again); raises on a refusal."""
    backend = Neo4jBackend(uri, (USER, password), connection_timeout=5)
    try:
        backend.run("RETURN 1")
    finally:
        backend.close()


@pytest.fixture
def fresh_logins(auth_server: ns.LocalNeo4j) -> str:
    """The server's URI, with neo4j's count of failed logins back at zero."""
    login(auth_server.uri, CANARY)
    return auth_server.uri


def run_cli(*args: str, uri: str, password: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GRAPH_BACKEND": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": USER,
           "NEO4J_PASSWORD": password}
    env.pop("NEO4J_DATABASE", None)
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def everything_rendered(at: AppTest) -> str:
    """Every element of the page and the sidebar, as protobuf text (labels, values, data, urls)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def open_app(monkeypatch: pytest.MonkeyPatch, uri: str, password: str) -> AppTest:
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in {"GRAPH_BACKEND": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": USER,
                       "NEO4J_PASSWORD": password}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(REPO)
    return AppTest.from_file(APP, default_timeout=90).run()


# -- the server ------------------------------------------------------------------------------------


def test_the_password_is_not_on_the_command_line_or_in_the_environment(auth_server):
    proc = Path(f"/proc/{auth_server.pid}")
    cmdline = (proc / "cmdline").read_bytes()
    assert b"Neo4jLauncher" in cmdline and b"--auth-password\0-" in cmdline
    assert_no_canary(cmdline, "the launcher's argv (ps)")
    assert_no_canary((proc / "environ").read_bytes(), "the launcher's environment")
    assert auth_server.auth is True
    assert ns.status() == auth_server  # status needs no password to see it answer


def test_the_right_password_reads_the_graph(seeded_auth, seed_records):
    assert seeded_auth.run("RETURN 1 AS one").rows == [(1,)]
    recommendations = sum(n.label == "Recommendation" for n in seed_records.nodes.values())
    assert seeded_auth.run("MATCH (r:Recommendation) RETURN count(r)").scalar() == recommendations


def test_no_login_at_all_is_refused(fresh_logins):
    backend = Neo4jBackend(fresh_logins, None, connection_timeout=5)
    try:
        with pytest.raises(AuthenticationFailed, match="requires a login. Set NEO4J_USER"):
            backend.run("RETURN 1")
    finally:
        backend.close()


@pytest.mark.parametrize("user, password", [(USER, WRONG), ("reader", CANARY)],
                         ids=["wrong-password", "unknown-user"])
def test_a_refused_login_names_where_and_who_and_what_to_do(auth_server, fresh_logins, user,
                                                           password):
    backend = Neo4jBackend(auth_server.uri, (user, password), connection_timeout=5)
    try:
        with pytest.raises(AuthenticationFailed) as caught:
            backend.run("RETURN 1")
    finally:
        backend.close()
    message = str(caught.value)
    assert auth_server.uri in message and repr(user) in message
    assert "NEO4J_USER" in message and "NEO4J_PASSWORD" in message  # what to do
    assert_no_canary(message, "the error message")
    assert_no_canary(repr(caught.value), "the error's repr")
    assert_no_canary(backend.describe(), "describe()")


def test_the_server_keeps_no_password_in_its_files(auth_server, seeded_auth, fresh_logins):
    with pytest.raises(AuthenticationFailed):
        login(auth_server.uri, WRONG)
    login(auth_server.uri, CANARY)  # a login that worked, after one that failed
    home = Path(auth_server.home or "")
    files = [p for p in home.rglob("*") if p.is_file()] + [Path(auth_server.log_path or "")]
    assert (home / "logs" / "debug.log") in files and len(files) > 10
    assert "dbms.security.auth_enabled=true" in (home / "logs" / "debug.log").read_text()
    for path in files:  # logs, store and transaction logs (the system database holds a hash)
        assert_no_canary(path.read_bytes(), str(path))


# -- the CLI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["info"], ["query", "RETURN 1"]])
def test_cli_with_a_wrong_password_says_so_without_it(auth_server, fresh_logins, command):
    done = run_cli(*command, uri=auth_server.uri, password=WRONG)
    assert done.returncode != 0
    assert f"Neo4j at {auth_server.uri} refused the credentials for user {USER!r}" in done.stderr
    assert "NEO4J_PASSWORD" in done.stderr and "Traceback" not in done.stderr
    assert_no_canary(done.stdout + done.stderr, "the CLI output")


def test_cli_with_the_right_password_answers_without_it(auth_server, seeded_auth, seed_records):
    done = run_cli("query", "MATCH (n) RETURN count(n) AS nodes", "--format", "csv",
                   uri=auth_server.uri, password=CANARY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["nodes", str(len(seed_records.nodes))]
    assert_no_canary(done.stdout + done.stderr, "the CLI output")


# -- the explorer ----------------------------------------------------------------------------------
# Wrong first, then right: the app must not keep a refused connection for the next run.


def test_explorer_with_a_wrong_password_shows_the_problem(auth_server, seeded_auth, fresh_logins,
                                                          monkeypatch):
    at = open_app(monkeypatch, auth_server.uri, WRONG)
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert f"Neo4j at {auth_server.uri} refused the credentials for user {USER!r}" in errors
    assert "NEO4J_PASSWORD" in errors
    assert not at.metric  # stopped before any page drew data
    rendered = everything_rendered(at)
    assert auth_server.uri in rendered  # the walk sees the error's text
    assert_no_canary(rendered, "the explorer page")


def test_explorer_with_the_right_password_shows_the_overview(auth_server, seeded_auth,
                                                             seed_records, monkeypatch):
    at = open_app(monkeypatch, auth_server.uri, CANARY)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    recommendations = sum(n.label == "Recommendation" for n in seed_records.nodes.values())
    assert metrics["Recommendations"] == f"{recommendations:,}"
    assert any(auth_server.uri in c.value for c in at.sidebar.caption)  # where the graph lives
    rendered = everything_rendered(at)
    assert "Coverage: areas a-g" in rendered and auth_server.uri in rendered
    assert_no_canary(rendered, "the explorer page")


# -- exports ---------------------------------------------------------------------------------------


def test_downloads_hold_the_data_and_no_password(seeded_auth, tmp_path):
    result = seeded_auth.run("MATCH (r:Recommendation)-[e]-(x) RETURN r, e, x", limit=5000)
    assert result.nodes and result.edges and not result.truncated
    files = {
        "view.csv": to_csv(result.nodes, result.edges),
        "view.graphml": to_graphml(result.nodes, result.edges),
        "view.html": to_html(result.nodes, result.edges).html,
        "result.csv": output.to_csv(result),
        "result.json": output.to_json(result),
    }
    some_id = result.nodes[0].id
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        data = path.read_bytes()
        assert some_id.encode() in data, f"{name} lacks the data"
        assert_no_canary(data, name)


# -- the lock-out (last: it leaves user neo4j locked until it ends) ------------------------------


@pytest.mark.slow
def test_too_many_wrong_logins_say_so_without_the_password(auth_server, fresh_logins):
    caught: list[GraphExplorerError] = []
    for _ in range(4):  # the 4th attempt meets the lock, even with the right password
        try:
            login(auth_server.uri, WRONG)
        except GraphExplorerError as e:
            caught.append(e)
    locked = caught[-1]
    try:
        assert_no_canary(str(locked), "the lock-out message")
        assert isinstance(locked, AuthenticationFailed), f"{type(locked).__name__}: {locked}"
        assert auth_server.uri in str(locked) and repr(USER) in str(locked)
    finally:
        deadline = time.monotonic() + 15  # the lock lasts 5 s (dbms.security.auth_lock_time)
        while True:
            try:
                login(auth_server.uri, CANARY)
                break
            except GraphExplorerError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
