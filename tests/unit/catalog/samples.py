"""Feed rows as Shopify (storefront and Admin) and WooCommerce answer them, including hostile ones."""

from __future__ import annotations

from typing import Any

BODY = (
    "<p>A <b>gentle</b> gel cleanser.</p><h3>Ingredients:</h3><p>Aqua (Water), Glycerin, Cocamidopropyl Betaine, "
    "Niacinamide 4%, Parfum*</p><h3>How to use</h3><p>Massage onto wet skin.</p>"
)


def storefront(pid: int = 101, price: Any = "12.50", available: bool = True, **extra: Any) -> dict[str, Any]:
    row = {
        "id": pid,
        "title": "Calm Gel Cleanser",
        "handle": f"calm-gel-{pid}",
        "body_html": BODY,
        "vendor": "Lumea",
        "product_type": "Face Wash",
        "tags": ["gel", "sensitive"],
        "updated_at": "2026-11-01T10:00:00-05:00",
        "variants": [
            {
                "id": pid * 10,
                "title": "150 ml",
                "option1": "150 ml",
                "sku": f"LUM-{pid}",
                "price": price,
                "available": available,
                "barcode": None,
            }
        ],
        "images": [{"src": f"https://cdn.example.com/{pid}.jpg"}],
    }
    row.update(extra)
    return row


def admin(pid: int = 201, quantity: int = 7, policy: str = "deny", **extra: Any) -> dict[str, Any]:
    row = {
        "id": pid,
        "title": "Night Retinol Serum",
        "handle": "night-retinol",
        "vendor": "Ostra",
        "status": "active",
        "body_html": "<p>Renewing serum.</p>",
        "product_type": "Serum",
        "tags": "retinol, night, anti-ageing",
        "variants": [
            {
                "id": 1,
                "title": "30 ml",
                "price": "39.00",
                "sku": "OST-RS-30",
                "barcode": "4006381333931",
                "inventory_quantity": quantity,
                "inventory_management": "shopify",
                "inventory_policy": policy,
            }
        ],
        "images": [{"src": "https://cdn.example.com/ostra.jpg"}],
        "metafields": [
            {"namespace": "custom", "key": "ingredients", "value": "Squalane, Retinol, Tocopherol"},
            {"namespace": "reviews", "key": "rating", "value": '{"value": "4.6", "scale_max": "5.0"}'},
            {"namespace": "reviews", "key": "rating_count", "value": "87"},
        ],
    }
    row.update(extra)
    return row


def woo(pid: int = 301, **extra: Any) -> dict[str, Any]:
    row = {
        "id": pid,
        "name": "Daily Mineral SPF 50",
        "type": "simple",
        "status": "publish",
        "sku": "HLX-SPF50",
        "permalink": f"https://shop.example.com/product/spf-{pid}",
        "price": "24.00",
        "regular_price": "24.00",
        "stock_status": "instock",
        "stock_quantity": 12,
        "manage_stock": True,
        "average_rating": "4.20",
        "rating_count": 15,
        "date_modified_gmt": "2026-11-20T08:00:00",
        "description": "<p>Light mineral sunscreen.</p>",
        "categories": [{"id": 9, "name": "Sun Care"}],
        "tags": [{"id": 1, "name": "SPF"}],
        "brands": [{"id": 3, "name": "Helix"}],
        "images": [{"src": "https://shop.example.com/spf.jpg"}],
        "attributes": [
            {"name": "Ingredients", "options": ["Aqua", "Zinc Oxide 20%", "Caprylic/Capric Triglyceride"]},
            {"name": "Size", "options": ["50 ml"]},
        ],
    }
    row.update(extra)
    return row


def woo_variable(pid: int = 401) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    row = woo(
        pid,
        name="Barrier Cream",
        type="variable",
        price="",
        sku="",
        categories=[{"name": "Moisturizers"}],
        attributes=[{"name": "Ingredients", "options": ["Aqua", "Ceramide NP", "Glycerin"]}],
    )
    variations = [
        {
            "id": 1,
            "price": "30.00",
            "sku": "HLX-BC-100",
            "stock_status": "outofstock",
            "stock_quantity": 0,
            "attributes": [{"name": "Size", "option": "100 ml"}],
        },
        {
            "id": 2,
            "price": "18.00",
            "sku": "HLX-BC-50",
            "stock_status": "instock",
            "stock_quantity": 4,
            "attributes": [{"name": "Size", "option": "50 ml"}],
        },
    ]
    return row, variations
