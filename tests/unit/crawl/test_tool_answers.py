from datetime import UTC, datetime

import pytest
from mcp.types import CallToolResult, TextContent

from consumers.crawl.firecrawl_tools import MalformedResult, parse_hits, parse_page, payload
from consumers.crawl.progress import percentage, remaining_seconds

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def test_payload_prefers_structured_content_then_json_text() -> None:
    structured = CallToolResult(content=[TextContent(type="text", text="{}")], structured_content={"a": 1})
    assert payload(structured) == {"a": 1}
    text_only = CallToolResult(content=[TextContent(type="text", text='{"b": 2}')])
    assert payload(text_only) == {"b": 2}
    with pytest.raises(MalformedResult):
        payload(CallToolResult(content=[TextContent(type="text", text="not json")]))


def test_search_answers_in_both_shapes_with_positions() -> None:
    answer = {
        "success": True,
        "data": {
            "web": [{"url": "https://a/1", "title": "T"}, {"title": "no url"}, {"url": "https://b/2", "position": 7}]
        },
    }
    hits = parse_hits(answer, "q")
    assert [(h.url, h.position, h.title, h.query) for h in hits] == [
        ("https://a/1", 1, "T", "q"),
        ("https://b/2", 7, "", "q"),
    ]
    assert [h.url for h in parse_hits({"web": [{"url": "https://c/3"}]}, "q")] == ["https://c/3"]
    assert parse_hits({"success": True, "data": {}}, "q") == []


def test_scrape_answers_with_or_without_a_data_wrapper() -> None:
    doc = {
        "markdown": "# X",
        "rawHtml": "<html>",
        "metadata": {"title": "X", "url": "https://final/", "sourceURL": "https://asked/", "statusCode": 404},
    }
    page = parse_page(doc, "https://asked/", NOW)
    assert (page.url, page.status_code, page.title, page.markdown, page.raw_html) == (
        "https://final/",
        404,
        "X",
        "# X",
        "<html>",
    )
    wrapped = parse_page({"success": True, "data": {"markdown": "m"}}, "https://asked/", NOW)
    assert (wrapped.url, wrapped.status_code, wrapped.markdown, wrapped.fetched_at) == ("https://asked/", 200, "m", NOW)


def test_progress_bands_only_grow_and_estimates_shrink() -> None:
    steps = [
        percentage("generating_queries", 0, 1),
        percentage("generating_queries", 1, 1),
        percentage("searching", 1, 4),
        percentage("searching", 4, 4),
        percentage("scraping", 0, 10),
        percentage("scraping", 5, 10),
        percentage("processing", 1, 1),
        percentage("completed", 1, 1),
    ]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == 100
    assert percentage("scraping", 0, 0) == 90  # nothing to scrape: the stage is done
    assert remaining_seconds(1.0, 5, 20.0) == 19
    assert remaining_seconds(4.0, 50, 20.0) == 4
    assert remaining_seconds(9.0, 100, 20.0) == 0
