"""The products projection unit: feed products by revision, and products discovered on the web."""

from __future__ import annotations

from events.catalog import ProductAvailabilityChanged, ProductPriceChanged, ProductRemoved, ProductUpserted
from events.discovery import ProductDiscovered
from storage.catalog import folds
from storage.catalog.tables import products
from storage.projection import Projection

CATALOG = Projection(
    "catalog",
    (products,),
    {
        ProductUpserted: folds.product_upserted,
        ProductPriceChanged: folds.price_changed,
        ProductAvailabilityChanged: folds.availability_changed,
        ProductRemoved: folds.product_removed,
        ProductDiscovered: folds.product_discovered,
    },
)
