"""The two Firecrawl MCP tools discovery uses, called through the pool and parsed into domain values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from mcp.types import CallToolResult, TextContent

from consumers.crawl.domain.models import ScrapedPage, SearchHit

SEARCH_TOOL = "firecrawl_search"
SCRAPE_TOOL = "firecrawl_scrape"
# JSON-LD lives in script tags, which markdown drops: ask for the raw HTML too.
SCRAPE_FORMATS = ["markdown", "rawHtml"]
MAX_RAW_HTML = 2_000_000
MAX_MARKDOWN = 500_000


class ToolCaller(Protocol):
    """What discovery needs of the MCP pool."""

    async def call_tool(self, tool: str, arguments: dict[str, Any], timeout: float | None = None) -> CallToolResult: ...


class MalformedResult(ValueError):
    """A tool answered with something that is not the documented Firecrawl shape."""


def payload(result: CallToolResult) -> dict[str, Any]:
    """The tool's JSON answer: structured content, else the first text block parsed as JSON."""
    if isinstance(result.structured_content, dict):
        return result.structured_content
    for block in result.content:
        if isinstance(block, TextContent):
            try:
                parsed = json.loads(block.text)
            except ValueError as exc:
                raise MalformedResult(f"tool text is not JSON: {block.text[:200]!r}") from exc
            if isinstance(parsed, dict):
                return parsed
    raise MalformedResult("tool result has neither structured content nor JSON text")


def parse_hits(answer: dict[str, Any], query: str) -> list[SearchHit]:
    """Web results from a search answer ({"data": {"web": [...]}} or {"web": [...]})."""
    data = answer.get("data", answer)
    web = data.get("web", []) if isinstance(data, dict) else data
    hits: list[SearchHit] = []
    for index, item in enumerate(web if isinstance(web, list) else [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        position = item.get("position")
        hits.append(
            SearchHit(
                url=item["url"],
                title=str(item.get("title") or ""),
                description=str(item.get("description") or ""),
                position=position if isinstance(position, int) and position > 0 else index,
                query=query,
            )
        )
    return hits


def parse_page(answer: dict[str, Any], requested_url: str, fetched_at: datetime) -> ScrapedPage:
    """A scraped document ({markdown, rawHtml, metadata}, possibly wrapped in "data") as a ScrapedPage."""
    doc = answer["data"] if isinstance(answer.get("data"), dict) and "markdown" not in answer else answer
    found = doc.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    status = metadata.get("statusCode")
    final_url = metadata.get("url") or metadata.get("sourceURL") or requested_url
    return ScrapedPage(
        requested_url=requested_url,
        url=str(final_url),
        status_code=status if isinstance(status, int) else 200,
        title=str(metadata.get("title") or ""),
        markdown=str(doc.get("markdown") or "")[:MAX_MARKDOWN],
        raw_html=str(doc.get("rawHtml") or doc.get("html") or "")[:MAX_RAW_HTML],
        metadata=metadata,
        fetched_at=fetched_at,
    )


async def search(pool: ToolCaller, query: str, limit: int) -> list[SearchHit]:
    """Web search through the pool."""
    arguments = {"query": query, "limit": limit, "sources": ["web"]}
    return parse_hits(payload(await pool.call_tool(SEARCH_TOOL, arguments)), query)


async def scrape(pool: ToolCaller, url: str, clock: Callable[[], datetime] | None = None) -> ScrapedPage:
    """Scrape one page (markdown and raw HTML) through the pool."""
    result = await pool.call_tool(SCRAPE_TOOL, {"url": url, "formats": SCRAPE_FORMATS})
    return parse_page(payload(result), url, (clock or (lambda: datetime.now(UTC)))())
