"""Plain-language insights built from the numbers with fixed templates (no language model).

The wording describes what the photo shows; it never diagnoses.
"""

from __future__ import annotations

from events.analyses import Condition, Insight, Notice, SkinTone, SkinType

LABELS = {
    "redness": "calm colour",
    "oiliness": "shine control",
    "pigmentation": "even pigmentation",
    "texture": "smooth texture",
    "pores": "pore visibility",
    "acne": "clear skin",
    "wrinkles": "few fine lines",
    "dark_circles": "bright under-eyes",
    "evenness": "even tone",
    "radiance": "radiance",
}
TYPE_TEXT = {
    "normal": "balanced: little shine, smooth texture and calm colour",
    "oily": "oily: shine shows across the T-zone and the cheeks",
    "combination": "combination: the T-zone is shinier than the cheeks and chin",
    "dry": "dry: texture is rougher while the surface stays matte",
    "sensitive": "sensitive-looking: diffuse redness stands out",
}
CONDITION_TEXT = {
    "acne": "red blemishes",
    "redness": "areas of redness",
    "hyperpigmentation": "darker spots",
    "wrinkles": "fine lines",
    "enlarged_pores": "visible pores",
    "dark_circles": "darker skin under the eyes",
    "uneven_texture": "uneven texture",
    "oiliness": "shine",
    "dryness": "signs of dryness",
}


def _zones_phrase(zones: list[str]) -> str:
    names = [z.replace("_", " ") for z in zones]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f", mostly on the {joined}"


def _overall_text(scores: dict[str, float], overall: float) -> str:
    ranked = sorted(scores, key=lambda n: (scores[n], n))
    best, worst = ranked[-1], ranked[0]
    return (
        f"Overall skin score {overall:.0f}/100. Strongest: {LABELS[best]} ({scores[best]:.0f}); "
        f"most room to improve: {LABELS[worst]} ({scores[worst]:.0f})."
    )


def _tone_text(tone: SkinTone) -> str:
    return (
        f"Skin tone: {tone.category.replace('_', ' ')} (ITA {tone.ita:.0f} degrees), Monk tone {tone.monk}. "
        f"Fitzpatrick type {tone.fitzpatrick_estimate} is only an estimate from colour."
    )


def build_insights(
    scores: dict[str, float],
    overall: float,
    stype: SkinType,
    tone: SkinTone,
    conditions: list[Condition],
    warnings: list[Notice],
) -> list[Insight]:
    """Insights in a fixed order: overall, type, tone, each present condition, photo."""
    share = stype.probabilities[stype.type] * 100
    out = [
        Insight(topic="overall", text=_overall_text(scores, overall)),
        Insight(topic="skin_type", text=f"Your skin looks {TYPE_TEXT[stype.type]} ({share:.0f}% likely)."),
        Insight(topic="skin_tone", text=_tone_text(tone)),
    ]
    for c in conditions:
        if c.severity != "none":
            what = f"{c.severity.capitalize()} {CONDITION_TEXT[c.type]} (score {c.score:.0f}/100)"
            out.append(Insight(topic=c.type, text=f"{what}{_zones_phrase(c.zones)}."))
    if warnings:
        out.append(Insight(topic="photo", text=" ".join(w.message for w in warnings)))
    return out
