"""Skin tone: Individual Typology Angle, its category, a Fitzpatrick estimate and Monk tone.

ITA = atan((L* - 50) / b*) in degrees, on real CIELAB (sRGB, D65) computed exactly in
float64 here: OpenCV's float BGR->Lab uses a lookup table that is off by up to ~0.15 L*.
atan2 with b* floored at a tiny positive value keeps the angle in
(-90, 90) even for b* <= 0. Categories (Chardon et al.): very_light > 55, light 41-55,
intermediate 28-41, tan 10-28, brown -30-10, dark < -30; an angle exactly on a boundary
belongs to the lower band, except -30, which is brown. The Fitzpatrick type is only an
*estimate* mapped one-to-one from those categories (I..VI); it cannot be measured from a photo.

All three scales follow ONE mapping from the ITA as reported (rounded to 0.01 degree), so they
always agree. The Monk tone's ITA bands are cut at the category bounds and, inside a
category, halfway between the ITAs of the published Monk swatches (83.0, 80.2, 71.8, 64.7,
50.3, 10.9, -20.1, -55.4, -78.3, -84.3), so each swatch maps to its own tone:

    ITA        category      Fitzpatrick  Monk
    > 81.5     very_light    I            1
    76 - 81.5  very_light    I            2
    68 - 76    very_light    I            3
    55 - 68    very_light    I            4
    41 - 55    light         II           5
    28 - 41    intermediate  III          5
    10 - 28    tan           IV           6
    -30 - 10   brown         V            7
    -65 - -30  dark          VI           8
    -81 - -65  dark          VI           9
    < -81      dark          VI           10
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from events.analyses import SkinTone

MONK_HEX = (
    "#f6ede4",
    "#f3e7db",
    "#f7ead0",
    "#eadaba",
    "#d7bd96",
    "#a07e56",
    "#825c43",
    "#604134",
    "#3a312a",
    "#292420",
)
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65_WHITE = np.array([0.950456, 1.0, 1.088754])  # the white point OpenCV uses too
CATEGORIES = (  # (exclusive lower bound, category, Fitzpatrick estimate)
    (55.0, "very_light", "I"),
    (41.0, "light", "II"),
    (28.0, "intermediate", "III"),
    (10.0, "tan", "IV"),
)
BROWN_FROM = -30.0  # inclusive: brown is -30 to 10, dark below -30
MONK_FROM = (81.5, 76.0, 68.0, 55.0, 28.0, 10.0, -30.0, -65.0, -81.0)  # exclusive lower bounds of Monk 1..9


def ita(lightness: float, b: float) -> float:
    """Individual Typology Angle in degrees from L* and b*."""
    return math.degrees(math.atan2(lightness - 50.0, max(b, 1e-6)))


def category(angle: float) -> tuple[str, str]:
    """(ITA category, Fitzpatrick estimate) for an ITA angle."""
    for lower, name, fitz in CATEGORIES:
        if angle > lower:
            return name, fitz
    return ("brown", "V") if angle >= BROWN_FROM else ("dark", "VI")


def lab_of_bgr(bgr: NDArray[np.floating]) -> NDArray[np.float64]:
    """Exact CIELAB (D65) of sRGB-encoded BGR values in [0, 1]; any shape ending in 3."""
    rgb = np.asarray(bgr, dtype=np.float64)[..., ::-1]
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ SRGB_TO_XYZ.T / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


@lru_cache(maxsize=1)
def monk_lab() -> NDArray[np.float64]:
    """CIELAB of the ten Monk swatches (10 x 3)."""
    rgb = [[int(h[i : i + 2], 16) / 255.0 for i in (1, 3, 5)] for h in MONK_HEX]
    return lab_of_bgr(np.array([c[::-1] for c in rgb]))


def monk(angle: float) -> int:
    """Monk tone (1-10) of an ITA angle, from the table in the module docstring."""
    for tone, lower in enumerate(MONK_FROM, start=1):
        if angle > lower or (lower == BROWN_FROM and angle == lower):
            return tone
    return 10


def tone_of_lab(lab: NDArray[np.float64]) -> SkinTone:
    """Tone of one CIELAB colour; the category is that of the reported (rounded) ITA."""
    angle = round(ita(float(lab[0]), float(lab[2])), 2)
    name, fitz = category(angle)
    return SkinTone(ita=angle, category=name, fitzpatrick_estimate=fitz, monk=monk(angle))


def skin_tone(skin_bgr: NDArray[np.floating]) -> tuple[SkinTone, NDArray[np.float64]]:
    """Tone of skin pixels (float BGR in [0, 1], any shape ending in 3, at least one pixel)
    and their median CIELAB."""
    pixels = lab_of_bgr(skin_bgr).reshape(-1, 3)
    if not len(pixels):
        raise ValueError("skin_tone needs at least one skin pixel")
    med = np.median(pixels, axis=0)
    return tone_of_lab(med), med
