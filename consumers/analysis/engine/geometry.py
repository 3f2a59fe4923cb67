"""Working copies and the mapping from them back to original-image coordinates.

The standard crop is the face levelled (eye line horizontal) and scaled so its width between
the cheekbones (landmarks 234-454) is `face_width_px`; every size threshold is at that scale,
so a measure means the same on a 0.3 MP and a 12 MP photo. Strong reductions are done with
whole-factor area averaging first (warpAffine alone would alias fine texture into noise),
then a rotation that reduces at most 2x more; enlargements use bicubic interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import Box

Image = NDArray[np.uint8]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Frame:
    """A similarity map from a working crop back to the original: original = inverse @ [x, y, 1]."""

    inverse: NDArray[np.float64]  # 2 x 3, crop -> original
    scale: float  # crop pixels per original pixel

    def to_points(self, pts: Floats) -> Floats:
        """Crop (x, y) points (N x 2) in original coordinates."""
        return np.asarray(pts, dtype=np.float64) @ self.inverse[:, :2].T + self.inverse[:, 2]

    def to_box(self, x: float, y: float, w: float, h: float, shape: tuple[int, ...]) -> Box | None:
        """The original-image bounding box of a crop rectangle, clipped; None when nothing is inside."""
        corners = self.to_points(np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]]))
        left, top = np.clip(np.round(corners.min(axis=0)), 0, [shape[1], shape[0]])
        right, bottom = np.clip(np.round(corners.max(axis=0)), 0, [shape[1], shape[0]])
        if right <= left or bottom <= top:
            return None
        return Box(x=int(left), y=int(top), w=int(right - left), h=int(bottom - top))


def reduce_by(image: Image, k: int) -> Image:
    """Area-average k x k blocks (the last < k rows and columns are dropped): OpenCV's fast
    integer path, ~3x quicker than area resampling by a fractional factor."""
    if k <= 1:
        return image
    h, w = (image.shape[0] // k) * k, (image.shape[1] // k) * k
    part = image[:h, :w]
    return np.asarray(cv2.resize(part, (w // k, h // k), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def resize_long_side(image: Image, long_side: int) -> tuple[Image, float]:
    """Downscale by the smallest whole factor that brings the long side to at most `long_side`
    (never upscale); returns the copy and its scale (1 / factor)."""
    k = -(-max(image.shape[:2]) // long_side)  # ceiling division
    return (image, 1.0) if k <= 1 else (reduce_by(image, k), 1.0 / k)


def _similarity(angle: float, scale: float, origin: Floats) -> NDArray[np.float64]:
    """original -> crop: rotate by -angle, scale, then move `origin` (in rotated-scaled units) to 0."""
    cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
    m = np.array([[cos, sin, 0.0], [-sin, cos, 0.0]])
    m[:, 2] = -origin
    return m


def standard_crop(image: Image, pts: Floats, angle: float, scale: float, margin: float) -> tuple[Image, Frame]:
    """The levelled, scaled crop around 2-D landmarks `pts` (original pixels) with a margin."""
    m = _similarity(angle, scale, np.zeros(2))
    mapped = pts @ m[:, :2].T
    pad = margin * float(np.ptp(mapped[:, 0]))
    lo, hi = mapped.min(axis=0) - pad, mapped.max(axis=0) + pad
    m[:, 2] = -lo
    size = (int(np.ceil(hi[0] - lo[0])), int(np.ceil(hi[1] - lo[1])))
    inverse = cv2.invertAffineTransform(m)
    source = image
    k = int(1.0 / scale)
    if k >= 2:
        # Cut the region this crop covers and area-average it by the whole factor k; the
        # warp then reduces by at most 2x more.
        corners = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], np.float64)
        orig = corners @ inverse[:, :2].T + inverse[:, 2]
        x0, y0 = np.maximum(np.floor(orig.min(axis=0)).astype(int) - k, 0)
        x1, y1 = np.ceil(orig.max(axis=0)).astype(int) + k
        source = reduce_by(np.ascontiguousarray(image[y0:y1, x0:x1]), k)
        # The block means sit at (x0 + k * i + (k - 1) / 2): reduced pixel -> original pixel.
        shift = np.array([[k, 0.0, x0 + (k - 1) / 2], [0.0, k, y0 + (k - 1) / 2], [0.0, 0.0, 1.0]])
        m = m @ shift
    flags = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_LINEAR
    crop = cv2.warpAffine(source, m, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(crop, dtype=np.uint8), Frame(np.asarray(inverse, dtype=np.float64), scale)
