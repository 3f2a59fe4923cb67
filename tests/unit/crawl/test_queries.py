import uuid

from consumers.crawl.domain.concern_rules import KnowledgeConcerns, match_terms
from consumers.crawl.domain.models import AnalysisProfile, Concern, DiscoveryRequest
from consumers.crawl.domain.queries import generate_queries
from tests.unit.crawl._pages import HEALTHY, request

SOURCE = KnowledgeConcerns()


def concerns_of(req: DiscoveryRequest) -> list[Concern]:
    return SOURCE.concerns(req.analysis)


def test_concerns_come_from_the_knowledge_bands_worst_first() -> None:
    scores = {**HEALTHY, "acne": 37.5, "oiliness": 50.0, "pores": 64.0, "redness": 75.0}
    found = SOURCE.concerns(AnalysisProfile(uuid.UUID(int=1), "oily", scores))
    assert [c.name for c in found] == ["acne", "oiliness", "pores"]
    assert found[0].weight == 0.5  # (75 - 37.5) / 75, acne's mild threshold being 75
    assert found[-1].weight == 0.1  # just under the threshold: the minimum weight
    assert all(0.1 <= c.weight <= 1 for c in found)


def test_findings_and_skin_type_probabilities_add_concerns() -> None:
    profile = AnalysisProfile(uuid.UUID(int=1), "dry", HEALTHY, ("enlarged_pores",), {"dry": 0.9, "oily": 0.05})
    found = SOURCE.concerns(profile)
    assert [c.name for c in found] == ["dryness", "pores"]
    assert found[1].weight == 0.1


def test_one_query_per_concern_with_skin_type_and_product_type() -> None:
    req = request({"acne": 30.0, "wrinkles": 40.0}, skin_type="dry", product_types=("serum",))
    queries = generate_queries(req, concerns_of(req), max_queries=4)
    assert [q.text for q in queries] == ["dry skin acne blemish serum", "dry skin wrinkles fine lines serum"]
    assert [q.concern for q in queries] == ["acne", "wrinkles"]


def test_repeated_words_are_dropped_and_normal_skin_is_not_named() -> None:
    req = request({"oiliness": 20.0}, skin_type="oily")
    assert generate_queries(req, concerns_of(req), 4)[0].text == "oily skin oil control skincare"
    req = request({"oiliness": 20.0}, skin_type="normal")
    assert generate_queries(req, concerns_of(req), 4)[0].text == "oily skin oil control skincare"
    req = request({"acne": 20.0}, skin_type=None)
    assert generate_queries(req, concerns_of(req), 4)[0].text == "acne blemish skincare"


def test_a_preferred_brand_adds_a_brand_query_second_and_keywords_go_everywhere() -> None:
    req = request({"acne": 30.0, "redness": 30.0}, brands=("GlowLab", "Other"), keywords=("vegan!",))
    texts = [q.text for q in generate_queries(req, concerns_of(req), 4)]
    assert texts[1] == "glowlab acne blemish skincare vegan"
    assert all(t.endswith("vegan") for t in texts)


def test_allergies_and_budget_never_enter_queries() -> None:
    req = request({"acne": 30.0}, allergies=("fragrance",))
    assert "fragrance" not in generate_queries(req, concerns_of(req), 4)[0].text


def test_no_concern_gives_one_general_query_and_the_cap_holds() -> None:
    req = request(skin_type="dry")
    assert [q.text for q in generate_queries(req, [], 4)] == ["dry skin skincare routine products"]
    many = request({name: 10.0 for name in HEALTHY})
    assert len(generate_queries(many, concerns_of(many), 3)) == 3


def test_queries_are_deterministic() -> None:
    req = request({"acne": 30.0, "oiliness": 30.0, "pores": 30.0})
    first = generate_queries(req, concerns_of(req), 4)
    assert first == generate_queries(req, concerns_of(req), 4)


def test_every_concern_has_match_terms() -> None:
    assert "salicylic" in match_terms("acne")
    assert match_terms("something_new") == ("something new",)
