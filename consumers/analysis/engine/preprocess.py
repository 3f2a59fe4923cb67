"""Colour-true and texture working copies of the face crop.

Colour metrics use white-balanced, exposure-normalised CIELAB (never contrast-stretched).
White balance is grey-world over *near-neutral* scene pixels (low saturation, not dark,
not clipped): plain grey-world over a face-filling photo would drain the skin's own
red. Gains are clamped and rescaled to keep luminance, so balancing never brightens.
Exposure is normalised gently from the scene's 99th percentile, only upwards and at
most `exposure_max_gain`, because skin lightness itself is what skin tone measures.
Texture metrics use the lightness as a share of the skin's own median lightness, so a
spot, a line or a pore is as deep on dark skin as on light skin when it removes the same
share of the light (measures.py).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from .geometry import Image
from .params import AnalyzerParams

Floats = NDArray[np.float32]
Gains = NDArray[np.float64]
LUMA = np.array([0.114, 0.587, 0.299])  # BGR weights


def neutral_pixels(scene: Image, p: AnalyzerParams) -> Image:
    """The scene's near-neutral pixels (N x 3), or all of them when too few are neutral."""
    hsv = cv2.cvtColor(scene, cv2.COLOR_BGR2HSV)
    neutral = (hsv[..., 1] < p.wb_neutral_saturation * 255) & (hsv[..., 2] > 50) & (scene.max(axis=2) < 245)
    return scene[neutral] if neutral.mean() >= p.wb_min_neutral_fraction else scene.reshape(-1, 3)


def neutral_mean(scene: Image, p: AnalyzerParams) -> Gains:
    """Mean BGR of the scene's near-neutral pixels: what white balance and the cast check read."""
    return np.asarray(neutral_pixels(scene, p).astype(np.float64).mean(axis=0) + 1e-6, dtype=np.float64)


def white_balance_gains(scene: Image, p: AnalyzerParams, neutral: Gains | None = None) -> Gains:
    """Per-channel (B, G, R) gains that make the scene's near-neutral pixels grey (their mean,
    `neutral`, may be passed in when already measured)."""
    mean = neutral_mean(scene, p) if neutral is None else neutral
    gains = np.clip(mean.mean() / mean, 1 / p.wb_max_gain, p.wb_max_gain)
    return np.asarray(gains * (LUMA @ mean) / (LUMA @ (gains * mean)), dtype=np.float64)


def exposure_gain(scene: Image, gains: Gains, p: AnalyzerParams) -> float:
    """A global brightening factor for under-exposed scenes (never darkens)."""
    luma = scene.astype(np.float32) @ (LUMA * gains).astype(np.float32)
    p99 = float(np.percentile(luma, 99))
    return float(np.clip(p.exposure_target_p99 / max(p99, 1.0), 1.0, p.exposure_max_gain))


def balanced_bgr(crop: Image, gains: Gains, exposure: float) -> Floats:
    """The white-balanced, exposure-normalised crop as float BGR in [0, 1]."""
    scale = (gains * exposure / 255.0).astype(np.float32)
    return np.asarray(np.clip(crop.astype(np.float32) * scale, 0.0, 1.0), dtype=np.float32)


def colour_lab(bgr: Floats) -> Floats:
    """CIELAB (L* 0-100) of float BGR; OpenCV's fast conversion, good to ~0.15 units."""
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2Lab), dtype=np.float32)


def relative_lightness(lab: Floats, skin_lightness: float) -> Floats:
    """L* as a share of the skin's median L*: contrasts in it do not depend on skin tone."""
    return np.asarray(lab[..., 0] / max(skin_lightness, 1.0), dtype=np.float32)
