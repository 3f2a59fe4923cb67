"""Skin tone: Individual Typology Angle, its category, a Fitzpatrick estimate and Monk tone.

ITA = atan((L* - 50) / b*) in degrees, on real CIELAB (float32 BGR in [0, 1] through
cv2.cvtColor, D65). atan2 with b* floored at a tiny positive value keeps the angle in
(-90, 90) even for b* <= 0. Categories (Chardon et al.): very_light > 55, light > 41,
intermediate > 28, tan > 10, brown > -30, dark otherwise. The Fitzpatrick type is only
an *estimate* mapped one-to-one from those categories (I..VI); it cannot be measured
from a photo. Monk tone is the nearest of the ten published Monk Skin Tone swatches by
CIELAB Delta E 1976.
"""

from __future__ import annotations

import math
from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import SkinTone

MONK_HEX = ("#f6ede4", "#f3e7db", "#f7ead0", "#eadaba", "#d7bd96",
            "#a07e56", "#825c43", "#604134", "#3a312a", "#292420")
CATEGORIES = ((55.0, "very_light", "I"), (41.0, "light", "II"), (28.0, "intermediate", "III"),
              (10.0, "tan", "IV"), (-30.0, "brown", "V"))


def ita(L: float, b: float) -> float:
    """Individual Typology Angle in degrees."""
    return math.degrees(math.atan2(L - 50.0, max(b, 1e-6)))


def category(angle: float) -> tuple[str, str]:
    """(ITA category, Fitzpatrick estimate) for an ITA angle."""
    for lower, name, fitz in CATEGORIES:
        if angle > lower:
            return name, fitz
    return "dark", "VI"


def lab_of_bgr(bgr: NDArray[np.float32]) -> NDArray[np.float32]:
    """Real CIELAB of float BGR pixels in [0, 1] (any shape ending in 3)."""
    flat = np.ascontiguousarray(bgr.reshape(-1, 1, 3), dtype=np.float32)
    return cv2.cvtColor(flat, cv2.COLOR_BGR2Lab).reshape(bgr.shape)


@lru_cache(maxsize=1)
def monk_lab() -> NDArray[np.float32]:
    """CIELAB of the ten Monk swatches (10 x 3)."""
    rgb = [[int(h[i : i + 2], 16) / 255.0 for i in (1, 3, 5)] for h in MONK_HEX]
    return lab_of_bgr(np.array([c[::-1] for c in rgb], dtype=np.float32))


def monk(lab: NDArray[np.float64]) -> int:
    """Nearest Monk tone (1-10) to a CIELAB colour."""
    return int(np.argmin(np.linalg.norm(monk_lab() - lab.astype(np.float32), axis=1))) + 1


def skin_tone(skin_lab: NDArray[np.float32]) -> tuple[SkinTone, NDArray[np.float64]]:
    """Tone of skin pixels (N x 3 CIELAB, or any array ending in 3) and their median colour."""
    med = np.median(skin_lab.reshape(-1, 3), axis=0).astype(np.float64)
    angle = ita(float(med[0]), float(med[2]))
    name, fitz = category(angle)
    tone = SkinTone(ita=round(angle, 2), category=name, fitzpatrick_estimate=fitz, monk=monk(med))  # type: ignore[arg-type]
    return tone, med
