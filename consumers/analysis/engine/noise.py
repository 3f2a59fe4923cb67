"""The part of the fine-detail measures that 8-bit rounding alone produces, at this skin's colour.

Relative lightness makes contrast tone-neutral, but it also magnifies the rounding of dark
pixels: one code value is ~0.4 % of light skin's lightness and ~3 % of the darkest skin's. A
flat patch of the skin's own colour, rounded to 8 bits at the original resolution and resampled
like the crop, goes through the same maps; its means are subtracted from the face's (measures.py),
so texture, pores, lines and spots on dark skin are not inflated by quantisation.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from .params import AnalyzerParams
from .preprocess import colour_lab, relative_lightness
from .texture import high_frequency, line_energy

DETAIL_METRICS = ("texture", "pores", "wrinkles", "pigmentation")
SIDE = 48  # patch side at the crop's scale


def noise_floor(skin_bgr: NDArray[np.float64], scale: float, p: AnalyzerParams) -> dict[str, float]:
    """Means of the detail maps over rounding noise of colour `skin_bgr` (0-1), crop `scale`."""
    key = tuple(round(v * 255) for v in skin_bgr)
    return dict(_floor(key, round(min(scale, 4.0), 2), p))


@lru_cache(maxsize=256)
def _floor(bgr: tuple[int, ...], scale: float, p: AnalyzerParams) -> tuple[tuple[str, float], ...]:
    side = max(8, round(SIDE / scale))
    rng = np.random.default_rng(0)
    # The colour with +-0.75 code value of sub-level variation, rounded: what 8 bits do to flat skin.
    true = np.array(bgr, np.float64) + rng.uniform(-0.75, 0.75, (side, side, 3))
    patch = np.clip(np.round(true), 0, 255).astype(np.uint8)
    interp = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
    patch = np.asarray(cv2.resize(patch, (SIDE, SIDE), interpolation=interp), dtype=np.uint8)
    lab = colour_lab(patch.astype(np.float32) / 255.0)
    rel = relative_lightness(lab, float(np.median(lab[..., 0])))
    inner = (slice(8, -8), slice(8, -8))
    smooth = cv2.GaussianBlur(rel, (0, 0), 0.7)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (p.pore_kernel, p.pore_kernel))
    values = {
        "texture": 100.0 * high_frequency(rel, p.texture_sigma),
        "pores": 100.0 * np.maximum(cv2.morphologyEx(rel, cv2.MORPH_BLACKHAT, kernel) - p.pore_floor, 0.0),
        "wrinkles": 100.0 * np.maximum(line_energy(rel, p) - p.wrinkle_floor, 0.0),
        "pigmentation": 100.0
        * np.maximum(cv2.GaussianBlur(smooth, (0, 0), p.background_sigma) - smooth - p.spot_floor, 0.0),
    }
    return tuple((k, float(v[inner].mean())) for k, v in values.items())
