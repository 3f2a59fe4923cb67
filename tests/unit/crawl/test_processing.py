from consumers.crawl.domain.concern_rules import KnowledgeConcerns
from consumers.crawl.domain.models import SearchHit
from consumers.crawl.domain.processing import process
from consumers.crawl.domain.selection import select_hits
from consumers.crawl.domain.urls import canonical_url, normalise_url, site_of
from tests.unit.crawl._pages import jsonld_html, page, request

PRODUCT = jsonld_html(
    '{"@type":"Product","name":"Pore Serum","brand":"GL","image":"https://gl.example/a.jpg","description":"d",'
    '"offers":{"price":"18.5","priceCurrency":"EUR"},"ingredients":"Aqua, Niacinamide, Zinc PCA"}'
)
TEXT = "# Pore Serum\n\nNiacinamide serum for oily skin and pores, controls sebum. Suitable for all skin types."


def test_normalised_urls_drop_tracking_www_fragment_default_port_and_trailing_slash() -> None:
    assert (
        normalise_url("HTTPS://www.Shop.example:443/p/1/?utm_source=x&b=2&a=1&fbclid=z#top")
        == "https://shop.example/p/1?a=1&b=2"
    )
    assert normalise_url("http://shop.example:8080") == "http://shop.example:8080/"


def test_canonical_url_is_declared_relative_or_absolute_else_the_page() -> None:
    assert canonical_url("https://m.example/x?ref=1", "/p/1") == "https://m.example/p/1"
    assert canonical_url("https://m.example/x", "https://gl.example/p") == "https://gl.example/p"
    assert canonical_url("https://m.example/x?utm_medium=a", "javascript:alert(1)") == "https://m.example/x"
    assert site_of("https://www.GL.example/p") == "gl.example"


def test_selection_fuses_ranks_skips_screened_and_merges_tracking_variants() -> None:
    hits = [
        SearchHit("https://a.example/1", "Serum", "", 1, "q1"),
        SearchHit("https://b.example/2", "Serum", "", 2, "q1"),
        SearchHit("https://b.example/2?utm_source=x", "Serum", "", 1, "q2"),
        SearchHit("https://porn.example/3", "XXX serum", "", 1, "q2"),
        SearchHit("https://blocked.example/4", "Serum", "", 3, "q2"),
        SearchHit("ftp://c.example/5", "Serum", "", 4, "q2"),
    ]
    chosen = select_hits(hits, frozenset({"blocked.example"}), max_scrapes=5)
    assert chosen.urls == ("https://b.example/2", "https://a.example/1")
    assert dict(chosen.screened) == {"https://porn.example/3": "adult", "https://blocked.example/4": "blocked_domain"}
    assert select_hits(hits, frozenset(), max_scrapes=1).urls == ("https://b.example/2",)


def test_duplicates_by_canonical_keep_the_best_and_ranking_is_by_similarity() -> None:
    req = request({"oiliness": 30.0, "pores": 40.0}, threshold=0.0)
    concerns = KnowledgeConcerns().concerns(req.analysis)
    original = page("https://gl.example/p", markdown=TEXT, raw_html=PRODUCT, canonical="https://gl.example/p")
    mirror = page("https://mirror.example/9", markdown=TEXT, canonical="https://gl.example/p")
    tracked = page("https://gl.example/p?utm_source=n", markdown=TEXT, raw_html=PRODUCT)
    other = page(
        "https://o.example/q",
        markdown="# Cream\n\nA rich moisturiser for dry skin. Ingredients: Aqua, Glycerin, Urea",
        raw_html=PRODUCT,
    )
    result = process([mirror, original, tracked, other], req, concerns, frozenset())
    assert [i.canonical_url for i in result.items] == ["https://gl.example/p", "https://o.example/q"]
    assert result.items[0].source_url == "https://gl.example/p"
    assert result.items[0].site == "gl.example"
    assert result.items[0].fetched_at == original.fetched_at
    assert sorted(reason for _, reason in result.dropped) == ["duplicate", "duplicate"]
    assert result.items[0].similarity_score > result.items[1].similarity_score


def test_drops_error_pages_filtered_pages_allergens_and_low_quality() -> None:
    req = request({"oiliness": 30.0}, allergies=("fragrance",), threshold=0.6)
    concerns = KnowledgeConcerns().concerns(req.analysis)
    pages = [
        page("https://a.example/404", markdown=TEXT, status=404),
        page("https://b.example/car", markdown="Ceramic serum for car paint and wheels. Not for use on skin."),
        page("https://c.example/p", markdown=TEXT + "\n\nIngredients: Aqua, Parfum, Glycerin"),
        page("https://d.example/thin", markdown="# Serum\n\noily skin serum for pores"),
        page("https://e.example/ok", markdown=TEXT, raw_html=PRODUCT),
    ]
    result = process(pages, req, concerns, frozenset())
    assert dict(result.dropped) == {
        "https://a.example/404": "http_404",
        "https://b.example/car": "off_topic",
        "https://c.example/p": "allergen",
        "https://d.example/thin": "below_quality_threshold",
    }
    assert [i.source_url for i in result.items] == ["https://e.example/ok"]


def test_medical_claims_are_carried_and_result_limit_applies() -> None:
    req = request({"acne": 30.0}, threshold=0.0, limit=1)
    concerns = KnowledgeConcerns().concerns(req.analysis)
    claims = page("https://m.example/cure", markdown=TEXT + " Cures acne in 3 days.", raw_html=PRODUCT)
    plain = page("https://p.example/x", markdown=TEXT, raw_html=PRODUCT)
    result = process([claims, plain], req, concerns, frozenset())
    assert len(result.items) == 1
    flagged = process([claims], req, concerns, frozenset()).items[0]
    assert flagged.medical_claims == ("cures acne in 3 days",)
    assert flagged.quality_score == 0.5
