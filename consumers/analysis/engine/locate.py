"""Stage 1: find the face and build the standardised working crop."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .face import FaceFind, detect_eyes, detect_faces, stretch_contrast
from .geometry import Frame, Image, Rect, resize_long_side, standard_crop
from .outcome import Refusal
from .params import AnalyzerParams
from .quality import refusal, scene_refusal
from .zones import Eyes


@dataclass(frozen=True)
class Located:
    """The chosen face and the working copies derived from it."""

    scene: Image  # whole photo, long side <= detect_long_side
    face: FaceFind  # in scene coordinates
    box: Rect  # face box in original coordinates
    other_faces: int  # other confirmed faces at least multiple_face_ratio as wide
    crop: Image  # colour-true crop, face box face_width_px wide
    frame: Frame  # crop -> original mapping
    local: Rect  # face box in crop coordinates
    eyes: Eyes | None  # (image-left, image-right) eye centres in crop coordinates


def _grey(image: Image) -> Image:
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def _tilted_face(grey: Image, p: AnalyzerParams) -> bool:
    """Whether a face appears once the photo is turned back by a typical strong tilt.

    The frontal cascade only finds faces rolled less than ~20 degrees, so a strongly tilted
    head would otherwise be reported as "no face". Runs only after detection failed.
    """
    h, w = grey.shape[:2]
    for angle in p.tilt_probe_degrees:
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(grey, turn, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if detect_faces(np.asarray(turned, dtype=np.uint8), p):
            return True
    return False


def locate(image: Image, p: AnalyzerParams) -> Located | Refusal:
    """Detect the largest face and crop it at the standard scale, or say why not."""
    scene, scale = resize_long_side(image, p.detect_long_side)
    grey = stretch_contrast(_grey(scene))
    faces = detect_faces(grey, p)
    if not faces:
        return refusal("head_tilted") if _tilted_face(grey, p) else scene_refusal(scene, p)
    face = faces[0]
    others = sum(1 for f in faces[1:] if f.box.w >= p.multiple_face_ratio * face.box.w)
    box = face.box.scaled(1.0 / scale)
    crop, frame, local = standard_crop(image, box, p.face_width_px, p.crop_margin)
    # Eyes are searched at the standard scale, where their size is known in advance.
    crop_grey = stretch_contrast(_grey(crop))
    return Located(scene, face, box, others, crop, frame, local, detect_eyes(crop_grey, local))
