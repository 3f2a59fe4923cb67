"""The quality gate: degraded copies of the astronaut are refused for the right reason."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from consumers.analysis.engine import analyse
from consumers.analysis.engine.quality import Check

from ._synth import astronaut, astronaut_outcome, gain, on_canvas

# A mild cast is white-balanced away: every score stays within this many points.
MILD_CAST_TOLERANCE = 8.0


def reason(image: np.ndarray) -> str | None:
    outcome = analyse(image)
    return outcome.refusal.reason if outcome.refusal else None


def test_gaussian_blur_trips_image_too_blurry() -> None:
    assert reason(cv2.GaussianBlur(astronaut(), (0, 0), 3.0)) == "image_too_blurry"


def test_darkening_trips_image_too_dark() -> None:
    assert reason(gain(astronaut(), (0.15, 0.15, 0.15))) == "image_too_dark"


def test_overexposure_trips_image_overexposed() -> None:
    assert reason(gain(astronaut(), (1.5, 1.5, 1.5), offset=20)) == "image_overexposed"


def test_overexposure_so_strong_the_face_is_lost_still_names_exposure() -> None:
    assert reason(gain(astronaut(), (2.5, 2.5, 2.5), offset=40)) == "image_overexposed"


def test_strong_blue_cast_trips_strong_colour_cast() -> None:
    outcome = analyse(gain(astronaut(), (1.9, 1.0, 0.55)))  # the whole photo, face included
    assert outcome.refusal is not None and outcome.refusal.reason == "strong_colour_cast"
    assert "lighting tints" in outcome.refusal.message


@pytest.mark.parametrize("backdrop", [(200, 80, 30), (40, 180, 40)], ids=["blue", "green"])
def test_a_well_lit_face_on_a_saturated_backdrop_is_not_a_colour_cast(backdrop: tuple[int, int, int]) -> None:
    # The backdrop is ~74 % of the photo: grey-world over the whole scene would call it a cast.
    outcome = analyse(on_canvas(astronaut(), (900, 1100), backdrop, (294, 194)))
    assert outcome.report is not None, outcome.refusal
    assert "strong_colour_cast" not in {w.reason for w in outcome.report.quality_warnings}


def test_a_black_and_white_photo_is_refused_as_such() -> None:
    grey = cv2.cvtColor(cv2.cvtColor(astronaut(), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    outcome = analyse(grey)
    assert outcome.refusal is not None and outcome.refusal.reason == "strong_colour_cast"
    assert "black-and-white" in outcome.refusal.message and "tint" not in outcome.refusal.message


def test_mild_cast_is_corrected_by_white_balance() -> None:
    # At 90 % exposure: the astronaut's forehead is within 3 % of clipping, and a red gain that
    # clips it would change the shine it shows, not just its colour.
    exposed = gain(astronaut(), (0.9, 0.9, 0.9))
    base = analyse(exposed).report
    assert base is not None
    for cast in ((1.08, 1.0, 0.93), (0.92, 1.0, 1.07)):
        report = analyse(gain(exposed, cast)).report
        assert report is not None
        assert not any(w.reason == "strong_colour_cast" for w in report.quality_warnings)
        before, after = base.scores.model_dump(), report.scores.model_dump()
        worst = max(abs(before[k] - after[k]) for k in before)
        assert worst <= MILD_CAST_TOLERANCE, (cast, before, after)


def test_small_face_in_a_large_photo_trips_face_too_small() -> None:
    # A 93 px face in a 1600 px photo: 5.8 % of the long side, under the 8 % minimum.
    canvas = np.full((1600, 1600, 3), 128, np.uint8)
    canvas[544:1056, 544:1056] = astronaut()
    assert reason(canvas) == "face_too_small"


@pytest.mark.parametrize("fill", [128, 10], ids=["grey", "dark"])
def test_a_small_face_on_any_backdrop_is_too_small_not_missing_or_dark(fill: int) -> None:
    # A 93 px face in a 1800 px photo (5.2 % of the long side) is found only by the tile search;
    # a dark backdrop must not make the photo "too dark" either.
    canvas = on_canvas(astronaut(), (1350, 1800), (fill, fill, fill), (900, 500))
    assert reason(canvas) == "face_too_small"


def test_two_faces_analyse_the_largest_with_a_warning() -> None:
    small = cv2.resize(astronaut(), (400, 400), interpolation=cv2.INTER_AREA)
    canvas = np.full((512, 1000, 3), 128, np.uint8)
    canvas[:, 488:] = astronaut()
    canvas[56:456, :400] = small
    report = analyse(canvas).report
    assert report is not None
    assert "multiple_faces" in {w.reason for w in report.quality_warnings}
    assert report.face.x > 488  # the larger face, in canvas coordinates


def test_borderline_photo_completes_with_warning_and_lower_confidence() -> None:
    base = astronaut_outcome().report
    report = analyse(gain(astronaut(), (0.45, 0.45, 0.45))).report
    assert base is not None and report is not None
    assert "image_too_dark" in {w.reason for w in report.quality_warnings}
    assert report.confidence_score < base.confidence_score


def test_check_margin_and_direction() -> None:
    low_is_bad = Check("image_too_dark", value=55.0, refuse=40.0, warn=100.0)
    assert not low_is_bad.refused and 0.0 < low_is_bad.margin < 1.0
    high_is_bad = Check("image_overexposed", value=0.5, refuse=0.35, warn=0.1)
    assert high_is_bad.refused and high_is_bad.margin == 0.0
    assert Check("head_tilted", value=3.0, refuse=20.0, warn=10.0).margin == 1.0
    warn_only = Check("strong_colour_cast", value=0.9, refuse=0.4, warn=0.15, refusable=False)
    assert not warn_only.refused and warn_only.margin == 0.0


def rotated(angle: float) -> np.ndarray:
    """The astronaut rolled by `angle` degrees about her face."""
    turn = cv2.getRotationMatrix2D((223.0, 113.0), angle, 1.0)
    return np.asarray(
        cv2.warpAffine(astronaut(), turn, (512, 512), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT),
        dtype=np.uint8,
    )


def test_strong_head_tilt_is_refused_as_head_tilted_not_as_no_face() -> None:
    assert reason(rotated(28.0)) == "head_tilted"
    assert reason(rotated(-30.0)) == "head_tilted"


def test_moderate_head_tilt_completes_with_a_warning() -> None:
    report = analyse(rotated(18.0)).report
    assert report is not None
    assert "head_tilted" in {w.reason for w in report.quality_warnings}
    assert abs(report.metrics["roll_deg"]) > 10
