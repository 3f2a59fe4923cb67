"""Facts about the product on a page: JSON-LD `Product` fields where present, the page text for the rest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from consumers.crawl.domain import jsonld, text_facts
from consumers.crawl.domain.models import ContentType, ProductFacts, ScrapedPage

_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


def _meta(metadata: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = metadata.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _content_type(page: ScrapedPage, product: jsonld.JsonLdProduct | None, has_price: bool) -> ContentType:
    if product is not None:
        return "product"
    og_type = (_meta(page.metadata, "ogType", "og:type") or "").lower()
    if og_type == "article" or jsonld.is_article(page.raw_html):
        return "article"
    return "product" if has_price or og_type == "product" else "page"


def _absolute(page: ScrapedPage, urls: tuple[str, ...]) -> tuple[str, ...]:
    resolved: list[str] = []
    for url in urls:
        full = urljoin(page.url, url)
        if full.startswith(("http://", "https://")) and full not in resolved:
            resolved.append(full)
    return tuple(resolved)


def page_name(page: ScrapedPage) -> str | None:
    """The product name from the page: its first heading, else its title without a " | Site" suffix."""
    heading = text_facts.first_heading(page.markdown)
    if heading:
        return heading
    title = _meta(page.metadata, "ogTitle", "og:title", "title") or page.title
    return _TITLE_SUFFIX.sub("", title).strip() or None if title else None


def extract(page: ScrapedPage) -> ProductFacts:
    """What page says about its product; structured data wins field by field, the text fills the gaps."""
    product = jsonld.product(page.raw_html) if page.raw_html else None
    text_price, text_currency = text_facts.price(page.markdown)
    site_name = _meta(page.metadata, "ogSiteName", "og:site_name")
    og_image = _meta(page.metadata, "ogImage", "og:image")
    text_images = text_facts.images(page.markdown, og_image)
    description = _meta(page.metadata, "description", "ogDescription", "og:description")
    if product is None:
        return ProductFacts(
            content_type=_content_type(page, None, text_price is not None),
            name=page_name(page),
            brand=text_facts.brand(page.markdown, site_name),
            price=text_price,
            currency=text_currency if text_price is not None else None,
            images=_absolute(page, text_images),
            ingredients=text_facts.ingredients(page.markdown),
            description=description,
            structured=False,
        )
    price, currency = (product.price, product.currency) if product.price is not None else (text_price, text_currency)
    return ProductFacts(
        content_type="product",
        name=product.name or page_name(page),
        brand=product.brand or text_facts.brand(page.markdown, site_name),
        price=price,
        currency=currency if price is not None else None,
        images=_absolute(page, product.images or text_images),
        ingredients=product.ingredients or text_facts.ingredients(page.markdown),
        description=product.description or description,
        structured=True,
    )
