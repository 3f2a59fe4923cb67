"""468 face landmarks with FaceMesh (MediaPipe's face landmark model, run by OpenCV DNN).

As in MediaPipe, the network sees a 192 x 192 square cut around the face, turned so the eyes are
level and 1.5 x the face's size. The first cut comes from the detector's box and eye keypoints;
a second cut is then taken from the first pass's own landmarks (MediaPipe's tracking step),
which centres and levels the face better and makes the result depend less on the detector.
Coordinates come back in original-image pixels; z (depth, towards the camera negative) is in
the same pixel units. The face score is the sigmoid of the model's face-presence logit.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from infra.face_models import infer

from .detector import Detection
from .geometry import Image

INPUT = 192
ROI_SCALE = 1.5
Floats = NDArray[np.float64]
RIGHT_EYE_CORNER, LEFT_EYE_CORNER = 33, 263  # the subject's right / left outer eye corners


@dataclass(frozen=True)
class Landmarks:
    """FaceMesh output in original-image pixels."""

    points: Floats  # 468 x 3 (x, y, z)
    presence: float  # 0..1


def _roi_matrix(centre: Floats, size: float, angle: float) -> NDArray[np.float64]:
    """Affine map from the image to the 192 px input: rotate by `angle` (radians) about centre, scale."""
    scale = INPUT / size
    cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
    # Rotating the image by -angle levels a face whose eye line is at +angle.
    m = np.array([[cos, sin, 0.0], [-sin, cos, 0.0]])
    m[:, 2] = INPUT / 2 - m[:, :2] @ centre
    return m


def _run(image: Image, centre: Floats, size: float, angle: float) -> Landmarks:
    m = _roi_matrix(centre, size, angle)
    cut = cv2.warpAffine(image, m, (INPUT, INPUT), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    blob = (cut[..., ::-1].astype(np.float32) / 255.0).transpose(2, 0, 1)[None]
    coords, flag = infer("landmarks", np.ascontiguousarray(blob), ["conv2d_21", "conv2d_31"])
    raw = coords.reshape(468, 3).astype(np.float64)
    inv = cv2.invertAffineTransform(m)
    xy = raw[:, :2] @ inv[:, :2].T + inv[:, 2]
    z = raw[:, 2:3] * (size / INPUT)
    logit = float(np.clip(flag.reshape(-1)[0], -80.0, 80.0))
    return Landmarks(np.hstack([xy, z]), 1.0 / (1.0 + np.exp(-logit)))


def _angle(right: Floats, left: Floats) -> float:
    """Angle of the line from the subject's right eye (image left) to the left eye."""
    return float(np.arctan2(left[1] - right[1], left[0] - right[0]))


def landmarks(image: Image, face: Detection, passes: int = 2) -> Landmarks:
    """FaceMesh for a detected face, re-run `passes - 1` times on its own landmarks (module docstring)."""
    x, y, w, h = face.box
    found = _run(image, np.array([x + w / 2, y + h / 2]), max(w, h) * ROI_SCALE, _angle(*face.keypoints[:2]))
    for _ in range(passes - 1):
        found = _refined(image, found)
    return found


def _refined(image: Image, first: Landmarks) -> Landmarks:
    pts = first.points[:, :2]
    angle = _angle(pts[RIGHT_EYE_CORNER], pts[LEFT_EYE_CORNER])
    # Extent along the levelled axes, so the cut is as wide as the face whatever its roll.
    rot = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    levelled = pts @ rot.T
    lo, hi = levelled.min(axis=0), levelled.max(axis=0)
    centre = rot.T @ ((lo + hi) / 2)
    return _run(image, centre, float(max(hi - lo)) * ROI_SCALE, angle)
