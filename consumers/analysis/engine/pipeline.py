"""`analyse`: photo in, report (or refusal) out. Pure and deterministic.

Stages: locate the face and build working copies (locate.py) -> quality gate
(quality.py) -> colour-true and texture copies (preprocess.py) -> zones and skin mask
(zones.py) -> maps and detections (skinmaps.py) -> raw measurements (measures.py) ->
report (report.py) and overlay (overlay.py). A report with any non-finite number is
never returned: the photo is refused (report.non_finite) and the paths are logged.
"""

from __future__ import annotations

import logging

import numpy as np
from numpy.typing import NDArray

from events.analyses import Notice

from .locate import Located, locate
from .measures import measure_all
from .outcome import Outcome, Refusal
from .overlay import render_overlay
from .params import AnalyzerParams
from .preprocess import balanced_bgr, colour_lab, exposure_gain, texture_lightness, white_balance_gains
from .quality import build_checks, judge, measure, notice
from .report import Evidence, build_report, non_finite
from .skinmaps import build_maps
from .zones import build_zones, eye_angle, eye_points, polygons

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


def _valid(image: NDArray[np.uint8]) -> bool:
    return (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and image.ndim == 3
        and image.shape[2] == 3
        and min(image.shape[:2]) >= 32
    )


def _quality(image: NDArray[np.uint8], loc: Located, p: AnalyzerParams) -> dict[str, float]:
    metrics = measure(image, loc.scene, loc.crop, loc.box, loc.local, p)
    if loc.eyes is not None:
        metrics["eye_angle_deg"] = eye_angle(loc.eyes)
    metrics["face_detection_neighbours"] = float(loc.face.neighbours)
    metrics["face_confirm_iou"] = loc.face.confirm_iou
    return metrics


# AnalyzerParams is a frozen dataclass, so one shared default instance is safe.
def analyse(image_bgr: NDArray[np.uint8], params: AnalyzerParams = AnalyzerParams()) -> Outcome:  # noqa: B008
    """Analyse the skin of the largest face in an 8-bit, EXIF-oriented BGR photo."""
    if not _valid(image_bgr):
        return Outcome(None, UNREADABLE, None)
    image = np.ascontiguousarray(image_bgr)
    loc = locate(image, params)
    if isinstance(loc, Refusal):
        return Outcome(None, loc, None)
    metrics = _quality(image, loc, params)
    checks = build_checks(metrics, params)
    refused, warnings = judge(checks)
    if refused is not None:
        return Outcome(None, refused, None)
    gains = white_balance_gains(loc.scene, params)
    exposure = exposure_gain(loc.scene, gains, params)
    bgr = balanced_bgr(loc.crop, gains, exposure)
    lab = colour_lab(bgr)
    zones = build_zones(lab, loc.local, loc.eyes, params)
    maps = build_maps(bgr, lab, texture_lightness(lab, params), zones, params)
    raw = measure_all(maps, zones, params)
    if raw is None:
        return Outcome(None, NO_SKIN, None)
    warnings += _extra_warnings(loc, zones.coverage, zones.eyes_found, params)
    metrics |= {"wb_gain_b": gains[0], "wb_gain_g": gains[1], "wb_gain_r": gains[2], "exposure_gain": exposure}
    evidence = Evidence(loc, image.shape, checks, warnings, metrics, zones, maps, raw)
    report = build_report(evidence, params)
    if bad := non_finite(report):
        log.warning("analysis refused: non-finite values in the report at %s", ", ".join(bad))
        return Outcome(None, UNMEASURABLE, None)
    return Outcome(report, None, render_overlay(image, loc.box, loc.frame, zones, maps, params))


def _extra_warnings(loc: Located, coverage: float, eyes_found: bool, p: AnalyzerParams) -> list[Notice]:
    reasons = []
    if loc.other_faces:
        reasons.append("multiple_faces")
    if coverage < p.min_skin_coverage:
        reasons.append("low_skin_coverage")
    if not eyes_found:
        reasons.append("eyes_not_found")
    return [notice(r) for r in reasons]


def zone_outlines(
    image_bgr: NDArray[np.uint8],
    params: AnalyzerParams = AnalyzerParams(),  # noqa: B008
) -> dict[str, NDArray[np.float64]] | Refusal:
    """The zone quadrilaterals `analyse` would measure, in original coordinates (4 x 2 each)."""
    if not _valid(image_bgr):
        return UNREADABLE
    loc = locate(np.ascontiguousarray(image_bgr), params)
    if isinstance(loc, Refusal):
        return loc
    left, right = eye_points(loc.local, loc.eyes)
    return {name: loc.frame.to_points(poly) for name, poly in polygons(left, right).items()}
