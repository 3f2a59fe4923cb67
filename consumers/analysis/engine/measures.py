"""Raw measurements per zone, reduced from per-pixel maps and detected blobs.

Units: redness in a* units above `redness_a_reference`; oiliness as the glare fraction of
visible skin; pigmentation as percent of skin covered by dark spots; texture as mean
high-frequency grey levels; pores per 10 000 and acne per 100 000 skin pixels (at the
standard 512 px face width); wrinkles as percent of skin on a line; dark circles as the
L* drop from cheek to under-eye; evenness as band-passed CIELAB standard deviation
(L* at half weight);
radiance as the summed coefficients of variation of L* and chroma (uniform = radiant).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .blobs import Blob
from .params import AnalyzerParams
from .skinmaps import WRINKLE_ZONES, Maps
from .zones import Zones

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
# Lightness counts at half amplitude (quarter variance): facial relief shades it too.
EVENNESS_WEIGHTS = np.array([0.25, 1.0, 1.0])


def _blob_stats(blobs: list[Blob], mask: Mask) -> tuple[int, int]:
    inside = [b for b in blobs if mask[b.centre[1], b.centre[0]]]
    return len(inside), sum(b.area for b in inside)


def _colour_stats(m: Maps, skin: Mask, p: AnalyzerParams) -> dict[str, float]:
    lab = m.lab[skin]
    light, chroma = lab[:, 0], np.hypot(lab[:, 1], lab[:, 2])
    return {
        "redness": float(np.maximum(lab[:, 1] - p.redness_a_reference, 0).mean()),
        "evenness": float(np.sqrt(m.band[skin].var(axis=0) @ EVENNESS_WEIGHTS)),
        "radiance": float(light.std() / max(light.mean(), 1.0) + chroma.std() / max(chroma.mean(), 1.0)),
    }


def zone_raw(m: Maps, z: Zones, names: tuple[str, ...], p: AnalyzerParams) -> dict[str, float]:
    """All raw metrics over the union of the named zones."""
    skin = np.logical_or.reduce([z.skin[n] for n in names])
    area = np.logical_or.reduce([z.areas[n] for n in names])
    n_skin = int(skin.sum())
    if n_skin < 50:
        return {}
    glare = z.glare & area
    _, spot_area = _blob_stats(m.spots, area)
    acne, _ = _blob_stats(m.blemishes, area)
    pores, _ = _blob_stats(m.pores, area)
    raw = _colour_stats(m, skin, p)
    raw |= {
        "oiliness": float(glare.sum() / (n_skin + glare.sum())),
        "pigmentation": 100.0 * spot_area / n_skin,
        "texture": float(m.hf[skin].mean()),
        "pores": 1e4 * pores / n_skin,
        "acne": 1e5 * acne / n_skin,
    }
    if set(names) & set(WRINKLE_ZONES):
        line_skin = skin & np.logical_or.reduce([z.areas[n] for n in WRINKLE_ZONES])
        if line_skin.any():
            raw["wrinkles"] = 100.0 * float((m.lines[line_skin] > p.wrinkle_threshold).mean())
    return raw


def dark_circle_drop(m: Maps, z: Zones, side: str) -> float | None:
    """Median L* of the cheek minus that of the under-eye on one side."""
    eye, cheek = z.skin[f"{side}_under_eye"], z.skin[f"{side}_cheek"]
    if eye.sum() < 50 or cheek.sum() < 50:
        return None
    return float(np.median(m.lab[..., 0][cheek]) - np.median(m.lab[..., 0][eye]))


@dataclass(frozen=True)
class Raw:
    """Raw measurements for the whole face and per zone."""

    face: dict[str, float]  # one value per score name
    zones: dict[str, dict[str, float]]
    oil_t: float  # T-zone (forehead + nose) glare fraction
    oil_u: float  # U-zone (cheeks + chin) glare fraction
    skin_pixels: int


def measure_all(m: Maps, z: Zones, p: AnalyzerParams) -> Raw | None:
    """Raw metrics per zone and for the face; None when almost no skin is visible."""
    zones = {name: zone_raw(m, z, (name,), p) for name in z.areas}
    face = zone_raw(m, z, tuple(z.areas), p)
    if not face:
        return None
    t_zone = zone_raw(m, z, ("forehead", "nose"), p)
    u_zone = zone_raw(m, z, ("left_cheek", "right_cheek", "chin"), p)
    oil_t, oil_u = t_zone.get("oiliness", 0.0), u_zone.get("oiliness", 0.0)
    drops = []
    for side in ("left", "right"):
        drop = dark_circle_drop(m, z, side)
        if drop is not None and zones[f"{side}_under_eye"]:
            zones[f"{side}_under_eye"]["dark_circles"] = drop
            drops.append(drop)
    face["oiliness"] = oil_t  # the product's oiliness score is about the T-zone
    face["wrinkles"] = zone_raw(m, z, WRINKLE_ZONES, p).get("wrinkles", 0.0)
    face["dark_circles"] = float(np.mean(drops)) if drops else 0.0
    skin_pixels = int(np.logical_or.reduce(list(z.skin.values())).sum())
    return Raw(face, zones, oil_t, oil_u, skin_pixels)
