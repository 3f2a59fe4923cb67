"""Texture maps on the CLAHE lightness: fine high-frequency energy and line (wrinkle) energy."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from .params import AnalyzerParams

Floats = NDArray[np.float32]


def high_frequency(texture: NDArray[np.uint8]) -> Floats:
    """Absolute difference from a 2 px Gaussian: roughness finer than ~1 mm on a face."""
    t = texture.astype(np.float32)
    return np.asarray(np.abs(t - cv2.GaussianBlur(t, (0, 0), 2.0)), dtype=np.float32)


@lru_cache(maxsize=4)
def _gabor_bank(wavelength: float) -> tuple[Floats, ...]:
    """Zero-mean even Gabor kernels at four orientations, elongated along the line."""
    size = int(4 * wavelength) | 1
    bank = []
    for theta in (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4):
        k = cv2.getGaborKernel((size, size), 0.5 * wavelength, theta, wavelength, 0.5, 0.0, ktype=cv2.CV_32F)
        k -= k.mean()  # flat skin must respond with exactly zero
        bank.append((k / np.abs(k).sum()).astype(np.float32))
    return tuple(bank)


def line_energy(texture: NDArray[np.uint8], p: AnalyzerParams) -> Floats:
    """Strongest dark-line response over four orientations (grey levels)."""
    t = texture.astype(np.float32)
    # An even Gabor gives a negative response on a dark line, so negate before the max.
    responses = [-cv2.filter2D(t, cv2.CV_32F, k) for k in _gabor_bank(p.wrinkle_wavelength)]
    return np.asarray(np.maximum.reduce(responses), dtype=np.float32)
