"""Deterministic test images: the scikit-image astronaut and edits of it in CIELAB."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray
from skimage import data

from consumers.analysis.engine import Outcome, analyse, zone_outlines

Image = NDArray[np.uint8]


def to_bgr(rgb: NDArray[np.uint8]) -> Image:
    """scikit-image gives RGB; the engine takes BGR."""
    return np.ascontiguousarray(rgb[:, :, ::-1])


@lru_cache(maxsize=1)
def astronaut() -> Image:
    """The astronaut photo as BGR (512 x 512, one frontal face)."""
    img = to_bgr(data.astronaut())  # type: ignore[no-untyped-call]
    img.flags.writeable = False  # shared between tests: nobody may edit it in place
    return img


@lru_cache(maxsize=1)
def astronaut_outcome() -> Outcome:
    """The analysis of the untouched astronaut, computed once per session."""
    return analyse(astronaut())


def zone_mask(image: Image, names: tuple[str, ...]) -> NDArray[np.bool_]:
    """Pixels of `image` inside the named zones, as the engine places them."""
    outlines = zone_outlines(image)
    assert isinstance(outlines, dict), outlines
    mask = np.zeros(image.shape[:2], np.uint8)
    for name in names:
        cv2.fillPoly(mask, [np.round(outlines[name]).astype(np.int32)], 1)
    return mask.astype(bool)


def lab_shift(image: Image, weight: NDArray[np.generic], dl: float = 0.0, da: float = 0.0, db: float = 0.0) -> Image:
    """Add (dl, da, db) in real CIELAB, scaled per pixel by `weight`."""
    lab = np.asarray(cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab), dtype=np.float32)
    w = np.asarray(weight, dtype=np.float32)[..., None]
    lab += w * np.array([dl, da, db], np.float32)
    bgr = cv2.cvtColor(lab, cv2.COLOR_Lab2BGR)
    return np.asarray(np.clip(np.round(bgr * 255.0), 0, 255), dtype=np.uint8)


def gain(image: Image, bgr_gain: tuple[float, float, float], offset: float = 0.0) -> Image:
    """Per-channel gain plus offset, clipped like a camera would."""
    out = image.astype(np.float32) * np.array(bgr_gain, np.float32) + offset
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def skin_patch(
    size: int = 240, lab: tuple[float, float, float] = (65.0, 12.0, 18.0), noise: float = 0.6, seed: int = 7
) -> NDArray[np.float32]:
    """A uniform CIELAB skin patch with faint deterministic noise (size x size x 3)."""
    rng = np.random.default_rng(seed)
    patch = np.empty((size, size, 3), np.float32)
    patch[:] = lab
    patch[..., 0] += rng.normal(0.0, noise, (size, size)).astype(np.float32)
    return patch
