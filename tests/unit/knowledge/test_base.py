"""The knowledge data loads, is internally consistent, and its lookups answer."""

from __future__ import annotations

from knowledge.base import load
from knowledge.regulatory import findings, is_prohibited, prohibited_in


def test_every_addressed_concern_and_skin_type_is_declared() -> None:
    kb = load()
    for ingredient in kb.ingredients.values():
        assert set(ingredient.addresses) <= set(kb.concerns), ingredient.inci
        assert set(ingredient.favours) | set(ingredient.avoid_for) <= set(kb.skin_types), ingredient.inci
        assert all(0 < s <= 1 for s in ingredient.addresses.values()), ingredient.inci
        assert 0 <= ingredient.comedogenic <= 5
        assert set(ingredient.sources) <= set(kb.sources), ingredient.inci


def test_synonyms_resolve_to_one_ingredient() -> None:
    kb = load()
    assert kb.canonical("Vitamin B3") == "Niacinamide"
    assert kb.canonical("WATER") == "Aqua"
    assert kb.canonical("no such thing") is None


def test_conflicts_name_known_classes_or_ingredients() -> None:
    kb = load()
    tags = {t for i in kb.ingredients.values() for t in i.tags}
    for conflict in kb.conflicts:
        assert conflict.a in tags and conflict.b in tags, conflict
        assert conflict.source in kb.sources


def test_retinoid_conflicts_with_acids_and_benzoyl_peroxide() -> None:
    kb = load()
    retinol = kb.tags_of({"retinol"})
    assert kb.conflicts_between(retinol, kb.tags_of({"glycolic acid"}))
    assert kb.conflicts_between(kb.tags_of({"salicylic acid"}), retinol)
    assert kb.conflicts_between(retinol, kb.tags_of({"benzoyl peroxide"}))
    assert not kb.conflicts_between(retinol, kb.tags_of({"niacinamide", "glycerin"}))


def test_allergy_terms_cover_groups_classes_and_single_ingredients() -> None:
    kb = load()
    assert {"parfum", "linalool", "limonene", "lavandula angustifolia oil"} <= kb.allergen_keys("Fragrance")
    assert "prunus amygdalus dulcis oil" in kb.allergen_keys("tree nuts")
    assert "retinol" in kb.allergen_keys("retinoid")
    assert kb.allergen_keys("Vitamin C") == frozenset({"ascorbic acid"})
    assert kb.allergen_keys("Something Unheard") == frozenset({"something unheard"})


def test_eu26_allergens_are_in_the_eu_annexes() -> None:
    # The shipped CosIng tables list each of the 26 in Annex III, or Annex II since they were banned.
    kb = load()
    allergens = [n for n in kb.fragrance_allergens if n in {"linalool", "limonene", "coumarin", "eugenol"}]
    assert len(allergens) == 4
    assert all(findings(n) for n in allergens)
    assert is_prohibited("Butylphenyl Methylpropional")
    assert is_prohibited("Hydroxyisohexyl 3-Cyclohexene Carboxaldehyde")


def test_conditional_and_permitted_entries_are_not_prohibitions() -> None:
    assert not is_prohibited("Hydroquinone")  # Annex II with an exception of its own
    assert any(f.annex == "V" for f in findings("Phenoxyethanol"))
    assert prohibited_in(["Aqua", "Butylphenyl Methylpropional", "Glycerin"]) == ("Butylphenyl Methylpropional",)
