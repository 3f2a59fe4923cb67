"""Catalog and recommendation benchmarks, as ratios to baselines measured in the same run.

1. Recommendations for one analysis over a 10,000-product catalogue (the demo catalog's rows repeated under new
   identities, names and prices), as a ratio to analysing the same photo (the astronaut, ~1 MP). Timed is what the
   `recommendation` group does per analysis once its index and collaborative model are built (they are rebuilt
   only when the catalog or the feedback changes; their build times are printed too). Goal ≤ 0.2.
2. Catalogue import rows/s — `shine catalog import`'s whole path on a Shopify Admin file: read, normalise (HTML,
   INCI, taxonomy, dedupe), plan against the stored catalog, publish to Kafka (acks=all) and fold into `products`
   in batches so the import is visible when the command returns — as a ratio to a bare asyncpg `executemany` of
   the same rows into the same table. Goal ≥ 0.5.

Run: `make bench` (or `.venv/bin/python -m bench.recommendations [--products N]`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import cv2
import numpy as np
from skimage import data as photos
from sqlalchemy import text

from analyst.population import simulate
from consumers.analysis.engine import analyse
from consumers.recommendation.domain.ab import assign_variant
from consumers.recommendation.domain.collaborative import fit
from consumers.recommendation.domain.index import build_index
from consumers.recommendation.domain.popularity import popularity_scores, trending
from consumers.recommendation.domain.recommend import Request, recommend
from consumers.recommendation.domain.rules import Preferences
from consumers.recommendation.handlers import measured
from infra.storefront.formats import admin
from infra.storefront.generate import load_catalog
from infra.topics import ensure_topics
from knowledge.base import load
from producers.catalog.feeds import FeedSpec
from producers.catalog.files import rows_from_document
from producers.catalog.importer import import_feeds
from producers.catalog.publish import run_import
from producers.publisher import EventPublisher, build_producer
from storage.catalog import folds
from storage.catalog.tables import products
from storage.engine import create_engine
from storage.migrate import upgrade
from tests.support.services import TestServices, start_services, stop_services

SPEC = FeedSpec("bench", "shopify-admin", "http://127.0.0.1")


def admin_rows(n: int, seed: int = 3) -> list[dict[str, Any]]:
    """n Shopify Admin rows: the demo catalog repeated under new ids, titles, SKUs, barcodes and prices."""
    rng, base = random.Random(seed), [admin(r, SPEC.location) for r in load_catalog()]
    rows = []
    for i in range(n):
        row = deepcopy(base[i % len(base)])
        row["id"], row["title"] = 100_000 + i, f"{row['title']} {i // len(base) + 1}"
        for variant in row["variants"]:
            variant["sku"], variant["barcode"] = f"BENCH-{i:06d}", None
            variant["price"] = f"{float(variant['price']) * rng.uniform(0.7, 1.4):.2f}"
        rows.append(row)
    return rows


def median_seconds(action: Any, repeat: int) -> float:
    """Median wall time of `action` after one warm-up."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def recommendation_ratio(n: int, repeat: int) -> None:
    """Per-analysis recommendation time over n products, against analysing the photo it is for."""
    cv2.setNumThreads(1)  # as a consumer runs
    rgb = photos.astronaut()
    image = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    outcome = analyse(image)
    assert outcome.report is not None
    report, kb = outcome.report, load()
    catalog = list(import_feeds([rows_from_document({"products": admin_rows(n)}, SPEC)]).products)
    started = time.perf_counter()
    index = build_index(catalog, kb)
    built = time.perf_counter() - started
    events = [e for u in simulate(catalog, 300, 11) for e in u.events]
    started = time.perf_counter()
    model = fit(events, index.position)
    fitted = time.perf_counter() - started
    now = max(e.at for e in events)
    history = tuple(e for e in events if e.user_id == events[0].user_id)
    request = Request(
        uuid.uuid4(),
        events[0].user_id,
        measured(report.scores.model_dump(), report.metrics),
        dict(report.skin_type.probabilities),
        Preferences(allergies=("fragrance",), price_max=40.0),
        history=history,
        limit=50,
    )

    def per_analysis() -> object:
        popularity = popularity_scores(index, trending(events, now, "month"))
        variant = assign_variant(request.user_id)
        return recommend(index, kb, request, model=model, popularity=popularity, variant=variant)

    analysis = median_seconds(lambda: analyse(image), repeat)
    recommending = median_seconds(per_analysis, repeat)
    print(
        f"recommendations over {len(catalog)} products: {recommending * 1000:.1f} ms per analysis; analysing the "
        f"photo {analysis * 1000:.1f} ms; ratio = {recommending / analysis:.3f} (goal <= 0.2); index build "
        f"{built:.2f} s, model fit over {len(events)} feedback events {fitted:.2f} s (once per change)"
    )


def _insert_row(row: dict[str, Any]) -> tuple[Any, ...]:
    now = datetime.now(UTC)
    values = {**row, "sources": json.dumps(row["sources"]), "created_at": now, "revision": 1, "updated_at": now}
    return tuple(values[c.name] for c in products.columns)


async def import_ratio(found: TestServices, n: int) -> None:
    """`shine catalog import` rows/s against a bare executemany of the same rows into the same table."""
    feed, warm_up = found.var_dir / "bench-feed.json", found.var_dir / "bench-warm-up.json"
    feed.write_text(json.dumps({"products": admin_rows(n, seed=5)}), encoding="utf-8")
    warm_up.write_text(json.dumps({"products": admin_rows(100, seed=6)}), encoding="utf-8")
    url = found.database_url
    await ensure_topics(found.bootstrap, found.prefix)
    engine = create_engine(url)
    producer = build_producer(found.bootstrap, "bench-catalog")
    await producer.start()
    raw = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        # Untimed: fresh topics elect their leaders and the producer learns them (else the first sends retry).
        await run_import(
            engine, EventPublisher(producer, found.prefix), [FeedSpec("warm", "shopify-admin", str(warm_up))]
        )
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE products"))
        started = time.perf_counter()
        spec = FeedSpec("bench", "shopify-admin", str(feed))
        outcome = await run_import(engine, EventPublisher(producer, found.prefix), [spec])
        imported = time.perf_counter() - started
        assert outcome.visible and len(outcome.report.products) == n
        prepared = [_insert_row(folds.product_row(p)) for p in outcome.report.products]
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE products"))
        columns = ", ".join(c.name for c in products.columns)
        marks = ", ".join(f"${i + 1}" for i in range(len(products.columns)))
        started = time.perf_counter()
        await raw.executemany(f"INSERT INTO products ({columns}) VALUES ({marks})", prepared)
        bare = time.perf_counter() - started
    finally:
        await raw.close()
        await producer.stop()
        await engine.dispose()
    ours, baseline = n / imported, n / bare
    print(
        f"catalogue import: {ours:,.0f} rows/s (read the file, normalise, plan, publish to Kafka, fold in batches: "
        f"`shine catalog import`'s path) against a bare executemany {baseline:,.0f} rows/s; "
        f"ratio = {ours / baseline:.3f} (goal >= 0.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    np.random.seed(0)
    recommendation_ratio(args.products, args.repeat)
    found = start_services()
    try:
        upgrade(found.database_url)
        asyncio.run(import_ratio(found, args.products))
    finally:
        stop_services(found)


if __name__ == "__main__":
    main()
