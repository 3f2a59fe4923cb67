"""Face and eye detection with OpenCV's bundled Haar cascades.

Several faces: the engine analyses the *largest* confirmed face and adds a
`multiple_faces` quality warning when another confirmed face is at least
`multiple_face_ratio` as wide. Refusing would punish ordinary photos with someone in
the background; silently picking one would hide which face the report describes.

A candidate from the default frontal cascade counts as a face only when the alt2
cascade finds the same face (IoU >= 0.4) or when many detection windows agree
(`strong_neighbors`); this rejects the texture false positives the default cascade
produces on fur, fabric and upscaled photos. The second pass after a miss (locate.py)
searches a CLAHE-equalised copy with smaller windows, where texture false positives are
more frequent, so there the alt2 cascade must agree with `second_pass_confirm` windows
(true faces measured 6-18, false ones on gravel, coins and a blurred face 4-7).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .geometry import Image, Rect
from .params import AnalyzerParams

_local = threading.local()


def cascade(name: str) -> cv2.CascadeClassifier:
    """A bundled cascade, loaded once per thread (classifiers are not safe to share)."""
    cache: dict[str, cv2.CascadeClassifier] = _local.__dict__.setdefault("cascades", {})
    if name not in cache:
        # cv2.data exists at runtime (opencv-python wheels) but is missing from the stubs.
        clf = cv2.CascadeClassifier(cv2.data.haarcascades + name)  # type: ignore[attr-defined]
        if clf.empty():
            raise RuntimeError(f"OpenCV cascade {name} could not be loaded")
        cache[name] = clf
    return cache[name]


def stretch_contrast(grey: Image) -> Image:
    """Linear stretch of the 1st-99th percentile to 0-255.

    Haar windows reject very low-contrast patches, so dark photos need a stretch; a
    linear one (unlike histogram equalisation) does not distort faces when a large
    uniform background dominates the histogram.
    """
    lo, hi = np.percentile(grey, (1, 99))
    if hi - lo < 1:
        return grey
    stretched = np.clip((grey.astype(np.float32) - lo) * (255.0 / (hi - lo)), 0, 255)
    return np.asarray(stretched, dtype=np.uint8)


def local_contrast(grey: Image, p: AnalyzerParams) -> Image:
    """CLAHE-equalised grey for the second detection pass.

    A global stretch is set by the whole scene, so a dark face in a bright scene keeps
    only a few grey levels; Haar features then lose the brow-cheek contrast they rely on.
    Tile-wise equalisation restores local contrast whatever the skin's lightness.
    """
    tiles = (p.fallback_clahe_tiles, p.fallback_clahe_tiles)
    return np.asarray(cv2.createCLAHE(clipLimit=p.fallback_clahe_clip, tileGridSize=tiles).apply(grey), dtype=np.uint8)


@dataclass(frozen=True)
class FaceFind:
    """One accepted face, in the coordinates of the image it was found in."""

    box: Rect
    neighbours: int
    confirm_iou: float
    confirm_neighbours: int
    strength: float


def _detect(
    clf: cv2.CascadeClassifier, grey: Image, p: AnalyzerParams, neighbours: int, min_px: int, max_px: int = 0
) -> list[tuple[Rect, int]]:
    boxes, counts = clf.detectMultiScale2(
        grey,
        scaleFactor=p.scale_factor,
        minNeighbors=neighbours,
        minSize=(min_px, min_px),
        maxSize=(max_px, max_px),
    )
    found = [
        (Rect(float(b[0]), float(b[1]), float(b[2]), float(b[3])), int(n)) for b, n in zip(boxes, counts, strict=True)
    ]
    # Thread scheduling can permute OpenCV's output; sorting keeps results deterministic.
    return sorted(found, key=lambda f: (-f[0].w, f[0].y, f[0].x))


def _confirm(grey: Image, cand: Rect, p: AnalyzerParams) -> tuple[float, int]:
    """Best IoU and neighbour count of the alt2 cascade around a candidate."""
    pad = cand.w * 0.5
    x0, y0 = max(0, int(cand.x - pad)), max(0, int(cand.y - pad))
    x1 = min(grey.shape[1], int(cand.x + cand.w + pad))
    y1 = min(grey.shape[0], int(cand.y + cand.h + pad))
    roi = np.ascontiguousarray(grey[y0:y1, x0:x1])
    lo, hi = int(cand.w * 0.6), int(cand.w * 1.6)
    best = (0.0, 0)
    for box, n in _detect(cascade("haarcascade_frontalface_alt2.xml"), roi, p, p.confirm_neighbors, lo, hi):
        iou = Rect(box.x + x0, box.y + y0, box.w, box.h).iou(cand)
        best = max(best, (iou, n))
    return best


def _strength(n: int, iou: float, n_alt: int, p: AnalyzerParams) -> float:
    # Window agreement dominates; the second cascade adds independent evidence.
    return 0.5 * min(1.0, n / p.strong_neighbors) + 0.3 * min(1.0, n_alt / p.strong_neighbors) + 0.2 * iou


def detect_faces(grey: Image, p: AnalyzerParams, min_px: int = 0, min_confirm: int = 0) -> list[FaceFind]:
    """Accepted faces at least `min_px` wide (default: `min_detect_fraction`), largest first.

    With `min_confirm`, a face must be confirmed by at least that many alt2 windows, and
    window agreement of the default cascade alone never suffices.
    """
    min_px = min_px or max(24, round(p.min_detect_fraction * max(grey.shape[:2])))
    faces = []
    for box, n in _detect(cascade("haarcascade_frontalface_default.xml"), grey, p, p.min_neighbors, min_px):
        iou, n_alt = _confirm(grey, box, p)
        confirmed = iou >= 0.4 and n_alt >= min_confirm
        if not confirmed and (min_confirm or n < p.strong_neighbors):
            continue
        n_alt = n_alt if confirmed else 0
        faces.append(FaceFind(box, n, iou if confirmed else 0.0, n_alt, _strength(n, iou, n_alt, p)))
    return faces


def detect_eyes(grey: Image, face: Rect) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """Centres of the (image-left, image-right) eyes inside a face box, or None."""
    x0, y0 = int(face.x), int(face.y + 0.15 * face.h)
    roi = np.ascontiguousarray(grey[y0 : int(face.y + 0.6 * face.h), x0 : int(face.x + face.w)])
    if roi.size == 0:
        return None
    lo, hi = int(face.w * 0.1), int(face.w * 0.4)
    clf = cascade("haarcascade_eye.xml")
    boxes = clf.detectMultiScale(roi, scaleFactor=1.1, minNeighbors=5, minSize=(lo, lo), maxSize=(hi, hi))
    centres = sorted((x0 + b[0] + b[2] / 2, y0 + b[1] + b[3] / 2) for b in boxes)
    mid = face.x + face.w / 2
    best: tuple[float, int, int] | None = None
    for i, (lx, ly) in enumerate(centres):
        for j, (rx, ry) in enumerate(centres):
            dist = float(np.hypot(rx - lx, ry - ly))
            if not (lx < mid < rx and 0.3 * face.w < dist < 0.65 * face.w):
                continue
            # Prefer the typical eye spacing (~0.45 face widths) and a level eye line.
            cost = abs(dist / face.w - 0.45) + abs(float(np.degrees(np.arctan2(ry - ly, rx - lx)))) / 90
            if best is None or cost < best[0]:
                best = (cost, i, j)
    if best is None:
        return None
    return np.array(centres[best[1]], dtype=np.float64), np.array(centres[best[2]], dtype=np.float64)
