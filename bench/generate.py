"""A synthetic corpus at the scale of the largest recommendation databases, reproducible from a seed.

OHCHR's Universal Human Rights Index holds about 270,000 recommendations; the default here is
250,000 recommendations, 5,000 provisions and 750,000 MAPS_TO links, written as the same Node /
Edge records the loaders produce (same labels, properties and id scheme), so the benchmark
exercises the project's real write and query paths.

Degree skew: provisions are drawn from a Zipf-like distribution (a few articles attract most
recommendations, as Trafficking Protocol art. 6 does in the seed). Text lengths follow the seed
recommendations (mean about 30 words, long tail to about 90).

    python bench/generate.py --scale small --stats
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.records import Edge, Node  # noqa: E402

SCALES = {
    # name: (recommendations, provisions, maps_to links)
    "tiny": (1_000, 200, 3_000),
    "small": (20_000, 1_000, 60_000),
    "full": (250_000, 5_000, 750_000),
}
AREAS = "abcdefg"
AREA_TITLES = ["Overarching frameworks and principles", "Identification",
               "Protection, assistance and addressing vulnerabilities",
               "Prevention and awareness-raising", "Dismantling of criminal networks and prosecution",
               "Capacity-building, cooperation and partnerships", "Data"]
WORDS = ("ensure protection victims trafficking persons smuggled migrants children women girls "
         "identification referral assistance cooperation prosecution data collection disaggregated "
         "labour exploitation forced recruitment border consular return repatriation non-refoulement "
         "asylum training capacity partnerships civil society private sector supply chains "
         "financial investigation money laundering corruption prevention awareness demand "
         "national action plan ratify implement protocol convention rights-based gender-sensitive "
         "child-sensitive screening shelters compensation residence permits legal aid").split()
METHODS = (("inferred", 0.70), ("cited", 0.20), ("curated", 0.10))
RECS_PER_DOCUMENT = 100
PROVISIONS_PER_FRAMEWORK = 50


@dataclass
class Corpus:
    nodes: list[Node]
    edges: list[Edge]

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.edges)


def _text(rng: random.Random) -> str:
    n = min(90, max(8, int(rng.lognormvariate(3.3, 0.45))))
    words = rng.choices(WORDS, k=n)
    return (" ".join(words)).capitalize()


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (i ** s) for i in range(1, n + 1)]


def generate(scale: str = "full", seed: int = 7) -> Corpus:
    """Build the corpus for `scale` (tiny | small | full); same seed, same records."""
    n_recs, n_provs, n_links = SCALES[scale]
    rng = random.Random(seed)
    nodes: list[Node] = []
    edges: list[Edge] = []
    n_frameworks = max(1, n_provs // PROVISIONS_PER_FRAMEWORK)
    for f in range(n_frameworks):
        nodes.append(Node("Framework", f"bench-fw-{f}", {
            "name": f"Benchmark framework {f}", "short_name": f"BF{f}", "kind": "convention",
            "source": "bench/generate.py", "confirmed": True}))
    provision_ids = []
    for p in range(n_provs):
        fw = p % n_frameworks
        pid = f"bench-fw-{fw}:art-{p // n_frameworks + 1}"
        provision_ids.append(pid)
        nodes.append(Node("Provision", pid, {
            "framework_id": f"bench-fw-{fw}", "ref": f"art-{p // n_frameworks + 1}",
            "title": _text(rng)[:60], "text": _text(rng), "keywords": rng.sample(WORDS, 4),
            "source": "bench/generate.py", "confirmed": True}))
        edges.append(Edge("PART_OF", "Provision", pid, "Framework", f"bench-fw-{fw}"))
    for i, title in enumerate(AREA_TITLES):
        nodes.append(Node("Theme", f"theme-bench-{AREAS[i]}", {"name": title, "area": AREAS[i]}))
    n_docs = (n_recs + RECS_PER_DOCUMENT - 1) // RECS_PER_DOCUMENT
    for d in range(n_docs):
        nodes.append(Node("Document", f"bench-doc-{d}", {
            "title": f"Benchmark document {d}", "kind": "summary", "source": "bench/generate.py"}))
    rec_ids = []
    for r in range(n_recs):
        doc, k = divmod(r, RECS_PER_DOCUMENT)
        area = AREAS[k % 7]
        rid = f"bench-doc-{doc}:{area}.{k // 7 + 1}"
        rec_ids.append(rid)
        text = _text(rng)
        nodes.append(Node("Recommendation", rid, {
            "text": text, "raw": text, "area": area, "area_title": AREA_TITLES[k % 7],
            "ordinal": k // 7 + 1, "page": 1 + k // 20, "document_id": f"bench-doc-{doc}",
            "source": f"bench-doc-{doc}"}))
        edges.append(Edge("MADE_IN", "Recommendation", rid, "Document", f"bench-doc-{doc}"))
        edges.append(Edge("IN_AREA", "Recommendation", rid, "Theme", f"theme-bench-{area}"))
    weights = _zipf_weights(n_provs)
    order = list(range(n_provs))
    rng.shuffle(order)  # the popular provisions are spread over the frameworks
    links: set[tuple[int, int]] = set()
    per_rec = n_links // n_recs
    targets = rng.choices(order, weights=weights, k=n_links * 2)
    t = 0
    for r in range(n_recs):
        chosen = 0
        while chosen < per_rec and t < len(targets):
            pair = (r, targets[t])
            t += 1
            if pair not in links:
                links.add(pair)
                chosen += 1
    methods = [m for m, _ in METHODS]
    method_weights = [w for _, w in METHODS]
    for r, p in sorted(links):
        method = rng.choices(methods, method_weights)[0]
        edges.append(Edge("MAPS_TO", "Recommendation", rec_ids[r], "Provision", provision_ids[p], {
            "method": method, "score": 1.0 if method != "inferred" else round(rng.uniform(0.3, 1), 3),
            "evidence": "synthetic", "reviewed": method == "curated", "source": "bench"}))
    return Corpus(nodes, edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stats", action="store_true", help="print counts and degree skew")
    args = parser.parse_args()
    corpus = generate(args.scale, args.seed)
    print(f"{len(corpus.nodes):,} nodes, {len(corpus.edges):,} relationships")
    if args.stats:
        from collections import Counter

        degree = Counter(e.dst for e in corpus.edges if e.type == "MAPS_TO")
        top = degree.most_common(5)
        print("MAPS_TO:", sum(degree.values()), "top provisions:", top)
        print("median words per recommendation:",
              sorted(len(n.props["text"].split()) for n in corpus.nodes
                     if n.label == "Recommendation")[len(corpus.nodes) // 2 // 2])


if __name__ == "__main__":
    main()
