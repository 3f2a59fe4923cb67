"""Texture maps on the relative lightness (1.0 = the skin's median): fine high-frequency energy and line energy."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from .params import AnalyzerParams

Floats = NDArray[np.float32]


def high_frequency(rel: Floats, sigma: float) -> Floats:
    """Absolute difference from a `sigma` px Gaussian: roughness finer than ~1 mm on a face."""
    return np.asarray(np.abs(rel - cv2.GaussianBlur(rel, (0, 0), sigma)), dtype=np.float32)


@lru_cache(maxsize=4)
def _gabor_bank(wavelength: float) -> tuple[Floats, ...]:
    """Zero-mean even Gabor kernels at four orientations, elongated along the line."""
    size = int(3 * wavelength) | 1
    bank = []
    for theta in (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4):
        k = cv2.getGaborKernel((size, size), 0.5 * wavelength, theta, wavelength, 0.5, 0.0, ktype=cv2.CV_32F)
        k -= k.mean()  # flat skin must respond with exactly zero
        bank.append((k / np.abs(k).sum()).astype(np.float32))
    return tuple(bank)


def line_energy(rel: Floats, p: AnalyzerParams, roi: tuple[int, int, int, int] | None = None) -> Floats:
    """Strongest dark-line response over four orientations (share of the skin's lightness).

    With `roi` (x0, y0, x1, y1) only that part is filtered (with a kernel's margin); the rest is 0.
    """
    out = np.zeros(rel.shape, np.float32)
    bank = _gabor_bank(p.wrinkle_wavelength)
    pad = bank[0].shape[0] // 2
    x0, y0, x1, y1 = roi or (0, 0, rel.shape[1], rel.shape[0])
    px0, py0 = max(0, x0 - pad), max(0, y0 - pad)
    px1, py1 = min(rel.shape[1], x1 + pad), min(rel.shape[0], y1 + pad)
    t = np.ascontiguousarray(rel[py0:py1, px0:px1], dtype=np.float32)
    # An even Gabor gives a negative response on a dark line, so negate before the max.
    responses = [-cv2.filter2D(t, cv2.CV_32F, k, borderType=cv2.BORDER_REFLECT) for k in bank]
    out[py0:py1, px0:px1] = np.maximum.reduce(responses)
    return out
