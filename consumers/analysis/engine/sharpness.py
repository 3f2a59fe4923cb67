"""Sharpness of the face, comparable across skin tones, lighting and resolutions.

The measure is 1000 x (var(Laplacian) - rounding floor) / var(grey) over the face core
(cheeks, nose, mouth: hair and background edges excluded), cut from the original photo and
resampled so the face is `blur_face_width_px` wide:
- dividing by the grey variance makes it the *share* of the face's contrast at the
  finest scale: scaling the contrast (darker skin, dimmer light) leaves it unchanged,
  while defocus removes exactly that share;
- the floor is the Laplacian variance that rounding to 8-bit values alone produces after
  the same resampling. On a low-contrast face (very dark skin has a grey variance of a
  few tens) rounding noise would otherwise pass for detail and hide blur.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from .geometry import Image
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
    return _floor(round(scale, 3))


@lru_cache(maxsize=64)
def _floor(scale: float) -> float:
    side = max(8, round(FLOOR_SIDE / scale))
    noise = np.random.default_rng(0).uniform(-0.5, 0.5, (side, side, 3)).astype(np.float32)
    return _laplacian_variance(_resampled(np.ascontiguousarray(noise @ LUMA), scale))


def sharpness(core: Image, face_width: float, p: AnalyzerParams) -> float:
    """Sharpness of a face core cut from a photo where the face is `face_width` px wide; ~280 when sharp."""
    grey = np.ascontiguousarray(core.astype(np.float32) @ LUMA)
    return _relative_detail(grey, p.blur_face_width_px / face_width)


def scene_sharpness(scene: Image, long_side: int = 256) -> float:
    """The same measure over a whole photo resampled to `long_side`: tells a blurred photo from a faceless one."""
    grey = np.ascontiguousarray(scene.astype(np.float32) @ LUMA)
    return _relative_detail(grey, long_side / max(grey.shape[:2]))


def _relative_detail(grey: Floats, scale: float) -> float:
    resampled = _resampled(grey, scale)
    detail = max(0.0, _laplacian_variance(resampled) - rounding_floor(scale))
    return 1000.0 * detail / max(float(resampled.var()), 1e-6)
