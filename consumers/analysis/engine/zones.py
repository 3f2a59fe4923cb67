"""Face zones and the skin mask inside them.

Zones are rectangles in an eye-aligned frame: origin at the midpoint between the eyes,
x along the eye line, unit = inter-ocular distance, so they follow roll and face size.
Without an eye pair the eyes are placed at typical Haar-box proportions.
`left_*`/`right_*` are the SUBJECT's left and right (dermatology convention), so
`left_cheek` appears on the right of the photo.

The skin mask is adaptive: a pixel is skin when its CIELAB colour is close to the face's
own median skin colour (measured below the eyes), which keeps hair, brows, eyes,
lips and background out without a fixed skin-colour range that would fail some tones.
Specular glare (much brighter and desaturated) is kept separately for oiliness.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .filters import local_background
from .geometry import Rect
from .params import AnalyzerParams

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
Eyes = tuple[NDArray[np.float64], NDArray[np.float64]]

# (u0, v0, u1, v1) in inter-ocular units; the image-left eye sits at u = -0.5.
LAYOUT: dict[str, tuple[float, float, float, float]] = {
    "forehead": (-0.6, -0.85, 0.6, -0.4),
    "nose": (-0.16, 0.1, 0.16, 0.6),
    "left_cheek": (0.3, 0.45, 0.9, 0.85),
    "right_cheek": (-0.9, 0.45, -0.3, 0.85),
    "chin": (-0.35, 1.22, 0.35, 1.48),
    "left_under_eye": (0.22, 0.16, 0.78, 0.38),
    "right_under_eye": (-0.78, 0.16, -0.22, 0.38),
}
# Reference skin colour: zones rarely hidden by hair, none dominant, so a flushed pair of
# cheeks cannot drag the reference (and thereby the rest of the mask) with it.
CORE = ("nose", "left_cheek", "right_cheek", "chin", "left_under_eye", "right_under_eye")
FALLBACK_EYES = ((0.29, 0.38), (0.71, 0.38))  # fractions of the face box


@dataclass(frozen=True)
class SkinRef:
    """The face's median skin colour in CIELAB."""

    L: float
    a: float
    b: float

    @property
    def chroma(self) -> float:
        """Distance from grey in the a*b* plane."""
        return float(np.hypot(self.a, self.b))


@dataclass(frozen=True)
class Zones:
    """Zone outlines and masks in the standardised crop."""

    polygons: dict[str, NDArray[np.float64]]
    areas: dict[str, Mask]  # the whole zone
    skin: dict[str, Mask]  # zone AND skin
    glare: Mask
    skin_any: Mask  # skin anywhere in the crop
    ref: SkinRef
    coverage: float  # skin pixels / zone pixels
    eyes_found: bool


def eye_points(face: Rect, eyes: Eyes | None) -> Eyes:
    """The detected eye centres, or typical positions inside the face box."""
    if eyes is not None:
        return eyes
    (lu, lv), (ru, rv) = FALLBACK_EYES
    left = np.array([face.x + lu * face.w, face.y + lv * face.h])
    right = np.array([face.x + ru * face.w, face.y + rv * face.h])
    return left, right


def eye_angle(eyes: Eyes) -> float:
    """Roll of the eye line in degrees, positive when the image-right eye is lower."""
    left, right = eyes
    return float(np.degrees(np.arctan2(right[1] - left[1], right[0] - left[0])))


def polygons(left: NDArray[np.float64], right: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """Zone quadrilaterals (4 x 2, crop coordinates) in the eye-aligned frame."""
    mid, along = (left + right) / 2, right - left
    down = np.array([-along[1], along[0]])  # along rotated +90 degrees: down the face
    out = {}
    for name, (u0, v0, u1, v1) in LAYOUT.items():
        corners = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
        out[name] = np.array([mid + u * along + v * down for u, v in corners])
    return out


def _raster(poly: NDArray[np.float64], shape: tuple[int, int]) -> Mask:
    canvas = np.zeros(shape, np.uint8)
    cv2.fillPoly(canvas, [np.round(poly).astype(np.int32)], 1)
    return canvas.astype(bool)


def skin_ref(lab: Floats, core: Mask) -> SkinRef:
    """Median CIELAB of the core zones (falls back to the whole crop if they are empty)."""
    px = lab[core] if core.any() else lab.reshape(-1, 3)
    med = np.median(px, axis=0)
    return SkinRef(float(med[0]), float(med[1]), float(med[2]))


def skin_and_glare(lab: Floats, ref: SkinRef, p: AnalyzerParams) -> tuple[Mask, Mask]:
    """Pixels whose colour matches the face's skin, and specular glare pixels.

    Glare is judged against the *local* skin around it (much brighter, less saturated),
    so the lit side of a face is not mistaken for shine.
    """
    light = np.ascontiguousarray(lab[..., 0])
    # Chroma is smoothed first: camera chroma is low-resolution and JPEG-blocky.
    a = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 1]), (0, 0), 1.5)
    b = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 2]), (0, 0), 1.5)
    skin = (
        (ref.a - p.skin_a_below <= a)
        & (a <= ref.a + p.skin_a_above)
        & (np.abs(b - ref.b) <= p.skin_b_tolerance)
        & (ref.L - p.skin_dark_delta <= light)
    )
    chroma = np.hypot(a, b)
    local_l = local_background(light, skin, p.glare_sigma)
    local_c = local_background(chroma, skin, p.glare_sigma)
    glare = (local_l + p.glare_delta <= light) & (chroma <= p.glare_chroma_ratio * local_c) & (light >= ref.L)
    return skin & ~glare, glare


def build_zones(lab: Floats, face: Rect, eyes: Eyes | None, p: AnalyzerParams) -> Zones:
    """Zone outlines, per-zone skin masks, glare and coverage for a standardised crop."""
    left, right = eye_points(face, eyes)
    polys = polygons(left, right)
    shape = (lab.shape[0], lab.shape[1])
    areas = {name: _raster(poly, shape) for name, poly in polys.items()}
    ref = skin_ref(lab, np.logical_or.reduce([areas[z] for z in CORE]))
    skin, glare = skin_and_glare(lab, ref, p)
    zone_skin = {name: area & skin for name, area in areas.items()}
    total = sum(int(m.sum()) for m in areas.values())
    covered = sum(int(m.sum()) for m in zone_skin.values())
    return Zones(polys, areas, zone_skin, glare, skin, ref, covered / max(total, 1), eyes is not None)
