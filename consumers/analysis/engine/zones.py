"""Face zones as landmark polygons, and the skin mask inside them.

Zones are the polygons of face_map.py over the FaceMesh landmarks in the standard crop, so
they follow the face's own shape, expression and pose. Eyes, brows, lips and nostrils are cut
out of every zone (grown by `cut_out_margin` of the face width).

The skin mask is adaptive: a pixel is skin when its CIELAB colour is close to the face's own
median skin colour (measured over the cheeks, nose, chin and under-eyes), with lightness
judged as a *share* of the skin's lightness, so hair, glasses, beard and deep shadow drop out
for every skin tone without a fixed skin-colour range. Specular glare (much brighter than the
skin around it and desaturated) is kept separately for oiliness.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .face_map import CUT_OUTS, zone_indices
from .filters import MaskedBlur
from .params import AnalyzerParams

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
Points = NDArray[np.float64]
# Reference skin colour: zones rarely hidden by hair, none dominant, so a flushed pair of
# cheeks cannot drag the reference (and thereby the rest of the mask) with it.
CORE = ("nose", "left_cheek", "right_cheek", "chin", "left_under_eye", "right_under_eye")


@dataclass(frozen=True)
class SkinRef:
    """The face's median skin colour in CIELAB."""

    L: float
    a: float
    b: float


@dataclass(frozen=True)
class Zones:
    """Zone outlines and masks in the standard crop."""

    polygons: dict[str, Points]
    areas: dict[str, Mask]  # the zone less the cut-outs
    skin: dict[str, Mask]  # zone AND skin
    glare: Mask
    skin_any: Mask  # skin anywhere in the zones
    clipped: Mask  # pixels with a clipped channel: no true colour or brightness left
    cut_outs: Mask
    ref: SkinRef
    coverage: float  # skin pixels / zone pixels


def outlines(local: Points) -> dict[str, Points]:
    """Zone polygons (N x 2, crop coordinates) from the crop's landmarks."""
    return {name: local[list(idx)] for name, idx in zone_indices().items()}


def _raster(polys: list[Points], shape: tuple[int, int]) -> Mask:
    canvas = np.zeros(shape, np.uint8)
    cv2.fillPoly(canvas, [np.round(p).astype(np.int32) for p in polys], 1)
    return canvas.astype(bool)


def cut_out_mask(local: Points, shape: tuple[int, int], grow_px: int) -> Mask:
    """Eyes, brows, lips and nostrils, grown by `grow_px`."""
    mask = _raster([local[list(idx)] for idx in CUT_OUTS.values()], shape).astype(np.uint8)
    if grow_px > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow_px + 1, 2 * grow_px + 1))
        mask = np.asarray(cv2.dilate(mask, kernel), dtype=np.uint8)
    return mask.astype(bool)


def skin_ref(lab: Floats, core: Mask) -> SkinRef:
    """Median CIELAB of the core zones (falls back to the whole crop if they are empty)."""
    px = lab[core] if core.any() else lab.reshape(-1, 3)
    med = np.median(px[::2], axis=0)  # every other pixel: the same median, half the cost
    return SkinRef(float(med[0]), float(med[1]), float(med[2]))


def skin_and_glare(lab: Floats, area: Mask, clipped: Mask, ref: SkinRef, p: AnalyzerParams) -> tuple[Mask, Mask]:
    """Pixels of `area` whose colour matches the face's skin, and specular glare pixels.

    A clipped pixel (two channels at `clip_level`) has lost its true colour, so it is never skin;
    it can still be glare.
    """
    light = np.ascontiguousarray(lab[..., 0])
    # Chroma is smoothed first: camera chroma is low-resolution and JPEG-blocky.
    a = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 1]), (0, 0), p.px(1.0))
    b = cv2.GaussianBlur(np.ascontiguousarray(lab[..., 2]), (0, 0), p.px(1.0))
    skin = (
        (area & ~clipped)
        & (ref.a - p.skin_a_below <= a)
        & (a <= ref.a + p.skin_a_above)
        & (np.abs(b - ref.b) <= p.skin_b_tolerance)
        & (light >= p.skin_dark_ratio * ref.L)
    )
    chroma = np.hypot(a, b)
    both = np.asarray(cv2.merge([light, chroma.astype(np.float32)]), dtype=np.float32)
    local = MaskedBlur(skin).of(both, p.px(p.glare_sigma))
    local_l, local_c = local[..., 0], local[..., 1]
    glare = (
        area
        & (light >= local_l * (1.0 + p.glare_delta))
        & (chroma <= p.glare_chroma_ratio * local_c)
        & (light >= ref.L)
    )
    return skin & ~glare, glare


def build_zones(lab: Floats, local: Points, p: AnalyzerParams, clipped: Mask | None = None) -> Zones:
    """Zone outlines, per-zone skin masks, glare and coverage for a standard crop."""
    shape = (lab.shape[0], lab.shape[1])
    polys = outlines(local)
    cuts = cut_out_mask(local, shape, max(1, round(p.cut_out_margin * p.face_width_px)))
    areas = {name: _raster([poly], shape) & ~cuts for name, poly in polys.items()}
    union = np.logical_or.reduce(list(areas.values()))
    ref = skin_ref(lab, np.logical_or.reduce([areas[z] for z in CORE]))
    clipped = np.zeros(shape, bool) if clipped is None else clipped
    skin, glare = skin_and_glare(lab, union, clipped, ref, p)
    zone_skin = {name: area & skin for name, area in areas.items()}
    total = sum(int(m.sum()) for m in areas.values())
    covered = sum(int(m.sum()) for m in zone_skin.values())
    return Zones(polys, areas, zone_skin, glare, skin, clipped, cuts, ref, covered / max(total, 1))
