"""The content filter: drop blocked, adult and off-topic pages; flag medical claims; find the user's allergens.

* blocked: the page's host is (a subdomain of) a configured blocked domain, or has an adult TLD;
* adult: adult vocabulary in the title, description or text, or an adult content rating meta tag;
* off_topic: fewer than MIN_SKINCARE_TERMS distinct skincare words, an explicit "not for (use on) skin",
  or more off-topic words (cars, garden, pets, kitchen) than skincare words;
* medical claims (cures, heals or treats diseases, prescription strength, "FDA approved") do not drop a
  page: they are flagged on the result and halve its quality score (scoring.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from consumers.crawl.domain.models import Verdict
from consumers.crawl.domain.urls import domain_matches
from knowledge.base import KnowledgeBase
from knowledge.names import key as name_key

ADULT_TLDS = frozenset({"xxx", "adult", "porn", "sex", "sexy"})
ADULT = re.compile(
    r"\b(porn\w*|xxx|erotic\w*|nsfw|sex\s?toys?|adults?\s+only|adult\s+(?:content|store|shop|toys?)|18\+|escort)",
    re.IGNORECASE,
)
SKINCARE = re.compile(
    r"\b(skin\w*|serum|cream|moisturi[sz]\w*|cleanser|toner|spf|sunscreen|facial|dermatolog\w*|acne|pores?"
    r"|wrinkles?|hydrat\w*|niacinamide|retinol|hyaluronic|ceramides?|salicylic|complexion|pigmentation"
    r"|blemish\w*|sebum|inci|exfoliat\w*)\b",
    re.IGNORECASE,
)
OFF_TOPIC = re.compile(
    r"\b(car|cars|vehicle|automotive|paint|wheels?|bumper|detailing|engine|garden\w*|lawn|fertili[sz]er|pets?"
    r"|dogs?|kitchen|recipe|furniture|tyres?|tires?)\b",
    re.IGNORECASE,
)
NOT_FOR_SKIN = re.compile(r"\bnot\s+for\s+(?:use\s+on\s+)?(?:the\s+)?(?:human\s+)?skin\b", re.IGNORECASE)
MEDICAL_CLAIMS = re.compile(
    r"\b(cures?\b[\w ]{0,30}|cured\b|heals?\s+(?:eczema|psoriasis|rosacea|acne|dermatitis|infections?|wounds?)"
    r"|treats?\s+(?:eczema|psoriasis|rosacea|dermatitis|infections?|skin\s+cancer|melanoma)"
    r"|prescription[- ]strength|fda[- ]approved|clinically\s+proven\s+to\s+(?:cure|heal|treat)\w*)",
    re.IGNORECASE,
)
MIN_SKINCARE_TERMS = 3
ALLERGEN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "fragrance": ("fragrance", "parfum", "perfume", "aroma"),
    "parabens": ("paraben",),
    "sulfates": ("sulfate", "sulphate"),
    "alcohol": ("alcohol denat", "sd alcohol", "ethanol"),
    "nuts": ("nut oil", "almond", "argan", "macadamia", "shea"),
    "lanolin": ("lanolin",),
}
SCAN_CHARS = 20_000


def screen_hit(url_host: str, title: str, description: str, blocked: frozenset[str]) -> str | None:
    """A reason to skip a search hit before scraping it (blocked domain, adult words), or None."""
    if domain_matches(url_host, blocked) or url_host.rsplit(".", 1)[-1] in ADULT_TLDS:
        return "blocked_domain"
    if ADULT.search(f"{title} {description}"):
        return "adult"
    return None


def judge(host: str, title: str, text: str, metadata: Mapping[str, Any], blocked: frozenset[str]) -> Verdict:
    """The filter's verdict on a scraped page (see the module doc for the rules)."""
    description = str(metadata.get("description") or "")
    body = f"{title}\n{description}\n{text[:SCAN_CHARS]}"
    claims = tuple(dict.fromkeys(m.group(0).strip().lower() for m in MEDICAL_CLAIMS.finditer(body)))
    reason = screen_hit(host, title, description, blocked)
    rating = str(metadata.get("rating") or "").lower()
    if reason is None and (ADULT.search(body) or rating in {"adult", "rta-5042-1996-1400-1577-rta"}):
        reason = "adult"
    if reason is None:
        skincare = [m.group(0).lower() for m in SKINCARE.finditer(body)]
        off_topic = len(OFF_TOPIC.findall(body))
        if len(set(skincare)) < MIN_SKINCARE_TERMS or NOT_FOR_SKIN.search(body) or off_topic > len(skincare):
            reason = "off_topic"
    return Verdict(reason=reason, medical_claims=claims)


def _known_allergen(ingredients: Sequence[str], allergy: str, kb: KnowledgeBase) -> bool:
    """Whether an ingredient is one the knowledge base files under allergy (a group, a class or a synonym)."""
    covered = kb.allergen_keys(allergy)
    return any(kb.aliases.get(name_key(item), name_key(item)) in covered for item in ingredients)


def allergens_in(
    ingredients: Sequence[str], text: str, allergies: Sequence[str], kb: KnowledgeBase | None = None
) -> tuple[str, ...]:
    """The user's allergies found in the ingredient list (or, without one, in the page text).

    With the knowledge base, an allergy also covers its group (fragrance → the EU fragrance allergens, nuts →
    the nut oils, …); the synonym table below catches the common names either way.
    """
    haystack = " , ".join(ingredients).lower() if ingredients else text[:SCAN_CHARS].lower()
    found: list[str] = []
    for allergy in allergies:
        if kb is not None and ingredients and _known_allergen(ingredients, allergy, kb):
            found.append(allergy)
            continue
        key = allergy.strip().lower()
        words = ALLERGEN_SYNONYMS.get(key, (key.rstrip("s"),) if len(key) > 3 else (key,))
        # Long names match inside compounds (methylparaben); short ones only as whole words.
        if key and any(
            word in haystack if len(word) >= 5 else re.search(rf"\b{re.escape(word)}\b", haystack) for word in words
        ):
            found.append(allergy)
    return tuple(found)
