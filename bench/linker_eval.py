"""Evaluate the linker against labelled links: python bench/linker_eval.py [--sweep]

Labels: data/mappings/eval-set.csv, one row per (recommendation, acceptable-target group);
`acceptable_targets` lists the group's alternatives separated by `|`. Rows with origin
`dev-set` are copied verbatim from the shared dev set (shared/reference/linking-dev-set.csv);
rows with origin `extended` were labelled for this evaluation by reading the texts.

Rules
- Recall: the share of labelled (recommendation, group) pairs for which the linker produced at
  least one of the group's targets. A framework-level label (`untoc`) is satisfied by a link
  to the framework or to any of its provisions; a provision-level label is not satisfied by a
  link to its framework (less specific).
- Precision: the share of produced MAPS_TO links, on labelled recommendations, that are
  acceptable: the link is one of the recommendation's labelled targets, or a provision of a
  labelled framework, or the framework of a labelled provision (correct, if less specific).
- Links/rec: MAPS_TO links per labelled recommendation. MENTIONS (bodies) are not scored.
- Per method: the same figures over the links of one method only (recall: groups that
  method alone satisfies). `automatic` is cited + inferred with data/mappings/curated.csv
  switched off; `final` is the linker's output with curated rows. On a recommendation that
  has curated rows the final figure is circular (the reviewer's own links), so the extended
  set is also reported on the recommendations without curated rows.
- Sets: `dev` (the dev-set rows, on which the selection was calibrated), `extended` (every
  row of eval-set.csv), `extended_new_rows` (only the rows labelled for this evaluation:
  held out from the calibration) and `extended_uncurated` (rows on recommendations without
  curated rows: the final output there is automatic, and the figure is not circular).
- Baseline: plain keyword overlap, measured in the same run: for each recommendation, the
  number of shared non-stop words (lower-cased, no stemming, no synonyms) with each
  candidate's title and keywords (a framework without provisions: its name and keywords);
  the top 3 with at least one shared word, ties by id.

Writes the figures to bench/results/linker_eval.json.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.records import Edge, Node, Records  # noqa: E402
from loaders.linker import Linker, link, unlinked  # noqa: E402
from loaders.retrieval import candidates  # noqa: E402
from loaders.terms import STOPWORDS  # noqa: E402

EVAL_SET = ROOT / "data" / "mappings" / "eval-set.csv"
RESULTS = ROOT / "bench" / "results" / "linker_eval.json"
BASELINE_K = 3
TARGET = {"precision": 0.8, "recall": 0.9}


def read_labels(path: Path = EVAL_SET) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["alternatives"] = [t.strip() for t in r["acceptable_targets"].split("|") if t.strip()]
    return rows


def _framework(target: str) -> str:
    return target.split(":", 1)[0]


def satisfies(link: str, alternatives: list[str]) -> bool:
    return link in alternatives or (":" in link and _framework(link) in alternatives)


def acceptable(link: str, labelled: set[str]) -> bool:
    if link in labelled or (":" in link and _framework(link) in labelled):
        return True
    return ":" not in link and any(_framework(t) == link for t in labelled if ":" in t)


def score(rows: list[dict], links: dict[str, list[tuple[str, str]]],
          methods: tuple[str, ...]) -> dict:
    """Precision, recall and links per recommendation, per method and overall.

    `links`: recommendation id -> [(target, method)]."""
    recs = sorted({r["recommendation_id"] for r in rows})
    labelled = {rec: {t for r in rows if r["recommendation_id"] == rec for t in r["alternatives"]}
                for rec in recs}
    out = {}
    for method in (*methods, "overall"):
        produced = [(rec, t) for rec in recs for t, m in links.get(rec, [])
                    if method == "overall" or m == method]
        good = sum(acceptable(t, labelled[rec]) for rec, t in produced)
        hit = sum(any(satisfies(t, r["alternatives"]) for rr, t in produced
                      if rr == r["recommendation_id"]) for r in rows)
        out[method] = {"precision": round(good / len(produced), 3) if produced else None,
                       "recall": round(hit / len(rows), 3) if rows else None,
                       "links_per_rec": round(len(produced) / len(recs), 2) if recs else None,
                       "links": len(produced), "acceptable": good, "groups_hit": hit,
                       "groups": len(rows), "recommendations": len(recs)}
    return out


def maps_to(records: list) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for e in records:
        if isinstance(e, Edge) and e.type == "MAPS_TO":
            out.setdefault(e.src, []).append((e.dst, e.props["method"]))
    return out


def _words(text: str) -> set[str]:
    import re
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


def baseline(records: Records, linker: Linker, k: int = BASELINE_K) -> dict:
    docs = []
    for d in candidates(records, linker.bm25.analyzer):
        n = records.nodes[(d.label, d.target)]
        head = n.props.get("title") if d.label == "Provision" else n.props.get("name")
        docs.append((d.target, _words(" ".join([head or "", *(n.props.get("keywords") or [])]))))
    out = {}
    for rec in linker.recs:
        words = _words(rec.props.get("text") or "")
        ranked = sorted(((len(words & w), t) for t, w in docs), key=lambda x: (-x[0], x[1]))
        out[rec.id] = [(t, "keyword") for n, t in ranked[:k] if n > 0]
    return out


def evaluate(data_dir: Path = ROOT / "data", labels: Path = EVAL_SET) -> dict:
    """Every figure of the report, as a dict (also what tests/test_linker.py checks)."""
    from loaders.pipeline import document_records

    records = document_records(Path(data_dir))
    rows = read_labels(labels)
    auto_linker = Linker(records, data_dir, use_curated=False)
    auto = maps_to(auto_linker.run())
    final_records = link(records, data_dir)
    final = maps_to(final_records)
    curated_recs = set(Linker(records, data_dir).curated)
    base = baseline(records, auto_linker)
    sets = {
        "dev": [r for r in rows if r["origin"] == "dev-set"],
        "extended": rows,
        "extended_new_rows": [r for r in rows if r["origin"] == "extended"],
        "extended_uncurated": [r for r in rows if r["recommendation_id"] not in curated_recs],
    }
    result = {"rules": __doc__.split("Rules\n", 1)[1].split("\nWrites", 1)[0].strip(),
              "sets": {}}
    for name, subset in sets.items():
        result["sets"][name] = {
            "automatic": score(subset, auto, ("cited", "inferred")),
            "final": score(subset, final, ("cited", "inferred", "curated")),
            f"baseline_keyword_top{BASELINE_K}": score(subset, base, ()),
        }
    per_rec = [len(final.get(r.id, [])) for r in auto_linker.recs]
    result["all_recommendations"] = {
        "recommendations": len(per_rec),
        "median_maps_to_final": statistics.median(per_rec),
        "median_maps_to_automatic": statistics.median(len(auto.get(r.id, []))
                                                      for r in auto_linker.recs),
        "with_curated_rows": len(curated_recs),
        "without_maps_to_or_no_framework_mark": unlinked(records, final_records),
        "no_framework_marks": sorted(n.id for n in final_records
                                     if isinstance(n, Node) and n.props.get("no_framework")),
    }
    return result


SWEEP_THRESHOLDS = [round(0.025 * i, 3) for i in range(2, 17)]  # 0.05 .. 0.40
SWEEP_RELATIVE = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
F1_TOLERANCE = 0.02


def sweep(data_dir: Path = ROOT / "data", labels: Path = EVAL_SET,
          top_k: int | None = None) -> list[dict]:
    """Automatic links (cited + inferred, curated off) on the dev rows, for each selection
    setting, calibrated choice first. The dev set is small (one link moves F1 by ~0.02), so
    every setting within F1_TOLERANCE of the best F1 counts as equally good; among those the
    one with the highest dev recall wins, then the higher threshold and relative cut (fewer
    unreviewed links)."""
    from loaders.pipeline import document_records
    from loaders.retrieval import TOP_K

    records = document_records(Path(data_dir))
    rows = read_labels(labels)
    dev = [r for r in rows if r["origin"] == "dev-set"]
    ext = [r for r in rows if r["origin"] == "extended"]
    linker = Linker(records, data_dir, use_curated=False)
    out = []
    for threshold in SWEEP_THRESHOLDS:
        for relative in SWEEP_RELATIVE:
            links = maps_to(linker.run(threshold, top_k or TOP_K, relative))
            entry = {"threshold": threshold, "top_k": top_k or TOP_K, "relative": relative,
                     "median_links_all": statistics.median(len(links.get(x.id, []))
                                                           for x in linker.recs)}
            for name, subset in (("dev", dev), ("extended", ext)):
                s = score(subset, links, ("inferred",))["overall"]
                p, r = s["precision"] or 0, s["recall"] or 0
                entry[name] = {"precision": p, "recall": r,
                               "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
            out.append(entry)
    best = max(e["dev"]["f1"] for e in out)
    out.sort(key=lambda e: (e["dev"]["f1"] < best - F1_TOLERANCE, -e["dev"]["recall"],
                            -e["threshold"], -e["relative"]))
    return out


def _fmt(v) -> str:
    return "   -  " if v is None else f"{v:6.3f}" if isinstance(v, float) else f"{v:6}"


def table(result: dict) -> str:
    lines = [f"{'set':20} {'system':22} {'method':9} {'prec':>6} {'recall':>6} "
             f"{'links/rec':>9} {'links':>6} {'groups':>6}"]
    for set_name, systems in result["sets"].items():
        for system, methods in systems.items():
            for method, s in methods.items():
                lines.append(f"{set_name:20} {system:22} {method:9} {_fmt(s['precision'])} "
                             f"{_fmt(s['recall'])} {_fmt(s['links_per_rec']):>9} "
                             f"{s['links']:6} {s['groups']:6}")
        lines.append("")
    a = result["all_recommendations"]
    lines.append(f"all {a['recommendations']} recommendations: median MAPS_TO final "
                 f"{a['median_maps_to_final']}, automatic {a['median_maps_to_automatic']}; "
                 f"{a['with_curated_rows']} with curated rows; without MAPS_TO in the final "
                 f"output and no `no_framework` mark: "
                 f"{', '.join(a['without_maps_to_or_no_framework_mark']) or 'none'}; reviewed "
                 f"no-framework marks: {', '.join(a['no_framework_marks']) or 'none'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if "--sweep" in argv:
        rows = sweep()
        print("Automatic links (cited + inferred) by selection setting; calibrated on the dev "
              "rows, extended rows shown as held-out")
        print("threshold top_k relative | dev  prec recall    f1 | ext  prec recall    f1 |"
              " median links")
        for r in rows[:30]:
            d, x = r["dev"], r["extended"]
            print(f"{r['threshold']:9} {r['top_k']:5} {r['relative']:8} | {d['precision']:9.3f} "
                  f"{d['recall']:6.3f} {d['f1']:5.3f} | {x['precision']:9.3f} {x['recall']:6.3f}"
                  f" {x['f1']:5.3f} | {r['median_links_all']:5}")
        best = rows[0]
        print(f"\ncalibrated: THRESHOLD={best['threshold']} RELATIVE={best['relative']} "
              f"(TOP_K={best['top_k']})")
        return 0
    result = evaluate()
    print(table(result))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    dev = result["sets"]["dev"]["final"]["overall"]
    ok = (dev["precision"] or 0) >= TARGET["precision"] and (dev["recall"] or 0) >= TARGET["recall"]
    print(f"dev-set target (final output: precision >= {TARGET['precision']}, recall >= "
          f"{TARGET['recall']}): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
