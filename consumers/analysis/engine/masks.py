"""Per-concern masks: one 8-bit greyscale PNG per score, like the vendors' mask outputs.

Each mask covers the report's face box (`report.face`, original coordinates): stretch it over
that box to overlay it on the photo. Its long side is `mask_long_side`; the value of a pixel
(0-255) is how strongly it contributed to that score, 255 at four times the metric's midpoint
(scoring.py), and 0 outside the zones the metric is read from. The maps are those the scores
are the means of (skinmaps.py), so a mask shows exactly what was scored; evenness draws the
band-passed colour deviation, radiance the shortfall below the skin's luminous level, and
dark circles how much darker each under-eye pixel is than the cheeks' median.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import SCORE_NAMES, Box

from .geometry import Frame
from .measures import EVENNESS_WEIGHTS
from .params import AnalyzerParams
from .scoring import MIDPOINTS
from .skinmaps import T_ZONE, WRINKLE_ZONES, Maps
from .zones import Zones

Floats = NDArray[np.float32]
Mask = NDArray[np.bool_]
UNDER_EYES = ("left_under_eye", "right_under_eye")


def _union(z: Zones, names: tuple[str, ...], with_glare: bool = False) -> Mask:
    area = np.logical_or.reduce([z.areas[n] for n in names])
    return np.asarray(area & (z.skin_any | z.glare | z.clipped if with_glare else z.skin_any), dtype=bool)


def concern_maps(m: Maps, z: Zones) -> dict[str, tuple[Floats, Mask]]:
    """Each score's per-pixel map and where it is read, in crop coordinates."""
    everywhere = _union(z, tuple(z.areas))
    out = {name: (m.concern[name], everywhere) for name in ("redness", "acne", "pigmentation", "texture", "pores")}
    out["wrinkles"] = (m.concern["wrinkles"], _union(z, WRINKLE_ZONES))
    out["oiliness"] = (m.concern["oiliness"], _union(z, T_ZONE, with_glare=True))
    out["dark_circles"] = (m.concern["dark_circles"], _union(z, UNDER_EYES))
    weights = np.sqrt(EVENNESS_WEIGHTS).astype(np.float32)
    out["evenness"] = (np.sqrt(((m.band * weights) ** 2).sum(axis=2)), everywhere)
    out["radiance"] = (m.concern["radiance"], everywhere)
    return out


def _to_face_box(frame: Frame, box: Box, long_side: int) -> tuple[NDArray[np.float64], tuple[int, int]]:
    """crop -> mask pixels: crop -> original (frame), then the face box scaled to `long_side`."""
    s = long_side / max(box.w, box.h)
    size = (max(1, round(box.w * s)), max(1, round(box.h * s)))
    to_mask = np.array([[s, 0.0, -box.x * s], [0.0, s, -box.y * s], [0.0, 0.0, 1.0]])
    inverse = np.vstack([frame.inverse, [0.0, 0.0, 1.0]])
    return (to_mask @ inverse)[:2], size


def render_masks(m: Maps, z: Zones, frame: Frame, box: Box, p: AnalyzerParams) -> dict[str, bytes]:
    """PNG bytes of every score's mask (see the module docstring)."""
    matrix, size = _to_face_box(frame, box, p.mask_long_side)
    maps = concern_maps(m, z)
    levels = []
    for name in SCORE_NAMES:
        values, where = maps[name]
        level = np.clip(values * (255.0 / (4.0 * MIDPOINTS[name])), 0, 255).astype(np.uint8)
        levels.append(level * where.astype(np.uint8))
    levels += [levels[0]] * (-len(levels) % 4)
    warped: list[NDArray[np.uint8]] = []
    for i in range(0, len(levels), 4):  # warpAffine moves four channels at once
        stack = cv2.warpAffine(cv2.merge(levels[i : i + 4]), matrix, size, flags=cv2.INTER_LINEAR, borderValue=0)
        warped += [np.asarray(c, dtype=np.uint8) for c in cv2.split(stack)]
    out = {}
    for name, grey in zip(SCORE_NAMES, warped, strict=False):
        ok, buf = cv2.imencode(".png", grey, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        if not ok:
            raise RuntimeError(f"PNG encoding of the {name} mask failed")
        out[name] = buf.tobytes()
    return out
