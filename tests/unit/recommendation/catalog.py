"""A small hand-made catalog for recommender tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from events.catalog import Availability, Product
from producers.catalog.fields import identity, product_id

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def product(
    name: str,
    category: str,
    ingredients: tuple[str, ...],
    *,
    brand: str = "Lumea",
    price: str = "20.00",
    availability: Availability = "in_stock",
    rating: str | None = "4.2",
    reviews: int = 50,
) -> Product:
    """A product as the catalog importer would make it."""
    ident = identity(None, None, brand, name, None)
    return Product(
        product_id=product_id(ident),
        identity=ident,
        external_id=name,
        source_platform="shopify",
        name=name,
        brand=brand,
        category=category,
        ingredients=ingredients,
        price=Decimal(price),
        availability_status=availability,
        rating=Decimal(rating) if rating else None,
        review_count=reviews if rating else 0,
    )


BASE = ("Aqua", "Glycerin")
CATALOG = (
    product("Salicylic Cleanser", "cleanser", ("Aqua", "Cocamidopropyl Betaine", "Salicylic Acid")),
    product("Gentle Cleanser", "cleanser", ("Aqua", "Glycerin", "Panthenol"), brand="Ostra"),
    product("Retinol Serum", "serum", (*BASE, "Retinol", "Squalane"), price="45.00"),
    product("BHA Exfoliant", "exfoliant", ("Aqua", "Salicylic Acid", "Niacinamide")),
    product("Glycolic Toner", "toner", ("Aqua", "Glycolic Acid")),
    product("Niacinamide Serum", "serum", (*BASE, "Niacinamide", "Zinc PCA"), brand="Ostra"),
    product("Scented Niacinamide", "serum", (*BASE, "Niacinamide", "Parfum", "Linalool"), rating="4.9", reviews=900),
    product("Nut Cream", "moisturiser", (*BASE, "Prunus Amygdalus Dulcis Oil", "Ceramide NP")),
    product("Barrier Cream", "moisturiser", (*BASE, "Ceramide NP", "Cholesterol")),
    product("Sold Out Acne Gel", "spot treatment", ("Aqua", "Benzoyl Peroxide"), availability="out_of_stock"),
    product("BPO Spot Gel", "spot treatment", ("Aqua", "Benzoyl Peroxide"), price="9.00"),
    product("Mineral SPF", "sunscreen", ("Aqua", "Zinc Oxide", "Glycerin")),
    product("Luxury SPF", "sunscreen", ("Aqua", "Zinc Oxide", "Niacinamide"), price="95.00", brand="Aurelle"),
    product("Vitamin K Eye", "eye cream", (*BASE, "Phytonadione", "Caffeine")),
    product("Caffeine Eye", "eye cream", (*BASE, "Caffeine")),
    product("Oily Balm", "moisturiser", ("Cocos Nucifera Oil", "Isopropyl Myristate", "Squalane")),
)


def by_name(name: str) -> uuid.UUID:
    """The id of a catalog product by name."""
    return next(p.product_id for p in CATALOG if p.name == name)
