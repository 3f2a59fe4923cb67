"""Darker skin in good light is analysed like lighter skin: exposure and sharpness are
judged from the light and the optics, never from how dark the skin itself is."""

from __future__ import annotations

import cv2
import pytest

from consumers.analysis.engine import analyse
from consumers.analysis.engine.geometry import Rect, resize_long_side, standard_crop
from consumers.analysis.engine.params import AnalyzerParams
from consumers.analysis.engine.quality import build_checks, judge, measure

from ._synth import Image, astronaut, astronaut_with_monk_skin, gain

PARAMS = AnalyzerParams()
FACE = Rect(177.0, 67.0, 95.0, 95.0)  # the astronaut's face box, so the gate is tested without detection


def gate(image: Image) -> tuple[str | None, set[str]]:
    """The quality gate's refusal reason and warnings for the astronaut's face box."""
    scene, _ = resize_long_side(image, PARAMS.detect_long_side)
    crop, _, local = standard_crop(image, FACE, PARAMS.face_width_px, PARAMS.crop_margin)
    refused, warnings = judge(build_checks(measure(image, scene, crop, FACE, local, PARAMS), PARAMS))
    return (refused.reason if refused else None), {w.reason for w in warnings}


def skin(monk: int | None) -> Image:
    return astronaut() if monk is None else astronaut_with_monk_skin(monk)


@pytest.mark.parametrize("monk", [9, 10])
def test_dark_skin_in_a_well_lit_photo_is_not_too_dark_or_blurry(monk: int) -> None:
    outcome = analyse(skin(monk))
    assert outcome.report is not None, outcome.refusal  # also needs the second detection pass
    warnings = {w.reason for w in outcome.report.quality_warnings}
    assert "image_too_dark" not in warnings
    assert "image_too_blurry" not in warnings
    assert outcome.report.skin_tone.monk >= 8  # the recolouring really made the skin dark


@pytest.mark.parametrize("monk", [None, 9, 10])
def test_exposure_is_judged_from_the_light_not_the_skin(monk: int | None) -> None:
    refused, warnings = gate(skin(monk))
    assert refused is None and "image_too_dark" not in warnings
    assert gate(gain(skin(monk), (0.15, 0.15, 0.15)))[0] == "image_too_dark"


@pytest.mark.parametrize("monk", [None, 10])
def test_a_genuinely_under_exposed_photo_is_still_refused_as_too_dark(monk: int | None) -> None:
    outcome = analyse(gain(skin(monk), (0.15, 0.15, 0.15)))
    assert outcome.refusal is not None and outcome.refusal.reason == "image_too_dark"


@pytest.mark.parametrize("monk", [None, 9, 10])
def test_sharpness_is_judged_alike_for_every_skin_tone(monk: int | None) -> None:
    # Slight softness (sigma 0.5 px) passes for every tone; clear blur is refused for every tone.
    refused, warnings = gate(cv2.GaussianBlur(skin(monk), (0, 0), 0.5))
    assert refused is None and "image_too_blurry" not in warnings
    assert gate(cv2.GaussianBlur(skin(monk), (0, 0), 1.5))[0] == "image_too_blurry"


def test_gaussian_blur_is_still_refused_as_blurry() -> None:
    outcome = analyse(cv2.GaussianBlur(astronaut(), (0, 0), 1.5))
    assert outcome.refusal is not None and outcome.refusal.reason == "image_too_blurry"


@pytest.mark.parametrize("monk", [9, 10])
def test_radiance_does_not_penalise_darker_skin(monk: int) -> None:
    light, dark = analyse(astronaut()).report, analyse(astronaut_with_monk_skin(monk)).report
    assert light is not None and dark is not None
    # Measured against fixed typical-skin references, not the face's own (lower) lightness and chroma.
    assert dark.scores.radiance >= light.scores.radiance - 10
