"""The linker: MAPS_TO and MENTIONS edges from every Recommendation, with method, score,
evidence and review state. Pure: records and data files in, records out; no database.

Three methods, in this order of strength (architecture.md, "Graph schema"):

cited     data/aliases.yaml (loaders/aliases.py): the text names the framework, provision or
          body ("UNTOC and the two relevant Protocols thereto", "the non-refoulement
          principle", "Alliance 8.7"). Framework/Provision -> MAPS_TO, Body -> MENTIONS; score
          1.0, evidence the matched span in context, reviewed False, source data/aliases.yaml.
inferred  BM25 over the provisions (loaders/retrieval.py), the best few above a calibrated
          threshold; score in [0, 1], evidence the shared terms and the best sentence,
          reviewed False, source `linker:bm25`. A cited link to the same target supersedes it.
curated   data/mappings/curated.csv (loaders/curated.py), reviewed by a person: score 1.0,
          reviewed True, rationale, reviewer, reviewed_on, source data/mappings/curated.csv.

How they combine, per recommendation:
- Cited links always stay (they are in the text). A curated row on a cited target confirms
  it: the link keeps method `cited` and its evidence and gains reviewed True, the rationale,
  reviewer and date.
- A recommendation with curated rows counts as reviewed: the curated targets become links
  (method `curated`; where BM25 ranks the target, its terms and sentence are the evidence,
  kept even below the threshold) and inferred links
  the reviewer did not keep are dropped, since a reviewer has no other way to reject one.
- A curated `none` row drops the inferred links and sets the Recommendation's `no_framework`
  property to its rationale; a recommendation whose text cites a framework cannot be `none`.

Every recommendation should end with a MAPS_TO link or a `no_framework` mark; `unlinked()`
lists those that do not (tests/test_linker.py checks the shipped data has none).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import LoaderError
from graph.records import Edge, Node, Records
from loaders.aliases import AliasSet, Match, read_aliases
from loaders.curated import NONE, CuratedRow, read_curated
from loaders.retrieval import (RELATIVE, THRESHOLD, TOP_K, BM25, candidates, recommendations,
                               select)
from loaders.terms import read_synonyms

ALIASES = "data/aliases.yaml"
CURATED = "data/mappings/curated.csv"
BM25_SOURCE = "linker:bm25"


def target_labels(records: Records) -> dict[str, str]:
    """Every id a link may point to, with its label."""
    return {n.id: n.label for n in records.nodes.values()
            if n.label in ("Framework", "Provision", "Body")}


class Linker:
    """The loaded data files, ready to link any recommendation text."""

    def __init__(self, records: Records, data_dir: Path, use_curated: bool = True) -> None:
        data_dir = Path(data_dir)
        self.labels = target_labels(records)
        self.recs = recommendations(records)
        self.aliases: AliasSet = read_aliases(data_dir / "aliases.yaml", self.labels)
        analyzer = read_synonyms(data_dir / "synonyms.yaml")
        self.bm25 = BM25(candidates(records, analyzer), analyzer)
        self.curated: dict[str, list[CuratedRow]] = {}
        if use_curated:
            rows = read_curated(data_dir / "mappings" / "curated.csv",
                                {r.id for r in self.recs}, self.labels)
            for row in rows:
                self.curated.setdefault(row.recommendation_id, []).append(row)

    def cited(self, rec_id: str, matches: list[Match]) -> dict[str, Edge]:
        """Cited links by target id, the first match's evidence for each."""
        out: dict[str, Edge] = {}
        for m in matches:
            for target in m.targets:
                if target in out:
                    continue
                label = self.labels[target]
                rel = "MENTIONS" if label == "Body" else "MAPS_TO"
                out[target] = Edge(rel, "Recommendation", rec_id, label, target, {
                    "method": "cited", "score": 1.0, "evidence": m.evidence,
                    "reviewed": False, "source": ALIASES})
        return out

    def unnamed(self, text: str, matches: list[Match]) -> str:
        """The text BM25 reads: the names of cited frameworks blanked out. The framework is
        already linked, and its name would only pull in its own provisions and the
        instruments that mention it. A cited principle ("non-refoulement") stays, since it
        is the subject; so do bodies, whose names provisions record as keywords ("ICAT",
        "Alliance 8.7", "Interpol")."""
        for m in sorted(matches, key=lambda m: -m.start):
            labels = {self.labels[t] for t in m.targets}
            if "Framework" in labels and "Provision" not in labels:
                text = text[:m.start] + " " + text[m.end:]
        return text

    def link_one(self, rec: Node, threshold: float = THRESHOLD, top_k: int = TOP_K,
                 relative: float = RELATIVE) -> tuple[list[Edge], str | None]:
        """The edges of one recommendation, and its no-framework rationale (or None)."""
        text = rec.props.get("text") or ""
        matches = self.aliases.find(text)
        cited = self.cited(rec.id, matches)
        ranked = self.bm25.rank(self.unnamed(text, matches))
        hits = {h.target: h for h in select(ranked, threshold, top_k, relative)
                if h.target not in cited}
        inferred = {t: Edge("MAPS_TO", "Recommendation", rec.id, h.label, t, {
            "method": "inferred", "score": float(h.score), "evidence": h.evidence,
            "reviewed": False, "source": BM25_SOURCE}) for t, h in hits.items()}
        rows = self.curated.get(rec.id, [])
        no_framework = None
        if rows:
            inferred = {}  # a reviewed recommendation: only what the reviewer kept
            for row in rows:
                if row.target_id == NONE:
                    no_framework = row.rationale
                    maps = [t for t, e in cited.items() if e.type == "MAPS_TO"]
                    if maps:
                        raise LoaderError(f"{row.where}: {rec.id} is marked `none` (no "
                                          f"framework) but its text cites {', '.join(maps)} "
                                          f"(through {ALIASES}). Remove the `none` row, or fix "
                                          "the alias that matched")
                    continue
                review = {"reviewed": True, "rationale": row.rationale,
                          "reviewer": row.reviewer, "reviewed_on": row.date}
                if row.target_id in cited:
                    e = cited[row.target_id]
                    cited[row.target_id] = Edge(e.type, e.src_label, e.src, e.dst_label, e.dst,
                                                {**e.props, **review})
                    continue
                hit = next((h for h in ranked if h.target == row.target_id), None)
                evidence = hit.evidence if hit else f"reviewed link ({row.where})"
                inferred[row.target_id] = Edge(
                    "MAPS_TO", "Recommendation", rec.id, self.labels[row.target_id],
                    row.target_id, {"method": "curated", "score": 1.0, "evidence": evidence,
                                    "source": CURATED, **review})
        edges = [*cited.values(), *inferred.values()]
        return sorted(edges, key=lambda e: e.key), no_framework

    def run(self, threshold: float = THRESHOLD, top_k: int = TOP_K,
            relative: float = RELATIVE) -> list[Node | Edge]:
        nodes: list[Node] = []
        edges: list[Edge] = []
        for rec in self.recs:
            rec_edges, no_framework = self.link_one(rec, threshold, top_k, relative)
            edges += rec_edges
            if no_framework is not None:
                nodes.append(Node("Recommendation", rec.id, {"no_framework": no_framework}))
        return [*nodes, *edges]


def link(records: Records, data_dir: Path, *, use_curated: bool = True,
         threshold: float = THRESHOLD, top_k: int = TOP_K,
         relative: float = RELATIVE) -> list[Node | Edge]:
    """MAPS_TO and MENTIONS edges for every Recommendation in `records`, plus Recommendation
    updates carrying `no_framework`. `use_curated=False` gives the automatic methods alone
    (cited + inferred), for evaluation."""
    return Linker(records, data_dir, use_curated).run(threshold, top_k, relative)


def unlinked(records: Records, linked: list[Node | Edge]) -> list[str]:
    """Recommendations with neither a MAPS_TO link nor a `no_framework` mark."""
    have = {e.src for e in linked if isinstance(e, Edge) and e.type == "MAPS_TO"}
    have |= {n.id for n in linked if isinstance(n, Node) and n.props.get("no_framework")}
    have |= {n.id for n in records.nodes.values()
             if n.label == "Recommendation" and n.props.get("no_framework")}
    return [r.id for r in recommendations(records) if r.id not in have]
