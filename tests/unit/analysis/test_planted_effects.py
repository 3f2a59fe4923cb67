"""Each of the ten scores falls monotonically as a matching effect planted into the astronaut's skin grows,
and none sits at the top of its range for this ordinary adult face."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from consumers.analysis.engine import analyse
from events.analyses import SCORE_NAMES, SkinReport

from ._synth import Image, astronaut, astronaut_outcome, lab_shift, zone_mask

STRENGTHS = (1.0, 2.0, 3.0)
EVERY_ZONE = ("forehead", "nose", "left_cheek", "right_cheek", "chin")


def report_of(image: Image) -> SkinReport:
    outcome = analyse(image)
    assert outcome.report is not None, outcome.refusal
    return outcome.report


def dots(zones: tuple[str, ...], count: int, radius: int) -> np.ndarray:
    """`count` evenly spread discs inside the zones (float mask)."""
    ys, xs = np.nonzero(zone_mask(astronaut(), zones))
    out = np.zeros(astronaut().shape[:2], np.float32)
    for i in np.linspace(0, len(ys) - 1, count + 2)[1:-1].astype(int):
        cv2.circle(out, (int(xs[i]), int(ys[i])), radius, 1.0, -1)
    return out


def soft(zones: tuple[str, ...], sigma: float = 2.0) -> np.ndarray:
    mask = zone_mask(astronaut(), zones).astype(np.float32)
    return np.asarray(cv2.GaussianBlur(mask, (0, 0), sigma), dtype=np.float32)


def texture_noise(s: float) -> Image:
    rng = np.random.default_rng(3)
    grain = rng.normal(0.0, 1.0, astronaut().shape[:2]).astype(np.float32)
    return lab_shift(astronaut(), soft(EVERY_ZONE) * grain, dl=2.0 * s)


def lines(s: float) -> Image:
    mask = np.zeros(astronaut().shape[:2], np.float32)
    for y in range(82, 98, 4):  # thin horizontal lines across the forehead
        cv2.line(mask, (200, y), (252, y), 1.0, 1)
    for x0, y0 in ((188, 104), (258, 104)):  # and fans at the outer eye corners
        for dy in (-3, 0, 3):
            cv2.line(mask, (x0, y0 + dy), (x0 - 8 if x0 < 220 else x0 + 8, y0 + dy + 2 * dy // 3), 1.0, 1)
    return lab_shift(astronaut(), mask * soft(("forehead", "left_crows_feet", "right_crows_feet"), 1.0), dl=-5.0 * s)


def blotches(s: float, sigma: float, dl: float, da: float) -> Image:
    rng = np.random.default_rng(5)
    field = cv2.GaussianBlur(rng.normal(0.0, 1.0, astronaut().shape[:2]).astype(np.float32), (0, 0), sigma)
    field = -np.abs(field) / float(np.abs(field).max())  # darker patches only: the skin is near clipping
    return lab_shift(astronaut(), soft(EVERY_ZONE) * field, dl=dl * s, da=da * s)


PLANTS: dict[str, Callable[[float], Image]] = {
    "redness": lambda s: lab_shift(astronaut(), soft(("left_cheek", "right_cheek"), 3.0), da=4.0 * s),
    "oiliness": lambda s: lab_shift(
        astronaut(), dots(("forehead", "nose"), 30, 2), dl=6.0 * s, da=-2.0 * s, db=-4.0 * s
    ),
    "pigmentation": lambda s: lab_shift(astronaut(), dots(("left_cheek", "right_cheek", "chin"), 12, 2), dl=-6.0 * s),
    "texture": texture_noise,
    "pores": lambda s: lab_shift(astronaut(), dots(("nose", "left_cheek", "right_cheek"), 160, 0), dl=-6.0 * s),
    "acne": lambda s: lab_shift(astronaut(), dots(("left_cheek", "right_cheek", "chin"), 10, 2), da=6.0 * s),
    "wrinkles": lines,
    "dark_circles": lambda s: lab_shift(astronaut(), soft(("left_under_eye", "right_under_eye")), dl=-5.0 * s),
    "evenness": lambda s: blotches(s, 3.0, 20.0, -14.0),
    "radiance": lambda s: blotches(s, 5.0, 20.0, 0.0),
}


@pytest.mark.parametrize("name", SCORE_NAMES)
def test_score_falls_monotonically_as_the_planted_effect_grows(name: str) -> None:
    base = astronaut_outcome().report
    assert base is not None
    scores = [getattr(base.scores, name)] + [getattr(report_of(PLANTS[name](s)).scores, name) for s in STRENGTHS]
    assert all(a > b for a, b in itertools.pairwise(scores)), scores
    assert scores[-1] < scores[0] - 10, scores  # a strong effect moves the score well past noise


def test_no_score_sits_at_the_top_for_an_ordinary_face() -> None:
    report = astronaut_outcome().report
    assert report is not None
    scores = report.scores.model_dump()
    assert all(v < 97.0 for v in scores.values()), scores
    assert report.overall_score < 90.0
    assert set(report.score_bands) == set(SCORE_NAMES)


def test_planted_spots_are_reported_where_they_were_planted() -> None:
    image = PLANTS["pigmentation"](3.0)
    found = next(c for c in report_of(image).conditions if c.type == "hyperpigmentation")
    ys, xs = np.nonzero(dots(("left_cheek", "right_cheek", "chin"), 12, 2))
    inside = [
        any(b.x - 2 <= x <= b.x + b.w + 2 and b.y - 2 <= y <= b.y + b.h + 2 for b in found.regions)
        for x, y in zip(xs, ys, strict=True)
    ]
    assert found.severity != "none" and np.mean(inside) > 0.5
