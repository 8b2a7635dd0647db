"""Benchmarks on both engines in one run: load throughput vs a naive baseline, the seed build,
saved-query latency, the explorer's first render, and peak memory.

    python bench/run.py --scale small            # CI: a few minutes
    python bench/run.py --scale full             # 250,000 recommendations (about 15 minutes)

The scale corpus comes from bench/generate.py and is loaded *together with* the seed graph, so
saved queries run with their default parameters (which name seed entities) against a graph of
the stated size. Each figure is printed in a table and written to bench/results/<scale>.json.
Neo4j is the local server of tools/neo4j (started here unless NEO4J_URI is set).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.generate import SCALES, generate  # noqa: E402
from bench.naive import naive_embedded, naive_neo4j  # noqa: E402
from graph.embedded_backend import EmbeddedBackend  # noqa: E402
from graph.neo4j_backend import Neo4jBackend  # noqa: E402
from loaders.pipeline import build_records  # noqa: E402

RESULTS = REPO / "bench" / "results"
NAIVE_SAMPLE = 2_000  # records per naive run: at ~1,000 records/s a full naive load would take hours


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50, p95


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def bench_load(name: str, make_backend, corpus, seed, naive) -> dict:
    """Project write path vs one-statement-per-record, same data, same run."""
    sample_nodes, sample_edges = _sample(corpus)
    naive_seconds = naive(sample_nodes, sample_edges)  # first: into an empty graph
    naive_rate = (len(sample_nodes) + len(sample_edges)) / naive_seconds
    backend = make_backend()
    nodes = list(seed.nodes.values()) + corpus.nodes
    edges = list(seed.edges.values()) + corpus.edges
    seconds, _ = timed(backend.write, nodes, edges, replace=True)
    rate = (len(nodes) + len(edges)) / seconds
    peak = _peak_rss_mb()  # this process: it also holds the generated corpus
    return {"engine": name, "records": len(nodes) + len(edges), "seconds": round(seconds, 2),
            "records_per_s": round(rate), "naive_records": len(sample_nodes) + len(sample_edges),
            "naive_records_per_s": round(naive_rate), "ratio": round(rate / naive_rate, 1),
            "load_peak_rss_mb": round(peak),
            "backend": backend}


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _sample(corpus) -> tuple[list, list]:
    """A self-contained slice: the first recommendations with their edges and targets."""
    recs = [n for n in corpus.nodes if n.label == "Recommendation"][: NAIVE_SAMPLE // 4]
    rec_ids = {n.id for n in recs}
    edges = [e for e in corpus.edges if e.src in rec_ids][: NAIVE_SAMPLE // 2]
    needed = {(e.dst_label, e.dst) for e in edges}
    others = [n for n in corpus.nodes if (n.label, n.id) in needed]
    return recs + others, edges


def bench_queries(backend, repeats: int) -> list[dict]:
    try:
        from graph.queries import load_queries, run_saved
    except ImportError:
        return []
    rows = []
    for query in load_queries(REPO / "cypher"):
        samples = []
        run_saved(backend, query, {}, limit=1000, timeout=60)  # warm-up (plans, caches)
        for _ in range(repeats):
            seconds, _ = timed(run_saved, backend, query, {}, limit=1000, timeout=60)
            samples.append(seconds * 1000)
        p50, p95 = percentiles(samples)
        rows.append({"query": query.name, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1)})
    return rows


def bench_seed_build() -> dict:
    """`python -m graph load` in a fresh process into a fresh file, end to end, with its RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": f"{tmp}/graph.lbug"}
        code = ("import resource, runpy, sys; sys.argv=['graph','load'];\n"
                "try: runpy.run_module('graph', run_name='__main__')\n"
                "except SystemExit: pass\n"
                "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
                "print('RSS_KB', hwm[0].split()[1] if hwm else "
                "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        seconds = time.perf_counter() - started
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines()
                if line.startswith("RSS_KB")), 0)
    return {"seconds": round(seconds, 2), "ok": done.returncode == 0, "peak_rss_mb": round(rss / 1024)}


def bench_app(db_path: Path, backend_env: dict) -> dict:
    """Time to first render of the overview and of a linkage view, with AppTest, in a subprocess."""
    script = REPO / "bench" / "app_render.py"
    if not script.exists() or not (REPO / "app.py").exists():
        return {}
    env = {**os.environ, **backend_env}
    done = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (done.stderr or done.stdout)[-500:]}


def neo4j_uri(scale: str) -> tuple[str, object | None]:
    if os.environ.get("NEO4J_URI"):
        return os.environ["NEO4J_URI"], None
    from graph import neo4j_server

    if not neo4j_server.jars_present():
        neo4j_server.install_jars()
    # Loads commit in batches (staged, then swapped), so the heap need not hold the whole graph;
    # the page cache should hold the store (about 2 GB at full scale).
    heap, pagecache = ("4g", "4g") if scale == "full" else ("2g", "1g")
    server = neo4j_server.start(heap=heap, pagecache=pagecache, timeout=180, tx_memory="1g")
    atexit.register(neo4j_server.stop, server)  # also when a step fails: no orphaned JVM
    return server.uri, server


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmarks on both engines.")
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--engines", default="embedded,neo4j")
    args = parser.parse_args()
    engines = args.engines.split(",")
    report: dict = {"scale": args.scale, "sizes": dict(zip(("recommendations", "provisions",
                    "maps_to"), SCALES[args.scale], strict=True)), "machine": machine(),
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "engines": {}}
    seed = build_records(REPO / "data")
    corpus = generate(args.scale)
    report["seed_build"] = bench_seed_build()
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        for engine in engines:
            if engine == "embedded":
                db_path = Path(tmp) / "bench.lbug"
                seed_path = Path(tmp) / "seed.lbug"
                make = lambda p=db_path: EmbeddedBackend(p)  # noqa: E731
                naive = lambda n, e: naive_embedded(Path(tmp) / "naive.lbug", n, e)  # noqa: E731
                env = {"GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(db_path)}
                seed_backend = EmbeddedBackend(seed_path)
                seed_env = {"GRAPH_BACKEND": "embedded", "GRAPH_DB_PATH": str(seed_path)}
            else:
                uri, server = neo4j_uri(args.scale)
                make = lambda u=uri: Neo4jBackend(u)  # noqa: E731
                naive = lambda n, e, u=uri: naive_neo4j(u, n, e)  # noqa: E731
                env = seed_env = {"GRAPH_BACKEND": "neo4j", "NEO4J_URI": uri}
                seed_backend = None
            entry = bench_load(engine, make, corpus, seed, naive)
            backend = entry.pop("backend")
            entry["queries_scale"] = bench_queries(backend, args.repeats)
            entry["app_scale"] = bench_app(Path(tmp), env)
            # seed scale: the seed graph alone
            seed_backend = seed_backend or backend
            seed_backend.write(seed.nodes.values(), seed.edges.values(), replace=True)
            entry["queries_seed"] = bench_queries(seed_backend, args.repeats)
            entry["app_seed"] = bench_app(Path(tmp), seed_env)
            backend.close()
            if seed_backend is not backend:
                seed_backend.close()
            report["engines"][engine] = entry
    if server is not None:
        from graph import neo4j_server

        neo4j_server.stop(server)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if set(engines) == {"embedded", "neo4j"} else "-" + "-".join(engines)
    out = RESULTS / f"{args.scale}{suffix}.json"
    out.write_text(json.dumps(report, indent=2))
    print(render_table(report))
    print(f"\n(written to {out.relative_to(REPO)})")


def render_table(report: dict) -> str:
    from bench.report import markdown

    return markdown(report)


if __name__ == "__main__":
    main()
