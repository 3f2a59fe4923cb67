"""Read the fields we need out of Stripe objects (plain dicts), across the API versions Stripe may send."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any


class UnreadableObject(ValueError):
    """A signed event of a known type lacks a field we need."""


def text(obj: Mapping[str, Any], field: str) -> str:
    """A required string field."""
    value = obj.get(field)
    if not isinstance(value, str) or not value:
        raise UnreadableObject(f"{obj.get('object', 'object')} has no {field!r}")
    return value


def optional_text(obj: Mapping[str, Any], field: str) -> str | None:
    """A string field, or an expanded object's id, or None."""
    value = obj.get(field)
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def amount(obj: Mapping[str, Any], field: str, default: int | None = None) -> int:
    """An integer amount in minor units."""
    value = obj.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UnreadableObject(f"{obj.get('object', 'object')} has no valid {field!r}")
    return value


def optional_int(obj: Mapping[str, Any], field: str) -> int | None:
    """An integer field (a timestamp), or None."""
    value = obj.get(field)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def currency(obj: Mapping[str, Any]) -> str:
    """The ISO currency code, lower-case as Stripe sends it."""
    return text(obj, "currency").lower()


def metadata_uuid(obj: Mapping[str, Any], key: str) -> uuid.UUID | None:
    """A UUID we put in the object's metadata, or None if absent or not ours."""
    metadata = obj.get("metadata")
    raw = metadata.get(key) if isinstance(metadata, Mapping) else None
    try:
        return uuid.UUID(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def last_payment_error(intent: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The code (decline code first) and message of a PaymentIntent's last failed attempt."""
    error = intent.get("last_payment_error")
    if not isinstance(error, Mapping):
        return None, None
    code = error.get("decline_code") or error.get("code")
    message = error.get("message")
    return (code if isinstance(code, str) else None), (message if isinstance(message, str) else None)


def invoice_subscription(invoice: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """The invoice's subscription id and that subscription's metadata (top level before API 2025-03-31, else parent)."""
    if sub := optional_text(invoice, "subscription"):
        return sub, _mapping(invoice.get("subscription_details"), "metadata")
    details = _mapping(invoice.get("parent"), "subscription_details")
    return optional_text(details, "subscription"), _mapping(details, "metadata")


def subscription_price_and_period(sub: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """The first item's price id and the current period's end (on the subscription before API 2025-03-31)."""
    items = _mapping(sub, "items").get("data")
    first: Mapping[str, Any] = items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}
    price = optional_text(first, "price")
    period_end = optional_int(sub, "current_period_end") or optional_int(first, "current_period_end")
    return price, period_end


def listed(obj: Mapping[str, Any], field: str) -> list[Mapping[str, Any]]:
    """The data of an embedded list object (e.g. a charge's refunds), empty when not sent."""
    data = _mapping(obj, field).get("data")
    return [item for item in data if isinstance(item, Mapping)] if isinstance(data, list) else []


def _mapping(obj: object, field: str) -> Mapping[str, Any]:
    value = obj.get(field) if isinstance(obj, Mapping) else None
    return value if isinstance(value, Mapping) else {}
