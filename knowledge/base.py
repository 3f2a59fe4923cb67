"""The ingredient knowledge base: versioned JSON data (ingredients, allergens, conflicts) loaded into lookups."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.names import key

DATA = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Ingredient:
    """One INCI ingredient with what it addresses (concern → 0–1 strength) and for whom."""

    inci: str
    key: str
    synonyms: tuple[str, ...]
    cls: str
    addresses: Mapping[str, float]
    favours: tuple[str, ...]
    avoid_for: tuple[str, ...]
    comedogenic: int
    sources: tuple[str, ...]

    @property
    def tags(self) -> frozenset[str]:
        """What conflict rules and allergen groups can name this ingredient by: its class and its own key."""
        return frozenset({self.cls, self.key})


@dataclass(frozen=True)
class Conflict:
    """Two tags (ingredient classes or keys) that must not meet in one routine, and why."""

    a: str
    b: str
    reason: str
    source: str

    def between(self, left: frozenset[str], right: frozenset[str]) -> bool:
        """Whether one side carries tag a and the other tag b."""
        return (self.a in left and self.b in right) or (self.b in left and self.a in right)


@dataclass(frozen=True)
class KnowledgeBase:
    """Lookups over the knowledge data; build it with `load()`."""

    version: str
    concerns: tuple[str, ...]
    skin_types: tuple[str, ...]
    sources: Mapping[str, str]
    ingredients: Mapping[str, Ingredient]
    aliases: Mapping[str, str]
    conflicts: tuple[Conflict, ...]
    allergen_groups: Mapping[str, frozenset[str]]
    allergen_aliases: Mapping[str, str]
    fragrance_allergens: frozenset[str] = field(default_factory=frozenset)

    def get(self, name: str) -> Ingredient | None:
        """The ingredient known under this INCI name or synonym."""
        k = key(name)
        return self.ingredients.get(self.aliases.get(k, k))

    def canonical(self, name: str) -> str | None:
        """The INCI spelling of a known name or synonym, else None."""
        found = self.get(name)
        return found.inci if found else None

    def allergen_keys(self, term: str) -> frozenset[str]:
        """Ingredient keys a user's allergy term covers: a group, a class, or one ingredient and its synonyms."""
        k = key(term)
        group = self.allergen_aliases.get(k, k).replace(" ", "_")
        if group in self.allergen_groups:
            return self.allergen_groups[group]
        by_class = frozenset(i.key for i in self.ingredients.values() if i.cls == k.replace(" ", "_"))
        if by_class:
            return by_class
        return frozenset({self.aliases.get(k, k)})

    def tags_of(self, keys: Iterable[str]) -> frozenset[str]:
        """The conflict tags of a set of ingredient keys (unknown ingredients carry only their key)."""
        tags: set[str] = set()
        for k in keys:
            found = self.ingredients.get(k)
            tags |= found.tags if found else {k}
        return frozenset(tags)

    def conflicts_between(self, left: frozenset[str], right: frozenset[str]) -> tuple[Conflict, ...]:
        """The conflict rules that two tag sets break together."""
        return tuple(c for c in self.conflicts if c.between(left, right))


def _ingredient(raw: Mapping[str, Any]) -> Ingredient:
    return Ingredient(
        inci=raw["inci"],
        key=key(raw["inci"]),
        synonyms=tuple(raw["synonyms"]),
        cls=raw["class"],
        addresses={str(c): float(s) for c, s in raw["addresses"].items()},
        favours=tuple(raw["favours"]),
        avoid_for=tuple(raw["avoid_for"]),
        comedogenic=int(raw["comedogenic"]),
        sources=tuple(raw["sources"]),
    )


def _groups(doc: Mapping[str, Any], ingredients: Mapping[str, Ingredient]) -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for name, spec in doc["groups"].items():
        members = {key(m) for m in spec.get("members", [])}
        for listed in spec.get("include", []):
            members |= {key(m) for m in doc[listed]}
        classes = set(spec.get("classes", []))
        members |= {i.key for i in ingredients.values() if i.cls in classes}
        groups[name] = frozenset(members)
    return groups


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def load() -> KnowledgeBase:
    """Load the shipped knowledge data once per process."""
    doc, allergens, conflicts = _read("ingredients.json"), _read("allergens.json"), _read("conflicts.json")
    ingredients = {i.key: i for i in map(_ingredient, doc["ingredients"])}
    aliases = {key(s): i.key for i in ingredients.values() for s in i.synonyms}
    fragrance = allergens["fragrance_allergens_eu26"] + allergens["fragrance_allergens_eu2023"]
    return KnowledgeBase(
        version=doc["version"],
        concerns=tuple(doc["concerns"]),
        skin_types=tuple(doc["skin_types"]),
        sources={**doc["sources"], **allergens["sources"], **conflicts["sources"]},
        ingredients=ingredients,
        aliases=aliases,
        conflicts=tuple(Conflict(c["a"], c["b"], c["reason"], c["source"]) for c in conflicts["conflicts"]),
        allergen_groups=_groups(allergens, ingredients),
        allergen_aliases={key(a): g for a, g in allergens["aliases"].items()},
        fragrance_allergens=frozenset(key(n) for n in fragrance),
    )
