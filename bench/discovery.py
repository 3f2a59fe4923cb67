"""Discovery benchmark against the local Firecrawl fake, as ratios to a baseline measured in the same run.

Timed is what the `crawl` group does per `discovery.requested` once its pool is open: `run_discovery` for an
oily, acne-prone analysis through the real firecrawl-mcp (one server over stdio, one over streamable HTTP) in
front of the fake — time to the first results (the first progress update that counts a kept result) and to the
whole discovery, cold (empty caches). PRD targets: first results within 10 s, the whole discovery within 60 s.
The baseline is the bare cost of the web underneath: one direct HTTP search plus one scrape of the fake.

Run: `make bench` (or `.venv/bin/python -m bench.discovery [--runs N]`).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from consumers.crawl.cache import ResultsCache
from consumers.crawl.config import PoolConfig, ServerSpec
from consumers.crawl.discovery import DiscoveryCaches, run_discovery
from consumers.crawl.domain.models import AnalysisProfile, DiscoveryRequest, ScrapedPage, SearchHit
from consumers.crawl.mcp_pool import McpPool
from consumers.crawl.progress import Progress
from infra import firecrawl_mcp
from infra.firecrawl_fake.process import api_url, start_fake, stop_fake
from infra.firecrawl_mcp import FirecrawlTarget

TARGET_FIRST, TARGET_ALL = 10.0, 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request() -> DiscoveryRequest:
    scores = {"redness": 85.0, "oiliness": 30.0, "pores": 45.0, "acne": 50.0, "pigmentation": 80.0, "wrinkles": 90.0}
    profile = AnalysisProfile(uuid.uuid4(), "oily", scores, ("acne",))
    return DiscoveryRequest(uuid.uuid4(), uuid.uuid4(), profile, result_limit=20, quality_threshold=0.3)


def _caches() -> DiscoveryCaches:
    tag = uuid.uuid4().hex[:8]
    searches: ResultsCache[list[SearchHit]] = ResultsCache(f"bench-searches-{tag}", 600, 3600)
    pages: ResultsCache[ScrapedPage] = ResultsCache(f"bench-pages-{tag}", 600, 3600)
    return DiscoveryCaches(searches, pages)


async def _baseline(fake_url: str, runs: int) -> float:
    """Median seconds of one direct search + one scrape on the fake."""
    times = []
    async with httpx.AsyncClient(base_url=fake_url, trust_env=False) as http:
        for _ in range(runs):
            started = time.perf_counter()
            found = (await http.post("/v2/search", json={"query": "niacinamide serum oily skin", "limit": 8})).json()
            await http.post("/v2/scrape", json={"url": found["data"]["web"][0]["url"], "formats": ["markdown"]})
            times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _discovery(pool: McpPool) -> tuple[float, float, int]:
    """Seconds to the first kept result and to the end, and how many results, for one cold discovery."""
    started = time.perf_counter()
    first: list[float] = []

    async def progress(update: Progress) -> None:
        if update.results_found and not first:
            first.append(time.perf_counter() - started)

    outcome = await run_discovery(_request(), pool, _caches(), progress)
    total = time.perf_counter() - started
    return (first[0] if first else total), total, len(outcome.items)


async def main(runs: int) -> None:
    """Start the peers, time the baseline and the discoveries, print the ratios."""
    firecrawl_mcp.ensure_installed()
    logs = Path(tempfile.mkdtemp(prefix="bench-discovery-"))
    port, mcp_port = _free_port(), _free_port()
    fake = start_fake(port, logs / "fake.log")
    target = FirecrawlTarget(api_url(port))
    server = firecrawl_mcp.start_http_server(target, mcp_port, logs / "mcp.log")
    try:
        specs = [
            ServerSpec("stdio", stdio=firecrawl_mcp.stdio_parameters(target)),
            ServerSpec("http", url=firecrawl_mcp.http_url(mcp_port)),
        ]
        baseline = await _baseline(api_url(port), max(5, runs * 3))
        async with McpPool(specs, PoolConfig()) as pool:
            await pool.wait_ready(60)
            timings = [await _discovery(pool) for _ in range(runs)]
    finally:
        firecrawl_mcp.stop_server(server)
        stop_fake(fake)
    first = statistics.median(t[0] for t in timings)
    total = statistics.median(t[1] for t in timings)
    print(f"baseline: direct search + scrape of the fake {baseline * 1000:.1f} ms (median)")
    print(f"discovery: {timings[0][2]} results; median of {runs} cold runs through firecrawl-mcp")
    print(f"  first results {first:.2f} s = {first / baseline:.1f}x baseline (target ≤ {TARGET_FIRST:.0f} s)")
    print(f"  whole discovery {total:.2f} s = {total / baseline:.1f}x baseline (target ≤ {TARGET_ALL:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.discovery")
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(main(parser.parse_args().runs))
