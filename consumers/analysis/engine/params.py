"""Every tunable threshold of the engine, with its default and the reason for it.

Pixel sizes below are at the *standardised* face scale (cheekbone width `face_width_px`)
unless they say otherwise, so they mean the same fraction of a face at any camera resolution.
Lightness contrasts are *relative* to the face's own median skin lightness (1.0 = the skin),
so a darker or lighter rendering of the same face measures alike (measures.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump whenever a change can alter any number in a report: stored results carry it.
ANALYZER_VERSION = "shine-cv/2.0.0"


REFERENCE_WIDTH = 256.0  # the face width the pixel sizes below are given for


@dataclass(frozen=True)
class AnalyzerParams:
    """Thresholds and sizes for one analysis; the defaults are the product's calibration."""

    def px(self, size: float) -> float:
        """A size given at REFERENCE_WIDTH, at this analysis's `face_width_px` (the quick one is half)."""
        return size * self.face_width_px / REFERENCE_WIDTH

    def odd(self, size: int) -> int:
        """An odd kernel side given at REFERENCE_WIDTH, at this analysis's scale (at least 3)."""
        return max(3, round(self.px(size)) | 1)

    def area(self, pixels: int) -> int:
        """An area given at REFERENCE_WIDTH, at this analysis's scale (at least 1)."""
        return max(1, round(self.px(1.0) ** 2 * pixels))

    # --- working copies -------------------------------------------------------------
    # Scene copy for detection and scene-wide checks (the detector itself sees 128 px).
    detect_long_side: int = 640
    thumb_long_side: int = 256  # scene-wide exposure, colour cast and white balance are read here
    # The levelled face crop is resampled so the cheekbone width is this many pixels: ~0.6 mm
    # per pixel on an adult face, enough for spots, lines and blemishes, and small enough that
    # an analysis costs a few tens of milliseconds. Pixel sizes below are given at
    # REFERENCE_WIDTH and scaled to this width (AnalyzerParams.px).
    face_width_px: int = 224
    # Context kept around the landmarks when cropping (fraction of face width per side).
    crop_margin: float = 0.08
    overlay_long_side: int = 800
    overlay_jpeg_quality: int = 82
    quick_face_width_px: int = 112  # analysis_type "quick" (pipeline.py)
    mesh_passes: int = 2  # FaceMesh passes: the second re-centres on the first's landmarks (mesh.py)
    fine_detail: bool = True  # texture, pores and lines; the quick analysis leaves them unmeasured
    mask_long_side: int = 192  # per-concern masks cover the face box at this size (masks.py)

    # --- face detection ---------------------------------------------------------------
    detect_score: float = 0.5  # BlazeFace score to accept a face on the whole photo
    tile_detect_score: float = 0.6  # ...and on tiles, which see more clutter per face (detector.py)
    tile_fractions: tuple[float, ...] = (0.5, 0.3)
    max_faces_meshed: int = 3  # candidates given to FaceMesh, best detector score first
    min_mesh_presence: float = 0.5  # FaceMesh face-presence probability for a real face
    # Another face at least this wide (relative to the largest) triggers a warning.
    multiple_face_ratio: float = 0.5

    # --- quality gate (refuse / warn pairs) -----------------------------------------
    # Face width = cheekbone-to-cheekbone landmark distance in ORIGINAL pixels (~1.05 x a Haar box).
    min_face_px: int = 80
    min_face_fraction: float = 0.08  # face width / image long side
    # Below this the crop is upsampled ~2x or more, so fine texture is interpolated:
    # a low_face_resolution warning is raised and confidence drops.
    warn_face_px: int = 128
    # Landmarks outside the frame: a cut-off face is refused (its zones would be incomplete).
    cut_off_fraction: float = 0.02
    # Pose (pose.py), degrees: yaw turns cheeks away and hides one side; pitch and roll
    # foreshorten the forehead and chin and move shadows.
    max_yaw: float = 25.0
    warn_yaw: float = 12.0
    max_pitch: float = 25.0
    warn_pitch: float = 12.0
    # Exposure: 99th-percentile luma of the scene or the face crop, whichever is brighter
    # (quality.py). The astronaut measures 248; scaled by 0.45 / 0.3 / 0.15 it measures
    # 111 / 74 / 37. 50 refuses about the exposure the old face-median rule refused for a
    # light face (0.2x), without reading the skin's own lightness.
    dark_highlight: float = 50.0
    warn_dark_highlight: float = 130.0
    clip_level: int = 254  # a channel at or above this is clipped (Monk 1 skin itself reaches ~246)
    overexposed_fraction: float = 0.35  # fraction of face pixels with a clipped channel
    warn_overexposed_fraction: float = 0.10
    # Sharpness (sharpness.py) of the eyes and brows resampled to `blur_face_width_px` (so a
    # 12 MP and a 0.3 MP photo of the same face measure alike). The astronaut measures ~187;
    # Gaussian blur of sigma 0.5 / 0.85 / 1 / 1.3 px on that 512 px photo gives ~86 / 31 / 23 /
    # under 21: refused from ~1.3 px (1.8 px at 128 px face width), warned from ~0.8 px. Re-toned
    # to Monk 9-10 the same blurs read higher (rounding of very dark pixels passes for detail):
    # those are refused from sigma ~2 px.
    blur_face_width_px: int = 128
    blur_variance: float = 21.0
    warn_blur_variance: float = 45.0
    # With no face found: the scene's own sharpness (same measure, scene 256 px long) below
    # this means the photo is too blurry to show one. Sharp photos measure 240-600; Gaussian
    # blur of sigma 3 px on a 512 px photo gives 4-14.
    scene_blur: float = 6.0
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
    tilt_degrees: float = 20.0  # roll
    warn_tilt_degrees: float = 10.0
    min_skin_coverage: float = 0.35  # below this a warning is raised

    # --- preprocessing --------------------------------------------------------------
    wb_neutral_saturation: float = 0.25  # HSV saturation of "probably grey" pixels
    wb_min_neutral_fraction: float = 0.03
    wb_max_gain: float = 1.5
    exposure_target_p99: float = 235.0
    exposure_max_gain: float = 2.0

    # --- skin mask (CIELAB units; lightness relative to the skin's median) ----------------
    skin_a_below: float = 6.0  # hair and background are far less red than skin
    skin_a_above: float = 30.0  # generous: reddened skin must stay in the mask
    skin_b_tolerance: float = 9.0
    skin_dark_ratio: float = 0.6  # darker than this share of the skin's lightness: hair, shadow
    cut_out_margin: float = 0.025  # eyes, brows, lips, nostrils grown by this share of face width
    glare_sigma: float = 8.0  # neighbourhood glare is compared with
    glare_delta: float = 0.10  # brighter than the skin around it by this share and...
    glare_chroma_ratio: float = 0.75  # ...this desaturated is specular glare

    # --- detectors and measures (measures.py documents each) -----------------------------
    background_sigma: float = 6.0  # local-background Gaussian for spots, blemishes, shine
    spot_contrast: float = 0.06  # relative darkness of a reported spot
    spot_floor: float = 0.02  # darkness below this is ordinary shading, not pigment
    spot_min_area: int = 4
    spot_max_area: int = 400
    acne_contrast: float = 4.0  # a* above local background for a reported blemish
    acne_floor: float = 1.0  # a* excess below this is ordinary variation
    acne_smoothing: float = 2.0  # a* is half-resolution in JPEG (4:2:0): smooth past its blocks
    acne_max_darkening: float = 0.08  # relative darkness; deeper is a crease, not a papule
    acne_min_area: int = 5
    acne_max_area: int = 225
    redness_patch_delta: float = 6.0  # a* above that baseline for a reported patch
    pore_kernel: int = 5
    pore_floor: float = 0.008  # relative black-top-hat depth below this is noise
    pore_contrast: float = 0.05
    texture_sigma: float = 1.0  # finer than this (about 0.5 mm) is texture
    wrinkle_wavelength: float = 5.0
    wrinkle_floor: float = 0.005  # relative line depth below this is noise
    wrinkle_threshold: float = 0.03  # ...and above this a line is marked
    shine_floor: float = 0.04  # relative brightness above the local skin that counts as shine
    dark_circle_floor: float = 0.02  # under-eye darker than the cheeks' median by more than this
    # Typical chroma: the chroma part of radiance is relative to it whatever the skin tone.
    radiance_reference_chroma: float = 20.0
    region_min_area: int = 12  # smallest patch/line/shine region reported as a box
    max_regions: int = 25  # boxes per condition, largest first
