"""From scraped pages to discovered items: extract, filter, score, drop under the threshold, dedupe, rank.

A page is dropped when its site answered an error status, the content filter rejects it, it contains one of
the user's allergens, or its quality score is under the request's quality_threshold. Pages sharing a
canonical URL (rel=canonical, else the normalised URL) keep only the best one (quality, then similarity,
then the earlier fetch). Items are ranked by similarity, then quality, then canonical URL, and cut at
result_limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from consumers.crawl.domain import scoring
from consumers.crawl.domain.content_filter import allergens_in, judge
from consumers.crawl.domain.extract import extract
from consumers.crawl.domain.models import Concern, DiscoveredItem, DiscoveryRequest, ScrapedPage
from consumers.crawl.domain.urls import canonical_url, site_of
from knowledge.base import KnowledgeBase


@dataclass(frozen=True)
class Processed:
    """Kept items, best first, and every dropped page with its reason."""

    items: tuple[DiscoveredItem, ...]
    dropped: tuple[tuple[str, str], ...]


def _evaluate(
    page: ScrapedPage,
    request: DiscoveryRequest,
    concerns: Sequence[Concern],
    blocked: frozenset[str],
    kb: KnowledgeBase | None,
) -> DiscoveredItem | str:
    """The item a page yields, or the reason it is dropped."""
    if page.status_code >= 400:
        return f"http_{page.status_code}"
    host = site_of(page.url)
    verdict = judge(host, page.title, page.markdown, page.metadata, blocked)
    if not verdict.allowed:
        return verdict.reason or "filtered"
    facts = extract(page)
    text = f"{page.title}\n{facts.description or ''}\n{page.markdown}"
    if allergens_in(facts.ingredients, page.markdown, request.preferences.allergies, kb):
        return "allergen"
    https = page.url.startswith("https://")
    quality = scoring.quality_score(facts, https, len(page.markdown), bool(verdict.medical_claims))
    if quality < request.quality_threshold:
        return "below_quality_threshold"
    similarity = scoring.similarity_score(facts, text, concerns, request.analysis.skin_type, request.preferences)
    declared = page.metadata.get("canonical")
    return DiscoveredItem(
        facts=facts,
        source_url=page.url,
        canonical_url=canonical_url(page.url, declared if isinstance(declared, str) else None),
        site=host,
        fetched_at=page.fetched_at,
        quality_score=quality,
        similarity_score=similarity,
        matched_concerns=scoring.matched_concerns(text, concerns),
        medical_claims=verdict.medical_claims,
        title=page.title,
    )


def process(
    pages: Sequence[ScrapedPage],
    request: DiscoveryRequest,
    concerns: Sequence[Concern],
    blocked: frozenset[str],
    kb: KnowledgeBase | None = None,
) -> Processed:
    """Items from pages per the module doc (allergen groups from kb when given)."""
    best: dict[str, DiscoveredItem] = {}
    dropped: list[tuple[str, str]] = []
    for page in pages:
        outcome = _evaluate(page, request, concerns, blocked, kb)
        if isinstance(outcome, str):
            dropped.append((page.requested_url, outcome))
            continue
        kept = best.get(outcome.canonical_url)
        if kept is None or (outcome.quality_score, outcome.similarity_score) > (
            kept.quality_score,
            kept.similarity_score,
        ):
            if kept is not None:
                dropped.append((kept.source_url, "duplicate"))
            best[outcome.canonical_url] = outcome
        else:
            dropped.append((page.requested_url, "duplicate"))
    ranked = sorted(best.values(), key=lambda i: (-i.similarity_score, -i.quality_score, i.canonical_url))
    return Processed(items=tuple(ranked[: request.result_limit]), dropped=tuple(dropped))
