"""Face detection with BlazeFace (MediaPipe's short-range face detector, run by OpenCV DNN).

The photo is letterboxed to a square and resized to 128 x 128; the network scores 896 anchors
and regresses a box and six keypoints (eyes, nose tip, mouth, ear tragions) per anchor. Boxes
above `detect_score` are merged by weighted non-maximum suppression, as MediaPipe does.

The short-range model finds faces down to ~15 % of the square's side. When the whole photo
yields no real face, overlapping tiles half and a third as wide are searched too, so a face that
is merely small is still found (and the quality gate can say `face_too_small` rather than
`no_face_detected`); tiles need a higher score, since they see more clutter per face.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from infra.face_models import infer

from .geometry import Image
from .params import AnalyzerParams

INPUT = 128
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Detection:
    """One face in original-image pixels: box (x, y, w, h), six keypoints and the score."""

    box: tuple[float, float, float, float]
    keypoints: Floats  # 6 x 2: subject's right eye, left eye, nose tip, mouth, right ear, left ear
    score: float


@lru_cache(maxsize=1)
def anchors() -> Floats:
    """The 896 anchor centres of the short-range model (strides 8 and 16; 2 and 6 per cell)."""
    centres = []
    for stride, per_cell in ((8, 2), (16, 6)):
        cells = INPUT // stride
        for y in range(cells):
            for x in range(cells):
                centres += [((x + 0.5) / cells, (y + 0.5) / cells)] * per_cell
    return np.array(centres, dtype=np.float64)


def _raw(small: Image) -> tuple[Floats, Floats]:
    """Scores (896) and regressions (896 x 16) for one 128 x 128 BGR image."""
    blob = (small[..., ::-1].astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]
    scores, boxes = infer("detector", np.ascontiguousarray(blob), ["classificators", "regressors"])
    logits = np.clip(scores.reshape(-1).astype(np.float64), -80.0, 80.0)
    return 1.0 / (1.0 + np.exp(-logits)), boxes.reshape(-1, 16).astype(np.float64)


def _decode(square: Image, x0: float, y0: float, side: float, threshold: float) -> list[Detection]:
    scores, reg = _raw(square)
    keep = np.flatnonzero(scores >= threshold)
    out = []
    for i in keep:
        r = reg[i] / INPUT
        centre = anchors()[i] + r[0:2]
        size = r[2:4]
        kps = (r[4:16].reshape(6, 2) + anchors()[i]) * side + (x0, y0)
        box = (
            x0 + (centre[0] - size[0] / 2) * side,
            y0 + (centre[1] - size[1] / 2) * side,
            size[0] * side,
            size[1] * side,
        )
        out.append(Detection(box, kps, float(scores[i])))
    return out


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def weighted_nms(found: list[Detection], iou: float = 0.3) -> list[Detection]:
    """Overlapping detections merged into their score-weighted mean, best first."""
    rest = sorted(found, key=lambda d: (-d.score, d.box))
    merged = []
    while rest:
        best = rest[0]
        group = [d for d in rest if _iou(best.box, d.box) >= iou]
        rest = [d for d in rest if _iou(best.box, d.box) < iou]
        w = np.array([d.score for d in group])
        box = tuple(float(v) for v in np.average([d.box for d in group], axis=0, weights=w))
        kps = np.average([d.keypoints for d in group], axis=0, weights=w)
        merged.append(Detection((box[0], box[1], box[2], box[3]), kps, best.score))
    return merged


def _letterboxed(image: Image) -> tuple[Image, float]:
    """The image fitted into the 128 px input (padded right and bottom) and the side of the square
    it stands for, in the image's pixels."""
    h, w = image.shape[:2]
    side = max(h, w)
    size = (max(1, round(w * INPUT / side)), max(1, round(h * INPUT / side)))
    small = np.zeros((INPUT, INPUT, 3), np.uint8)
    small[: size[1], : size[0]] = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return small, float(side)


def _tiles(image: Image, fraction: float, threshold: float) -> list[Detection]:
    h, w = image.shape[:2]
    side = max(1, round(min(h, w, max(h, w) * fraction)))
    step = max(1, side // 2)
    found: list[Detection] = []
    for y in range(0, max(1, h - side + step), step):
        for x in range(0, max(1, w - side + step), step):
            tile = image[y : y + side, x : x + side]
            square, s = _letterboxed(np.ascontiguousarray(tile))
            found += _decode(square, float(x), float(y), s, threshold)
    return found


def detect(scene: Image, scale: float, p: AnalyzerParams, tiles_only: bool = False) -> list[Detection]:
    """Faces in a scene copy (`scale` = scene / original), in ORIGINAL coordinates, best first.

    The whole photo is searched, or with `tiles_only` its tiles (finest last, stopping at the
    first size that finds a face).
    """
    found: list[Detection] = []
    if not tiles_only:
        square, side = _letterboxed(scene)
        found = _decode(square, 0.0, 0.0, side, p.detect_score)
    else:
        for fraction in p.tile_fractions:
            found = _tiles(scene, fraction, p.tile_detect_score)
            if found:
                break
    return [Detection(_scaled(d.box, 1.0 / scale), d.keypoints / scale, d.score) for d in weighted_nms(found)]


def _scaled(box: tuple[float, float, float, float], s: float) -> tuple[float, float, float, float]:
    return box[0] * s, box[1] * s, box[2] * s, box[3] * s
