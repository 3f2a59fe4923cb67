from decimal import Decimal

from consumers.crawl.domain import jsonld, text_facts
from consumers.crawl.domain.extract import extract
from tests.unit.crawl._pages import jsonld_html, page


def test_plain_product_block() -> None:
    html = jsonld_html(
        '{"@context":"https://schema.org","@type":"Product","name":"Pore Serum","brand":{"@type":"Brand","name":"GL"},'
        '"image":["https://x.example/a.jpg","https://x.example/b.jpg"],"description":"For pores",'
        '"offers":{"@type":"Offer","price":"18.50","priceCurrency":"eur"},"ingredients":"Aqua, Niacinamide, Zinc PCA."}'
    )
    found = jsonld.product(html)
    assert found is not None
    assert (found.name, found.brand, found.price, found.currency) == ("Pore Serum", "GL", Decimal("18.50"), "EUR")
    assert found.images == ("https://x.example/a.jpg", "https://x.example/b.jpg")
    assert found.ingredients == ("Aqua", "Niacinamide", "Zinc PCA")


def test_graph_type_list_offer_list_image_object_and_property_ingredients() -> None:
    html = jsonld_html(
        '{"@graph":[{"@type":"Organization","name":"Shop"},{"@type":["Product"],"name":"Cream","brand":"PC",'
        '"image":{"@type":"ImageObject","url":"/m/c.png"},"offers":[{"price":39,"priceCurrency":"GBP"},'
        '{"price":24,"priceCurrency":"GBP"}],"additionalProperty":[{"name":"Ingredients","value":"Aqua, Cica"}]}]}'
    )
    found = jsonld.product(html)
    assert found is not None
    assert (found.price, found.currency, found.images, found.ingredients) == (
        Decimal(24),
        "GBP",
        ("/m/c.png",),
        ("Aqua", "Cica"),
    )


def test_aggregate_offer_top_level_list_and_has_ingredient() -> None:
    html = jsonld_html(
        '[{"@type":"WebSite"},{"@type":"http://schema.org/Product","name":"C","image":[{"contentUrl":"https://a/1.jpg"}],'
        '"offers":{"@type":"AggregateOffer","lowPrice":"29.00","highPrice":"45","priceCurrency":"USD"},'
        '"hasIngredient":["Aqua",{"name":"Ascorbic Acid"}]}]'
    )
    found = jsonld.product(html)
    assert found is not None
    assert (found.price, found.images, found.ingredients) == (
        Decimal("29.00"),
        ("https://a/1.jpg",),
        ("Aqua", "Ascorbic Acid"),
    )


def test_broken_blocks_are_skipped_and_articles_recognised() -> None:
    html = jsonld_html("{not json") + jsonld_html('{"@type":"BlogPosting","headline":"x"}')
    assert jsonld.product(html) is None
    assert jsonld.is_article(html)


def test_prices_in_text_with_either_decimal_mark_and_symbol_side() -> None:
    assert text_facts.price("Price: $24.00 today") == (Decimal("24.00"), "USD")
    assert text_facts.price("**32,90 €** inkl. MwSt.") == (Decimal("32.90"), "EUR")
    assert text_facts.price("Now only EUR 1.299,00") == (Decimal("1299.00"), "EUR")
    assert text_facts.price("£1,299.50") == (Decimal("1299.50"), "GBP")
    assert text_facts.price("From £24") == (Decimal(24), "GBP")
    assert text_facts.price("no price here, 30 ml") == (None, None)


def test_ingredients_after_a_heading_or_on_a_label_line() -> None:
    heading = "## Full ingredient list (INCI)\n\nSqualane, Retinol, Bakuchiol.\n"
    assert text_facts.ingredients(heading) == ("Squalane", "Retinol", "Bakuchiol")
    assert text_facts.ingredients("Ingredients: Aqua, Caffeine, Glycerin.") == ("Aqua", "Caffeine", "Glycerin")
    assert text_facts.ingredients("## Key ingredients\n\n- Retinol 0.3%\n") == ()


def test_text_only_page_gives_brand_price_images_and_name() -> None:
    markdown = (
        "# Hyaluronic Moisturizer\n\nBrand: Hydra Co\n\nPrice: $24.00\n\n![tube](https://h.example/t.webp)\n\n"
        "### Ingredients:\n\nWater, Glycerin, Sodium Hyaluronate, Parfum.\n"
    )
    facts = extract(
        page("https://h.example/m", markdown=markdown, title="HA Moisturizer", ogImage="https://h.example/og.jpg")
    )
    assert facts.content_type == "product" and not facts.structured
    assert (facts.name, facts.brand, facts.price, facts.currency) == (
        "Hyaluronic Moisturizer",
        "Hydra Co",
        Decimal("24.00"),
        "USD",
    )
    assert facts.images == ("https://h.example/og.jpg", "https://h.example/t.webp")
    assert facts.ingredients == ("Water", "Glycerin", "Sodium Hyaluronate", "Parfum")


def test_structured_data_wins_and_text_fills_gaps_with_relative_images_resolved() -> None:
    html = jsonld_html('{"@type":"Product","name":"Cream","brand":"PC","image":"/m/c.png"}')
    markdown = "# Other name\n\nIngredients: Aqua, Glycerin, Cica\n\nOnly €12,50"
    facts = extract(page("https://pc.example/shop/cream", markdown=markdown, raw_html=html))
    assert facts.structured and facts.name == "Cream"
    assert (facts.price, facts.currency) == (Decimal("12.50"), "EUR")
    assert facts.images == ("https://pc.example/m/c.png",)
    assert facts.ingredients == ("Aqua", "Glycerin", "Cica")


def test_article_and_plain_page_types_and_title_suffix_removed() -> None:
    article = extract(page(markdown="Some guide text", raw_html="", ogType="article", title="Guide | Journal"))
    assert article.content_type == "article"
    assert article.name == "Guide"
    assert extract(page(markdown="just words", title="About")).content_type == "page"
    assert extract(page(markdown="Brand: X", ogSiteName="Site")).brand == "X"
    assert extract(page(markdown="nothing", ogSiteName="Site")).brand == "Site"
