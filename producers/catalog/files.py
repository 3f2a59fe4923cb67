"""Read a feed from a local JSON file in any of the three formats (what `shine catalog import PATH` reads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from producers.catalog.feeds import FeedSpec
from producers.catalog.importer import FeedRows


def rows_from_document(document: Any, spec: FeedSpec) -> FeedRows:
    """Rows from a parsed document: Shopify `{"products": [...]}`, a WooCommerce list, or a list of pages of either.

    A WooCommerce file may embed each variable product's variations under `variations` as objects (an export),
    instead of the ids the API returns.
    """
    pages = (
        document
        if isinstance(document, list) and document and all(isinstance(p, Mapping) and "products" in p for p in document)
        else [document]
    )
    rows: list[Any] = []
    for page in pages:
        found = page.get("products") if isinstance(page, Mapping) else page
        if not isinstance(found, list):
            return FeedRows(spec.context(), (), error=f"{spec.location}: no product list in the file")
        rows += found
    variations = {
        str(r["id"]): tuple(v for v in r["variations"] if isinstance(v, Mapping))
        for r in rows
        if isinstance(r, Mapping) and r.get("id") is not None and isinstance(r.get("variations"), list)
    }
    return FeedRows(spec.context(), tuple(rows), variations)


def load_file(spec: FeedSpec) -> FeedRows:
    """Read the feed at spec.location from disk; an unreadable or non-JSON file is a feed error, not a crash."""
    try:
        document = json.loads(Path(spec.location).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return FeedRows(spec.context(), (), error=f"{spec.location}: {error}")
    return rows_from_document(document, spec)
