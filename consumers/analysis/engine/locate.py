"""Stage 1: find the face, its 468 landmarks and pose, and build the standardised crop.

The detector (detector.py) proposes faces on a scene copy; FaceMesh (mesh.py) then places the
landmarks and says whether a face is really there. The chosen face is the largest one whose
mesh is present; a candidate the mesh rejects is skipped, and when none is left the tile
search runs (so a small face beside a large false alarm is still found). With no face at all,
the photo's exposure and sharpness decide the reason (quality.scene_refusal): a photo too
blurry to show a face is told so, not that it has no face.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from events.analyses import Box

from .detector import Detection, detect
from .face_map import FACE_WIDTH
from .geometry import Frame, Image, resize_long_side, standard_crop
from .mesh import Landmarks, landmarks
from .outcome import Refusal
from .params import AnalyzerParams
from .pose import Pose, head_pose
from .quality import scene_refusal

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Located:
    """The chosen face and the working copies derived from it."""

    scene: Image  # whole photo, long side <= detect_long_side
    thumb: Image  # whole photo, long side <= thumb_long_side: scene-wide light and colour
    detection: Detection  # original coordinates
    mesh: Landmarks  # original coordinates
    pose: Pose
    face_width: float  # cheekbone-to-cheekbone distance, original pixels
    box: Box  # landmark bounding box in the original, clipped to it
    other_faces: int  # other faces at least multiple_face_ratio as wide
    crop: Image  # levelled crop, face `face_width_px` wide
    frame: Frame  # crop -> original
    local: Floats  # the landmarks (x, y) in crop coordinates, 468 x 2


def _width(points: Floats) -> float:
    a, b = FACE_WIDTH
    return float(np.hypot(*(points[b, :2] - points[a, :2])))


def _present(image: Image, faces: list[Detection], p: AnalyzerParams) -> list[tuple[Detection, Landmarks]]:
    found = []
    for face in faces[: p.max_faces_meshed]:
        mesh = landmarks(image, face, p.mesh_passes)
        if mesh.presence >= p.min_mesh_presence:
            found.append((face, mesh))
    return found


def _box(points: Floats, shape: tuple[int, ...]) -> Box:
    lo = np.clip(np.floor(points.min(axis=0)), 0, [shape[1] - 1, shape[0] - 1])
    hi = np.clip(np.ceil(points.max(axis=0)), lo + 1, [shape[1], shape[0]])
    return Box(x=int(lo[0]), y=int(lo[1]), w=int(hi[0] - lo[0]), h=int(hi[1] - lo[1]))


def locate(image: Image, p: AnalyzerParams) -> Located | Refusal:
    """The largest real face with its landmarks and standard crop, or why there is none."""
    scene, scale = resize_long_side(image, p.detect_long_side)
    faces = _present(image, detect(scene, scale, p), p)
    if not faces:
        faces = _present(image, detect(scene, scale, p, tiles_only=True), p)
    thumb, _ = resize_long_side(scene, p.thumb_long_side)
    if not faces:
        return scene_refusal(thumb, p)
    faces.sort(key=lambda f: -_width(f[1].points))
    face, mesh = faces[0]
    width = _width(mesh.points)
    others = sum(1 for _, m in faces[1:] if _width(m.points) >= p.multiple_face_ratio * width)
    pose = head_pose(mesh.points, image.shape)
    xy = mesh.points[:, :2]
    crop, frame = standard_crop(image, xy, np.radians(pose.roll), p.face_width_px / width, p.crop_margin)
    inv = np.linalg.inv(np.vstack([frame.inverse, [0.0, 0.0, 1.0]]))[:2]
    local = xy @ inv[:, :2].T + inv[:, 2]
    return Located(scene, thumb, face, mesh, pose, width, _box(xy, image.shape), others, crop, frame, local)
