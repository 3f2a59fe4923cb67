"""The storefront's `/_admin` endpoints: health, failures on demand, injected raw rows, product changes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra.storefront.state import FORMATS, Fault, StoreState


def admin_routes(state: StoreState) -> list[Route]:
    """Routes tests use to make a feed fail, carry hostile rows, or change a product's price or stock."""

    async def health(request: Request) -> Response:
        return JSONResponse({"name": "storefront", "products": len(state.records)})

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            state.faults.clear()
            return Response(status_code=204)
        body = await request.json()
        state.faults.append(Fault(body["path"], int(body.get("status", 503)), body.get("page"), body.get("times")))
        return JSONResponse({"armed": len(state.faults)}, status_code=201)

    async def rows(request: Request) -> Response:
        if request.method == "DELETE":
            for kept in state.extra_rows.values():
                kept.clear()
            return Response(status_code=204)
        body = await request.json()
        if body.get("format") not in FORMATS or not isinstance(body.get("rows"), list):
            return JSONResponse({"error": f"format must be one of {FORMATS} and rows a list"}, status_code=400)
        state.extra_rows[body["format"]] += body["rows"]
        return JSONResponse({"rows": len(state.extra_rows[body["format"]])}, status_code=201)

    async def product(request: Request) -> Response:
        product_id = int(request.path_params["product_id"])
        if request.method == "DELETE":
            return Response(status_code=204 if state.remove(product_id) else 404)
        record = state.update(product_id, await request.json())
        return JSONResponse(record) if record else JSONResponse({"error": "no such product"}, status_code=404)

    return [
        Route("/_admin/health", health),
        Route("/_admin/faults", faults, methods=["POST", "DELETE"]),
        Route("/_admin/rows", rows, methods=["POST", "DELETE"]),
        Route("/_admin/products/{product_id:int}", product, methods=["PATCH", "DELETE"]),
    ]
