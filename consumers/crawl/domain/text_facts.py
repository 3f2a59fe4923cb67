"""Product facts read from a page's text when it has no structured data: price, brand, ingredients, images."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from consumers.crawl.domain.jsonld import split_ingredients

SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "JPY", "₹": "INR", "₩": "KRW", "CHF": "CHF"}
CODES = ("EUR", "GBP", "USD", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "INR")
_AMOUNT = r"(\d{1,6}(?:[.,\u00a0 ]\d{3})*(?:[.,]\d{1,2})?)"
_SYMBOL = r"(€|£|\$|¥|₹|₩|" + "|".join(CODES) + r")"
_BEFORE = re.compile(_SYMBOL + r"\s?" + _AMOUNT)
_AFTER = re.compile(_AMOUNT + r"\s?" + _SYMBOL)
_BRAND = re.compile(r"^\s*(?i:brand|by|marke|marque)\s*[:\-–]?\s*(?:\*\*)?([A-Z0-9][\w&'.\- ]{0,40}?)(?:\*\*)?\s*\.?$")
_INGREDIENT_HEAD = re.compile(r"^\W*(?:full\s+)?(?:ingredients?|inci)\b[^:\n]*:?\W*(.*)$", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\((\S+?)(?:\s+\"[^\"]*\")?\)")


def parse_amount(text: str) -> Decimal | None:
    """A price written with either decimal mark ("1.299,00", "1,299.00", "32,90", "24.00")."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if re.search(r"[.,]\d{1,2}$", cleaned):
        whole, decimals = cleaned[: -3 if cleaned[-3] in ".," else -2], cleaned[-2:].lstrip(".,")
        cleaned = re.sub(r"[.,]", "", whole) + "." + decimals
    else:
        cleaned = re.sub(r"[.,]", "", cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def price(text: str) -> tuple[Decimal | None, str | None]:
    """The first price in text with a currency symbol or code before or after the amount."""
    candidates = []
    for pattern, symbol_group, amount_group in ((_BEFORE, 1, 2), (_AFTER, 2, 1)):
        match = pattern.search(text)
        if match:
            candidates.append((match.start(), match.group(symbol_group), match.group(amount_group)))
    if not candidates:
        return None, None
    _, symbol, amount = min(candidates)
    return parse_amount(amount), SYMBOLS.get(symbol, symbol.upper())


def brand(markdown: str, site_name: str | None) -> str | None:
    """A "Brand: X" / "By X" line, else the site's declared name."""
    for line in markdown.splitlines()[:80]:
        match = _BRAND.match(line.strip().lstrip("#").strip())
        if match:
            return match.group(1).strip()
    return site_name.strip() if site_name and site_name.strip() else None


def ingredients(markdown: str) -> tuple[str, ...]:
    """The ingredient list: the text after an "Ingredients"/"INCI" heading or label, split on commas."""
    lines = [line.strip() for line in markdown.splitlines()]
    for index, line in enumerate(lines):
        match = _INGREDIENT_HEAD.match(line.lstrip("#").strip())
        if not match:
            continue
        rest = match.group(1).strip()
        if "," in rest:
            return split_ingredients(rest)
        following = next((text for text in lines[index + 1 : index + 4] if text), "")
        if "," in following:
            return split_ingredients(following.lstrip("-* "))
    return ()


def images(markdown: str, declared: str | None) -> tuple[str, ...]:
    """The page's declared (og:image) image first, then images in the markdown, without repeats."""
    found = [declared] if declared else []
    for url in _IMAGE.findall(markdown):
        if url not in found and url.startswith(("http://", "https://", "/")):
            found.append(url)
    return tuple(found)


def first_heading(markdown: str) -> str | None:
    """The text of the first level-1 heading."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None
