"""Zone-level detectors on synthetic skin patches."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from consumers.analysis.engine.blobs import dark_spots, darkness, find_blobs, red_blemishes, spot_mask
from consumers.analysis.engine.params import AnalyzerParams
from consumers.analysis.engine.scoring import score
from consumers.analysis.engine.zones import SkinRef, skin_and_glare

from ._synth import skin_patch

PARAMS = AnalyzerParams()


def plant_spots(patch: np.ndarray, n: int, channel: int, delta: float, radius: int = 5) -> np.ndarray:
    """n discs on a regular grid, shifted by `delta` in one CIELAB channel."""
    out = patch.copy()
    side = int(np.ceil(np.sqrt(n)))
    step = patch.shape[0] // (side + 1)
    for k in range(n):
        centre = (step * (1 + k % side), step * (1 + k // side))
        disc = np.zeros(patch.shape[:2], np.uint8)
        cv2.circle(disc, centre, radius, 1, -1)
        out[..., channel][disc > 0] += delta
    return out


@pytest.mark.parametrize("n", [0, 3, 8, 15])
def test_planted_dark_spots_are_counted(n: int) -> None:
    patch = plant_spots(skin_patch(), n, channel=0, delta=-12.0)
    mask = np.ones(patch.shape[:2], bool)
    lightness = np.ascontiguousarray(patch[..., 0])
    found = dark_spots(darkness(lightness, mask, PARAMS), mask, mask, PARAMS)
    assert abs(len(found) - n) <= 1, (n, len(found))


def test_more_spots_mean_lower_pigmentation() -> None:
    mask = np.ones((240, 240), bool)
    results = []
    for n in (0, 4, 12):
        lightness = np.ascontiguousarray(plant_spots(skin_patch(), n, 0, -12.0)[..., 0])
        spots = dark_spots(darkness(lightness, mask, PARAMS), mask, mask, PARAMS)
        results.append(score("pigmentation", 100.0 * sum(b.area for b in spots) / mask.sum()))
    assert results[0] > results[1] > results[2], results


def test_red_blemishes_are_counted_and_shaded_creases_are_not() -> None:
    patch = plant_spots(skin_patch(), 6, channel=1, delta=10.0, radius=6)
    mask = np.ones(patch.shape[:2], bool)
    lightness, a_star = np.ascontiguousarray(patch[..., 0]), np.ascontiguousarray(patch[..., 1])
    dark = darkness(lightness, mask, PARAMS)
    assert abs(len(red_blemishes(a_star, dark, mask, mask, PARAMS)) - 6) <= 1
    shaded = plant_spots(patch, 6, channel=0, delta=-12.0, radius=6)  # the same spots, now in shadow
    shaded_dark = darkness(np.ascontiguousarray(shaded[..., 0]), mask, PARAMS)
    assert len(red_blemishes(a_star, shaded_dark, mask, mask, PARAMS)) <= 1


def test_lines_are_not_blobs() -> None:
    response = np.zeros((100, 100), np.float32)
    cv2.line(response, (10, 50), (90, 52), 10.0, 2)
    cv2.circle(response, (50, 20), 4, 10.0, -1)
    blobs = find_blobs(response, np.ones((100, 100), bool), 5.0, 10, 500)
    assert len(blobs) == 1 and blobs[0].centre == (50, 20)


@pytest.mark.parametrize("radius", [7, 9, 12, 18])
def test_a_spot_too_dark_to_be_skin_is_found_however_wide(radius: int) -> None:
    # At 0.55x lightness the spot falls out of the skin mask, leaving a hole 15-37 px wide;
    # a 15 px closing cannot fill holes wider than itself (radius >= 8 was never counted).
    patch = skin_patch()
    disc = np.zeros(patch.shape[:2], np.uint8)
    cv2.circle(disc, (120, 120), radius, 1, -1)
    patch[..., 0][disc > 0] *= 0.55
    skin, _ = skin_and_glare(patch, SkinRef(65.0, 12.0, 18.0), PARAMS)
    assert not skin[120, 120]
    lightness = np.ascontiguousarray(patch[..., 0])
    candidates = spot_mask(skin, np.ones(skin.shape, bool), PARAMS)
    found = dark_spots(darkness(lightness, skin, PARAMS), candidates, skin, PARAMS)
    assert [b.centre for b in found] == [(120, 120)]
    assert found[0].area >= 0.8 * disc.sum()


def test_long_shadowed_folds_are_not_filled_as_spots() -> None:
    # A fold 19 px wide and ~80 px long has a spot's area but is longer than any spot of it.
    holes = np.zeros((240, 240), np.uint8)
    cv2.line(holes, (60, 100), (120, 100), 1, 19)
    cv2.circle(holes, (90, 180), 20, 1, -1)  # a round hole of about the same area
    filled = spot_mask(holes == 0, np.ones(holes.shape, bool), PARAMS)
    assert not filled[100, 90] and filled[180, 90]
