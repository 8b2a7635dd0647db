"""The benchmark report as a Markdown table (printed by bench/run.py, pasted into the README)."""

from __future__ import annotations

TARGETS = {"embedded": 100_000, "neo4j": 30_000}


def _ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def markdown(report: dict) -> str:
    lines = [f"Scale `{report['scale']}` ({report['sizes']['recommendations']:,} recommendations, "
             f"{report['sizes']['provisions']:,} provisions, {report['sizes']['maps_to']:,} MAPS_TO "
             f"plus the seed graph), {report['date']}, on {report['machine']}.", ""]
    seed = report.get("seed_build", {})
    lines += [f"Seed build (`python -m graph load`, fresh process, embedded): {seed.get('seconds')} s "
              f"(target < 5 s: {_ok(seed.get('seconds', 99) < 5)}), peak RSS {seed.get('peak_rss_mb')} MB.",
              "", "| engine | records | load s | records/s | naive records/s | ratio | peak RSS MB "
              "| targets |", "|---|---|---|---|---|---|---|---|"]
    for name, e in report["engines"].items():
        target = TARGETS[name]
        met = e["records_per_s"] >= target and e["ratio"] >= 20
        lines.append(f"| {name} | {e['records']:,} | {e['seconds']} | {e['records_per_s']:,} | "
                     f"{e['naive_records_per_s']:,} (on {e['naive_records']:,}) | {e['ratio']}x | "
                     f"{e.get('load_peak_rss_mb', '-')} | >= {target:,}/s and >= 20x: {_ok(met)} |")
    names = list(report["engines"])
    queries = sorted({q["query"] for e in report["engines"].values() for q in e["queries_seed"]})
    if queries:
        header = " | ".join(f"{n} seed p50/p95 | {n} scale p50/p95" for n in names)
        lines += ["", f"| saved query (ms) | {header} |", "|---|" + "---|" * (2 * len(names))]
        for q in queries:
            cells = []
            for n in names:
                for key in ("queries_seed", "queries_scale"):
                    row = next((r for r in report["engines"][n][key] if r["query"] == q), None)
                    cells.append(f"{row['p50_ms']} / {row['p95_ms']}" if row else "-")
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
    for n, e in report["engines"].items():
        for key, label in (("app_seed", "seed"), ("app_scale", "scale")):
            app = e.get(key) or {}
            if app and "error" not in app:
                lines.append(f"\nExplorer on {n} at {label} scale: overview first render "
                             f"{app.get('overview_s')} s (cold server {app.get('cold_overview_s')} s), "
                             f"linkage view {app.get('linkage_s')} s, "
                             f"peak RSS {app.get('peak_rss_mb')} MB.")
            elif app:
                lines.append(f"\nExplorer on {n} at {label} scale: failed ({app['error'][:200]})")
    return "\n".join(lines)


def merge(reports: list[dict]) -> dict:
    """One report from runs of the same scale on different engines (run one engine at a time
    when a single run would not fit the machine's time or memory)."""
    merged = dict(reports[0])
    merged["engines"] = {}
    for report in reports:
        merged["engines"].update(report["engines"])
    return merged


if __name__ == "__main__":
    import json
    import sys

    print(markdown(merge([json.load(open(path)) for path in sys.argv[1:]])))
