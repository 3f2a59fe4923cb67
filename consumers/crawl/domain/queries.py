"""Search queries from an analysis and the user's preferences — deterministic, documented.

Rules, in order (at most `max_queries` queries, no duplicates):
1. One query per concern, worst first: "<skin type> skin <concern phrase> <product type>", where the
   skin type is left out when unknown or "normal" and the product type is the request's first one
   ("skincare" when none is given). Request keywords are appended to every query.
2. If the user prefers brands, one query for the worst concern prefixed with the first preferred brand.
3. With no concern at all, one general query: "<skin type> skin skincare routine products".
Allergies and budget are deliberately not put in queries: excluding "-fragrance" would also drop every
"fragrance free" page, and search engines match prices poorly. Both are applied to the scraped results
(the ingredient list is checked against every allergy; the budget enters the similarity score).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consumers.crawl.domain.models import Concern, DiscoveryRequest, SearchQuery

_SAFE_WORD = re.compile(r"[^a-z0-9 \-]")


def _clean(text: str) -> str:
    return " ".join(_SAFE_WORD.sub(" ", text.lower()).split())


def _skin_prefix(skin_type: str | None) -> str:
    if not skin_type or skin_type == "normal":
        return ""
    return f"{_clean(skin_type)} skin"


def _compose(*parts: str) -> str:
    """Join parts, keeping only the first of repeated words ("oily skin oily skin" → "oily skin")."""
    seen: set[str] = set()
    words: list[str] = []
    for word in " ".join(part for part in parts if part).split():
        if word not in seen:
            seen.add(word)
            words.append(word)
    return " ".join(words)


def generate_queries(request: DiscoveryRequest, concerns: Sequence[Concern], max_queries: int) -> list[SearchQuery]:
    """The queries for request, given its concerns (worst first), following the rules in the module doc."""
    prefix = _skin_prefix(request.analysis.skin_type)
    product = _clean(request.product_types[0]) if request.product_types else "skincare"
    extra = _clean(" ".join(request.keywords))
    candidates: list[SearchQuery] = []
    for concern in concerns:
        phrase = _clean(" ".join(concern.terms))
        candidates.append(SearchQuery(_compose(prefix, phrase, product, extra), concern.name))
    if request.preferences.preferred_brands and concerns:
        brand = _clean(request.preferences.preferred_brands[0])
        phrase = _clean(" ".join(concerns[0].terms))
        candidates.insert(1, SearchQuery(_compose(brand, phrase, product, extra), concerns[0].name))
    if not concerns:
        general = _compose(prefix or "", "skincare routine products", extra)
        candidates.append(SearchQuery(general, None))
    unique: list[SearchQuery] = []
    for query in candidates:
        if query.text not in {kept.text for kept in unique}:
            unique.append(query)
    return unique[:max_queries]
