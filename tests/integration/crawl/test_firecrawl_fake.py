"""The fake speaks the Firecrawl v2 shapes firecrawl-mcp expects, and fails on demand."""

from __future__ import annotations

import httpx

from tests.integration.crawl.conftest import Fake


def test_search_answers_web_results_by_words(fake: Fake) -> None:
    fake.clear()
    answer = httpx.post(f"{fake.url}/v2/search", json={"query": "caffeine eye cream", "limit": 3}, trust_env=False)
    body = answer.json()
    assert answer.status_code == 200 and body["success"] is True
    web = body["data"]["web"]
    assert web[0]["url"] == "https://wideawake.example/eye-cream"
    assert set(web[0]) >= {"url", "title", "description"}
    assert len(web) <= 3
    excluded = httpx.post(f"{fake.url}/v2/search", json={"query": "caffeine -eye"}, trust_env=False).json()
    assert all("wideawake" not in hit["url"] for hit in excluded["data"]["web"])


def test_scrape_answers_requested_formats_and_metadata(fake: Fake) -> None:
    url = "https://glowlab.example/products/niacinamide-10-serum?utm_source=newsletter&ref=home"
    body = {"url": url, "formats": ["markdown", "rawHtml", {"type": "summary"}]}
    data = httpx.post(f"{fake.url}/v2/scrape", json=body, trust_env=False).json()["data"]
    assert data["markdown"].startswith("# Niacinamide 10% + Zinc Pore Serum")
    assert "application/ld+json" in data["rawHtml"] and "summary" in data and "html" not in data
    meta = data["metadata"]
    assert (meta["sourceURL"], meta["url"], meta["statusCode"]) == (url, url, 200)
    assert meta["canonical"] == "https://glowlab.example/products/niacinamide-10-serum"
    missing = httpx.post(f"{fake.url}/v2/scrape", json={"url": "https://none.example/"}, trust_env=False).json()
    assert missing["data"]["metadata"]["statusCode"] == 404


def test_faults_on_demand(fake: Fake) -> None:
    fake.clear()
    fake.fault("scrape", status=502, times=1)
    before = fake.requests().get("scrape", 0)
    first = httpx.post(
        f"{fake.url}/v2/scrape", json={"url": "https://hydra.example/hyaluronic-moisturizer"}, trust_env=False
    )
    second = httpx.post(
        f"{fake.url}/v2/scrape", json={"url": "https://hydra.example/hyaluronic-moisturizer"}, trust_env=False
    )
    assert (first.status_code, second.status_code) == (502, 200)
    assert fake.requests()["scrape"] == before + 2
    fake.clear()
