"""Schema.org `Product` data from a page's JSON-LD blocks, in any of the shapes sites publish."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
MAX_BLOCK_CHARS = 500_000


@dataclass(frozen=True)
class JsonLdProduct:
    """The fields of a schema.org Product that discovery uses."""

    name: str | None
    brand: str | None
    price: Decimal | None
    currency: str | None
    images: tuple[str, ...]
    ingredients: tuple[str, ...]
    description: str | None


def blocks(raw_html: str) -> list[Any]:
    """The parsed JSON of every ld+json script in raw_html (unparseable blocks skipped)."""
    found: list[Any] = []
    for match in _SCRIPT.finditer(raw_html):
        text = match.group(1).strip()
        if not text or len(text) > MAX_BLOCK_CHARS:
            continue
        try:
            found.append(json.loads(text))
        except ValueError:
            try:  # some sites HTML-escape the block
                found.append(json.loads(html.unescape(text)))
            except ValueError:
                continue
    return found


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document, including those in lists and @graph."""
    if isinstance(value, list):
        for item in value:
            yield from nodes(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from nodes(value["@graph"])


def has_type(node: dict[str, Any], wanted: str) -> bool:
    """Whether node's @type is wanted (a string or a list, with or without a schema.org prefix)."""
    kinds = node.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == wanted for k in names)


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str | int | float) and str(value).strip():
        return html.unescape(str(value)).strip()
    return None


def _images(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    urls: list[str] = []
    for item in items:
        url = item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item
        if isinstance(url, str) and url.strip() and url.strip() not in urls:
            urls.append(url.strip())
    return tuple(urls)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _offer_price(offers: Any) -> tuple[Decimal | None, str | None]:
    """The lowest price among offers (Offer, AggregateOffer's lowPrice, or a list), with its currency."""
    best: tuple[Decimal | None, str | None] = (None, None)
    for offer in offers if isinstance(offers, list) else [offers]:
        if not isinstance(offer, dict):
            continue
        spec = offer.get("priceSpecification")
        spec = spec[0] if isinstance(spec, list) and spec else spec
        price = _decimal(offer.get("price", offer.get("lowPrice")))
        if price is None and isinstance(spec, dict):
            price = _decimal(spec.get("price"))
        currency = _text(offer.get("priceCurrency") or (spec.get("priceCurrency") if isinstance(spec, dict) else None))
        if price is not None and (best[0] is None or price < best[0]):
            best = (price, currency.upper() if currency else None)
    return best


def _ingredients(node: dict[str, Any]) -> tuple[str, ...]:
    raw: Any = node.get("ingredients") or node.get("hasIngredient") or node.get("activeIngredient")
    if raw is None:
        for prop in node.get("additionalProperty") or []:
            if isinstance(prop, dict) and "ingredient" in str(prop.get("name", "")).lower():
                raw = prop.get("value")
                break
    if isinstance(raw, list):
        return tuple(name for item in raw if (name := _text(item)))
    return split_ingredients(raw) if isinstance(raw, str) else ()


def split_ingredients(text: str) -> tuple[str, ...]:
    """An INCI list split on commas (or semicolons), trimmed, without a trailing full stop."""
    parts = re.split(r"[,;]\s*", text.strip().rstrip("."))
    return tuple(part.strip() for part in parts if 0 < len(part.strip()) <= 80)


def product(raw_html: str) -> JsonLdProduct | None:
    """The first schema.org Product in raw_html's JSON-LD, or None."""
    for document in blocks(raw_html):
        for node in nodes(document):
            if has_type(node, "Product"):
                price, currency = _offer_price(node.get("offers"))
                return JsonLdProduct(
                    name=_text(node.get("name")),
                    brand=_text(node.get("brand") or node.get("manufacturer")),
                    price=price,
                    currency=currency,
                    images=_images(node.get("image")),
                    ingredients=_ingredients(node),
                    description=_text(node.get("description")),
                )
    return None


def is_article(raw_html: str) -> bool:
    """Whether the JSON-LD declares an Article, BlogPosting or NewsArticle."""
    kinds = ("Article", "BlogPosting", "NewsArticle")
    return any(has_type(node, kind) for document in blocks(raw_html) for node in nodes(document) for kind in kinds)
