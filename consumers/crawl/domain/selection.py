"""Which search hits to scrape: fused rank across queries, screened, one per normalised URL.

Each hit adds 1 / (RANK_OFFSET + position) to its URL (reciprocal rank fusion), so a page that several
queries find near the top comes first. Hits on blocked domains or with adult words in their title or
description are never scraped. Ties keep the order in which the URLs were first seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from consumers.crawl.domain.content_filter import screen_hit
from consumers.crawl.domain.models import SearchHit
from consumers.crawl.domain.urls import normalise_url, site_of

RANK_OFFSET = 10


@dataclass(frozen=True)
class Selection:
    """URLs to scrape, best first, and the hits screened out with their reasons."""

    urls: tuple[str, ...]
    screened: tuple[tuple[str, str], ...]


def select_hits(hits: Sequence[SearchHit], blocked: frozenset[str], max_scrapes: int) -> Selection:
    """The URLs worth scraping (module doc), at most max_scrapes."""
    scores: dict[str, float] = {}
    first_url: dict[str, str] = {}
    order: dict[str, int] = {}
    screened: dict[str, str] = {}
    for hit in hits:
        if not hit.url.startswith(("http://", "https://")):
            continue
        key = normalise_url(hit.url)
        reason = screen_hit(site_of(hit.url), hit.title, hit.description, blocked)
        if reason is not None:
            screened.setdefault(hit.url, reason)
            continue
        first_url.setdefault(key, hit.url)
        order.setdefault(key, len(order))
        scores[key] = scores.get(key, 0.0) + 1.0 / (RANK_OFFSET + max(1, hit.position))
    ranked = sorted(scores, key=lambda key: (-scores[key], order[key]))
    return Selection(
        urls=tuple(first_url[key] for key in ranked[:max_scrapes]),
        screened=tuple(sorted(screened.items())),
    )
