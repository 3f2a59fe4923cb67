"""Generate the synthetic demo catalog deterministically (seeded): `python -m infra.storefront.generate`.

Brands are invented. GTINs use the 20–29 prefix GS1 reserves for in-store numbering, so none names a real product.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infra.storefront.recipes import RECIPES, Actives, Base, Recipe

SEED = 20261203
CATALOG = Path(__file__).resolve().parent / "catalog.json"
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NOTICE = "Synthetic demo product generated for Shine; not a real product or brand."


@dataclass(frozen=True)
class Brand:
    """An invented brand: price tier, whether it perfumes its products, its preservative system, its oils."""

    name: str
    tier: float
    fragrance: bool
    preservatives: tuple[str, ...]
    botanical: str | None


_PHENOXY = ("Phenoxyethanol", "Ethylhexylglycerin")
_PARABENS = ("Methylparaben", "Propylparaben")
_CLEAN = ("Sodium Benzoate", "Potassium Sorbate")
BRANDS: tuple[Brand, ...] = (
    Brand("Lumea", 1.0, False, _PHENOXY, None),
    Brand("Ostra Lab", 1.5, False, _PHENOXY, None),
    Brand("Helixa", 0.8, True, _PARABENS, None),
    Brand("Verdant Theory", 1.2, True, _CLEAN, "Lavandula Angustifolia Oil"),
    Brand("Kindred Skin", 0.9, False, _CLEAN, "Argania Spinosa Kernel Oil"),
    Brand("Nordlys", 1.3, False, _PHENOXY, None),
    Brand("Sol & Salt", 0.7, True, _PHENOXY, "Cocos Nucifera Oil"),
    Brand("Petalune", 1.6, True, _PHENOXY, "Rosa Damascena Flower Oil"),
    Brand("Cleara", 0.6, False, _PARABENS, None),
    Brand("Mossgrove", 1.1, True, _CLEAN, "Citrus Limon Peel Oil"),
    Brand("Aurelle", 2.0, True, _PHENOXY, "Prunus Amygdalus Dulcis Oil"),
    Brand("Basic Theory", 0.5, False, _PHENOXY, None),
    Brand("Dermakin", 1.0, False, _PHENOXY, None),
    Brand("Halcyon Botanics", 1.2, True, _CLEAN, "Melaleuca Alternifolia Leaf Oil"),
    Brand("Tidewell", 0.9, False, _PARABENS, "Butyrospermum Parkii Butter"),
    Brand("Quiet Form", 1.4, False, _PHENOXY, None),
)
_FRAGRANCE = ("Parfum", "Linalool", "Limonene")
_USE = {
    "cleanse": "Massage onto damp skin morning and evening, then rinse.",
    "treat": "Apply a few drops to clean skin before moisturiser.",
    "moisturise": "Smooth over face and neck as the last step before sunscreen.",
    "protect": "Apply generously as the last morning step; reapply every two hours in the sun.",
}


def _ean13(number: int) -> str:
    body = f"20{number:010d}"
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return f"{body}{check}"


def _price(rng: random.Random, recipe: Recipe, brand: Brand, actives: Actives) -> float:
    low, high = recipe.price
    raw = (low + rng.random() * (high - low) * 0.6) * brand.tier * actives.premium
    return max(4.0, round(raw) - (0.01 if rng.random() < 0.5 else 0.0))


def _inci(base: Base, actives: Actives, brand: Brand) -> list[str]:
    names = [*base.head, *actives.inci, *base.tail]
    if brand.botanical:
        names.append(brand.botanical)
    names += brand.preservatives
    if brand.fragrance:
        names += _FRAGRANCE
    return list(dict.fromkeys(names))


def _joined(claim: str, title: str) -> str:
    """The product name: "Peptide Eye" + "Eye Cream" is "Peptide Eye Cream", not "Peptide Eye Eye Cream"."""
    last, first = claim.rsplit(" ", 1)[-1], title.split(" ", 1)[0]
    return f"{claim} {title.split(' ', 1)[1]}" if last == first and " " in title else f"{claim} {title}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _description(name: str, actives: Actives, inci: list[str], step: str) -> str:
    return (
        f"<p>{name}: {actives.highlight}.</p><h3>Highlights</h3><ul><li>{actives.highlight.capitalize()}</li></ul>"
        f"<h3>Ingredients:</h3><p>{', '.join(inci)}</p><h3>How to use</h3><p>{_USE[step]}</p><p><em>{NOTICE}</em></p>"
    )


def _variants(rng: random.Random, recipe: Recipe, number: int, sku: str, price: float) -> list[dict[str, Any]]:
    sizes = recipe.sizes[: 1 + (len(recipe.sizes) > 1 and rng.random() < 0.5)]
    variants = []
    for i, size in enumerate(sizes):
        stock = 0 if rng.random() < 0.12 else rng.randint(1, 120)
        variants.append(
            {
                "id": number * 10 + i + 1,
                "size": size,
                "sku": f"{sku}-{_slug(size).upper()}",
                "gtin": _ean13(number * 10 + i),
                "price": f"{price * (1 + 0.45 * i):.2f}",
                "stock": stock,
            }
        )
    return variants


def _record(
    rng: random.Random, number: int, recipe: Recipe, base: Base, actives: Actives, brand: Brand
) -> dict[str, Any]:
    from knowledge.taxonomy import routine_step

    name = _joined(actives.claim, base.title)
    inci = _inci(base, actives, brand)
    created = EPOCH + timedelta(hours=number * 7)
    sku = f"{_slug(brand.name)[:3].upper()}-{number:05d}"
    reviews = int(rng.lognormvariate(3.5, 1.2))
    return {
        "id": number,
        "handle": _slug(f"{brand.name} {name} {number}"),
        "name": name,
        "brand": brand.name,
        "category": recipe.category,
        "subcategory": base.subcategory,
        "product_type": recipe.product_type,
        "tags": sorted({_slug(w) for w in (base.subcategory, actives.claim, recipe.category)}),
        "description_html": _description(name, actives, inci, routine_step(recipe.category) or "treat"),
        "ingredients": inci,
        "rating": f"{min(5.0, 3.2 + rng.random() * 1.75):.1f}" if reviews else None,
        "review_count": reviews,
        "currency": "USD",
        "variants": _variants(rng, recipe, number, sku, _price(rng, recipe, brand, actives)),
        "created_at": created.isoformat(),
        "updated_at": (created + timedelta(days=rng.randint(0, 200))).isoformat(),
        "synthetic": True,
    }


def generate(seed: int = SEED) -> list[dict[str, Any]]:
    """The demo catalog: every recipe's count of products, each from a base, an active set and a brand."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    taken: set[tuple[str, str]] = set()
    for recipe in RECIPES:
        for i in range(recipe.count):
            base, actives = recipe.bases[i % len(recipe.bases)], rng.choice(recipe.actives)
            brand = rng.choice(BRANDS)
            while (brand.name, f"{actives.claim} {base.title}") in taken:  # one product per brand and title
                actives, brand = rng.choice(recipe.actives), rng.choice(BRANDS)
            taken.add((brand.name, f"{actives.claim} {base.title}"))
            records.append(_record(rng, 1000 + len(records), recipe, base, actives, brand))
    return records


def render(records: list[dict[str, Any]]) -> str:
    """The committed file's text: one product per line, so diffs stay readable."""
    lines = ",\n".join("    " + json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records)
    header = json.dumps({"synthetic": True, "notice": NOTICE, "seed": SEED})[1:-1]
    return f'{{{header},\n  "products": [\n{lines}\n  ]\n}}\n'


def load_catalog(path: Path = CATALOG) -> list[dict[str, Any]]:
    """The committed demo catalog's product records."""
    products: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["products"]
    return products


def main() -> None:
    """Regenerate the committed catalog file."""
    records = generate()
    CATALOG.write_text(render(records), encoding="utf-8")
    print(f"wrote {len(records)} synthetic products to {CATALOG}")


if __name__ == "__main__":
    main()
