"""Raw measurements per zone, each the mean of a per-pixel map over skin (skinmaps.py).

Every measure is relative to the face's own skin, so re-rendering a face darker or lighter
(scaling L*, shifting a* and b*) leaves it unchanged, and every measure is a continuous
*load* (how much, how strongly), not a count, so it moves with the skin and never sits at a
hard zero for a real face:
- redness: mean a* above the skin's own 15th-percentile a* (a flushed area raises it; the
  baseline moves with the skin's own colour, so any skin tone starts from the same place);
- acne: mean a* above the local surroundings (less `acne_floor`), where not in shadow;
- pigmentation: mean relative darkness below the local surroundings (less `spot_floor`), in %;
- texture: mean fine high-frequency energy of relative lightness, in %;
- pores: mean black-top-hat depth of relative lightness (less `pore_floor`), in %;
- wrinkles: mean dark-line (Gabor) depth over forehead, crow's feet and under-eyes, in %;
- oiliness: mean relative brightness above the local skin (less `shine_floor`) over the
  T-zone (forehead and nose), in %;
- dark circles: mean darkness of the under-eye skin below the cheeks' median relative
  lightness (less `dark_circle_floor`), in %;
- evenness: band-passed standard deviation of (100 rel, a*, b*), lightness at half amplitude;
- radiance (dullness): mean shortfall of the skin's lightness, less its broad shading (face
  relief, light fall-off), below its own luminous level (85th percentile), in %, plus the spread of
  colour sqrt(var a* + var b*) / `radiance_reference_chroma`: dull patches and blotchy colour
  raise it; a darker or shifted skin colour does not.

A metric that cannot be measured (fewer than MIN_SKIN skin pixels where it is read, or
texture, pores and lines in a quick analysis) gets the raw value that scores a neutral 50,
is listed in `Raw.unmeasured`, reported as `unmeasured_<name>: 1.0` in the metrics and
lowers the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from .noise import noise_floor
from .params import AnalyzerParams
from .scoring import MIDPOINTS
from .skinmaps import T_ZONE, WRINKLE_ZONES, Maps
from .zones import Zones

Mask = NDArray[np.bool_]
Floats = NDArray[np.float32]
# Lightness counts at half amplitude (quarter variance): facial relief shades it too.
EVENNESS_WEIGHTS = np.array([0.25, 1.0, 1.0])
MIN_SKIN = 30  # fewest skin pixels a metric is read from (at the 224 px face scale)
U_ZONE = ("left_cheek", "right_cheek", "chin")
PIXEL_METRICS = ("redness", "acne", "pigmentation", "texture", "pores")
FINE_DETAIL = ("texture", "pores", "wrinkles")  # need the full working scale


@dataclass(frozen=True)
class Raw:
    """Raw measurements for the whole face and per zone."""

    face: dict[str, float]  # one value per score name
    zones: dict[str, dict[str, float]]
    oil_t: float  # T-zone shine
    oil_u: float  # U-zone (cheeks + chin) shine
    skin_pixels: int
    unmeasured: tuple[str, ...] = ()


class _Stacks:
    """The maps stacked four channels deep, so OpenCV reads every mean and spread under a mask in
    one call per stack (a zone costs three calls, not twenty numpy passes)."""

    def __init__(self, m: Maps, z: Zones, p: AnalyzerParams) -> None:
        lab = m.lab
        c = m.concern
        self.a: Floats = np.asarray(cv2.merge([c["redness"], c["acne"], c["pigmentation"], c["texture"]]), np.float32)
        self.b: Floats = np.asarray(cv2.merge([c["pores"], c["wrinkles"], c["oiliness"], c["radiance"]]), np.float32)
        self.c: Floats = np.asarray(
            cv2.merge([m.band[..., 0], m.band[..., 1], m.band[..., 2], c["dark_circles"]]), np.float32
        )
        self.d = c["dark_circles"]
        self.lit = z.skin_any | z.glare | z.clipped  # where shine is read (see _shine)
        self.e = np.ascontiguousarray(lab[..., 1:3] / p.radiance_reference_chroma, dtype=np.float32)

    def read(self, mask: Mask) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Means and standard deviations (14 each: stacks a, b, c, e) under `mask`."""
        m8, (y0, y1, x0, x1) = _cropped(mask)
        means, stds = [], []
        for stack in (self.a, self.b, self.c, self.e):
            mean, std = cv2.meanStdDev(np.ascontiguousarray(stack[y0:y1, x0:x1]), mask=m8)
            means.append(mean.reshape(-1))
            stds.append(std.reshape(-1))
        return np.concatenate(means), np.concatenate(stds)


def _cropped(mask: Mask) -> tuple[NDArray[np.uint8], tuple[int, int, int, int]]:
    """The mask as uint8 cut to its bounding box, and that box (y0, y1, x0, x1): zones are small."""
    m8 = mask.view(np.uint8)
    x, y, w, h = cv2.boundingRect(m8)
    return np.ascontiguousarray(m8[y : y + h, x : x + w]), (y, y + h, x, x + w)


def _mean(values: NDArray[np.float32], mask: Mask, channel: int = 0) -> float:
    """Mean of one channel of `values` under `mask`, read inside the mask's bounding box."""
    m8, (y0, y1, x0, x1) = _cropped(mask)
    return float(cv2.mean(np.ascontiguousarray(values[y0:y1, x0:x1]), mask=m8)[channel])


def _union(masks: dict[str, Mask], names: tuple[str, ...]) -> Mask:
    if len(names) == 1:
        return masks[names[0]]
    return np.asarray(np.logical_or.reduce([masks[n] for n in names]), dtype=bool)


def _shine(st: _Stacks, z: Zones, names: tuple[str, ...]) -> float | None:
    # Clipped pixels count: within skin, a clipped highlight is shine (or overexposure, which the
    # quality gate reports). Their excess is a lower bound, as clipping flattened them.
    area = _union(z.areas, names) & st.lit
    if np.count_nonzero(area) < MIN_SKIN:
        return None
    return _mean(st.b, area, 2)


def zone_raw(st: _Stacks, z: Zones, names: tuple[str, ...], p: AnalyzerParams) -> dict[str, float]:
    """The pixel-based metrics over the skin of the named zones ({} when too little skin)."""
    skin = _union(z.skin, names)
    if np.count_nonzero(skin) < MIN_SKIN:
        return {}
    mean, std = st.read(skin)
    raw = {name: float(mean[i]) for i, name in enumerate(PIXEL_METRICS)}
    raw["evenness"] = float(np.sqrt((std[8:11] ** 2) @ EVENNESS_WEIGHTS))
    raw["radiance"] = float(mean[7] + np.hypot(std[12], std[13]))
    shine = _shine(st, z, names)
    if shine is not None:
        raw["oiliness"] = shine
    if set(names) & set(WRINKLE_ZONES):
        lines = skin & _union(z.areas, WRINKLE_ZONES)
        if np.count_nonzero(lines) >= MIN_SKIN:
            raw["wrinkles"] = _mean(st.b, lines, 1)
    return raw


def _dark_circles(st: _Stacks, z: Zones, zones: dict[str, dict[str, float]]) -> float | None:
    """Mean under-eye darkness below the cheeks (also set per under-eye zone)."""
    for side in ("left", "right"):
        eye = z.skin[f"{side}_under_eye"]
        if np.count_nonzero(eye) >= MIN_SKIN and zones[f"{side}_under_eye"]:
            zones[f"{side}_under_eye"]["dark_circles"] = _mean(st.d, eye)
    both = z.skin["left_under_eye"] | z.skin["right_under_eye"]
    return _mean(st.d, both) if np.count_nonzero(both) >= MIN_SKIN else None


def _less_noise(raw: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    return {k: max(v - floor.get(k, 0.0), 0.0) for k, v in raw.items()}


def measure_all(m: Maps, z: Zones, p: AnalyzerParams, scale: float = 1.0) -> Raw | None:
    """Raw metrics per zone and for the face (less rounding noise, noise.py; `scale` = crop
    pixels per original pixel); None when almost no skin is visible."""
    st = _Stacks(m, z, p)
    skin_bgr = np.median(m.bgr[z.skin_any][::4], axis=0) if z.skin_any.any() else np.full(3, 0.5)
    floor = noise_floor(np.asarray(skin_bgr, dtype=np.float64), scale, p)
    zones = {name: _less_noise(zone_raw(st, z, (name,), p), floor) for name in z.areas}
    face = _less_noise(zone_raw(st, z, tuple(z.areas), p), floor)
    if not face:
        return None
    found: dict[str, float | None] = {
        "oiliness": _shine(st, z, T_ZONE),
        "oiliness_u_zone": _shine(st, z, U_ZONE),
        "wrinkles": _less_noise(zone_raw(st, z, WRINKLE_ZONES, p), floor).get("wrinkles"),
        "dark_circles": _dark_circles(st, z, zones),
    }
    if not p.fine_detail:  # the quick analysis: see pipeline.py
        found |= dict.fromkeys(FINE_DETAIL)
        zones = {z_: {k: v for k, v in vals.items() if k not in FINE_DETAIL} for z_, vals in zones.items()}
    values = {k: v if v is not None else MIDPOINTS.get(k, MIDPOINTS["oiliness"]) for k, v in found.items()}
    unmeasured = tuple(k for k, v in found.items() if v is None)
    face |= {k: values[k] for k in ("oiliness", "wrinkles", "dark_circles", "texture", "pores") if k in values}
    skin_pixels = int(np.count_nonzero(z.skin_any))
    return Raw(face, zones, values["oiliness"], values["oiliness_u_zone"], skin_pixels, unmeasured)
