"""Conditions: each a health score (same 0-100 scale as the scores, higher is healthier),
a severity from scoring.SEVERITY_CUTS, the zones where it shows and boxes in the ORIGINAL
image. Every condition is always listed (severity "none" when absent) so clients get a
stable shape; zones and regions are given only when the condition is present (a
severity-"none" condition lists neither). Regions wholly outside the image are dropped.

Dryness has no score of its own: its health is 100 * (1 - roughness * (1 - shine)),
the same signal the skin-type rule uses (skin_type.dryness_index).
"""

from __future__ import annotations

import numpy as np

from events.analyses import Box, Condition

from .blobs import Blob
from .geometry import Frame
from .params import AnalyzerParams
from .scoring import severity
from .skinmaps import Maps
from .zones import Zones

# condition type -> score name whose health it reports (None: derived, see docstring)
CONDITION_SCORES: dict[str, str | None] = {
    "acne": "acne",
    "redness": "redness",
    "hyperpigmentation": "pigmentation",
    "wrinkles": "wrinkles",
    "enlarged_pores": "pores",
    "dark_circles": "dark_circles",
    "uneven_texture": "texture",
    "oiliness": "oiliness",
    "dryness": None,
}
FLAG_BELOW = 75.0  # a zone is listed when its score is below the "none" cut


def _zone_box(poly: np.ndarray, frame: Frame, shape: tuple[int, ...]) -> Box | None:
    x0, y0 = poly.min(axis=0)
    x1, y1 = poly.max(axis=0)
    return frame.to_box(float(x0), float(y0), float(x1 - x0), float(y1 - y0), shape)


def _blob_boxes(blobs: list[Blob], frame: Frame, shape: tuple[int, ...], limit: int) -> list[Box]:
    largest = sorted(blobs, key=lambda b: (-b.area, b.y, b.x))[:limit]
    return _kept([frame.to_box(b.x, b.y, b.w, b.h, shape) for b in largest])


def _kept(boxes: list[Box | None]) -> list[Box]:
    return [b for b in boxes if b is not None]


def _flagged(zone_scores: dict[str, dict[str, float]], name: str) -> list[str]:
    return [z for z, s in zone_scores.items() if name in s and s[name] < FLAG_BELOW]


def build_conditions(
    scores: dict[str, float],
    zone_scores: dict[str, dict[str, float]],
    dryness: float,
    maps: Maps,
    zones: Zones,
    frame: Frame,
    shape: tuple[int, ...],
    p: AnalyzerParams,
) -> list[Condition]:
    """All conditions, in a fixed order."""
    marks = {
        "acne": maps.blemishes,
        "redness": maps.red_patches,
        "hyperpigmentation": maps.spots,
        "wrinkles": maps.line_marks,
        "enlarged_pores": maps.pores,
        "oiliness": maps.shine_marks,
    }
    dry_zones = [z for z in _flagged(zone_scores, "texture") if zone_scores[z].get("oiliness", 0) >= FLAG_BELOW]
    out = []
    for ctype, score_name in CONDITION_SCORES.items():
        health = round(dryness, 1) if score_name is None else scores[score_name]
        sev = severity(health)
        where: list[str] = []
        regions: list[Box] = []
        if sev != "none":
            where = dry_zones if score_name is None else _flagged(zone_scores, score_name)
            if ctype in marks:
                regions = _blob_boxes(marks[ctype], frame, shape, p.max_regions)
            else:
                regions = _kept([_zone_box(zones.polygons[z], frame, shape) for z in where])
        out.append(Condition(type=ctype, severity=sev, score=health, zones=where, regions=regions))
    return out
