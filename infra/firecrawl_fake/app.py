"""A Firecrawl-compatible HTTP service over the fixture pages: v2 search and scrape, plus fault control."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from infra.firecrawl_fake import site
from infra.firecrawl_fake.faults import Fault, FaultBoard

MAX_LIMIT = 100


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def _apply_fault(board: FaultBoard, endpoint: str) -> Response | None:
    fault = board.take(endpoint)
    if fault is None:
        return None
    if fault.delay > 0:
        await asyncio.sleep(fault.delay)
    if fault.status is None:
        return None
    return JSONResponse({"success": False, "error": f"injected {fault.status} on {endpoint}"}, status_code=fault.status)


def _bad_request(message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": message, "code": "BAD_REQUEST"}, status_code=400)


def create_app(pages_dir: Path = site.PAGES_DIR) -> Starlette:
    """The fake Firecrawl API serving the pages listed in pages_dir/manifest.json."""
    pages = site.load_pages(pages_dir)
    board = FaultBoard()

    async def search(request: Request) -> Response:
        if (failed := await _apply_fault(board, "search")) is not None:
            return failed
        body = await _body(request)
        query = body.get("query")
        if not isinstance(query, str) or not query.strip():
            return _bad_request("query is required")
        limit = max(1, min(MAX_LIMIT, int(body.get("limit") or 5)))
        web = site.search(pages, query, limit)
        excluded = [d.lower() for d in body.get("excludeDomains") or []]
        web = [hit for hit in web if not any(d in hit["url"].lower() for d in excluded)]
        scrape_options = body.get("scrapeOptions") or {}
        if scrape_options.get("formats"):
            for hit in web:
                hit.update(site.document(pages[hit["url"]], hit["url"], scrape_options["formats"]))
        return JSONResponse({"success": True, "data": {"web": web}, "creditsUsed": len(web)})

    async def scrape(request: Request) -> Response:
        if (failed := await _apply_fault(board, "scrape")) is not None:
            return failed
        body = await _body(request)
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return _bad_request("url must be an http(s) URL")
        page = pages.get(url)
        formats = body.get("formats") or ["markdown"]
        data = site.document(page, url, formats) if page else site.missing_document(url)
        return JSONResponse({"success": True, "data": data})

    async def set_fault(request: Request) -> Response:
        body = await _body(request)
        endpoint = str(body.get("endpoint", ""))
        if endpoint not in {"search", "scrape"}:
            return _bad_request("endpoint must be search or scrape")
        status = body.get("status")
        fault = Fault(status=int(status) if status is not None else None, delay=float(body.get("delay", 0)))
        fault.times = int(body.get("times", -1))
        board.set(endpoint, fault)
        return JSONResponse({"ok": True})

    async def clear_faults(_: Request) -> Response:
        board.clear()
        return JSONResponse({"ok": True})

    async def requests_seen(_: Request) -> Response:
        return JSONResponse(board.requests)

    async def redirect(request: Request) -> Response:
        return RedirectResponse(request.query_params.get("to", "/health"), status_code=302)

    async def payload(request: Request) -> Response:
        size = min(int(request.query_params.get("n", "0")), 50_000_000)
        await asyncio.sleep(min(float(request.query_params.get("delay", "0")), 30.0))
        return Response(b"x" * size, media_type="application/octet-stream")

    async def echo(request: Request) -> Response:
        return JSONResponse({"host": request.headers.get("host"), "path": request.url.path})

    async def health(_: Request) -> Response:
        return JSONResponse({"ok": True, "pages": len(pages)})

    return Starlette(
        routes=[
            Route("/v2/search", search, methods=["POST"]),
            Route("/v2/scrape", scrape, methods=["POST"]),
            Route("/_fake/faults", set_fault, methods=["POST"]),
            Route("/_fake/faults", clear_faults, methods=["DELETE"]),
            Route("/_fake/requests", requests_seen, methods=["GET"]),
            Route("/_fake/redirect", redirect, methods=["GET"]),
            Route("/_fake/bytes", payload, methods=["GET"]),
            Route("/_fake/echo", echo, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ]
    )
