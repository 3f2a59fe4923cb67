"""Test-retest variants of one photo: what a person might upload of the same face minutes apart.

Shared by the retest tests and `bench/analysis.py`, which prints the README's table.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from consumers.analysis.engine import analyse
from events.analyses import SCORE_NAMES

Image = np.ndarray


def jpeg(image: Image, quality: int) -> Image:
    """The photo re-encoded as a JPEG of `quality`."""
    data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR), dtype=np.uint8)


def exif_rotated(image: Image) -> Image:
    """Stored sideways (as a phone does, with an orientation tag) and turned upright again on intake:
    the upright pixels differ from the original only by the JPEG re-encoding of the sideways copy."""
    sideways = jpeg(cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE), 95)
    return np.asarray(cv2.rotate(sideways, cv2.ROTATE_90_CLOCKWISE), dtype=np.uint8)


def scaled(image: Image, factor: float) -> Image:
    """The photo resized by `factor` (area averaging when shrinking)."""
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(image, None, fx=factor, fy=factor, interpolation=interp), dtype=np.uint8)


def exposed(image: Image, factor: float) -> Image:
    """The photo brightened or darkened: every channel times `factor`, clipped as a camera would."""
    return np.asarray(np.clip(np.round(image.astype(np.float32) * factor), 0, 255), dtype=np.uint8)


VARIANTS: dict[str, Callable[[Image], Image]] = {
    "JPEG q95": lambda im: jpeg(im, 95),
    "JPEG q85": lambda im: jpeg(im, 85),
    "JPEG q75": lambda im: jpeg(im, 75),
    "EXIF-rotated": exif_rotated,
    "scaled 0.75x": lambda im: scaled(im, 0.75),
    "brightened 10 %": lambda im: exposed(im, 1.1),
    "darkened 10 %": lambda im: exposed(im, 0.9),
}


def score_changes(original: Image) -> dict[str, dict[str, float]]:
    """For each variant, every score's change (variant minus original) and the overall's."""
    base = analyse(original).report
    if base is None:
        raise ValueError("the original photo is refused")
    before = base.scores.model_dump() | {"overall": base.overall_score}
    out = {}
    for name, make in VARIANTS.items():
        report = analyse(make(original)).report
        if report is None:
            raise ValueError(f"the {name} variant is refused")
        after = report.scores.model_dump() | {"overall": report.overall_score}
        out[name] = {k: round(after[k] - before[k], 1) for k in (*SCORE_NAMES, "overall")}
    return out
