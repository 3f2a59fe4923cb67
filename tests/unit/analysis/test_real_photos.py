"""The engine on real photos: a face completes, a cat and a coffee cup are refused."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from skimage import data

from consumers.analysis.engine import ANALYZER_VERSION, FEATURE_VERSION, analyse
from events.analyses import SCORE_NAMES, ZONES

from ._synth import astronaut, astronaut_outcome, to_bgr


def test_astronaut_completes_with_sane_report() -> None:
    outcome = astronaut_outcome()
    assert outcome.refusal is None and outcome.report is not None
    report = outcome.report
    assert report.analyzer_version == ANALYZER_VERSION
    scores = report.scores.model_dump()
    assert set(scores) == set(SCORE_NAMES)
    assert all(0.0 <= v <= 100.0 for v in scores.values())
    assert 0.0 <= report.overall_score <= 100.0
    assert report.confidence_score > 0.3
    assert report.skin_tone.category in {"very_light", "light", "intermediate"}
    assert 1 <= report.skin_tone.monk <= 6


def test_astronaut_face_box_is_in_original_coordinates() -> None:
    face = astronaut_outcome().report.face  # type: ignore[union-attr]
    # The face sits at roughly x 177..270, y 67..160 of the 512 px photo.
    assert abs(face.x - 177) <= 8 and abs(face.y - 67) <= 8 and abs(face.w - 93) <= 10


def test_astronaut_zones_conditions_and_features_follow_the_contract() -> None:
    report = astronaut_outcome().report
    assert report is not None
    assert set(report.zones) <= set(ZONES) and len(report.zones) >= 5
    assert all(0.0 <= v <= 100.0 for zone in report.zones.values() for v in zone.values())
    assert [c.type for c in report.conditions] == [
        "acne",
        "redness",
        "hyperpigmentation",
        "wrinkles",
        "enlarged_pores",
        "dark_circles",
        "uneven_texture",
        "oiliness",
        "dryness",
    ]
    for condition in report.conditions:
        for box in condition.regions:
            assert 0 <= box.x < 512 and 0 <= box.y < 512 and box.w > 0 and box.h > 0
    assert report.feature_version == FEATURE_VERSION
    assert len(report.feature_vector) == 51
    assert math.isclose(math.fsum(v * v for v in report.feature_vector), 1.0, abs_tol=1e-4)
    assert math.isclose(sum(report.skin_type.probabilities.values()), 1.0, abs_tol=1e-3)
    assert {i.topic for i in report.insights} >= {"overall", "skin_type", "skin_tone"}
    for key in (
        "blur_variance",
        "median_luminance",
        "clipped_fraction",
        "cast_ratio",
        "skin_coverage",
        "face_width_px",
        "yaw_deg",
        "pitch_deg",
        "roll_deg",
        "landmarks_outside",
    ):
        assert key in report.metrics


def test_overlay_is_a_downscaled_jpeg_of_the_photo() -> None:
    jpeg = astronaut_outcome().overlay_jpeg
    assert jpeg is not None and jpeg[:2] == b"\xff\xd8"
    overlay = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert overlay is not None and overlay.shape == (512, 512, 3)


def test_same_input_gives_identical_output() -> None:
    first, second = analyse(astronaut().copy()), analyse(astronaut().copy())
    assert first.report is not None and second.report is not None
    assert first.report.model_dump() == second.report.model_dump()
    assert first.overlay_jpeg == second.overlay_jpeg


def test_input_array_is_not_modified() -> None:
    image = astronaut().copy()
    analyse(image)
    assert np.array_equal(image, astronaut())


@pytest.mark.parametrize("photo", ["chelsea", "coffee"])
def test_photos_without_a_face_are_refused(photo: str) -> None:
    outcome = analyse(to_bgr(getattr(data, photo)()))
    assert outcome.report is None and outcome.overlay_jpeg is None
    assert outcome.refusal is not None and outcome.refusal.reason == "no_face_detected"
    assert outcome.refusal.message.endswith(".")


@pytest.mark.parametrize(
    "bad", [np.zeros((64, 64), np.uint8), np.zeros((64, 64, 3), np.float32), np.zeros((8, 8, 3), np.uint8)]
)
def test_unusable_arrays_are_refused_as_unreadable(bad: np.ndarray) -> None:
    outcome = analyse(bad)
    assert outcome.refusal is not None and outcome.refusal.reason == "image_unreadable"
