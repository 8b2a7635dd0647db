"""Run a real Neo4j 5.26 server on loopback from Maven Central jars, so tests and demos need no Docker or tarball.

The server is `tools/neo4j/Neo4jLauncher.java` (an embedded DBMS with Bolt, TLS off) run by Java 17/21 in
single-file source mode against `tools/neo4j/lib/*` (filled by `mvn ... dependency:copy-dependencies`). Auth is off
unless `start(auth_password=...)` is given: then user `neo4j` has that password, handed to the launcher on its stdin
so that it never shows in `ps` (argv) or in the process environment.

    python -m graph.neo4j_server start [--port N] [--heap 1g] [--pagecache 256m] [--foreground]
    python -m graph.neo4j_server status
    python -m graph.neo4j_server stop

`start` records the running server in `tools/neo4j/run/server.json` so that `status` and `stop` (possibly from
another shell) can find it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graph.errors import BackendUnavailable, GraphExplorerError

TOOLS_DIR = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
LIB_DIR = TOOLS_DIR / "lib"  # module globals read at call time, so tests can point them elsewhere
RUN_DIR = TOOLS_DIR / "run"
LAUNCHER = TOOLS_DIR / "Neo4jLauncher.java"
READY_PREFIX = "NEO4J_READY "
AUTH_USER = "neo4j"  # the user whose password auth_password sets
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length default
SUPPORTED_JAVA = range(17, 22)  # Neo4j 5.26 LTS supports Java 17 and 21 only (not 25)

# JVM flags Neo4j itself passes in `server.jvm.additional`; without them the page cache and Netty warn or fail.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+ExitOnOutOfMemoryError",
)

_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # servers this process started, so stop() can reap them


@dataclass
class LocalNeo4j:
    """A running launcher process: where to connect, and what to stop."""

    uri: str
    port: int
    pid: int
    home: str | None = None  # None: a temporary home the launcher deletes on shutdown
    log_path: str | None = None
    started: str | None = None
    auth: bool = False  # True: connect as AUTH_USER with the password start() was given
    returncode: int | None = field(default=None, compare=False)  # set by stop() when the exit code is known


# ---------------------------------------------------------------------------------------------------- prerequisites


def _state_file() -> Path:
    return RUN_DIR / "server.json"


def jars_present() -> bool:
    """True when tools/neo4j/lib holds the Neo4j kernel and Bolt jars (the ~118 MB Maven download is done)."""
    return any(LIB_DIR.glob("neo4j-[0-9]*.jar")) and any(LIB_DIR.glob("neo4j-bolt-[0-9]*.jar"))


def install_jars() -> None:
    """Download the server's jars from Maven Central into tools/neo4j/lib (once; Maven caches them in ~/.m2)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BackendUnavailable(
            "Maven (mvn) is not on PATH, so the Neo4j jars cannot be downloaded into "
            f"{LIB_DIR}. Install it (e.g. `apt-get install maven`) and rerun, or run "
            f"`mvn -q -B -f {TOOLS_DIR / 'pom.xml'} dependency:copy-dependencies` on a machine that has it."
        )
    cmd = [mvn, "-q", "-B", "-f", str(TOOLS_DIR / "pom.xml"), "dependency:copy-dependencies"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not jars_present():
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise BackendUnavailable(
            f"`{' '.join(cmd)}` failed (exit {done.returncode}); Maven Central must be reachable.\n{tail}"
        )


@functools.lru_cache(maxsize=None)
def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def _java() -> str | None:
    """The first of $NEO4J_JAVA, $JAVA_HOME/bin/java, `java` on PATH that is Java 17-21 (JAVA_HOME may be 25)."""
    candidates = [os.environ.get("NEO4J_JAVA")]
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(shutil.which("java"))
    for java in candidates:
        if java and _java_major(java) in SUPPORTED_JAVA:
            return java
    return None


def java_available() -> bool:
    """True when a Java that Neo4j 5.26 supports (17 or 21) can be run."""
    return _java() is not None


# --------------------------------------------------------------------------------------------------- process helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    """Whether the pid exists. Not /proc's 'Z' state: a JVM's leader thread shows Z while it is still shutting down;
    zombies of our own children are reaped by _reap() instead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_launcher(pid: int) -> bool:
    """Guards against a recycled pid in a stale server.json."""
    try:
        return b"Neo4jLauncher" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _reap(pid: int) -> int | None:
    """Exit code if the process has ended and we could collect it; None otherwise."""
    proc = _CHILDREN.get(pid)
    if proc is not None:
        code = proc.poll()
        if code is not None:
            _CHILDREN.pop(pid, None)
            return 128 - code if code < 0 else code  # Popen reports death-by-signal as -signum
        return None
    try:
        got, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if got else None


def _wait_gone(pid: int, timeout: float) -> tuple[bool, int | None]:
    deadline = time.monotonic() + timeout
    while True:
        code = _reap(pid)
        if code is not None:
            return True, code
        if not _pid_alive(pid):
            return True, _reap(pid)  # a zombie child can be reaped now; a non-child's code is unknowable
        if time.monotonic() >= deadline:
            return False, None
        time.sleep(0.1)


def _tail(path: Path, n: int = 20) -> str:
    try:
        with path.open(errors="replace") as fh:
            return "".join(deque(fh, maxlen=n)).rstrip()
    except OSError:
        return "(no log)"


def _bolt_answers(uri: str, timeout: float = 3.0, auth: tuple[str, str] | None = None) -> bool:
    """Whether Bolt answers (with `auth`: and accepts it). Without auth, a refusal by an auth-enabled server counts
    as answering: `status` does not know the password."""
    from neo4j import GraphDatabase  # imported late: `stop` and `--help` work without touching the driver
    from neo4j.exceptions import AuthError

    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout) as driver:
            driver.verify_connectivity()
        return True
    except AuthError:
        return auth is None
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def java_command(port: int, *, heap: str = "1g", pagecache: str = "256m", home: Path | None = None,
                 tx_memory: str = "512m", auth: bool = False) -> list[str]:
    """The exact command start() runs (exposed so it can be logged and reproduced by hand)."""
    java = _java()
    if java is None:
        raise BackendUnavailable(
            "No Java 17 or 21 found ($NEO4J_JAVA, $JAVA_HOME, PATH); Neo4j 5.26 needs one "
            "(e.g. `apt-get install openjdk-17-jre-headless`)."
        )
    cmd = [java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, "-cp", str(LIB_DIR / "*"), str(LAUNCHER)]
    cmd += ["--port", str(port), "--pagecache", pagecache, "--tx-memory", tx_memory]
    if home is not None:
        cmd += ["--home", str(home)]
    if auth:
        cmd += ["--auth-password", "-"]  # "-": the first line of stdin, never the password itself
    return cmd


def _check_password(password: str) -> None:
    """Refuse what Neo4j would refuse, before a JVM is started, without quoting the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise GraphExplorerError(f"The password for the local Neo4j must have at least {MIN_PASSWORD_LENGTH} "
                                 "characters (Neo4j's minimum); choose a longer one.")
    if "\n" in password or "\r" in password:
        raise GraphExplorerError("The password for the local Neo4j cannot contain a line break; choose another.")


# ------------------------------------------------------------------------------------------------------- public API


def _prune_logs(keep: int = 20) -> None:
    """Keep tools/neo4j/run from growing without bound: drop all but the newest `keep` launcher logs."""
    recorded = _read_state()

    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by a concurrent start()
            return 0.0

    logs = sorted(RUN_DIR.glob("neo4j-*.log"), key=mtime, reverse=True)
    for old in logs[keep:]:
        if recorded is None or str(old) != recorded.log_path:
            old.unlink(missing_ok=True)


def _read_state() -> LocalNeo4j | None:
    try:
        data = json.loads(_state_file().read_text())
        return LocalNeo4j(**{k: data.get(k) for k in ("uri", "port", "pid", "home", "log_path", "started")},
                          auth=bool(data.get("auth")))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(server: LocalNeo4j) -> None:
    """Record the server unless server.json already names another live one (never orphan a running server)."""
    current = _read_state()
    if current and current.pid != server.pid and _pid_alive(current.pid) and _is_launcher(current.pid):
        return
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in asdict(server).items() if k != "returncode"}
    tmp = _state_file().with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(_state_file())


def start(
    port: int | None = None,
    *,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = 120.0,
    log_path: Path | None = None,
    home: Path | None = None,
    tx_memory: str = "512m",
    auth_password: str | None = None,
) -> LocalNeo4j:
    """Launch a server and return once Bolt answers; raise BackendUnavailable (with the log tail) otherwise.

    `home=None` gives a throwaway store the launcher deletes on shutdown; pass a directory to keep the data.
    `auth_password` turns authentication on and sets the password of user `neo4j` (at least 8 characters); a kept
    home started again with another password takes the new one.
    """
    if auth_password is not None:
        _check_password(auth_password)
    if not jars_present():
        raise BackendUnavailable(
            f"The Neo4j jars are missing from {LIB_DIR}. Run `python -m graph.neo4j_server start` (it downloads "
            f"them) or `mvn -q -B -f {TOOLS_DIR / 'pom.xml'} dependency:copy-dependencies`."
        )
    if port is None:
        port = _free_port()
    elif _port_open(port):
        raise BackendUnavailable(
            f"127.0.0.1:{port} is already in use (another Neo4j? see `python -m graph.neo4j_server status`); "
            "choose another --port or leave it out to pick a free one."
        )
    uri = f"bolt://127.0.0.1:{port}"
    home = Path(home).resolve() if home is not None else None  # the JVM runs from the repo root, not our cwd
    cmd = java_command(port, heap=heap, pagecache=pagecache, home=home, tx_memory=tx_memory,
                       auth=auth_password is not None)
    auth = None if auth_password is None else (AUTH_USER, auth_password)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    if log_path is None:
        # One log per launch: two starts racing for a port must never read each other's ready line.
        _prune_logs()
        fd, name = tempfile.mkstemp(prefix=f"neo4j-{port}-", suffix=".log", dir=RUN_DIR)
        os.close(fd)
        log = Path(name)
    else:
        log = Path(log_path)
        log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        # A new session: Ctrl-C in the calling terminal must not kill a background server; stop() sends SIGTERM.
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if auth is None else subprocess.PIPE, stdout=out,
                                stderr=subprocess.STDOUT, cwd=TOOLS_DIR.parent.parent, start_new_session=True)
    _CHILDREN[proc.pid] = proc
    if auth is not None:
        _hand_over(proc, auth[1])
    deadline = time.monotonic() + timeout
    ready = False
    problem = None
    while problem is None:
        code = proc.poll()
        if code is not None:
            problem = f"the Java process exited with code {code} before Bolt answered"
        elif time.monotonic() > deadline:
            problem = f"Bolt did not answer at {uri} within {timeout:.0f}s"
        elif not ready:
            ready = READY_PREFIX.encode() in log.read_bytes()
            if not ready:
                time.sleep(0.2)
        elif _bolt_answers(uri, timeout=max(0.5, min(3.0, deadline - time.monotonic())), auth=auth):
            server = LocalNeo4j(uri, port, proc.pid, str(home) if home else None, str(log),
                                _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), auth is not None)
            _write_state(server)
            return server
        else:
            time.sleep(0.2)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    _CHILDREN.pop(proc.pid, None)
    raise BackendUnavailable(
        f"Local Neo4j failed to start: {problem}.\n{_diagnose(log, cmd[0], port, home)}\n"
        f"Last lines of {log}:\n{_tail(log)}"
    )


def _hand_over(proc: subprocess.Popen[bytes], password: str) -> None:
    """Write the password to the launcher's stdin and close it (a pipe: nothing lands on disk or in argv)."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(password.encode() + b"\n")
        proc.stdin.close()
    except BrokenPipeError:  # the JVM died first; start() reports its exit code and log
        pass


def _diagnose(log: Path, java: str, port: int, home: Path | None) -> str:
    """Turn the usual failure signatures in the launcher's log into the one thing to do about them."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        text = ""
    fetch = f"`mvn -q -B -f {TOOLS_DIR / 'pom.xml'} dependency:copy-dependencies`"
    if re.search(r"compilation failed|cannot find symbol|NoClassDefFoundError|ClassNotFoundException|ZipException",
                 text):
        return f"Java could not load Neo4j's classes: the jars in {LIB_DIR} are missing or incomplete; rerun {fetch}."
    if "Address already in use" in text or "PortBindException" in text:
        return f"Port {port} is taken by another process; pass another port or none to pick a free one."
    if "store_lock" in text or "Lock file has been locked" in text:
        return f"The store in {home} is open in another Neo4j process; stop it or use another home."
    if "OutOfMemoryError" in text:
        return "The JVM ran out of memory; raise heap= (--heap) or lower pagecache=."
    return (f"Check Java 17/21 (`{java} -version`), that {LIB_DIR} holds the jars (rerun {fetch}), "
            f"that port {port} is free, or raise the timeout on a slow machine.")


def stop(server: LocalNeo4j | None = None, timeout: float = 30) -> bool:
    """SIGTERM the server (its shutdown hook closes the store cleanly), SIGKILL after `timeout`; True if it ran."""
    recorded = _read_state()
    server = server or recorded
    if server is None:
        return False
    stopped = False
    if _pid_alive(server.pid) and _is_launcher(server.pid):
        os.kill(server.pid, signal.SIGTERM)
        gone, code = _wait_gone(server.pid, timeout)
        if not gone:
            os.kill(server.pid, signal.SIGKILL)
            gone, code = _wait_gone(server.pid, 10)
        server.returncode = code
        stopped = True
    else:
        server.returncode = _reap(server.pid)
    if recorded is not None and recorded.pid == server.pid:
        _state_file().unlink(missing_ok=True)
    return stopped


def status() -> LocalNeo4j | None:
    """The recorded server if its process is alive and Bolt answers; a server.json naming a dead pid is removed."""
    server = _read_state()
    if server is None:
        return None
    if not (_pid_alive(server.pid) and _is_launcher(server.pid)):
        _state_file().unlink(missing_ok=True)
        return None
    return server if _bolt_answers(server.uri) else None


# ------------------------------------------------------------------------------------------------------------- CLI


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.neo4j_server", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    parser.add_argument("--heap", default="1g", help="JVM heap, -Xms/-Xmx (default 1g)")
    parser.add_argument("--pagecache", default="256m", help="Neo4j page cache (default 256m)")
    parser.add_argument("--home", type=Path, default=None, help="keep the store here (default: a temporary one)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for Bolt (default 120)")
    parser.add_argument("--foreground", action="store_true", help="stay attached; Ctrl-C stops the server")
    args = parser.parse_args(argv)

    if args.command == "status":
        server = status()
        if server is None:
            print("No local Neo4j is running.")
            return 1
        print(f"Local Neo4j running at {server.uri} (pid {server.pid}, since {server.started}, log {server.log_path})")
        return 0
    if args.command == "stop":
        print("Stopped local Neo4j." if stop() else "No local Neo4j was running.")
        return 0

    running = status()
    if running is not None:
        print(f"Local Neo4j is already running at {running.uri} (pid {running.pid}).")
        print(f"export NEO4J_URI={running.uri}")
        return 0
    try:
        if not jars_present():
            print(f"Neo4j jars missing; downloading them into {LIB_DIR} with Maven (~120 MB, once)...", flush=True)
            install_jars()
        print("Starting local Neo4j (about 15 s)...", flush=True)
        server = start(args.port, heap=args.heap, pagecache=args.pagecache, timeout=args.timeout, home=args.home)
    except BackendUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Local Neo4j ready at {server.uri} (pid {server.pid}, log {server.log_path})")
    print(f"export NEO4J_URI={server.uri}")
    if not args.foreground:
        print("Stop it with: python -m graph.neo4j_server stop")
        return 0
    # Explicit handlers: a shell that starts us in the background leaves SIGINT ignored, and `kill <python pid>`
    # (SIGTERM) must not orphan the JVM either.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while _pid_alive(server.pid) and _reap(server.pid) is None:
            time.sleep(0.5)
        print(f"Local Neo4j exited on its own; see {server.log_path}", file=sys.stderr)
        _state_file().unlink(missing_ok=True)
        return 1
    except KeyboardInterrupt:
        print("Stopping local Neo4j...", flush=True)
        stop(server)
        return 0


if __name__ == "__main__":
    sys.exit(_main())
