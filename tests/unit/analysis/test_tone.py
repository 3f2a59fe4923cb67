"""Skin tone from known CIELAB colours."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from consumers.analysis.engine import tone as tone_module
from consumers.analysis.engine.tone import MONK_HEX, category, ita, lab_of_bgr, monk, skin_tone


def uniform_patch(lab: tuple[float, float, float]) -> np.ndarray:
    """A 32 x 32 float BGR patch in [0, 1] whose colour is `lab` (real CIELAB)."""
    patch = np.empty((32, 32, 3), np.float32)
    patch[:] = lab
    return cv2.cvtColor(patch, cv2.COLOR_Lab2BGR)


@pytest.mark.parametrize(
    ("lab", "expected"),
    [
        ((80.0, 6.0, 14.0), "very_light"),
        ((70.0, 8.0, 20.0), "light"),
        ((62.0, 10.0, 18.0), "intermediate"),
        ((55.0, 12.0, 22.0), "tan"),
        ((45.0, 13.0, 22.0), "brown"),
        ((30.0, 10.0, 14.0), "dark"),
    ],
)
def test_uniform_patch_gives_exact_ita_and_category(lab: tuple[float, float, float], expected: str) -> None:
    tone, median = skin_tone(uniform_patch(lab))
    exact = math.degrees(math.atan((lab[0] - 50.0) / lab[2]))
    assert tone.ita == pytest.approx(exact, abs=0.01)
    assert tone.category == expected
    assert np.allclose(median, lab, atol=0.01)


@pytest.mark.parametrize(
    ("angle", "expected"),
    [
        (55.01, ("very_light", "I")),
        (55.0, ("light", "II")),
        (41.01, ("light", "II")),
        (41.0, ("intermediate", "III")),
        (28.0, ("tan", "IV")),
        (10.01, ("tan", "IV")),
        (10.0, ("brown", "V")),
        (-30.0, ("brown", "V")),  # spec: brown is -30 to 10, dark is below -30
        (-30.01, ("dark", "VI")),
    ],
)
def test_category_boundaries_and_fitzpatrick_estimate(angle: float, expected: tuple[str, str]) -> None:
    assert category(angle) == expected


def lab_with_ita(angle: float, b: float = 12.0) -> np.ndarray:
    """An exact CIELAB colour whose ITA is `angle` degrees."""
    return np.array([50.0 + b * math.tan(math.radians(angle)), 8.0, b])


@pytest.mark.parametrize(
    ("exact", "reported", "expected"),
    [
        (55.004, 55.0, "light"),  # would be very_light if judged before rounding
        (41.003, 41.0, "intermediate"),
        (28.002, 28.0, "tan"),
        (10.004, 10.0, "brown"),
        (-30.004, -30.0, "brown"),  # would be dark if judged before rounding
        (-30.006, -30.01, "dark"),
    ],
)
def test_category_is_read_from_the_reported_rounded_ita(exact: float, reported: float, expected: str) -> None:
    tone = tone_module.tone_of_lab(lab_with_ita(exact))
    assert tone.ita == reported
    assert tone.category == expected


def test_ita_is_safe_when_b_is_zero_or_negative() -> None:
    assert ita(70.0, 0.0) == pytest.approx(90.0, abs=1e-3)
    assert ita(30.0, 0.0) == pytest.approx(-90.0, abs=1e-3)
    assert -90.0 <= ita(60.0, -5.0) <= 90.0


@pytest.mark.parametrize("index", range(10))
def test_each_monk_swatch_maps_to_itself(index: int) -> None:
    hexcode = MONK_HEX[index]
    rgb = [int(hexcode[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    lab = lab_of_bgr(np.array([[rgb[::-1]]], dtype=np.float64))[0, 0]
    assert monk(ita(float(lab[0]), float(lab[2]))) == index + 1


def test_exact_lab_inverts_opencvs_lab_to_bgr() -> None:
    bgr = np.asarray(cv2.cvtColor(np.array([[[62.0, 10.0, 18.0]]], np.float32), cv2.COLOR_Lab2BGR), dtype=np.float32)
    assert np.allclose(lab_of_bgr(bgr)[0, 0], (62.0, 10.0, 18.0), atol=0.01)
