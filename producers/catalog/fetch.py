"""Read a feed over HTTP (httpx), paginating as each format does; a feed that fails is reported, never half-read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from producers.catalog.feeds import FeedSpec
from producers.catalog.importer import FeedRows

MAX_PAGES = 2000  # a guard against a feed that never ends
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class FeedUnavailable(Exception):
    """The feed could not be read completely (down, an error status, or not JSON)."""


async def _get(client: httpx.AsyncClient, url: str, **kwargs: Any) -> httpx.Response:
    try:
        response = await client.get(url, **kwargs)
    except httpx.HTTPError as error:
        raise FeedUnavailable(f"GET {url}: {type(error).__name__}: {error}") from error
    if response.status_code != 200:
        raise FeedUnavailable(f"GET {response.request.url}: HTTP {response.status_code}")
    return response


def _json_list(response: httpx.Response, field: str | None) -> list[Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise FeedUnavailable(f"GET {response.request.url}: not JSON") from error
    rows = body.get(field) if field and isinstance(body, Mapping) else body
    if not isinstance(rows, list):
        raise FeedUnavailable(f"GET {response.request.url}: no {field or 'list'} in the answer")
    return rows


async def _shopify_storefront(client: httpx.AsyncClient, spec: FeedSpec) -> tuple[Any, ...]:
    """Pages of 250 until an empty page; a product repeated on a later page (the list shifted) is kept once."""
    rows: list[Any] = []
    seen: set[Any] = set()
    for page in range(1, MAX_PAGES + 1):
        url = f"{spec.location.rstrip('/')}/products.json"
        batch = _json_list(await _get(client, url, params={"limit": 250, "page": page}), "products")
        if not batch:
            break
        # Repeats within one page are left for the importer to reject as duplicates; across pages they are shifts.
        rows += [r for r in batch if not isinstance(r, Mapping) or r.get("id") is None or r.get("id") not in seen]
        seen |= {r.get("id") for r in batch if isinstance(r, Mapping)}
    return tuple(rows)


async def _shopify_admin(client: httpx.AsyncClient, spec: FeedSpec) -> tuple[Any, ...]:
    """Cursor pagination: follow the Link header's rel="next" (page_info) until there is none."""
    headers = {"X-Shopify-Access-Token": spec.access_token} if spec.access_token else {}
    url: str | None = f"{spec.location.rstrip('/')}/admin/api/{spec.admin_api_version}/products.json?limit=250"
    rows: list[Any] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        response = await _get(client, url, headers=headers)
        rows += _json_list(response, "products")
        found = _NEXT_LINK.search(response.headers.get("link", ""))
        url = found.group(1) if found else None
    return tuple(rows)


async def _woo_pages(client: httpx.AsyncClient, url: str, params: dict[str, Any], auth: Any) -> list[Any]:
    """Every page of a WooCommerce list endpoint, as many as X-WP-TotalPages says."""
    rows: list[Any] = []
    page, total = 1, 1
    while page <= min(total, MAX_PAGES):
        response = await _get(client, url, params={**params, "page": page, "per_page": 100}, auth=auth)
        rows += _json_list(response, None)
        total = int(response.headers.get("x-wp-totalpages", "1") or 1)
        page += 1
    return rows


async def _woocommerce(client: httpx.AsyncClient, spec: FeedSpec) -> FeedRows:
    auth = (spec.consumer_key, spec.consumer_secret) if spec.consumer_key and spec.consumer_secret else None
    base = f"{spec.location.rstrip('/')}/wp-json/wc/v3/products"
    params = {"modified_after": spec.modified_after.isoformat()} if spec.modified_after else {}
    rows = await _woo_pages(client, base, params, auth)
    variations: dict[str, tuple[Mapping[str, Any], ...]] = {}
    for row in rows:
        if isinstance(row, Mapping) and row.get("type") == "variable" and row.get("id") is not None:
            found = await _woo_pages(client, f"{base}/{row['id']}/variations", {}, auth)
            variations[str(row["id"])] = tuple(v for v in found if isinstance(v, Mapping))
    return FeedRows(spec.context(), tuple(rows), variations)


async def fetch_feed(client: httpx.AsyncClient, spec: FeedSpec) -> FeedRows:
    """Read one feed completely; on any failure the rows are empty and `error` says what happened."""
    try:
        if spec.format == "shopify":
            return FeedRows(spec.context(), await _shopify_storefront(client, spec))
        if spec.format == "shopify-admin":
            return FeedRows(spec.context(), await _shopify_admin(client, spec))
        return await _woocommerce(client, spec)
    except FeedUnavailable as error:
        return FeedRows(spec.context(), (), error=str(error))
