"""Field parsers shared by the feed adapters: prices, ratings, sizes, HTML text, identity and ids."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from knowledge.inci import parse_inci
from knowledge.names import key
from producers.catalog.report import RowRejected

CATALOG_NAMESPACE = uuid.UUID("0c7a4f4e-3b0d-5a8e-9f61-2d1e6b7c8a90")
MAX_PRICE = Decimal("99999999.99")
_TAGS = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"<\s*(?:br|/p|/li|/div|/h\d|/tr)\s*/?\s*>", re.IGNORECASE)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\xa0]+")
_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ml|mL|l|g|kg|oz|fl\.?\s?oz|patches|pads|sheets|pcs)\b", re.IGNORECASE)
_INGREDIENT_HEADING = re.compile(r"(?:full\s+)?(?:ingredients?|inci)(?:\s+list)?\s*[:\n]", re.IGNORECASE)
_NEXT_HEADING = re.compile(r"\n\s*(?:how to use|directions|usage|warnings?|caution|about|benefits)\b", re.IGNORECASE)
_GTIN = re.compile(r"^\d{8}$|^\d{12,14}$")


def price(value: Any, what: str = "price") -> Decimal:
    """A non-negative decimal with two places from a feed's string or number; rejects the row otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowRejected(f"missing {what}")
    if isinstance(value, bool):
        raise RowRejected(f"{what} is not a number: {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise RowRejected(f"{what} is not a number: {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise RowRejected(f"{what} is not a finite number: {value!r}")
    if amount < 0:
        raise RowRejected(f"negative {what}: {amount}")
    if amount > MAX_PRICE:
        raise RowRejected(f"{what} too large: {amount}")
    return amount.quantize(Decimal("0.01"))


def rating(value: Any) -> Decimal | None:
    """A 0–5 rating, or None when absent or unreadable (an optional field never rejects a row)."""
    try:
        found = Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None
    if found is None or not found.is_finite() or not 0 <= found <= 5:
        return None
    return found.quantize(Decimal("0.01"))


def count(value: Any) -> int:
    """A non-negative integer count, 0 when absent or unreadable."""
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        return 0


def quantity(value: Any) -> int | None:
    """A stock quantity (negative oversold stock reads as 0), or None when the feed does not track it."""
    if value is None or value == "":
        return None
    try:
        return max(0, int(str(value).strip()))
    except ValueError:
        return None


def text(value: Any) -> str:
    """Plain text from HTML: scripts dropped, block ends kept as line breaks, entities decoded."""
    if not isinstance(value, str):
        return ""
    if "<" not in value and "&" not in value:  # most names and vendors: no markup to strip
        return "\n".join(line for line in (_SPACES.sub(" ", x).strip() for x in value.splitlines()) if line)
    plain = html.unescape(_TAGS.sub(" ", _BLOCK_END.sub("\n", _SCRIPTS.sub(" ", value))))
    lines = (_SPACES.sub(" ", line).strip() for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def ingredients_section(description: str) -> tuple[str, ...]:
    """INCI names from an 'Ingredients:' section of a plain-text description (up to the next heading)."""
    found = _INGREDIENT_HEADING.search(description)
    if not found:
        return ()
    rest = description[found.end() :]
    end = _NEXT_HEADING.search(rest)
    return parse_inci(rest[: end.start()] if end else rest)


def size(*candidates: str | None) -> str | None:
    """A pack size ("50 ml", "1.7 oz") from a variant title, option or product name."""
    for candidate in candidates:
        found = _SIZE.search(candidate or "")
        if found:
            unit = re.sub(r"\s|\.", "", found.group(2).lower())
            return f"{found.group(1).replace(',', '.')} {unit}"
    return None


def gtin(value: Any) -> str | None:
    """A GTIN-8/12/13/14 barcode, or None when the value is not one."""
    digits = re.sub(r"[\s-]", "", str(value or ""))
    return digits if _GTIN.match(digits) else None


def timestamp(value: Any) -> datetime | None:
    """A feed timestamp as an aware UTC datetime (naive ones are read as UTC, as WooCommerce's *_gmt fields are)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def identity(gtin_code: str | None, sku: str | None, brand: str | None, name: str, size_text: str | None) -> str:
    """The deduplication key: GTIN, else brand + SKU, else brand + normalised name + size."""
    if gtin_code:
        return f"gtin:{gtin_code.lstrip('0')}"
    brand_key = key(brand or "")
    if sku:
        return f"sku:{brand_key}|{key(sku)}"
    name_key = re.sub(r"[^a-z0-9]+", " ", key(name)).strip()
    return f"name:{brand_key}|{name_key}|{key(size_text or '')}"


def product_id(identity_key: str) -> uuid.UUID:
    """The product's id: stable for its identity, whichever feed or run imports it."""
    return uuid.uuid5(CATALOG_NAMESPACE, identity_key)


def required_text(raw: Mapping[str, Any], field: str, limit: int = 500) -> str:
    """A required text field, stripped of HTML; rejects the row when it is missing or empty."""
    value = text(raw.get(field)).replace("\n", " ").strip()
    if not value:
        raise RowRejected(f"missing {field}")
    return value[:limit]


def external_id(raw: Mapping[str, Any]) -> str:
    """The feed's own id for a row; rejects a row without one (it could never be updated or removed)."""
    value = raw.get("id")
    if value is None or isinstance(value, bool) or str(value).strip() == "":
        raise RowRejected("missing id")
    return str(value).strip()
