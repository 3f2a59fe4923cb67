"""The ingredient-list parser on label text as shops print it."""

from __future__ import annotations

from knowledge.inci import inci_keys, parse_inci


def test_parentheses_slashes_percentages_and_footnotes() -> None:
    text = (
        "Aqua (Water), Glycerin, Niacinamide 10%, Caprylic/Capric Triglyceride, Aqua/Water/Eau, "
        "Tocopherol (Vitamin E)*, Parfum (Fragrance), Linalool. *Organic ingredient."
    )
    assert parse_inci(text) == (
        "Aqua",
        "Glycerin",
        "Niacinamide",
        "Caprylic/Capric Triglyceride",
        "Tocopherol",
        "Parfum",
        "Linalool",
    )


def test_html_heading_entities_and_numeric_locants() -> None:
    text = "<p><strong>Ingredients:</strong> WATER, BUTYLENE GLYCOL, 1,2-HEXANEDIOL,<br>SODIUM HYALURONATE</p>"
    assert parse_inci(text) == ("Aqua", "Butylene Glycol", "1,2-Hexanediol", "Sodium Hyaluronate")


def test_may_contain_and_colour_index_aliases() -> None:
    text = "Ingredients: Aqua, Alcohol Denat., Salicylic Acid (2%), Kaolin. May contain: Mica, CI 77891"
    assert parse_inci(text) == ("Aqua", "Alcohol Denat.", "Salicylic Acid", "Kaolin", "Mica", "Titanium Dioxide")


def test_newlines_bullets_and_scripts() -> None:
    text = "Retinol\n• Squalane\n<script>alert('x')</script>\nMay contain (+/-): Iron Oxides"
    assert parse_inci(text) == ("Retinol", "Squalane", "Iron Oxides")


def test_unknown_names_are_kept_cleaned_and_deduplicated() -> None:
    text = "aqua, MADE-UP EXTRACT®, made-up extract, PEG-40 HYDROGENATED CASTOR OIL"
    assert parse_inci(text) == ("Aqua", "Made-Up Extract", "PEG-40 Hydrogenated Castor Oil")


def test_prose_and_empty_input_give_nothing() -> None:
    assert parse_inci("") == ()
    assert parse_inci("This lovely cream is made with care by our team in small batches every week") == ()


def test_keys_resolve_synonyms() -> None:
    assert inci_keys(("Water", "Vitamin C")) == frozenset({"aqua", "ascorbic acid"})
