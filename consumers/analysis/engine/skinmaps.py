"""Stage 3: per-pixel maps and detections over the standard face crop.

Every map is relative to the face's own skin: lightness as a share of the skin's median
(`rel`), redness as a* above the skin's own baseline or its local surroundings. Each
per-concern map (`concern`) is the per-pixel quantity whose mean over skin is that metric's raw
value (measures.py); the masks (masks.py) draw the same maps, so a mask shows exactly what
was scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .blobs import Blob, components, find_blobs, spot_mask
from .filters import MaskedBlur
from .params import AnalyzerParams
from .preprocess import relative_lightness
from .texture import high_frequency, line_energy
from .zones import Zones

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
WRINKLE_ZONES = ("forehead", "left_crows_feet", "right_crows_feet", "left_under_eye", "right_under_eye")
T_ZONE = ("forehead", "nose")
MARKS = ("spots", "blemishes", "pores", "red_patches", "line_marks", "shine_marks")


@dataclass(frozen=True)
class Maps:
    """Per-pixel maps and detections for one standard crop."""

    bgr: Floats  # white-balanced float BGR in [0, 1]
    lab: Floats  # its CIELAB
    rel: Floats  # L* / skin median L*
    band: Floats  # band-passed (100 rel, a*, b*): blotches between ~1 and ~7 mm
    concern: dict[str, Floats]  # per-pixel contribution of each pixel-based metric
    spots: list[Blob]
    blemishes: list[Blob]
    pores: list[Blob]
    red_patches: list[Blob]
    line_marks: list[Blob]
    shine_marks: list[Blob]


def band_pass(channels: Floats, skin: MaskedBlur, p: AnalyzerParams) -> Floats:
    """Each channel lightly smoothed minus its large-scale average over skin."""
    smooth = np.asarray(cv2.GaussianBlur(channels, (0, 0), p.px(1.5)), dtype=np.float32)
    return np.asarray(smooth - skin.of(channels, p.px(12.0)), dtype=np.float32)


def _union(z: Zones, names: tuple[str, ...]) -> Mask:
    return np.asarray(np.logical_or.reduce([z.areas[n] for n in names]), dtype=bool)


def _bounds(mask: Mask) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of a mask's pixels (the whole frame when empty)."""
    ys, xs = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    if not len(xs):
        return 0, 0, mask.shape[1], mask.shape[0]
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1


def _concerns(
    rel: Floats, a_star: Floats, z: Zones, skin: MaskedBlur, p: AnalyzerParams
) -> tuple[dict[str, Floats], Floats, Floats]:
    """Per-pixel contributions, plus relative darkness and local a* excess for the detectors."""
    smooth = np.asarray(cv2.GaussianBlur(rel, (0, 0), p.px(0.7)), dtype=np.float32)
    a_s = np.asarray(cv2.GaussianBlur(a_star, (0, 0), p.px(p.acne_smoothing)), dtype=np.float32)
    # Lightness and a* share the mask and the scale, so one two-channel pass gives both backgrounds.
    backgrounds = skin.of(np.asarray(cv2.merge([smooth, a_s]), dtype=np.float32), p.px(p.background_sigma))
    background = np.ascontiguousarray(backgrounds[..., 0])
    dark = background - smooth
    red_local = a_s - backgrounds[..., 1]
    # A strided sample of the skin is enough for a percentile and keeps it cheap.
    # The 15th percentile: a flushed area (even both cheeks, ~40 % of the skin) cannot lift it.
    base = float(np.percentile(a_s[z.skin_any][::3], 15)) if z.skin_any.any() else float(z.ref.a)
    none = np.zeros(rel.shape, np.float32)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (p.odd(p.pore_kernel), p.odd(p.pore_kernel)))
    pores = np.asarray(cv2.morphologyEx(rel, cv2.MORPH_BLACKHAT, kernel), dtype=np.float32) if p.fine_detail else none
    # Lines are read on skin only: non-skin (hair, brows, shadow) is filled with the skin around it,
    # so its edge against the skin is no "line", however light or dark the skin is next to it.
    filled = np.where(z.skin_any, rel, skin.of(rel, p.px(3.0))).astype(np.float32)
    lines = line_energy(filled, p, _bounds(_union(z, WRINKLE_ZONES))) if p.fine_detail else none
    concern = {
        "redness": np.maximum(a_s - base, 0.0),
        "acne": np.where(dark < p.acne_max_darkening, np.maximum(red_local - p.acne_floor, 0.0), 0.0),
        "pigmentation": 100.0 * np.maximum(dark - p.spot_floor, 0.0),
        "texture": 100.0 * high_frequency(rel, p.texture_sigma) if p.fine_detail else none,
        "pores": 100.0 * np.maximum(pores - p.pore_floor, 0.0),
        "wrinkles": 100.0 * np.maximum(lines - p.wrinkle_floor, 0.0),
        # Shine is specular: only glare (bright *and* desaturated, zones.py) and clipped pixels count,
        # so the lit ridges of lines and folds, which keep the skin's colour, are not read as oil.
        "oiliness": 100.0 * np.maximum(smooth - background - p.shine_floor, 0.0) * (z.glare | z.clipped),
    }
    flat = smooth - skin.of(smooth, p.px(16.0))
    luminous = float(np.percentile(flat[z.skin_any][::3], 85)) if z.skin_any.any() else 0.0
    concern["radiance"] = 100.0 * np.maximum(luminous - flat, 0.0)
    cheeks = z.skin["left_cheek"] | z.skin["right_cheek"]
    cheek_level = float(np.median(rel[cheeks])) if cheeks.any() else 1.0
    concern["dark_circles"] = 100.0 * np.maximum(cheek_level - smooth - p.dark_circle_floor, 0.0)
    concern = {k: np.asarray(v, dtype=np.float32) for k, v in concern.items()}
    concern["_red_base"] = np.full((1, 1), base, np.float32)
    return concern, dark, red_local


def build_maps(bgr: Floats, lab: Floats, z: Zones, p: AnalyzerParams) -> Maps:
    """All maps and detections the measurements, masks and conditions need."""
    rel = relative_lightness(lab, z.ref.L)
    a_star = np.ascontiguousarray(lab[..., 1])
    skin = MaskedBlur(z.skin_any)
    concern, dark, red_local = _concerns(rel, a_star, z, skin, p)
    base = float(concern.pop("_red_base")[0, 0])
    channels = np.dstack([100.0 * rel, lab[..., 1], lab[..., 2]]).astype(np.float32)
    marks = _marks(dark, red_local, a_star, base, concern, z, p) if p.fine_detail else {key: [] for key in MARKS}
    return Maps(bgr=bgr, lab=lab, rel=rel, band=band_pass(channels, skin, p), concern=concern, **marks)


def _marks(
    dark: Floats,
    red_local: Floats,
    a_star: Floats,
    base: float,
    concern: dict[str, Floats],
    z: Zones,
    p: AnalyzerParams,
) -> dict[str, list[Blob]]:
    """The blobs and regions conditions and the overlay show (the quick analysis skips them)."""
    area = _union(z, tuple(z.areas))
    candidates = spot_mask(z.skin_any, area, p)
    zone_skin = area & z.skin_any
    line_mask = (concern["wrinkles"] > 100.0 * (p.wrinkle_threshold - p.wrinkle_floor)) & zone_skin
    line_mask &= _union(z, WRINKLE_ZONES)
    blemish = np.where(dark < p.acne_max_darkening, red_local, 0.0).astype(np.float32)
    pore_depth = (concern["pores"] / 100.0 + p.pore_floor).astype(np.float32)
    spot_area, acne_area = (
        (p.area(p.spot_min_area), p.area(p.spot_max_area)),
        (p.area(p.acne_min_area), p.area(p.acne_max_area)),
    )
    return {
        "spots": find_blobs(dark, candidates, p.spot_contrast, *spot_area, z.skin_any),
        "blemishes": find_blobs(blemish, candidates, p.acne_contrast, *acne_area, z.skin_any),
        "pores": find_blobs(pore_depth, candidates, p.pore_contrast, 1, p.area(12), z.skin_any),
        "red_patches": components((a_star > base + p.redness_patch_delta) & zone_skin, p.area(p.region_min_area)),
        "line_marks": components(line_mask, p.area(p.region_min_area)),
        "shine_marks": components(z.glare & _union(z, (*T_ZONE, "left_cheek", "right_cheek", "chin")), 4),
    }
