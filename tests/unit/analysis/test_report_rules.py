"""Report-level rules: no NaN ever leaves the engine, unmeasurable metrics are not perfect
scores, absent conditions list nothing, and every box lies inside the image."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

# Modules, not names: every test here also runs (and fails) against the engine before the fixes.
from consumers.analysis.engine import analyse, pipeline
from consumers.analysis.engine import report as report_module
from consumers.analysis.engine.confidence import confidence
from consumers.analysis.engine.geometry import Frame
from consumers.analysis.engine.quality import Check
from consumers.analysis.engine.tone import skin_tone
from consumers.analysis.engine.zones import SkinRef, Zones
from events.analyses import SkinReport

from ._synth import astronaut, astronaut_outcome, lab_shift, zone_mask


def base_report() -> SkinReport:
    report = astronaut_outcome().report
    assert report is not None
    return report


def test_tone_of_no_pixels_raises_instead_of_returning_nan() -> None:
    with pytest.raises(ValueError, match="at least one skin pixel"):
        skin_tone(np.zeros((0, 3), np.float32))


def test_tone_falls_back_to_all_zone_skin_when_the_tone_zones_show_none() -> None:
    empty, chin = np.zeros((40, 40), bool), np.zeros((40, 40), bool)
    chin[30:40, 10:30] = True  # 200 skin pixels, none in forehead, nose or cheeks
    names = ("forehead", "nose", "left_cheek", "right_cheek", "chin", "left_under_eye", "right_under_eye")
    skin = {n: chin if n == "chin" else empty for n in names}
    zones = Zones({}, {}, skin, empty, chin, empty, empty, SkinRef(60.0, 10.0, 15.0), 0.1)
    assert np.array_equal(report_module.tone_skin(zones), chin)


def test_non_finite_values_are_found_and_would_not_survive_json() -> None:
    report = base_report()
    assert report_module.non_finite(report) == []
    tone = report.skin_tone.model_copy(update={"ita": math.nan})
    bad = report.model_copy(update={"skin_tone": tone, "metrics": report.metrics | {"skin_L": math.inf}})
    assert report_module.non_finite(bad) == ["report.skin_tone.ita", "report.metrics.skin_L"]
    with pytest.raises(ValidationError):  # what a consumer reading the event back would hit
        SkinReport.model_validate_json(bad.model_dump_json())


def test_a_report_with_a_non_finite_value_is_refused_not_published(monkeypatch: pytest.MonkeyPatch) -> None:
    report = base_report()
    nan_report = report.model_copy(update={"feature_vector": [math.nan] * len(report.feature_vector)})
    monkeypatch.setattr(pipeline, "build_report", lambda *_: nan_report)
    outcome = analyse(astronaut())
    assert outcome.report is None and outcome.overlay_jpeg is None
    assert outcome.refusal is not None and outcome.refusal.reason == "no_face_detected"
    assert "could not measure" in outcome.refusal.message
    assert "too little visible skin" in pipeline.NO_SKIN.message


def test_unmeasurable_metrics_score_neutral_not_perfect_and_are_recorded() -> None:
    # Forehead and under-eyes tinted far from skin: no skin left to read wrinkles or dark circles from.
    hidden = zone_mask(
        astronaut(), ("forehead", "left_under_eye", "right_under_eye", "left_crows_feet", "right_crows_feet")
    )
    outcome = analyse(lab_shift(astronaut(), hidden, db=-40.0))
    assert outcome.report is not None, outcome.refusal
    report = outcome.report
    assert report.scores.wrinkles == 50.0 and report.scores.dark_circles == 50.0
    assert report.metrics["unmeasured_wrinkles"] == 1.0 and report.metrics["unmeasured_dark_circles"] == 1.0
    assert "unmeasured_oiliness" not in report.metrics  # the nose still shows the T-zone
    assert not any(k.startswith("unmeasured_") for k in base_report().metrics)


def test_each_unmeasured_metric_lowers_confidence() -> None:
    checks = [Check("head_tilted", value=3.0, refuse=20.0, warn=10.0)]
    values = [confidence(0.9, checks, 0.7, 0, unmeasured=n) for n in (0, 1, 2)]
    assert values[0] > values[1] > values[2]


def test_absent_conditions_list_no_zones_or_regions() -> None:
    conditions = base_report().conditions
    # The astronaut's photo-left under-eye has freckles (zone score < 75) but the face as a whole does not.
    assert any(c.severity == "none" for c in conditions)
    for condition in conditions:
        if condition.severity == "none":
            assert condition.zones == [] and condition.regions == [], condition


@pytest.mark.parametrize(
    ("rect", "expected"),
    [
        ((10.0, 20.0, 30.0, 40.0), (10, 20, 30, 40)),
        ((-15.0, -5.0, 30.0, 40.0), (0, 0, 15, 35)),  # clipped at the top-left
        ((90.0, 70.0, 30.0, 40.0), (90, 70, 10, 10)),  # clipped at the bottom-right
        ((100.0, 20.0, 30.0, 40.0), None),  # wholly right of the image
        ((120.0, 90.0, 5.0, 5.0), None),  # wholly beyond the corner
        ((-40.0, 10.0, 30.0, 10.0), None),  # wholly left of the image
        ((50.0, 50.0, 0.2, 0.2), None),  # less than a pixel
    ],
)
def test_boxes_never_leave_the_image(
    rect: tuple[float, float, float, float], expected: tuple[int, int, int, int] | None
) -> None:
    box = Frame(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), 1.0).to_box(*rect, shape=(80, 100, 3))
    assert (None if box is None else (box.x, box.y, box.w, box.h)) == expected
