"""Offline evaluation of recommenders on a simulated population (analyst/population.py documents its rules).

Each simulated user's latest positive events (like, save, purchase) are held out; everything before them trains
the collaborative model and popularity. Hybrid, popularity and random recommenders are scored in the same run
with Precision@10, Recall@10, NDCG@10 and catalogue coverage. Run: `python -m analyst.recs_evaluate`.
"""

from __future__ import annotations

import math
import random
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from analyst.population import SimulatedUser, simulate
from consumers.recommendation.domain.collaborative import Interaction, fit
from consumers.recommendation.domain.index import CatalogIndex, build_index
from consumers.recommendation.domain.popularity import popularity_scores, trending
from consumers.recommendation.domain.recommend import Request, recommend
from consumers.recommendation.domain.rules import Preferences
from events.catalog import Product
from knowledge.base import load

K = 10
POSITIVE = frozenset({"like", "save", "purchase"})
Recommender = Callable[[SimulatedUser, Sequence[Interaction], set[uuid.UUID]], list[uuid.UUID]]


@dataclass(frozen=True)
class Row:
    """One recommender's metrics, averaged over users with at least one held-out positive."""

    recommender: str
    precision: float
    recall: float
    ndcg: float
    coverage: float


def split(user: SimulatedUser, held_out: int = 2) -> tuple[tuple[Interaction, ...], set[uuid.UUID]]:
    """Training events (before the held-out ones) and the products of the user's last `held_out` positive events."""
    positives = [i for i, e in enumerate(user.events) if e.kind in POSITIVE]
    if len(positives) <= held_out:
        return user.events, set()
    cut = positives[-held_out]
    train = user.events[:cut]
    test = {e.product_id for e in user.events[cut:] if e.kind in POSITIVE} - {e.product_id for e in train}
    return train, test


def _metrics(ranked: Sequence[uuid.UUID], relevant: set[uuid.UUID]) -> tuple[float, float, float]:
    hits = [1.0 if pid in relevant else 0.0 for pid in ranked[:K]]
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return sum(hits) / K, sum(hits) / len(relevant), dcg / ideal if ideal else 0.0


def _hybrid(index: CatalogIndex, train: Sequence[Interaction], variant: str) -> Recommender:
    kb, model = load(), fit(train, index.position)
    last = max(e.at for e in train)
    popularity = popularity_scores(index, trending(train, last, "month"))

    def run(user: SimulatedUser, history: Sequence[Interaction], seen: set[uuid.UUID]) -> list[uuid.UUID]:
        prefs = Preferences(preferred_brands=user.preferred_brands, price_max=user.price_max)
        request = Request(
            uuid.UUID(int=0),
            user.user_id,
            user.scores,
            user.skin_type_probabilities,
            prefs,
            history=history,
            limit=K + len(seen),
        )
        result = recommend(index, kb, request, model=model, popularity=popularity, variant=variant)
        return [i.product_id for i in result.items if i.product_id not in seen][:K]

    return run


def _popularity(index: CatalogIndex, train: Sequence[Interaction]) -> Recommender:
    counts = {pid: 0 for pid in index.ids}
    for event in train:
        if event.kind in POSITIVE:
            counts[event.product_id] = counts.get(event.product_id, 0) + 1
    stocked = [pid for pid, ok in zip(index.ids, index.in_stock, strict=True) if ok]
    order = sorted(stocked, key=lambda pid: (-counts[pid], str(pid)))
    return lambda user, history, seen: [pid for pid in order if pid not in seen][:K]


def _random(index: CatalogIndex, seed: int) -> Recommender:
    stocked = [pid for pid, ok in zip(index.ids, index.in_stock, strict=True) if ok]

    def run(user: SimulatedUser, history: Sequence[Interaction], seen: set[uuid.UUID]) -> list[uuid.UUID]:
        rng = random.Random(f"{seed}/{user.user_id}")
        return [pid for pid in rng.sample(stocked, len(stocked)) if pid not in seen][:K]

    return run


def evaluate(
    products: Sequence[Product], users: int = 600, seed: int = 7, progress: Callable[[str], None] = print
) -> list[Row]:
    """Simulate, hold out, and score both hybrid arms, popularity and random on the same users."""
    progress(f"simulating {users} users over {len(products)} products (seed {seed})")
    population = simulate(products, users, seed)
    splits = [split(u) for u in population]
    train = [e for events, _ in splits for e in events]
    index = build_index(products, load())
    recommenders = {
        "hybrid": _hybrid(index, train, "hybrid"),
        "hybrid-collab": _hybrid(index, train, "hybrid-collab"),
        "popularity": _popularity(index, train),
        "random": _random(index, seed),
    }
    rows = []
    for name, run in recommenders.items():
        scored, shown = [], set()
        for n, (user, (history, test)) in enumerate(zip(population, splits, strict=True), start=1):
            if test:
                seen = {e.product_id for e in history}
                ranked = run(user, history, seen)
                shown.update(ranked)
                scored.append(_metrics(ranked, test))
            if n % 200 == 0 or n == len(population):
                progress(f"  {name}: {n}/{len(population)} users")
        p, r, g = (float(np.mean(col)) for col in zip(*scored, strict=True))
        rows.append(Row(name, p, r, g, len(shown) / int(index.in_stock.sum())))
    return rows


def table(rows: Sequence[Row]) -> str:
    """The results as a Markdown table, with hybrid's NDCG@10 as a ratio to popularity's."""
    lines = ["| recommender | Precision@10 | Recall@10 | NDCG@10 | coverage |", "|---|---:|---:|---:|---:|"]
    lines += [
        f"| {r.recommender} | {r.precision:.4f} | {r.recall:.4f} | {r.ndcg:.4f} | {r.coverage:.1%} |" for r in rows
    ]
    by = {r.recommender: r for r in rows}
    if "hybrid" in by and "popularity" in by and by["popularity"].ndcg > 0:
        lines.append(f"\nhybrid NDCG@10 = {by['hybrid'].ndcg / by['popularity'].ndcg:.2f} × popularity")
    return "\n".join(lines)


def demo_products() -> list[Product]:
    """The shipped demo catalog, normalised through the Shopify Admin adapter (it carries stock and ratings)."""
    from infra.storefront.formats import admin
    from infra.storefront.generate import load_catalog
    from producers.catalog.feeds import FeedSpec
    from producers.catalog.files import rows_from_document
    from producers.catalog.importer import import_feeds

    spec = FeedSpec("demo", "shopify-admin", "http://127.0.0.1")
    document = {"products": [admin(r, spec.location) for r in load_catalog()]}
    return list(import_feeds([rows_from_document(document, spec)]).products)


def main(argv: Sequence[str] | None = None) -> None:
    """Evaluate on the demo catalog and print the table (`--users N`, `--seed S`)."""
    args = list(argv if argv is not None else sys.argv[1:])
    users = int(args[args.index("--users") + 1]) if "--users" in args else 600
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    print(table(evaluate(demo_products(), users, seed, progress=lambda m: print(m, file=sys.stderr))))


if __name__ == "__main__":
    main()
