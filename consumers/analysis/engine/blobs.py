"""Small-blob detectors: dark spots, red blemishes and pores.

All three threshold a contrast map against the pixel's *local background* (a Gaussian
average over skin only, i.e. normalised convolution) and keep connected components of
plausible size and roundness, so one even lighting gradient never counts as a spot.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .params import AnalyzerParams

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]


@dataclass(frozen=True)
class Blob:
    """A connected component in crop coordinates, with its peak contrast."""

    x: int
    y: int
    w: int
    h: int
    area: int
    peak: float

    @property
    def centre(self) -> tuple[int, int]:
        """Integer (x, y) centre of the bounding box."""
        return self.x + self.w // 2, self.y + self.h // 2


def local_background(values: Floats, mask: Mask, sigma: float) -> Floats:
    """Gaussian average of `values` over `mask` pixels only."""
    weight = mask.astype(np.float32)
    num = cv2.GaussianBlur(values * weight, (0, 0), sigma)
    den = cv2.GaussianBlur(weight, (0, 0), sigma)
    return (num / np.maximum(den, 1e-3)).astype(np.float32)


def find_blobs(response: Floats, mask: Mask, threshold: float, min_area: int, max_area: int) -> list[Blob]:
    """Roundish components where `response` exceeds `threshold` inside `mask`."""
    binary = ((response > threshold) & mask).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    peaks = np.zeros(n, np.float32)
    np.maximum.at(peaks, labels[binary > 0], response[binary > 0])
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    # Lines (wrinkles, hair) are long and sparse in their box; spots are not.
    keep = (min_area <= area) & (area <= max_area) & (np.maximum(w, h) <= 3 * np.minimum(w, h)) & (area >= 0.3 * w * h)
    keep[0] = False  # label 0 is the background
    return [Blob(*(int(v) for v in stats[i]), peak=float(peaks[i])) for i in np.flatnonzero(keep)]


def spot_mask(skin: Mask, zone_area: Mask) -> Mask:
    """Skin with small holes closed, so very dark spots left out of the skin mask count."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    closed = cv2.morphologyEx(skin.astype(np.uint8), cv2.MORPH_CLOSE, kernel).astype(bool)
    return closed & zone_area


def dark_spots(lightness: Floats, mask: Mask, p: AnalyzerParams) -> list[Blob]:
    """Spots darker than their surroundings by at least `spot_contrast` L* units."""
    smooth = cv2.GaussianBlur(lightness, (0, 0), 1.0)
    response = local_background(smooth, mask, p.background_sigma) - smooth
    return find_blobs(response, mask, p.spot_contrast, p.spot_min_area, p.spot_max_area)


def red_blemishes(a_star: Floats, mask: Mask, p: AnalyzerParams) -> list[Blob]:
    """Small patches redder than their surroundings by at least `acne_contrast` a* units."""
    smooth = cv2.GaussianBlur(a_star, (0, 0), 1.5)
    response = smooth - local_background(smooth, mask, p.background_sigma)
    return find_blobs(response, mask, p.acne_contrast, p.acne_min_area, p.acne_max_area)


def pores(texture: NDArray[np.uint8], mask: Mask, p: AnalyzerParams) -> list[Blob]:
    """Tiny dark dots in the CLAHE lightness (black top-hat)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (p.pore_kernel, p.pore_kernel))
    response = cv2.morphologyEx(texture, cv2.MORPH_BLACKHAT, kernel).astype(np.float32)
    return find_blobs(response, mask, p.pore_contrast, 2, p.pore_max_area)
