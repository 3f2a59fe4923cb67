"""Render a demo-catalog record as Shopify storefront, Shopify Admin and WooCommerce REST v3 answer them."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


def _images(record: Record, base: str) -> list[dict[str, Any]]:
    return [
        {"id": record["id"], "position": 1, "src": f"{base}/images/{record['handle']}.svg", "width": 600, "height": 600}
    ]


def storefront(record: Record, base: str) -> dict[str, Any]:
    """`/products.json`: string prices, tags a list, variants with `available` and no quantity."""
    return {
        "id": record["id"],
        "title": record["name"],
        "handle": record["handle"],
        "body_html": record["description_html"],
        "published_at": record["created_at"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "vendor": record["brand"],
        "product_type": record["product_type"],
        "tags": record["tags"],
        "variants": [
            {
                "id": v["id"],
                "title": v["size"],
                "option1": v["size"],
                "sku": v["sku"],
                "requires_shipping": True,
                "taxable": True,
                "available": v["stock"] > 0,
                "price": v["price"],
                "compare_at_price": None,
                "position": i + 1,
                "product_id": record["id"],
                "updated_at": record["updated_at"],
            }
            for i, v in enumerate(record["variants"])
        ],
        "images": _images(record, base),
        "options": [{"name": "Size", "position": 1, "values": [v["size"] for v in record["variants"]]}],
    }


def admin(record: Record, base: str) -> dict[str, Any]:
    """Admin REST: tags a comma-separated string, variants with inventory_quantity and barcode, a status."""
    metafields = [
        {
            "namespace": "custom",
            "key": "ingredients",
            "type": "multi_line_text_field",
            "value": ", ".join(record["ingredients"]),
        }
    ]
    if record["rating"] is not None:
        metafields += [
            {
                "namespace": "reviews",
                "key": "rating",
                "type": "rating",
                "value": f'{{"value": "{record["rating"]}", "scale_min": "1.0", "scale_max": "5.0"}}',
            },
            {
                "namespace": "reviews",
                "key": "rating_count",
                "type": "number_integer",
                "value": str(record["review_count"]),
            },
        ]
    return {
        "id": record["id"],
        "title": record["name"],
        "handle": record["handle"],
        "body_html": record["description_html"],
        "vendor": record["brand"],
        "product_type": record["product_type"],
        "status": record.get("status", "active"),
        "tags": ", ".join(record["tags"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "variants": [
            {
                "id": v["id"],
                "product_id": record["id"],
                "title": v["size"],
                "option1": v["size"],
                "price": v["price"],
                "sku": v["sku"],
                "barcode": v["gtin"],
                "inventory_quantity": v["stock"],
                "inventory_management": "shopify",
                "inventory_policy": "deny",
                "position": i + 1,
            }
            for i, v in enumerate(record["variants"])
        ],
        "images": _images(record, base),
        "metafields": metafields,
    }


def _stock(stock: int) -> dict[str, Any]:
    return {"manage_stock": True, "stock_quantity": stock, "stock_status": "instock" if stock > 0 else "outofstock"}


def woocommerce(record: Record, base: str) -> dict[str, Any]:
    """`/wp-json/wc/v3/products`: string prices, stock_status/stock_quantity, variable products list variation ids."""
    variants = record["variants"]
    variable = len(variants) > 1
    first = variants[0]
    row: dict[str, Any] = {
        "id": record["id"],
        "name": record["name"],
        "slug": record["handle"],
        "permalink": f"{base}/product/{record['handle']}/",
        "date_created_gmt": record["created_at"][:19],
        "date_modified_gmt": record["updated_at"][:19],
        "type": "variable" if variable else "simple",
        "status": "publish",
        "description": record["description_html"],
        "short_description": "",
        "sku": "" if variable else first["sku"],
        "global_unique_id": "" if variable else first["gtin"],
        "price": first["price"],
        "regular_price": "" if variable else first["price"],
        "sale_price": "",
        "average_rating": record["rating"] or "0.00",
        "rating_count": record["review_count"],
        "categories": [{"id": 0, "name": record["product_type"], "slug": record["category"].replace(" ", "-")}],
        "tags": [{"id": 0, "name": t, "slug": t} for t in record["tags"]],
        "brands": [{"id": 0, "name": record["brand"]}],
        "images": [
            {"id": i["id"], "src": i["src"], "name": record["handle"], "alt": record["name"]}
            for i in _images(record, base)
        ],
        "attributes": [
            {"id": 0, "name": "Ingredients", "visible": True, "variation": False, "options": record["ingredients"]},
            {"id": 0, "name": "Size", "visible": True, "variation": variable, "options": [v["size"] for v in variants]},
        ],
        "variations": [v["id"] for v in variants] if variable else [],
    }
    if not variable:
        row.update(_stock(first["stock"]))
    else:
        row.update(
            {
                "manage_stock": False,
                "stock_quantity": None,
                "stock_status": "instock" if any(v["stock"] > 0 for v in variants) else "outofstock",
            }
        )
    return row


def woocommerce_variations(record: Record) -> list[dict[str, Any]]:
    """`/products/{id}/variations` of a variable product."""
    return [
        {
            "id": v["id"],
            "sku": v["sku"],
            "global_unique_id": v["gtin"],
            "price": v["price"],
            "regular_price": v["price"],
            "sale_price": "",
            "date_modified_gmt": record["updated_at"][:19],
            "attributes": [{"id": 0, "name": "Size", "option": v["size"]}],
            **_stock(v["stock"]),
        }
        for v in record["variants"]
    ]
