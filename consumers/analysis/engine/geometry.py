"""Working copies and the mapping from them back to original-image coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import Box

Image = NDArray[np.uint8]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in some working frame (floats, so rescaling is lossless)."""

    x: float
    y: float
    w: float
    h: float

    def scaled(self, s: float) -> Rect:
        """The same rectangle after the frame was scaled by `s`."""
        return Rect(self.x * s, self.y * s, self.w * s, self.h * s)

    def iou(self, other: Rect) -> float:
        """Intersection over union."""
        ix = max(0.0, min(self.x + self.w, other.x + other.w) - max(self.x, other.x))
        iy = max(0.0, min(self.y + self.h, other.y + other.h) - max(self.y, other.y))
        inter = ix * iy
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class Frame:
    """A crop of the original at a uniform scale: original = origin + local / scale."""

    x0: int
    y0: int
    scale: float

    def to_box(self, x: float, y: float, w: float, h: float, shape: tuple[int, ...]) -> Box | None:
        """A local rectangle as a Box in original coordinates clipped to the image; None
        when nothing of it (not one whole pixel) lies inside the image."""
        left = min(max(0, round(self.x0 + x / self.scale)), shape[1])
        top = min(max(0, round(self.y0 + y / self.scale)), shape[0])
        right = min(max(0, round(self.x0 + (x + w) / self.scale)), shape[1])
        bottom = min(max(0, round(self.y0 + (y + h) / self.scale)), shape[0])
        if right <= left or bottom <= top:
            return None
        return Box(x=left, y=top, w=right - left, h=bottom - top)

    def to_points(self, pts: NDArray[np.float64]) -> NDArray[np.float64]:
        """Local (x, y) points in original coordinates."""
        return pts / self.scale + np.array([self.x0, self.y0], dtype=np.float64)


def resize_long_side(image: Image, long_side: int) -> tuple[Image, float]:
    """Downscale (never upscale) so the long side is at most `long_side`; returns the scale."""
    scale = min(1.0, long_side / max(image.shape[:2]))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8), scale


def resample(image: Image, scale: float) -> Image:
    """Resize by `scale` with the interpolation that suits the direction."""
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=interp), dtype=np.uint8)


def standard_crop(image: Image, face: Rect, width: int, margin: float) -> tuple[Image, Frame, Rect]:
    """Crop the face (original coordinates) with a margin and scale it so the face is `width` wide."""
    h, w = image.shape[:2]
    pad = face.w * margin
    x0, y0 = max(0, int(face.x - pad)), max(0, int(face.y - pad))
    x1 = min(w, int(np.ceil(face.x + face.w + pad)))
    y1 = min(h, int(np.ceil(face.y + face.h + pad * 1.5)))  # the chin often overhangs the box
    scale = width / face.w
    crop = resample(np.ascontiguousarray(image[y0:y1, x0:x1]), scale)
    local = Rect((face.x - x0) * scale, (face.y - y0) * scale, face.w * scale, face.h * scale)
    return crop, Frame(x0, y0, scale), local
