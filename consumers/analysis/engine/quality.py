"""The quality gate: measurements, refusals and warnings for one photo.

Every check has a refuse threshold and a (stricter) warn threshold. Its *margin* is
(value - refuse) / (warn - refuse) clamped to 0..1: 0 at the refusal line, 1 once the
value is comfortably good. Below 0 the photo is refused; between 0 and 1 the analysis
completes with a warning and the margin lowers the confidence (see confidence.py).
Checks run in a fixed order, so a photo failing several gets the most basic reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from events.analyses import FailureReason, Notice

from .geometry import Image, Rect, resample
from .outcome import Refusal
from .params import AnalyzerParams

REFUSALS: dict[str, str] = {
    "no_face_detected": "We couldn't find a face in this photo. Please use a clear, front-facing photo of your face.",
    "face_too_small": "Your face is too small in this photo to see skin detail. Move closer or crop the photo.",
    "image_too_dark": "The photo is too dark to see your skin clearly. Try facing a window or a soft light.",
    "image_overexposed": "The photo is too bright and parts of your face are washed out. Avoid direct flash or sun.",
    "image_too_blurry": "The photo is too blurry to measure skin texture. Hold the camera steady and refocus.",
    "strong_colour_cast": "The lighting tints the photo strongly, so skin colour can't be measured. Try daylight.",
    "head_tilted": "Your head is tilted. Please look straight at the camera with your head level.",
}
WARNINGS: dict[str, str] = {
    "multiple_faces": "There is more than one face in the photo; we analysed the largest one.",
    "low_face_resolution": "Your face is small in this photo, so fine detail such as pores is less reliable.",
    "image_too_dark": "The photo is a little dark, so results are less certain.",
    "image_overexposed": "Parts of your face are very bright, so shine and colour are less certain.",
    "image_too_blurry": "The photo is slightly soft, so texture, pores and lines are less certain.",
    "strong_colour_cast": "The lighting tints the photo; we corrected it, but colour results are less certain.",
    "head_tilted": "Your head is slightly tilted, so face areas may be placed less precisely.",
    "low_skin_coverage": "Hair, glasses or shadows cover part of your face, so less skin could be measured.",
    "eyes_not_found": "We couldn't locate your eyes precisely, so face areas were placed from typical proportions.",
}


@dataclass(frozen=True)
class Check:
    """One measured value against its refuse and warn thresholds."""

    reason: FailureReason
    value: float
    refuse: float
    warn: float
    warn_reason: str = ""

    @property
    def margin(self) -> float:
        """0 at the refusal threshold, 1 at or beyond the warning threshold."""
        span = self.warn - self.refuse
        return 1.0 if span == 0 else float(np.clip((self.value - self.refuse) / span, 0.0, 1.0))

    @property
    def refused(self) -> bool:
        """True when the value is beyond the refusal threshold."""
        return (self.value - self.refuse) * (1 if self.warn >= self.refuse else -1) < 0


def refusal(reason: FailureReason) -> Refusal:
    """A refusal with its standard message."""
    return Refusal(reason, REFUSALS[reason])


def notice(reason: str) -> Notice:
    """A quality warning with its standard message."""
    return Notice(reason=reason, message=WARNINGS[reason])


def scene_cast(scene: Image) -> float:
    """Grey-world deviation: max |ln(channel mean / grey mean)|."""
    mean = scene.reshape(-1, 3).astype(np.float64).mean(axis=0) + 1e-6
    return float(np.abs(np.log(mean / mean.mean())).max())


def blur_variance(image: Image, face: Rect, p: AnalyzerParams) -> float:
    """Variance of the Laplacian of the face (original pixels) resampled to the blur width."""
    x, y = int(face.x), int(face.y)
    patch = np.ascontiguousarray(image[y : y + int(face.h), x : x + int(face.w)])
    grey = cv2.cvtColor(resample(patch, p.blur_face_width_px / face.w), cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def face_core(crop: Image, face: Rect) -> Image:
    """Cheeks-nose-mouth part of the face box, where hair and background rarely reach."""
    x0, x1 = int(face.x + 0.2 * face.w), int(face.x + 0.8 * face.w)
    y0, y1 = int(face.y + 0.25 * face.h), int(face.y + 0.95 * face.h)
    return crop[max(0, y0) : y1, max(0, x0) : x1]


def skin_hue(core: Image) -> float:
    """Hue angle (degrees) of the median colour of the face core; skin sits near 55."""
    lab = cv2.cvtColor(core.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab).reshape(-1, 3)
    _, a, b = np.median(lab, axis=0)
    return float(np.degrees(np.arctan2(b, a)))


def clipped_fraction(pixels: Image, p: AnalyzerParams) -> float:
    """Fraction of pixels with at least two clipped channels (washed out, not just tinted)."""
    return float(((pixels >= p.clip_level).sum(axis=2) >= 2).mean())


def scene_refusal(scene: Image, p: AnalyzerParams) -> Refusal:
    """Why no face was found: a badly exposed photo gets that reason, not 'no face'."""
    grey = cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY)
    if float(np.median(grey)) < p.dark_median:
        return refusal("image_too_dark")
    if clipped_fraction(scene, p) > p.overexposed_fraction:
        return refusal("image_overexposed")
    return refusal("no_face_detected")


def judge(checks: list[Check]) -> tuple[Refusal | None, list[Notice]]:
    """The first refusal in check order, else the warnings."""
    for check in checks:
        if check.refused:
            return refusal(check.reason), []
    reasons: list[str] = []
    for check in checks:
        reason = check.warn_reason or check.reason
        if check.margin < 1.0 and reason not in reasons:
            reasons.append(reason)
    return None, [notice(r) for r in reasons]


def build_checks(m: dict[str, float], p: AnalyzerParams) -> list[Check]:
    """The gate's checks, in refusal-priority order, from measured values."""
    checks = [
        Check("face_too_small", m["face_width_px"], p.min_face_px, p.warn_face_px, "low_face_resolution"),
        Check("face_too_small", m["face_fraction"], p.min_face_fraction, p.min_face_fraction),
        Check("image_too_dark", m["median_luminance"], p.dark_median, p.warn_dark_median),
        Check("image_overexposed", m["clipped_fraction"], p.overexposed_fraction, p.warn_overexposed_fraction),
        Check("image_too_blurry", m["blur_variance"], p.blur_variance, p.warn_blur_variance),
        Check("strong_colour_cast", m["cast_ratio"], p.cast_ratio, p.warn_cast_ratio),
        Check(
            "strong_colour_cast",
            abs(m["skin_hue_deg"] - p.skin_hue_centre),
            p.skin_hue_tolerance,
            p.warn_skin_hue_tolerance,
        ),
    ]
    if "eye_angle_deg" in m:
        checks.append(Check("head_tilted", abs(m["eye_angle_deg"]), p.tilt_degrees, p.warn_tilt_degrees))
    return checks


def measure(image: Image, scene: Image, crop: Image, face: Rect, local: Rect, p: AnalyzerParams) -> dict[str, float]:
    """Quality measurements of the photo around the chosen face."""
    core = face_core(crop, local)
    return {
        "face_width_px": face.w,
        "face_fraction": face.w / max(image.shape[:2]),
        "median_luminance": float(np.median(cv2.cvtColor(core, cv2.COLOR_BGR2GRAY))),
        "clipped_fraction": clipped_fraction(core, p),
        "blur_variance": blur_variance(image, face, p),
        "cast_ratio": scene_cast(scene),
        "skin_hue_deg": skin_hue(core),
    }
