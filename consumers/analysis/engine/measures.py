"""Raw measurements per zone, reduced from per-pixel maps and detected blobs.

Units: redness in a* units above `redness_a_reference`; oiliness as the glare fraction of
visible skin; pigmentation as percent of skin covered by dark spots; texture as mean
high-frequency grey levels; pores per 10 000 and acne per 100 000 skin pixels (at the
standard 512 px face width); wrinkles as percent of skin on a line; dark circles as the
L* drop from cheek to under-eye; evenness as band-passed CIELAB standard deviation
(L* at half weight);
radiance as the spread of L* and chroma over the skin, each relative to a fixed typical-skin mean (uniform =
radiant; fixed references keep the measure neutral to skin tone).

A metric that cannot be measured (fewer than MIN_SKIN skin pixels where it is read) never
defaults to a raw 0, which would score a perfect 100: T-zone and U-zone oiliness fall back
to the face-wide glare fraction, wrinkles and dark circles to the raw value that scores a
neutral 50 (the midpoint of their anchors). Each such metric is listed in `Raw.unmeasured`,
reported as `unmeasured_<name>: 1.0` in the metrics and lowers the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .blobs import Blob
from .params import AnalyzerParams
from .scoring import ANCHORS
from .skinmaps import WRINKLE_ZONES, Maps
from .zones import Zones

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
# Lightness counts at half amplitude (quarter variance): facial relief shades it too.
EVENNESS_WEIGHTS = np.array([0.25, 1.0, 1.0])
MIN_SKIN = 50  # fewest skin pixels a metric is read from
T_ZONE = ("forehead", "nose")
U_ZONE = ("left_cheek", "right_cheek", "chin")


def _blob_stats(blobs: list[Blob], mask: Mask) -> tuple[int, int]:
    inside = [b for b in blobs if mask[b.centre[1], b.centre[0]]]
    return len(inside), sum(b.area for b in inside)


def _colour_stats(m: Maps, skin: Mask, p: AnalyzerParams) -> dict[str, float]:
    lab = m.lab[skin]
    light, chroma = lab[:, 0], np.hypot(lab[:, 1], lab[:, 2])
    return {
        "redness": float(np.maximum(lab[:, 1] - p.redness_a_reference, 0).mean()),
        "evenness": float(np.sqrt(m.band[skin].var(axis=0) @ EVENNESS_WEIGHTS)),
        # Spread relative to FIXED typical-skin means, not the face's own: dividing by the face's mean
        # lightness and chroma would call darker, less chromatic skin less radiant.
        "radiance": float(light.std() / p.radiance_reference_lightness + chroma.std() / p.radiance_reference_chroma),
    }


def zone_raw(m: Maps, z: Zones, names: tuple[str, ...], p: AnalyzerParams) -> dict[str, float]:
    """All raw metrics over the union of the named zones."""
    skin = np.logical_or.reduce([z.skin[n] for n in names])
    area = np.logical_or.reduce([z.areas[n] for n in names])
    n_skin = int(skin.sum())
    if n_skin < MIN_SKIN:
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
        if line_skin.sum() >= MIN_SKIN:
            raw["wrinkles"] = 100.0 * float((m.lines[line_skin] > p.wrinkle_threshold).mean())
    return raw


def dark_circle_drop(m: Maps, z: Zones, side: str) -> float | None:
    """Median L* of the cheek minus that of the under-eye on one side."""
    eye, cheek = z.skin[f"{side}_under_eye"], z.skin[f"{side}_cheek"]
    if eye.sum() < MIN_SKIN or cheek.sum() < MIN_SKIN:
        return None
    return float(np.median(m.lab[..., 0][cheek]) - np.median(m.lab[..., 0][eye]))


def neutral(name: str) -> float:
    """The raw value of a metric that scores a neutral 50: the midpoint of its anchors."""
    good, bad = ANCHORS[name]
    return (good + bad) / 2.0


@dataclass(frozen=True)
class Raw:
    """Raw measurements for the whole face and per zone."""

    face: dict[str, float]  # one value per score name
    zones: dict[str, dict[str, float]]
    oil_t: float  # T-zone (forehead + nose) glare fraction
    oil_u: float  # U-zone (cheeks + chin) glare fraction
    skin_pixels: int
    unmeasured: tuple[str, ...] = ()  # metrics given a fallback value, see the docstring


def _dark_circles(m: Maps, z: Zones, zones: dict[str, dict[str, float]]) -> float | None:
    """Mean cheek-to-under-eye L* drop over the measurable sides (also set per zone)."""
    drops = []
    for side in ("left", "right"):
        drop = dark_circle_drop(m, z, side)
        if drop is not None and zones[f"{side}_under_eye"]:
            zones[f"{side}_under_eye"]["dark_circles"] = drop
            drops.append(drop)
    return float(np.mean(drops)) if drops else None


def measure_all(m: Maps, z: Zones, p: AnalyzerParams) -> Raw | None:
    """Raw metrics per zone and for the face; None when almost no skin is visible."""
    zones = {name: zone_raw(m, z, (name,), p) for name in z.areas}
    face = zone_raw(m, z, tuple(z.areas), p)
    if not face:
        return None
    found: dict[str, float | None] = {
        "oiliness": zone_raw(m, z, T_ZONE, p).get("oiliness"),  # the product's oiliness is the T-zone's
        "oiliness_u_zone": zone_raw(m, z, U_ZONE, p).get("oiliness"),
        "wrinkles": zone_raw(m, z, WRINKLE_ZONES, p).get("wrinkles"),
        "dark_circles": _dark_circles(m, z, zones),
    }
    fallback = {"oiliness": face["oiliness"], "oiliness_u_zone": face["oiliness"]}
    values = {k: v if v is not None else fallback[k] if k in fallback else neutral(k) for k, v in found.items()}
    unmeasured = tuple(k for k, v in found.items() if v is None)
    face |= {k: values[k] for k in ("oiliness", "wrinkles", "dark_circles")}
    skin_pixels = int(np.logical_or.reduce(list(z.skin.values())).sum())
    return Raw(face, zones, values["oiliness"], values["oiliness_u_zone"], skin_pixels, unmeasured)
