from decimal import Decimal

from consumers.crawl.domain import scoring
from consumers.crawl.domain.concern_rules import KnowledgeConcerns
from consumers.crawl.domain.content_filter import allergens_in, judge, screen_hit
from consumers.crawl.domain.models import Preferences, ProductFacts
from knowledge.base import load
from tests.unit.crawl._pages import request

SKINCARE = "A gentle serum for oily skin with niacinamide that refines pores. Ingredients: Aqua, Niacinamide."


def facts(**changes: object) -> ProductFacts:
    base: dict[str, object] = {
        "content_type": "product",
        "name": "Serum",
        "brand": "GL",
        "price": Decimal("18.5"),
        "currency": "EUR",
        "images": ("https://a/1.jpg",),
        "ingredients": ("Aqua", "Niacinamide", "Zinc"),
        "description": "d",
        "structured": True,
    }
    return ProductFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_skincare_page_passes() -> None:
    assert judge("shop.example", "Pore serum", SKINCARE, {}, frozenset()).allowed


def test_blocked_domains_and_subdomains_and_adult_tlds() -> None:
    blocked = frozenset({"bad.example"})
    assert judge("shop.bad.example", "Serum", SKINCARE, {}, blocked).reason == "blocked_domain"
    assert screen_hit("skin.xxx", "Serum", "", frozenset()) == "blocked_domain"
    assert screen_hit("notbad.example", "Serum", "", blocked) is None


def test_adult_words_or_rating_drop_the_page() -> None:
    assert judge("s.example", "Erotic massage serum", SKINCARE, {}, frozenset()).reason == "adult"
    assert judge("s.example", "Serum", SKINCARE, {"rating": "adult"}, frozenset()).reason == "adult"
    assert screen_hit("s.example", "XXX store", "", frozenset()) == "adult"


def test_off_topic_pages() -> None:
    car = "Ceramic shine serum for car paint, wheels and bumper. Detailing product. Not for use on skin."
    assert judge("auto.example", "Ceramic serum", car, {}, frozenset()).reason == "off_topic"
    assert (
        judge("x.example", "Tomatoes", "Grow tomatoes in the garden with fertiliser.", {}, frozenset()).reason
        == "off_topic"
    )


def test_medical_claims_are_flagged_not_dropped() -> None:
    text = SKINCARE + " Cures acne in 3 days. Heals eczema and treats rosacea. FDA-approved."
    verdict = judge("s.example", "Serum", text, {}, frozenset())
    assert verdict.allowed
    assert "heals eczema" in verdict.medical_claims and "treats rosacea" in verdict.medical_claims
    assert "fda-approved" in verdict.medical_claims
    assert judge("s.example", "Serum", SKINCARE + " Treats acne.", {}, frozenset()).medical_claims == ()


def test_allergens_found_by_synonym_in_ingredients_or_text() -> None:
    assert allergens_in(("Aqua", "Parfum"), "", ("fragrance",)) == ("fragrance",)
    assert allergens_in(("Aqua", "Methylparaben"), "", ("parabens", "sulfates")) == ("parabens",)
    assert allergens_in((), "contains shea butter", ("nuts",)) == ("nuts",)
    assert allergens_in(("Aqua",), "fragrance mentioned in text only", ("fragrance",)) == ()


def test_quality_score_weights() -> None:
    assert scoring.quality_score(facts(), True, 500, False) == 1.0
    assert scoring.quality_score(facts(ingredients=("Aqua",)), True, 500, False) == 0.9
    assert scoring.quality_score(facts(structured=False, price=None, brand=None), False, 500, False) == 0.6
    assert scoring.quality_score(facts(), True, 500, True) == 0.5
    article = facts(content_type="article", price=None, brand=None, ingredients=())
    assert scoring.quality_score(article, True, 299, False) == 0.8


def test_similarity_rewards_concern_coverage_skin_type_budget_and_brand() -> None:
    concerns = KnowledgeConcerns().concerns(request({"oiliness": 30.0, "acne": 35.0}).analysis)
    none = Preferences()
    full = scoring.similarity_score(facts(), "for oily skin: controls sebum and acne", concerns, "oily", none)
    assert full == 1.0
    half = scoring.similarity_score(facts(), "for oily skin: controls sebum", concerns, "oily", none)
    assert 0.6 < half < 1.0
    other_type = scoring.similarity_score(facts(), "for dry skin: sebum and acne", concerns, "oily", none)
    assert other_type == 0.85
    budget = Preferences(price_max=Decimal(10), currency="EUR", preferred_brands=("Other",))
    assert scoring.similarity_score(facts(), "oily skin sebum acne", concerns, "oily", budget) == 0.8
    other_currency = Preferences(price_max=Decimal(100), currency="USD")
    assert scoring.similarity_score(facts(), "oily skin sebum acne", concerns, "oily", other_currency) == 0.925
    assert scoring.similarity_score(facts(), "anything", [], None, none) == 0.7


def test_knowledge_base_groups_extend_an_allergy_to_its_members() -> None:
    kb = load()
    assert allergens_in(("Aqua", "Linalool", "Limonene"), "", ("fragrance",), kb) == ("fragrance",)
    assert allergens_in(("Aqua", "Linalool"), "", ("fragrance",)) == ()  # without it only the names match
    assert allergens_in(("Aqua", "Butyrospermum Parkii Butter"), "", ("nuts",), kb) == ("nuts",)
    assert allergens_in(("Aqua", "Glycerin"), "", ("fragrance", "nuts"), kb) == ()
