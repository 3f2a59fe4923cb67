"""Stage 1: find the face and build the standardised working crop.

Detection passes, each run only when the previous ones found nothing:
1. the contrast-stretched detection copy, faces >= `min_detect_fraction` of the long side;
2. a CLAHE-equalised (face.local_contrast) copy `second_pass_long_side` px long, faces
   >= `small_face_px`: finds faces whose skin is much darker than the scene, and faces
   too small for pass 1 (down to ~2.4 % of the long side), which the quality gate then
   refuses as `face_too_small` instead of "no face" or "too dark". Stricter confirmation
   (face.py) keeps its extra reach from inventing faces;
3. the stretched copy turned by `tilt_probe_degrees`: a face found only there is refused
   as `head_tilted`;
4. otherwise the scene's exposure decides between `image_too_dark`, `image_overexposed`
   and `no_face_detected` (quality.scene_refusal).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .face import FaceFind, detect_eyes, detect_faces, local_contrast, stretch_contrast
from .geometry import Frame, Image, Rect, resize_long_side, standard_crop
from .outcome import Refusal
from .params import AnalyzerParams
from .quality import refusal, scene_refusal
from .zones import Eyes


@dataclass(frozen=True)
class Located:
    """The chosen face and the working copies derived from it."""

    scene: Image  # whole photo, long side <= detect_long_side
    face: FaceFind  # as detected, see below
    box: Rect  # face box in original coordinates
    other_faces: int  # other confirmed faces at least multiple_face_ratio as wide
    crop: Image  # colour-true crop, face box face_width_px wide
    frame: Frame  # crop -> original mapping
    local: Rect  # face box in crop coordinates
    eyes: Eyes | None  # (image-left, image-right) eye centres in crop coordinates
    # `face` is in the coordinates of the detection copy it came from (its strength and
    # neighbour count are what the report uses); `box` is the same face in the original.


def _grey(image: Image) -> Image:
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def _tilted_face(grey: Image, p: AnalyzerParams) -> bool:
    """Whether a face appears once the photo is turned back by a typical strong tilt.

    The frontal cascade only finds faces rolled less than ~20 degrees, so a strongly tilted
    head would otherwise be reported as "no face". Runs only after detection failed, and
    only for faces large enough to pass the gate (`min_face_fraction`): searching smaller
    windows would cost 4x as much to tell someone to straighten a face too small anyway.
    """
    h, w = grey.shape[:2]
    min_px = max(p.small_face_px, round(p.min_face_fraction * max(h, w)))
    for angle in p.tilt_probe_degrees:
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(grey, turn, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if detect_faces(np.asarray(turned, dtype=np.uint8), p, min_px):
            return True
    return False


def _second_pass(image: Image, p: AnalyzerParams) -> tuple[list[FaceFind], float]:
    """Pass 2 (see the module docstring): faces and the scale of the copy searched."""
    copy, scale = resize_long_side(image, p.second_pass_long_side)
    return detect_faces(local_contrast(_grey(copy), p), p, p.small_face_px, p.second_pass_confirm), scale


def locate(image: Image, p: AnalyzerParams) -> Located | Refusal:
    """Detect the largest face and crop it at the standard scale, or say why not."""
    scene, scale = resize_long_side(image, p.detect_long_side)
    grey = stretch_contrast(_grey(scene))
    faces = detect_faces(grey, p)
    if not faces:
        faces, scale = _second_pass(image, p)
    if not faces:
        return refusal("head_tilted") if _tilted_face(grey, p) else scene_refusal(scene, p)
    face = faces[0]
    others = sum(1 for f in faces[1:] if f.box.w >= p.multiple_face_ratio * face.box.w)
    box = face.box.scaled(1.0 / scale)
    crop, frame, local = standard_crop(image, box, p.face_width_px, p.crop_margin)
    # Eyes are searched at the standard scale, where their size is known in advance.
    crop_grey = stretch_contrast(_grey(crop))
    return Located(scene, face, box, others, crop, frame, local, detect_eyes(crop_grey, local))
