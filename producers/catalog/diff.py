"""What changed between imports: the catalog events a new normalised product calls for, and removals."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Literal

from events.catalog import (
    Product,
    ProductAvailabilityChanged,
    ProductAvailabilityChangedData,
    ProductPriceChanged,
    ProductPriceChangedData,
    ProductRemoved,
    ProductRemovedData,
    ProductUpserted,
    ProductUpsertedData,
)
from events.envelope import NAMESPACE, Event

Change = Literal["product.upserted", "product.price_changed", "product.availability_changed"]
SOURCE = "catalog"
# Fields a feed bumps without the product changing (a re-save touches updated_at).
_VOLATILE = {"source_updated_at"}


def changes(previous: Product | None, new: Product) -> tuple[Change, ...]:
    """Which catalog events apply: nothing when equal; upserted on any change, plus price/availability changes."""
    if previous is None:
        return ("product.upserted",)
    if previous.model_dump(exclude=_VOLATILE) == new.model_dump(exclude=_VOLATILE):
        return ()
    found: list[Change] = ["product.upserted"]
    if (previous.price, previous.currency) != (new.price, new.currency):
        found.append("product.price_changed")
    if previous.availability_status != new.availability_status:
        found.append("product.availability_changed")
    return tuple(found)


def removals(
    previous: Iterable[Product], synced_feeds: Iterable[str], seen: Iterable[uuid.UUID]
) -> tuple[Product, ...]:
    """Products a full sync of these feeds no longer lists (only those whose every source is one of these feeds)."""
    feeds, present = set(synced_feeds), set(seen)
    return tuple(
        p for p in previous if p.product_id not in present and p.sources and all(s.feed in feeds for s in p.sources)
    )


def _event_id(product_id: uuid.UUID, revision: int, kind: str) -> uuid.UUID:
    # Deterministic: re-running the same import step re-emits the same ids and downstream dedupe drops repeats.
    return uuid.uuid5(NAMESPACE, f"{SOURCE}/{product_id}/{revision}/{kind}")


def events_for(previous: Product | None, new: Product, *, revision: int, correlation_id: str) -> list[Event]:
    """The events one product's import publishes, in order, all at the product's new revision."""
    subject, pid, out = str(new.product_id), new.product_id, list[Event]()
    for change in changes(previous, new):
        common = {
            "event_id": _event_id(pid, revision, change),
            "source": SOURCE,
            "subject": subject,
            "correlation_id": correlation_id,
        }
        if change == "product.upserted":
            out.append(ProductUpserted(**common, data=ProductUpsertedData(product=new, revision=revision)))
        elif change == "product.price_changed" and previous is not None:
            out.append(
                ProductPriceChanged(
                    **common,
                    data=ProductPriceChangedData(
                        product_id=pid,
                        previous_price=previous.price,
                        price=new.price,
                        currency=new.currency,
                        revision=revision,
                    ),
                )
            )
        elif previous is not None:
            out.append(
                ProductAvailabilityChanged(
                    **common,
                    data=ProductAvailabilityChangedData(
                        product_id=pid,
                        previous_status=previous.availability_status,
                        availability_status=new.availability_status,
                        stock_quantity=new.stock_quantity,
                        revision=revision,
                    ),
                )
            )
    return out


def removed_event(product: Product, feed: str, *, revision: int, correlation_id: str) -> ProductRemoved:
    """The product.removed event for a product a full sync no longer lists."""
    return ProductRemoved(
        event_id=_event_id(product.product_id, revision, "product.removed"),
        source=SOURCE,
        subject=str(product.product_id),
        correlation_id=correlation_id,
        data=ProductRemovedData(
            product_id=product.product_id, feed=feed, reason="gone from a full sync of the feed", revision=revision
        ),
    )
