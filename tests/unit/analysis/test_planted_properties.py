"""Properties planted into the astronaut's skin zones move the matching scores."""

from __future__ import annotations

import cv2
import numpy as np

from consumers.analysis.engine import analyse, zone_outlines
from events.analyses import SkinReport

from ._synth import astronaut, astronaut_outcome, lab_shift, zone_mask


def report_of(image: np.ndarray) -> SkinReport:
    outcome = analyse(image)
    assert outcome.report is not None, outcome.refusal
    return outcome.report


def test_redness_added_to_cheeks_lowers_redness_monotonically() -> None:
    cheeks = zone_mask(astronaut(), ("left_cheek", "right_cheek"))
    base = astronaut_outcome().report
    assert base is not None
    scores = [base.scores.redness]
    for da in (6.0, 12.0, 18.0):
        scores.append(report_of(lab_shift(astronaut(), cheeks, da=da)).scores.redness)
    assert scores[0] > scores[1] > scores[2] > scores[3], scores
    assert scores[3] < 75  # strong flushing is reported as a condition


def test_strong_cheek_redness_is_reported_as_a_condition_with_regions() -> None:
    cheeks = zone_mask(astronaut(), ("left_cheek", "right_cheek"))
    report = report_of(lab_shift(astronaut(), cheeks, da=18.0))
    redness = next(c for c in report.conditions if c.type == "redness")
    assert redness.severity != "none" and redness.regions
    assert {"left_cheek", "right_cheek"} & set(redness.zones)


def test_planted_dark_spots_are_found_and_lower_pigmentation() -> None:
    image = astronaut()
    outlines = zone_outlines(image)
    assert isinstance(outlines, dict)
    # The smile folds make the photo-right cheek mostly non-skin, so plant where skin is clear.
    spots, centres = np.zeros(image.shape[:2], np.uint8), []
    for zone in ("right_cheek", "chin"):
        quad = outlines[zone]
        middle, across = quad.mean(axis=0), (quad[1] - quad[0]) * 0.28
        for k in (-1, 0, 1):  # three well-separated spots across the zone
            x, y = (int(v) for v in np.round(middle + k * across))
            cv2.circle(spots, (x, y), 2, 1, -1)
            centres.append((x, y))
    base = astronaut_outcome().report
    report = report_of(lab_shift(image, spots.astype(bool), dl=-15.0))
    assert base is not None
    assert report.scores.pigmentation < base.scores.pigmentation - 10
    found = next(c for c in report.conditions if c.type == "hyperpigmentation").regions
    hits = sum(any(b.x - 2 <= x <= b.x + b.w + 2 and b.y - 2 <= y <= b.y + b.h + 2 for b in found) for x, y in centres)
    assert hits >= len(centres) - 1, hits


def test_darker_under_eyes_lower_the_dark_circles_score() -> None:
    under = zone_mask(astronaut(), ("left_under_eye", "right_under_eye"))
    soft = np.asarray(cv2.GaussianBlur(under.astype(np.float32), (0, 0), 2.0), dtype=np.float32)
    report = report_of(lab_shift(astronaut(), soft, dl=-22.0))
    base = astronaut_outcome().report
    assert base is not None
    assert report.scores.dark_circles < base.scores.dark_circles - 20
    assert report.metrics["raw_dark_circles"] > base.metrics["raw_dark_circles"] + 8


def test_specular_highlights_on_the_t_zone_lower_oiliness() -> None:
    image = astronaut()
    t_zone = zone_mask(image, ("forehead", "nose"))
    ys, xs = np.nonzero(t_zone)
    shine = np.zeros(image.shape[:2], np.float32)
    for i in np.linspace(0, len(ys) - 1, 30).astype(int):
        cv2.circle(shine, (int(xs[i]), int(ys[i])), 2, 1.0, -1)
    shiny = lab_shift(image, shine, dl=14.0, da=-4.0, db=-8.0)  # brighter and desaturated
    base = astronaut_outcome().report
    report = report_of(shiny)
    assert base is not None
    assert report.scores.oiliness < base.scores.oiliness - 10
