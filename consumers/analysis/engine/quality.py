"""The quality gate: measurements, refusals and warnings for one photo.

Every check has a refuse threshold and a (stricter) warn threshold. Its *margin* is
(value - refuse) / (warn - refuse) clamped to 0..1: 0 at the refusal line, 1 once the
value is comfortably good. Below 0 the photo is refused (unless the check is warn-only);
between 0 and 1 the analysis completes with a warning and the margin lowers the
confidence (see confidence.py). Checks run in a fixed order, so a photo failing several
gets the most basic reason.

No check may read the skin's own lightness or colour strength as a photo fault, or darker
skin would be refused for being dark:
- Exposure is judged from the *illumination*: the 99th-percentile luma of the scene or of
  the face crop, whichever is brighter. The brightest 1 % (eye whites, teeth, highlights,
  clothing, background) is set by the light and the exposure, not by melanin; the crop
  counts so a small well-lit face on a dark backdrop is not "too dark". Limitation: a
  face in shadow in front of a bright window passes this check.
- Sharpness is the Laplacian variance *divided by the grey variance* of the face core,
  less the floor 8-bit rounding alone produces (sharpness.py): the share of the face's
  contrast at the finest scale. Scaling the contrast (darker skin, dimmer light) leaves
  it unchanged; defocus removes exactly that share.
- Colour cast: only the face's colour can refuse - its hue angle atan2(b*, a*) must be
  near the skin hue every tone shares, and its chroma below what skin reaches. The scene's
  cast is grey-world over near-neutral pixels (as white balance measures it), so a
  saturated blue or green backdrop is not a cast; it only ever warns.
- Pose and framing come from the landmarks (pose.py): `face_cut_off` when landmarks fall
  outside the photo, `face_turned` for yaw, `head_tilted` for pitch or roll. They are judged
  after size, exposure and sharpness, so a blurred face is told it is blurred even if the
  blur also upsets the landmarks.
- A photo with no colour anywhere (99th-percentile chroma < `bw_chroma`) is refused as
  `strong_colour_cast` with a black-and-white message. The whole scene decides, never
  the face: the darkest Monk swatch itself has a chroma of only 3.8.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import FailureReason, Notice

from .geometry import Image
from .outcome import Refusal
from .params import AnalyzerParams
from .pose import Pose
from .preprocess import neutral_mean
from .sharpness import scene_sharpness, sharpness

REFUSALS: dict[str, str] = {
    "no_face_detected": "We couldn't find a face in this photo. Please use a clear, front-facing photo of your face.",
    "face_too_small": "Your face is too small in this photo to see skin detail. Move closer or crop the photo.",
    "image_too_dark": "The photo is too dark to see your skin clearly. Try facing a window or a soft light.",
    "image_overexposed": "The photo is too bright and parts of your face are washed out. Avoid direct flash or sun.",
    "image_too_blurry": "The photo is too blurry to measure skin texture. Hold the camera steady and refocus.",
    "strong_colour_cast": "The lighting tints the photo strongly, so skin colour can't be measured. Try daylight.",
    "black_and_white": "This looks like a black-and-white photo; skin colour analysis needs a colour photo.",
    "head_tilted": "Your head is tilted. Please look straight at the camera with your head level.",
    "face_turned": "Your face is turned to the side. Please look straight at the camera.",
    "face_cut_off": "Part of your face is outside the photo. Please fit your whole face in the frame.",
}
WARNINGS: dict[str, str] = {
    "multiple_faces": "There is more than one face in the photo; we analysed the largest one.",
    "low_face_resolution": "Your face is small in this photo, so fine detail such as pores is less reliable.",
    "image_too_dark": "The photo is a little dark, so results are less certain.",
    "image_overexposed": "Parts of your face are very bright, so shine and colour are less certain.",
    "image_too_blurry": "The photo is slightly soft, so texture, pores and lines are less certain.",
    "strong_colour_cast": "The lighting tints the photo; we corrected it, but colour results are less certain.",
    "head_tilted": "Your head is slightly tilted, so face areas may be placed less precisely.",
    "face_turned": "Your face is slightly turned, so one side is measured at an angle.",
    "face_cut_off": "The edge of your face touches the edge of the photo.",
    "low_skin_coverage": "Hair, glasses or shadows cover part of your face, so less skin could be measured.",
}


@dataclass(frozen=True)
class Check:
    """One measured value against its refuse and warn thresholds."""

    reason: FailureReason
    value: float
    refuse: float
    warn: float
    warn_reason: str = ""
    refusable: bool = True  # False: a warn-only check (margin 0 at `refuse`, never refuses)
    message_key: str = ""  # REFUSALS entry for the message, when not the reason's own

    @property
    def margin(self) -> float:
        """0 at the refusal threshold, 1 at or beyond the warning threshold."""
        span = self.warn - self.refuse
        return 1.0 if span == 0 else float(np.clip((self.value - self.refuse) / span, 0.0, 1.0))

    @property
    def refused(self) -> bool:
        """True when the value is beyond the refusal threshold of a refusable check."""
        return self.refusable and (self.value - self.refuse) * (1 if self.warn >= self.refuse else -1) < 0


def refusal(reason: FailureReason, message_key: str = "") -> Refusal:
    """A refusal with its standard message (or the message under `message_key`)."""
    return Refusal(reason, REFUSALS[message_key or reason])


def notice(reason: str) -> Notice:
    """A quality warning with its standard message."""
    return Notice(reason=reason, message=WARNINGS[reason])


def scene_cast(scene: Image, p: AnalyzerParams, neutral: NDArray[np.float64] | None = None) -> float:
    """Grey-world deviation max |ln(channel mean / grey mean)| over near-neutral pixels.

    The same pixels white balance uses (preprocess.neutral_pixels), so the value says how
    far the balance had to correct; a coloured backdrop is not neutral and does not count.
    """
    mean = neutral_mean(scene, p) if neutral is None else neutral
    return float(np.abs(np.log(mean / mean.mean())).max())


def percentile_u8(values: Image, q: float) -> float:
    """The q-th percentile of 8-bit values, from their histogram (no sort)."""
    hist = np.bincount(values.reshape(-1), minlength=256).cumsum()
    return float(np.searchsorted(hist, q / 100.0 * (hist[-1] - 1), side="right"))


def highlight_luminance(image: Image) -> float:
    """99th percentile of the luma: the brightest surfaces, which the light sets."""
    return percentile_u8(np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8), 99)


def scene_chroma(scene: Image) -> float:
    """99th percentile of CIELAB chroma over the scene: near 0 only for a colourless photo."""
    lab = cv2.cvtColor(scene.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab)
    return float(np.percentile(np.hypot(lab[..., 1], lab[..., 2]), 99))


def skin_colour(core: Image) -> tuple[float, float]:
    """Hue angle (degrees; skin sits near 55) and chroma of the face core's median colour."""
    lab = cv2.cvtColor(core.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab).reshape(-1, 3)
    _, a, b = np.median(lab, axis=0)
    return float(np.degrees(np.arctan2(b, a))), float(np.hypot(a, b))


def clipped_fraction(pixels: Image, p: AnalyzerParams) -> float:
    """Fraction of pixels with at least two clipped channels (washed out, not just tinted)."""
    return float(((pixels >= p.clip_level).sum(axis=2) >= 2).mean())


def scene_refusal(scene: Image, p: AnalyzerParams) -> Refusal:
    """Why no face was found: a badly exposed photo gets that reason, not 'no face'."""
    if highlight_luminance(scene) < p.dark_highlight:
        return refusal("image_too_dark")
    if clipped_fraction(scene, p) > p.overexposed_fraction:
        return refusal("image_overexposed")
    if scene_sharpness(scene) < p.scene_blur:
        return refusal("image_too_blurry")
    return refusal("no_face_detected")


def judge(checks: list[Check]) -> tuple[Refusal | None, list[Notice]]:
    """The first refusal in check order, else the warnings."""
    for check in checks:
        if check.refused:
            return refusal(check.reason, check.message_key), []
    reasons: list[str] = []
    for check in checks:
        reason = check.warn_reason or check.reason
        if check.margin < 1.0 and reason not in reasons:
            reasons.append(reason)
    return None, [notice(r) for r in reasons]


def build_checks(m: dict[str, float], p: AnalyzerParams) -> list[Check]:
    """The gate's checks, in refusal-priority order, from measured values."""
    return [
        Check("face_cut_off", m["landmarks_outside"], p.cut_off_fraction, 0.0),
        Check("face_too_small", m["face_width_px"], p.min_face_px, p.warn_face_px, "low_face_resolution"),
        Check("face_too_small", m["face_fraction"], p.min_face_fraction, p.min_face_fraction),
        Check("image_too_dark", m["highlight_luminance"], p.dark_highlight, p.warn_dark_highlight),
        Check("image_overexposed", m["clipped_fraction"], p.overexposed_fraction, p.warn_overexposed_fraction),
        Check("image_too_blurry", m["blur_variance"], p.blur_variance, p.warn_blur_variance),
        Check("face_turned", abs(m["yaw_deg"]), p.max_yaw, p.warn_yaw),
        Check("head_tilted", abs(m["pitch_deg"]), p.max_pitch, p.warn_pitch),
        Check("head_tilted", abs(m["roll_deg"]), p.tilt_degrees, p.warn_tilt_degrees),
        Check("strong_colour_cast", m["scene_chroma"], p.bw_chroma, p.bw_chroma, message_key="black_and_white"),
        Check(
            "strong_colour_cast",
            abs(m["skin_hue_deg"] - p.skin_hue_centre),
            p.skin_hue_tolerance,
            p.warn_skin_hue_tolerance,
        ),
        Check("strong_colour_cast", m["skin_chroma"], p.max_skin_chroma, p.warn_skin_chroma),
        Check("strong_colour_cast", m["cast_ratio"], p.cast_ratio, p.warn_cast_ratio, refusable=False),
    ]


def measure(
    image: Image,
    scene: Image,
    crop: Image,
    core: tuple[int, int, int, int],
    original_patches: list[Image],
    width: float,
    pose: Pose,
    p: AnalyzerParams,
    neutral: NDArray[np.float64] | None = None,
) -> dict[str, float]:
    """Quality measurements of the photo around the chosen face (`core`: x0, y0, x1, y1 in the crop;
    `original_patches`: cheeks and nose cut from the original photo, for sharpness)."""
    x0, y0, x1, y1 = core
    centre = crop[y0:y1, x0:x1]
    hue, chroma = skin_colour(centre)
    return {
        "face_width_px": width,
        "face_fraction": width / max(image.shape[:2]),
        "landmarks_outside": pose.outside,
        "yaw_deg": pose.yaw,
        "pitch_deg": pose.pitch,
        "roll_deg": pose.roll,
        "median_luminance": float(np.median(cv2.cvtColor(centre, cv2.COLOR_BGR2GRAY))),  # reported, not judged
        "highlight_luminance": max(highlight_luminance(scene), highlight_luminance(crop)),
        "clipped_fraction": clipped_fraction(centre, p),
        # From the original pixels: 8-bit rounding happened there, so its floor is known there.
        "blur_variance": float(np.median([sharpness(patch, width, p) for patch in original_patches])),
        "scene_chroma": scene_chroma(scene),
        "skin_hue_deg": hue,
        "skin_chroma": chroma,
        "cast_ratio": scene_cast(scene, p, neutral),
    }
