"""A second real face: Grace Hopper's portrait (matplotlib's sample data), an elderly face with glasses on a
grainy studio print. Its lines, texture and pores must read clearly worse than the astronaut's smoother face."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from matplotlib import cbook

from consumers.analysis.engine import analyse
from events.analyses import SCORE_NAMES, SkinReport

from ._synth import astronaut_outcome


@lru_cache(maxsize=1)
def hopper() -> SkinReport:
    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None
    outcome = analyse(np.ascontiguousarray(image))
    assert outcome.report is not None, outcome.refusal
    return outcome.report


def test_the_face_is_found_frontal_and_placed_on_her_face() -> None:
    report = hopper()
    assert abs(report.metrics["yaw_deg"]) < 10 and abs(report.metrics["roll_deg"]) < 10
    box = report.face  # her face sits at roughly x 175-355, y 135-335 of the 512 x 600 portrait
    assert 150 <= box.x <= 200 and 110 <= box.y <= 160 and 150 <= box.w <= 220


def test_an_elderly_face_scores_worse_where_age_shows() -> None:
    young, old = astronaut_outcome().report, hopper()
    assert young is not None
    for name in ("wrinkles", "texture", "pores"):
        assert getattr(old.scores, name) < getattr(young.scores, name) - 25, name
    assert old.overall_score < young.overall_score - 20
    assert old.score_bands["wrinkles"] == "poor"


def test_no_score_is_pinned_to_either_end() -> None:
    for report in (astronaut_outcome().report, hopper()):
        assert report is not None
        scores = [getattr(report.scores, n) for n in SCORE_NAMES]
        assert all(1.0 < v < 97.0 for v in scores), scores
