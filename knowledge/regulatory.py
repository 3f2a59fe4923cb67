"""What the EU cosmetic annexes II–VI say about ingredient names, read from the CosIng tables `on-the-list` ships."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import on_the_list.register as otl_register  # type: ignore[import-untyped]  # the package ships no py.typed
from on_the_list.normalise import fold  # type: ignore[import-untyped]

Annex = Literal["II", "III", "IV", "V", "VI"]
MEANING: Mapping[str, str] = {
    "II": "prohibited in cosmetic products",
    "III": "restricted (conditions of use apply)",
    "IV": "permitted colourant",
    "V": "permitted preservative",
    "VI": "permitted UV filter",
}


@dataclass(frozen=True)
class AnnexFinding:
    """One annex entry that names an ingredient; `conditional` when the entry's own wording sets an exception."""

    annex: Annex
    reference: str
    conditional: bool

    @property
    def meaning(self) -> str:
        """What being in this annex means, in words."""
        return MEANING[self.annex]


@cache
def _register() -> Any:
    return otl_register.load()


def register_version() -> str:
    """The register's own description (Commission update date, origin), for citing which version was used."""
    return str(_register().info.line())


def findings(name: str) -> tuple[AnnexFinding, ...]:
    """Every annex entry naming this ingredient (exact folded-name match; no fuzzy matching, by design)."""
    entries = _register().lookup(fold(name))
    return tuple(
        AnnexFinding(e.annex, e.reference, bool(e.qualifier) or bool(e.nano_only) or bool(e.product_types.strip()))
        for e in entries
    )


def is_prohibited(name: str) -> bool:
    """Whether an Annex II entry names this ingredient without a condition of its own."""
    return any(f.annex == "II" and not f.conditional for f in findings(name))


def prohibited_in(names: Iterable[str]) -> tuple[str, ...]:
    """The names on a list that an unconditional Annex II entry prohibits."""
    return tuple(n for n in names if is_prohibited(n))
