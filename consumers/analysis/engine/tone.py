"""Skin tone: Individual Typology Angle, its category, a Fitzpatrick estimate and Monk tone.

ITA = atan((L* - 50) / b*) in degrees, on real CIELAB (sRGB, D65) computed exactly in
float64 here: OpenCV's float BGR->Lab uses a lookup table that is off by up to ~0.15 L*.
atan2 with b* floored at a tiny positive value keeps the angle in
(-90, 90) even for b* <= 0. Categories (Chardon et al.): very_light > 55, light 41-55,
intermediate 28-41, tan 10-28, brown -30-10, dark < -30; an angle exactly on a boundary
belongs to the lower band, except -30, which is brown. The category is read from the ITA
as reported (rounded to 0.01 degree), so the two always agree. The Fitzpatrick type is only
an *estimate* mapped one-to-one from those categories (I..VI); it cannot be measured
from a photo. Monk tone is the nearest of the ten published Monk Skin Tone swatches by
CIELAB Delta E 1976.
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


def monk(lab: NDArray[np.float64]) -> int:
    """Nearest Monk tone (1-10) to a CIELAB colour (Delta E 1976)."""
    return int(np.argmin(np.linalg.norm(monk_lab() - lab, axis=1))) + 1


def tone_of_lab(lab: NDArray[np.float64]) -> SkinTone:
    """Tone of one CIELAB colour; the category is that of the reported (rounded) ITA."""
    angle = round(ita(float(lab[0]), float(lab[2])), 2)
    name, fitz = category(angle)
    return SkinTone(ita=angle, category=name, fitzpatrick_estimate=fitz, monk=monk(lab))


def skin_tone(skin_bgr: NDArray[np.floating]) -> tuple[SkinTone, NDArray[np.float64]]:
    """Tone of skin pixels (float BGR in [0, 1], any shape ending in 3, at least one pixel)
    and their median CIELAB."""
    pixels = lab_of_bgr(skin_bgr).reshape(-1, 3)
    if not len(pixels):
        raise ValueError("skin_tone needs at least one skin pixel")
    med = np.median(pixels, axis=0)
    return tone_of_lab(med), med
