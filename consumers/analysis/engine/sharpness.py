"""Sharpness of the face, comparable across skin tones, lighting and resolutions.

The measure is 1000 x (var(Laplacian) - rounding floor) / var(grey) over the face core
(cheeks, nose, mouth; hair and background edges excluded), in float luma resampled so
the face is `blur_face_width_px` wide:
- dividing by the grey variance makes it the *share* of the face's contrast at the
  finest scale: scaling the contrast (darker skin, dimmer light) leaves it unchanged,
  while defocus removes exactly that share;
- the floor is the Laplacian variance that rounding to 8-bit values alone produces after
  the same resampling. On a low-contrast face (very dark skin has a grey variance of a
  few tens) rounding noise would otherwise pass for detail and hide blur.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from .geometry import Image, Rect
from .params import AnalyzerParams

LUMA = np.array([0.114, 0.587, 0.299], np.float32)  # BGR weights
FLOOR_SIDE = 96  # resampled side of the simulated rounding-noise patch
Floats = NDArray[np.float32]


def _resampled(values: Floats, scale: float) -> Floats:
    size = (max(3, round(values.shape[1] * scale)), max(3, round(values.shape[0] * scale)))
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(values, size, interpolation=interp), dtype=np.float32)


def _laplacian_variance(grey: Floats) -> float:
    return float(cv2.Laplacian(grey, cv2.CV_32F).astype(np.float64).var())


def rounding_floor(scale: float) -> float:
    """Laplacian variance of 8-bit rounding noise in the BGR channels, after resampling."""
    side = max(8, round(FLOOR_SIDE / scale))
    noise = np.random.default_rng(0).uniform(-0.5, 0.5, (side, side, 3)).astype(np.float32)
    return _laplacian_variance(_resampled(np.ascontiguousarray(noise @ LUMA), scale))


def face_core_box(face: Rect) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the cheeks-nose-mouth part of a face box."""
    x0, x1 = int(face.x + 0.2 * face.w), int(face.x + 0.8 * face.w)
    y0, y1 = int(face.y + 0.25 * face.h), int(face.y + 0.95 * face.h)
    return max(0, x0), max(0, y0), x1, y1


def sharpness(image: Image, face: Rect, p: AnalyzerParams) -> float:
    """The face core's sharpness (see the module docstring); ~280 for a sharp face."""
    x0, y0, x1, y1 = face_core_box(face)
    grey = np.ascontiguousarray(image[y0:y1, x0:x1].astype(np.float32) @ LUMA)
    scale = p.blur_face_width_px / face.w
    resampled = _resampled(grey, scale)
    detail = max(0.0, _laplacian_variance(resampled) - rounding_floor(scale))
    return 1000.0 * detail / max(float(resampled.var()), 1e-6)
