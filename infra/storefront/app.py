"""The storefront's HTTP app: the same catalog as Shopify storefront, Shopify Admin and WooCommerce REST v3."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra.storefront import formats
from infra.storefront.admin import admin_routes
from infra.storefront.state import StoreState

STOREFRONT_MAX, ADMIN_MAX, WOO_MAX = 250, 250, 100


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        raise ValueError(f"{name} must be an integer") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}")
    return value


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _modified(record: dict[str, Any], since: datetime | None) -> bool:
    return since is None or datetime.fromisoformat(record["updated_at"]) > since


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1]) if cursor else 0


def build_app(state: StoreState) -> Starlette:
    """The storefront app over `state`."""

    def guarded(page_of: Callable[[Request], int], handler: Callable[[Request], Response]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            try:
                fault = state.fault_for(request.url.path, page_of(request))
                if fault is not None:
                    return JSONResponse({"errors": "injected failure"}, status_code=fault.status)
                return handler(request)
            except ValueError as error:
                return JSONResponse({"errors": str(error)}, status_code=400)

        return endpoint

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def storefront(request: Request) -> Response:
        limit = _int(request, "limit", 30, 1, STOREFRONT_MAX)
        page = _int(request, "page", 1, 1, 100_000)
        rows = [formats.storefront(r, base(request)) for r in state.records] + state.extra_rows["shopify"]
        return JSONResponse({"products": rows[(page - 1) * limit : page * limit]})

    def admin(request: Request) -> Response:
        limit = _int(request, "limit", 50, 1, ADMIN_MAX)
        offset = _offset(request.query_params.get("page_info"))
        since = _since(request.query_params.get("updated_at_min"))
        rows = [formats.admin(r, base(request)) for r in state.records if _modified(r, since)]
        rows += state.extra_rows["shopify-admin"]
        headers = {}
        if offset + limit < len(rows):
            url = request.url.remove_query_params(["page_info", "updated_at_min"]).include_query_params(
                limit=limit, page_info=_cursor(offset + limit)
            )
            headers["Link"] = f'<{url}>; rel="next"'
        return JSONResponse({"products": rows[offset : offset + limit]}, headers=headers)

    def woo(request: Request) -> Response:
        per_page = _int(request, "per_page", 10, 1, WOO_MAX)
        page = _int(request, "page", 1, 1, 100_000)
        since = _since(request.query_params.get("modified_after"))
        rows = [formats.woocommerce(r, base(request)) for r in state.records if _modified(r, since)]
        rows += state.extra_rows["woocommerce"]
        pages = max(1, math.ceil(len(rows) / per_page))
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        return JSONResponse(rows[(page - 1) * per_page : page * per_page], headers=headers)

    def variations(request: Request) -> Response:
        record = state.record(int(request.path_params["product_id"]))
        if record is None:
            return JSONResponse({"code": "woocommerce_rest_product_invalid_id"}, status_code=404)
        return JSONResponse(formats.woocommerce_variations(record), headers={"X-WP-TotalPages": "1"})

    async def image(request: Request) -> Response:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" '
            'fill="#f3ece6"/><text x="300" y="300" text-anchor="middle" font-size="28">synthetic</text></svg>'
        )
        return Response(svg, media_type="image/svg+xml")

    def page_param(request: Request) -> int:
        return int(request.query_params.get("page", "1") or 1) if request.query_params.get("page", "1").isdigit() else 1

    def admin_page(request: Request) -> int:
        limit = int(request.query_params.get("limit", "50") or 50)
        return _offset(request.query_params.get("page_info")) // max(1, limit) + 1

    return Starlette(
        routes=[
            Route("/products.json", guarded(page_param, storefront)),
            Route("/admin/api/{version}/products.json", guarded(admin_page, admin)),
            Route("/wp-json/wc/v3/products", guarded(page_param, woo)),
            Route("/wp-json/wc/v3/products/{product_id:int}/variations", guarded(page_param, variations)),
            Route("/images/{handle}.svg", image),
            *admin_routes(state),
        ]
    )
