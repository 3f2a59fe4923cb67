"""Head pose and framing from FaceMesh landmarks.

- roll: angle of the line through mirrored landmark pairs (eye corners, cheekbones, mouth
  corners...) in the image plane; positive when the subject's left side (image right) is lower.
- yaw: the same pairs' depth difference against their width, atan2(dz, dx): a frontal face has
  mirrored points at equal depth; positive when the subject turns to their left.
- pitch: the forehead-to-chin line's depth against its height, atan2(dz, dy), less the value
  a level face gives (FaceMesh's mean face leans its chin ~`PITCH_LEVEL` degrees forward);
  positive when the chin is raised.
- cut off: the fraction of the 468 landmarks outside the photo (FaceMesh predicts the whole
  face even where the frame cuts it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .face_map import CHIN_BOTTOM, FOREHEAD_TOP, POSE_PAIRS

Floats = NDArray[np.float64]
# FaceMesh's forehead-top (10) to chin (152) line leans this much in depth on a level, frontal
# face (10.6 on the astronaut, 11.4 mirrored, 11-12 rolled up to 45 degrees).
PITCH_LEVEL = 11.0


@dataclass(frozen=True)
class Pose:
    """Angles in degrees and the fraction of landmarks outside the frame."""

    yaw: float
    pitch: float
    roll: float
    outside: float


def _pair_vectors(pts: Floats) -> Floats:
    right = pts[[a for a, _ in POSE_PAIRS]]
    left = pts[[b for _, b in POSE_PAIRS]]
    return np.asarray(left - right, dtype=np.float64)  # image-left to image-right, N x 3


def head_pose(pts: Floats, shape: tuple[int, ...]) -> Pose:
    """Yaw, pitch, roll and cut-off fraction of landmarks `pts` (468 x 3) in a photo of `shape`."""
    across = _pair_vectors(pts).sum(axis=0)
    roll = float(np.degrees(np.arctan2(across[1], across[0])))
    yaw = float(np.degrees(np.arctan2(across[2], np.hypot(across[0], across[1]))))
    down = pts[CHIN_BOTTOM] - pts[FOREHEAD_TOP]
    # Height along the face's own vertical (perpendicular to the eye line), so roll does not leak in.
    unit = np.array([-across[1], across[0]]) / max(float(np.hypot(across[0], across[1])), 1e-9)
    height = float(down[:2] @ unit)
    pitch = float(np.degrees(np.arctan2(down[2], height))) - PITCH_LEVEL
    h, w = shape[:2]
    xy = pts[:, :2]
    outside = float(np.mean((xy[:, 0] < 0) | (xy[:, 1] < 0) | (xy[:, 0] >= w) | (xy[:, 1] >= h)))
    return Pose(yaw=yaw, pitch=pitch, roll=roll, outside=outside)
