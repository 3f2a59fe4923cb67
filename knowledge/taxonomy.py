"""One product taxonomy (category → subcategories) and the mapping from feed words (product_type, tags, categories)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# category → subcategories. Routine step says where a category sits in cleanse → treat → moisturise → protect.
TAXONOMY: Mapping[str, tuple[str, ...]] = {
    "cleanser": ("gel cleanser", "foam cleanser", "cream cleanser", "oil cleanser", "micellar water", "cleansing balm"),
    "toner": ("hydrating toner", "exfoliating toner", "essence", "mist"),
    "serum": (
        "hydrating serum",
        "brightening serum",
        "retinoid serum",
        "vitamin c serum",
        "niacinamide serum",
        "peptide serum",
        "face oil",
        "ampoule",
    ),
    "moisturiser": ("gel cream", "cream", "lotion", "night cream", "balm"),
    "sunscreen": ("mineral sunscreen", "chemical sunscreen", "tinted sunscreen"),
    "exfoliant": ("chemical exfoliant", "peel", "scrub"),
    "mask": ("clay mask", "sheet mask", "sleeping mask", "cream mask"),
    "eye cream": ("eye cream", "eye serum", "eye gel"),
    "spot treatment": ("spot gel", "patch", "spot cream"),
}
ROUTINE_STEP: Mapping[str, str] = {
    "cleanser": "cleanse",
    "toner": "treat",
    "serum": "treat",
    "exfoliant": "treat",
    "spot treatment": "treat",
    "mask": "treat",
    "eye cream": "treat",
    "moisturiser": "moisturise",
    "sunscreen": "protect",
}

# Feed words → category, most specific first (checked in order, so "eye cream" wins over "cream").
_CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("eye cream", "eye cream"),
    ("eye serum", "eye cream"),
    ("eye gel", "eye cream"),
    ("under eye", "eye cream"),
    ("eye", "eye cream"),
    ("spot treatment", "spot treatment"),
    ("blemish", "spot treatment"),
    ("pimple patch", "spot treatment"),
    ("spot", "spot treatment"),
    ("acne patch", "spot treatment"),
    ("sunscreen", "sunscreen"),
    ("sun screen", "sunscreen"),
    ("spf", "sunscreen"),
    ("sun cream", "sunscreen"),
    ("sunblock", "sunscreen"),
    ("uv protection", "sunscreen"),
    ("cleanser", "cleanser"),
    ("cleansing", "cleanser"),
    ("face wash", "cleanser"),
    ("micellar", "cleanser"),
    ("makeup remover", "cleanser"),
    ("wash", "cleanser"),
    ("exfoliant", "exfoliant"),
    ("exfoliator", "exfoliant"),
    ("exfoliating", "exfoliant"),
    ("peel", "exfoliant"),
    ("scrub", "exfoliant"),
    ("aha", "exfoliant"),
    ("bha", "exfoliant"),
    ("mask", "mask"),
    ("masque", "mask"),
    ("toner", "toner"),
    ("tonic", "toner"),
    ("essence", "toner"),
    ("mist", "toner"),
    ("serum", "serum"),
    ("ampoule", "serum"),
    ("booster", "serum"),
    ("face oil", "serum"),
    ("concentrate", "serum"),
    ("moisturiser", "moisturiser"),
    ("moisturizer", "moisturiser"),
    ("cream", "moisturiser"),
    ("lotion", "moisturiser"),
    ("emulsion", "moisturiser"),
    ("gel cream", "moisturiser"),
    ("balm", "moisturiser"),
    ("hydrator", "moisturiser"),
)


@dataclass(frozen=True)
class Classification:
    """A product's place in the taxonomy."""

    category: str | None
    subcategory: str | None


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> str:
    """Lower-case words padded with spaces, plurals made singular ("Moisturizers" → "moisturizer")."""
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()
    return " " + " ".join(_singular(w) for w in words) + " "


def _category(text: str) -> str | None:
    padded = _words(text)
    for word, category in _CATEGORY_WORDS:
        if f" {word} " in padded:
            return category
    return None


def _subcategory(category: str, text: str) -> str | None:
    padded = _words(text)
    for sub in TAXONOMY[category]:
        # The full name, or its qualifier ("mineral" of "mineral sunscreen") once the category is known.
        if f" {sub} " in padded or (len(sub.split()) > 1 and f" {sub.split()[0]} " in padded):
            return sub
    return None


def classify(
    product_type: str | None, tags: Iterable[str] = (), categories: Iterable[str] = (), name: str = ""
) -> Classification:
    """Map a feed's product_type, then its categories, then its tags, then its name onto the taxonomy."""
    sources = [product_type or "", *categories, *tags, name]
    category = next((c for s in sources if s and (c := _category(s)) is not None), None)
    if category is None:
        return Classification(None, None)
    everything = " ".join(sources)
    return Classification(category, _subcategory(category, everything))


def routine_step(category: str | None) -> str | None:
    """The routine step (cleanse, treat, moisturise, protect) a category belongs to."""
    return ROUTINE_STEP.get(category or "")
