"""Every tunable threshold of the engine, with its default and the reason for it.

Pixel sizes below are at the *standardised* face scale (face box `face_width_px` wide)
unless they say otherwise, so they mean the same fraction of a face at any camera resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump whenever a change can alter any number in a report: stored results carry it.
ANALYZER_VERSION = "shine-cv/1.1.0"


@dataclass(frozen=True)
class AnalyzerParams:
    """Thresholds and sizes for one analysis; the defaults are the product's calibration."""

    # --- working copies -------------------------------------------------------------
    # Detection copy. Haar cost grows with pixel count (1600 px costs ~1 s per cascade on
    # one core); faces under 8% of the long side are refused anyway, so 800 px loses nothing
    # (a second pass down to 24 px still finds them to say `face_too_small`).
    detect_long_side: int = 800
    # Face crops are resampled so the face box is this wide: metrics become resolution-free.
    face_width_px: int = 512
    # Context kept around the face box when cropping (fraction of face width per side).
    crop_margin: float = 0.15
    overlay_long_side: int = 1024
    overlay_jpeg_quality: int = 85

    # --- face detection -------------------------------------------------------------
    min_detect_fraction: float = 0.04  # smallest face searched for, fraction of long side
    # Second pass after a miss (locate.py): CLAHE grey of a slightly larger copy, faces down
    # to the Haar window size, i.e. 2.4 % of the long side.
    second_pass_long_side: int = 1000
    small_face_px: int = 24
    second_pass_confirm: int = 6  # alt2 windows that must agree in the second pass (face.py)
    fallback_clahe_clip: float = 3.0
    fallback_clahe_tiles: int = 8
    scale_factor: float = 1.1
    min_neighbors: int = 5
    confirm_neighbors: int = 3  # alt2 cascade, searched only around a candidate
    # An unconfirmed default-cascade face is still accepted when this many windows agree.
    strong_neighbors: int = 30
    # Another confirmed face at least this wide (relative to the largest) triggers a warning.
    multiple_face_ratio: float = 0.5

    # --- quality gate (refuse / warn pairs) -----------------------------------------
    min_face_px: int = 80  # face width in ORIGINAL pixels
    min_face_fraction: float = 0.08  # face width / image long side
    # Below this the crop is upsampled to `face_width_px`, so pores and fine lines are
    # blurred: a low_face_resolution warning is raised and confidence drops.
    warn_face_px: int = 200
    # Exposure: 99th-percentile luma of the scene or the face crop, whichever is brighter
    # (quality.py). The astronaut measures 248; scaled by 0.45 / 0.3 / 0.15 it measures
    # 111 / 74 / 37. 50 refuses about the exposure the old face-median rule refused for a
    # light face (0.2x), without reading the skin's own lightness.
    dark_highlight: float = 50.0
    warn_dark_highlight: float = 130.0
    clip_level: int = 250  # a channel at or above this is treated as clipped
    overexposed_fraction: float = 0.35  # fraction of face pixels with a clipped channel
    warn_overexposed_fraction: float = 0.10
    # Sharpness (sharpness.py) of the face core resampled to `blur_face_width_px` (so a
    # 12 MP and a 0.3 MP photo of the same face measure alike). The astronaut measures ~280,
    # recoloured to Monk 9 / 10 alike; Gaussian blur of sigma 0.5 / 0.7 / 0.85 / 1 / 1.3 / 2
    # px on that 512 px photo gives ~145 / 68 / 44 / 31 / 17.5 / 6.5 (the dark recolours
    # within 1.5 points): a sigma >= ~1.3 px (1.8 px at 128 px face width) is refused,
    # >= ~0.85 px warned.
    blur_face_width_px: int = 128
    blur_variance: float = 18.0
    warn_blur_variance: float = 45.0
    # A photo whose 99th-percentile chroma is below this has no colour: black-and-white.
    bw_chroma: float = 3.0
    # Hue angle atan2(b*, a*) of the face: skin of every tone sits roughly 35-75 degrees.
    skin_hue_centre: float = 55.0
    skin_hue_tolerance: float = 40.0
    warn_skin_hue_tolerance: float = 30.0
    # Chroma of the face's median colour: skin reaches ~35 (Monk 10 swatch 3.8, the
    # astronaut 20); well above it the light itself is coloured.
    max_skin_chroma: float = 50.0
    warn_skin_chroma: float = 40.0
    # Scene cast: grey-world deviation max |ln(channel mean / grey mean)| over near-neutral
    # pixels. Warn-only (the face checks refuse); its margin reaches 0 at ln 1.5, where
    # the white-balance gain is clamped.
    warn_cast_ratio: float = 0.15
    cast_ratio: float = 0.405
    tilt_degrees: float = 20.0
    tilt_probe_degrees: tuple[float, ...] = (30.0, -30.0)  # re-detection angles when no face is found
    warn_tilt_degrees: float = 10.0
    min_skin_coverage: float = 0.35  # below this a warning is raised

    # --- preprocessing --------------------------------------------------------------
    wb_neutral_saturation: float = 0.25  # HSV saturation of "probably grey" pixels
    wb_min_neutral_fraction: float = 0.03
    wb_max_gain: float = 1.5
    exposure_target_p99: float = 235.0
    exposure_max_gain: float = 2.0
    denoise_strength: float = 4.0  # fastNlMeans h on the 8-bit L channel
    clahe_clip: float = 2.0
    clahe_tiles: int = 8

    # --- skin mask (CIELAB units) -----------------------------------------------------
    skin_a_below: float = 6.0  # hair and background are far less red than skin
    skin_a_above: float = 30.0  # generous: reddened skin must stay in the mask
    skin_b_tolerance: float = 8.0
    skin_dark_delta: float = 22.0  # darker than skin by this much: hair, brows, shadow
    glare_sigma: float = 20.0  # neighbourhood glare is compared with
    glare_delta: float = 8.0  # brighter than the skin around it by this much and...
    glare_chroma_ratio: float = 0.75  # ...this desaturated is specular glare

    # --- detectors -----------------------------------------------------------------------
    background_sigma: float = 14.0  # local-background Gaussian for spots and blemishes
    spot_contrast: float = 5.0  # L* below local background
    spot_min_area: int = 12
    spot_max_area: int = 1600
    acne_contrast: float = 5.0  # a* above local background
    acne_smoothing: float = 2.5  # a* is noisy; lesions are >= 7 px wide at the standard scale
    acne_max_darkening: float = 4.0  # L* below background; deeper is a crease
    acne_min_area: int = 20
    acne_max_area: int = 900
    pore_kernel: int = 5
    pore_contrast: float = 10.0  # black-top-hat grey levels on CLAHE lightness
    pore_max_area: int = 20
    wrinkle_wavelength: float = 9.0
    wrinkle_threshold: float = 10.0
    redness_a_reference: float = 10.0  # a* of calm skin in daylight, roughly tone independent
    # Typical skin L* and chroma: radiance measures spread against these, whatever the skin tone.
    radiance_reference_lightness: float = 65.0
    radiance_reference_chroma: float = 20.0
    redness_patch_delta: float = 8.0  # a* above the face's own baseline
    region_min_area: int = 40  # smallest patch/line/shine region reported as a box
    max_regions: int = 25  # boxes per condition, largest first
