"""`analyse`: photo in, report (or refusal) out. Pure and deterministic.

Stages: find the face, its landmarks and pose, and build the standard crop (locate.py) ->
quality gate (quality.py) -> colour-true copy (preprocess.py) -> landmark zones and skin mask
(zones.py) -> maps and detections (skinmaps.py) -> raw measurements (measures.py) -> report
(report.py), overlay (overlay.py) and per-concern masks (masks.py). A report with any
non-finite number is never returned: the photo is refused (report.non_finite).

`quick=True` (analysis_type "quick") runs the same stages on a crop half as wide
(`quick_face_width_px`, every pixel size scaled to match), with one FaceMesh pass and without
the overlay and the masks. It measures tone, skin type and seven scores (redness, oiliness,
pigmentation, acne, dark circles, evenness, radiance); texture, pores and wrinkles need the
full scale's fine detail, so they are reported unmeasured (a neutral 50, `unmeasured_<name>`
in the metrics, lower confidence) and their conditions read "none". Conditions carry their
severity and zones but no regions (no spot, blemish or line is outlined).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from events.analyses import Notice

from .face_map import CUT_OUTS, zone_indices
from .locate import Located, locate
from .masks import render_masks
from .measures import measure_all
from .outcome import Outcome, Refusal
from .overlay import render_overlay
from .params import AnalyzerParams
from .preprocess import balanced_bgr, colour_lab, exposure_gain, neutral_mean, white_balance_gains
from .quality import build_checks, judge, measure, notice
from .report import Evidence, build_report, non_finite
from .skinmaps import build_maps
from .zones import build_zones, outlines

log = logging.getLogger(__name__)
UNREADABLE = Refusal("image_unreadable", "The photo could not be read as a colour image.")
NO_SKIN = Refusal(
    "no_face_detected",
    "We found a face but too little visible skin to measure. Make sure hair, glasses or a mask "
    "don't cover it and the light is even.",
)
UNMEASURABLE = Refusal(
    "no_face_detected",
    "We found a face but could not measure its skin reliably. Please try a clear, evenly lit, front-facing photo.",
)
CORE_ZONES = ("nose", "left_cheek", "right_cheek", "perioral")  # colour and clipping are judged here
# Sharpness is judged on the eyes and brows: their contrast (lashes, iris, eye whites, brow hair) is
# much the same for every skin tone, whereas very dark skin has so little contrast of its own that
# 8-bit rounding would pass for detail there and hide blur.
SHARPNESS_FEATURES = ("right_eye", "left_eye", "right_brow", "left_brow")


def _valid(image: NDArray[np.uint8]) -> bool:
    return (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and image.ndim == 3
        and image.shape[2] == 3
        and min(image.shape[:2]) >= 32
    )


def _core(loc: Located, zones: tuple[str, ...]) -> tuple[int, int, int, int]:
    return _bounds(loc, [i for z in zones for i in zone_indices()[z]])


def _bounds(loc: Located, indices: list[int]) -> tuple[int, int, int, int]:
    pts = loc.local[sorted(set(indices))]
    x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int), 0)
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int)
    return int(x0), int(y0), int(max(x1, x0 + 8)), int(max(y1, y0 + 8))


def _original(image: NDArray[np.uint8], loc: Located, core: tuple[int, int, int, int]) -> NDArray[np.uint8]:
    """The core's bounding box cut from the original photo (at least a few pixels)."""
    x0, y0, x1, y1 = core
    box = loc.frame.to_box(x0, y0, x1 - x0, y1 - y0, image.shape)
    if box is None or box.w < 4 or box.h < 4:
        return np.ascontiguousarray(loc.crop[y0:y1, x0:x1])
    return np.ascontiguousarray(image[box.y : box.y + box.h, box.x : box.x + box.w])


def _warnings(loc: Located, coverage: float, p: AnalyzerParams) -> list[Notice]:
    reasons = []
    if loc.other_faces:
        reasons.append("multiple_faces")
    if coverage < p.min_skin_coverage:
        reasons.append("low_skin_coverage")
    return [notice(r) for r in reasons]


def quick_params(p: AnalyzerParams) -> AnalyzerParams:
    """The parameters of a quick analysis (see the module docstring)."""
    return replace(p, face_width_px=p.quick_face_width_px, mesh_passes=1, fine_detail=False)


# AnalyzerParams is a frozen dataclass, so one shared default instance is safe.
def analyse(
    image_bgr: NDArray[np.uint8],
    params: AnalyzerParams = AnalyzerParams(),  # noqa: B008
    quick: bool = False,
) -> Outcome:
    """Analyse the skin of the largest face in an 8-bit, EXIF-oriented BGR photo."""
    if not _valid(image_bgr):
        return Outcome(None, UNREADABLE, None)
    p = quick_params(params) if quick else params
    image = np.ascontiguousarray(image_bgr)
    loc = locate(image, p)
    if isinstance(loc, Refusal):
        return Outcome(None, loc, None)
    patches = [_original(image, loc, _bounds(loc, [i for f in SHARPNESS_FEATURES for i in CUT_OUTS[f]]))]
    neutral = neutral_mean(loc.thumb, p)
    core = _core(loc, CORE_ZONES)
    metrics = measure(image, loc.thumb, loc.crop, core, patches, loc.face_width, loc.pose, p, neutral)
    checks = build_checks(metrics, p)
    refused, warnings = judge(checks)
    if refused is not None:
        return Outcome(None, refused, None)
    gains = white_balance_gains(loc.thumb, p, neutral)
    exposure = exposure_gain(loc.thumb, gains, p)
    bgr = balanced_bgr(loc.crop, gains, exposure)
    lab = colour_lab(bgr)
    # Two channels at the clip level: truly clipped (one alone is often JPEG overshoot).
    zones = build_zones(lab, loc.local, p, (loc.crop >= p.clip_level).sum(axis=2) >= 2)
    maps = build_maps(bgr, lab, zones, p)
    raw = measure_all(maps, zones, p, loc.frame.scale)
    if raw is None:
        return Outcome(None, NO_SKIN, None)
    warnings += _warnings(loc, zones.coverage, p)
    metrics |= {"wb_gain_b": gains[0], "wb_gain_g": gains[1], "wb_gain_r": gains[2], "exposure_gain": exposure}
    metrics["quick"] = float(quick)
    report = build_report(Evidence(loc, image.shape, checks, warnings, metrics, zones, maps, raw), p)
    if bad := non_finite(report):
        log.warning("analysis refused: non-finite values in the report at %s", ", ".join(bad))
        return Outcome(None, UNMEASURABLE, None)
    if quick:
        return Outcome(report, None, None)
    overlay = render_overlay(image, loc.box, loc.frame, zones, maps, p)
    return Outcome(report, None, overlay, render_masks(maps, zones, loc.frame, loc.box, p))


def zone_outlines(
    image_bgr: NDArray[np.uint8],
    params: AnalyzerParams = AnalyzerParams(),  # noqa: B008
) -> dict[str, NDArray[np.float64]] | Refusal:
    """The zone polygons `analyse` would measure, in original coordinates (N x 2 each)."""
    if not _valid(image_bgr):
        return UNREADABLE
    loc = locate(np.ascontiguousarray(image_bgr), params)
    if isinstance(loc, Refusal):
        return loc
    return {name: loc.frame.to_points(poly) for name, poly in outlines(loc.local).items()}
