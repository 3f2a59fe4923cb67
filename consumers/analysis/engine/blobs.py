"""Small-blob detection for dark spots, red blemishes and pores (skinmaps.py builds the maps).

Each map is a contrast against the pixel's *local background* (a Gaussian average over skin
only, i.e. normalised convolution); blobs are connected components of plausible size and
roundness above a threshold, so one even lighting gradient never counts as a spot.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .filters import mask_integral, ring_fraction
from .params import AnalyzerParams

Mask = NDArray[np.bool_]
# A blob needs this much skin around it; lower than 1 because camera skin masks are holey.
RING_SKIN = 0.6
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


def _blob(stat: NDArray[np.integer], peak: float) -> Blob:
    x, y, w, h, area = (int(v) for v in stat[:5])
    return Blob(x, y, w, h, area, peak)


def find_blobs(
    response: Floats, mask: Mask, threshold: float, min_area: int, max_area: int, surround: Mask | None = None
) -> list[Blob]:
    """Roundish components where `response` exceeds `threshold` inside `mask`.

    With `surround`, a blob must also be mostly ringed by it: a spot sits in skin,
    whereas the ends of hair strands, brows and lip corners touch non-skin.
    """
    binary = ((response > threshold) & mask).astype(np.uint8)
    n, label_img, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    labels = np.asarray(label_img, dtype=np.int32)
    peaks = np.zeros(n, np.float32)
    np.maximum.at(peaks, labels[binary > 0], response[binary > 0])
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    # Lines (wrinkles, hair) are long and sparse in their box; spots are not.
    keep = (min_area <= area) & (area <= max_area) & (np.maximum(w, h) <= 3 * np.minimum(w, h)) & (area >= 0.3 * w * h)
    keep[0] = False  # label 0 is the background
    blobs = [_blob(stats[i], float(peaks[i])) for i in np.flatnonzero(keep)]
    if surround is None:
        return blobs
    table = mask_integral(surround)
    return [b for b in blobs if ring_fraction(surround, b.x, b.y, b.w, b.h, table) >= RING_SKIN]


def fill_holes(mask: Mask, max_area: int) -> Mask:
    """`mask` with every enclosed, spot-sized hole filled.

    A hole is a 4-connected component of non-mask pixels that does not touch the border
    (the 8-connected mask surrounds it). It is spot-sized when it has at most `max_area`
    pixels and no side longer than the diameter of a disc of that area: a shadowed fold
    or a mouth corner is longer than any spot of its area.
    """
    _, labels, stats, _ = cv2.connectedComponentsWithStats((~mask).astype(np.uint8), connectivity=4)
    x, y, w, h, area = (stats[:, i] for i in range(5))
    inside = (x > 0) & (y > 0) & (x + w < mask.shape[1]) & (y + h < mask.shape[0])
    fill = inside & (area <= max_area) & (np.maximum(w, h) <= 2.0 * np.sqrt(max_area / np.pi))
    fill[0] = False  # label 0: the mask itself
    return np.asarray(mask | fill[labels], dtype=bool)


def spot_mask(skin: Mask, zone_area: Mask, p: AnalyzerParams) -> Mask:
    """Skin with gaps closed and enclosed holes up to a spot's maximum size filled.

    A spot much darker than the skin around it falls out of the skin mask; filling the
    hole it leaves lets it count, however wide (up to `spot_max_area`).
    """
    side = p.odd(7)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    closed = cv2.morphologyEx(skin.astype(np.uint8), cv2.MORPH_CLOSE, kernel).astype(bool)
    return fill_holes(closed, p.area(p.spot_max_area)) & zone_area


def components(binary: Mask, min_area: int) -> list[Blob]:
    """Connected components of any shape with at least `min_area` pixels, largest first."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary.astype(np.uint8), connectivity=8)
    found = [_blob(stats[i], 0.0) for i in range(1, n) if stats[i, 4] >= min_area]
    return sorted(found, key=lambda b: (-b.area, b.y, b.x))
