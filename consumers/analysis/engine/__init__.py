"""Shine's skin-analysis engine: pure, deterministic OpenCV computer vision.

`analyse(image_bgr)` takes a decoded, EXIF-oriented 8-bit BGR photo and returns an
`Outcome` holding either a `SkinReport` (events.analyses) plus an annotated JPEG
overlay, or a `Refusal` with a machine-readable reason and a sentence for the user.
"""

from .features import FEATURE_VERSION, cosine_similarity
from .outcome import Outcome, Refusal
from .params import ANALYZER_VERSION, AnalyzerParams
from .pipeline import analyse, zone_outlines

__all__ = [
    "ANALYZER_VERSION",
    "FEATURE_VERSION",
    "AnalyzerParams",
    "Outcome",
    "Refusal",
    "analyse",
    "cosine_similarity",
    "zone_outlines",
]
