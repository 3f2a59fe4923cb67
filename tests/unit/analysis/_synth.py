"""Deterministic test images: the scikit-image astronaut and edits of it in CIELAB."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray
from skimage import data

from consumers.analysis.engine import Outcome, analyse, zone_outlines
from consumers.analysis.engine.tone import MONK_HEX, lab_of_bgr

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


@lru_cache(maxsize=12)
def astronaut_with_monk_skin(monk: int) -> Image:
    """The well-lit astronaut with her face skin re-toned to a Monk Skin Tone swatch (1-10).

    Inside a feathered mask of the face's skin (brows and eye creases included, so the face
    keeps its pattern of darker features), L* is scaled so the skin's median lands on the
    swatch's L* (texture keeps its relative contrast) and a*, b* are shifted onto the swatch.
    Swatches lighter than L* 76 are rendered at the exposure that puts the skin there
    (swatch L*, a*, b* scaled alike), as a camera would expose them: at the swatches' own
    L* 78-94 the lit half of the face would clip.
    """
    img = astronaut()
    lab = np.asarray(cv2.cvtColor(img.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab), dtype=np.float32)
    ref = np.median(lab[110:150, 200:250].reshape(-1, 3), axis=0)  # cheeks and nose
    a = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 1]), (0, 0), 1.5)
    b = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 2]), (0, 0), 1.5)
    skin = (lab[..., 0] > ref[0] - 30) & (a > ref[1] - 8) & (a < ref[1] + 14) & (np.abs(b - ref[2]) < 10)
    face = np.zeros(skin.shape, np.uint8)
    cv2.ellipse(face, (222, 122), (60, 72), 0, 0, 360, 1, -1)  # the whole face, crow's feet included
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (11, 11))
    closed = cv2.morphologyEx((skin & face.astype(bool)).astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    weight = np.asarray(cv2.GaussianBlur(closed.astype(np.float32), (0, 0), 1.5), dtype=np.float32)[..., None]
    med = np.median(lab[weight[..., 0] > 0.5], axis=0)
    swatch = lab_of_bgr(np.array([int(MONK_HEX[monk - 1][i : i + 2], 16) / 255.0 for i in (5, 3, 1)]))
    swatch = swatch * min(1.0, 76.0 / float(swatch[0]))
    target = np.stack(
        [lab[..., 0] * swatch[0] / med[0], lab[..., 1] - med[1] + swatch[1], lab[..., 2] - med[2] + swatch[2]], -1
    )
    out = cv2.cvtColor((lab + weight * (target - lab)).astype(np.float32), cv2.COLOR_Lab2BGR)
    recoloured = np.asarray(np.clip(np.round(out * 255.0), 0, 255), dtype=np.uint8)
    recoloured.flags.writeable = False
    return recoloured


def on_canvas(image: Image, shape: tuple[int, int], fill: tuple[int, int, int], top_left: tuple[int, int]) -> Image:
    """`image` pasted onto a uniform BGR canvas of `shape` (height, width) at `top_left` (x, y)."""
    canvas = np.empty((*shape, 3), np.uint8)
    canvas[:] = fill
    x, y = top_left
    canvas[y : y + image.shape[0], x : x + image.shape[1]] = image
    return canvas
