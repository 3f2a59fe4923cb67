"""Stage 3: per-pixel maps and detections over the standardised face crop."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .blobs import Blob, components, dark_spots, darkness, pores, red_blemishes, spot_mask
from .filters import local_background
from .params import AnalyzerParams
from .texture import high_frequency, line_energy
from .zones import Zones

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
WRINKLE_ZONES = ("forehead", "left_under_eye", "right_under_eye")


@dataclass(frozen=True)
class Maps:
    """Per-pixel maps and detections for one standardised crop."""

    bgr: Floats  # white-balanced float BGR in [0, 1]
    lab: Floats  # its CIELAB
    band: Floats  # band-passed L*a*b*: blotches between ~1 and ~7 mm
    hf: Floats  # fine texture energy
    lines: Floats  # dark-line (wrinkle) response
    spots: list[Blob]
    blemishes: list[Blob]
    pores: list[Blob]
    red_patches: list[Blob]
    line_marks: list[Blob]
    shine_marks: list[Blob]


def band_pass(lab: Floats, skin: Mask) -> Floats:
    """Each channel lightly smoothed minus its large-scale average over skin."""
    out = np.empty_like(lab)
    for c in range(3):
        ch = np.ascontiguousarray(lab[..., c])
        out[..., c] = cv2.GaussianBlur(ch, (0, 0), 3.0) - local_background(ch, skin, 25.0)
    return out


def _union(z: Zones, names: tuple[str, ...]) -> Mask:
    return np.asarray(np.logical_or.reduce([z.areas[n] for n in names]), dtype=bool)


def build_maps(bgr: Floats, lab: Floats, texture: NDArray[np.uint8], z: Zones, p: AnalyzerParams) -> Maps:
    """All maps and detections the measurements and conditions need."""
    area = _union(z, tuple(z.areas))
    lightness, a_star = np.ascontiguousarray(lab[..., 0]), np.ascontiguousarray(lab[..., 1])
    dark = darkness(lightness, z.skin_any, p)
    candidates = spot_mask(z.skin_any, area, p)
    lines = line_energy(texture, p)
    zone_skin = area & z.skin_any
    line_mask = (lines > p.wrinkle_threshold) & zone_skin & _union(z, WRINKLE_ZONES)
    return Maps(
        bgr=bgr,
        lab=lab,
        band=band_pass(lab, z.skin_any),
        hf=high_frequency(texture),
        lines=lines,
        spots=dark_spots(dark, candidates, z.skin_any, p),
        blemishes=red_blemishes(a_star, dark, candidates, z.skin_any, p),
        pores=pores(texture, candidates, z.skin_any, p),
        red_patches=components((a_star > z.ref.a + p.redness_patch_delta) & zone_skin, p.region_min_area),
        line_marks=components(line_mask, p.region_min_area),
        shine_marks=components(z.glare & area, p.region_min_area),
    )
