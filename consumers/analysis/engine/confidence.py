"""How much to trust a report, 0-1.

confidence = 0.35 * detection + 0.40 * quality + 0.25 * coverage, then
  x 0.90 when other faces were present, and
  x 0.95 for each metric that could not be measured and got a fallback value
  (measures.py; listed as `unmeasured_<name>` in the metrics).
detection = face_detection_strength: the detector's score times FaceMesh's face-presence
  probability (locate.py);
quality   = 0.5 * mean + 0.5 * min of the quality checks' margins (quality.py), so a
  single borderline measure counts even when the others are perfect;
coverage  = skin coverage of the zones / 0.6, capped at 1 (hair and glasses hide skin).
"""

from __future__ import annotations

from .quality import Check


def confidence(strength: float, checks: list[Check], coverage: float, other_faces: int, unmeasured: int = 0) -> float:
    """Confidence in a completed report."""
    margins = [c.margin for c in checks]
    quality = 0.5 * sum(margins) / len(margins) + 0.5 * min(margins)
    value = 0.35 * strength + 0.40 * quality + 0.25 * min(1.0, coverage / 0.6)
    if other_faces:
        value *= 0.90
    value *= 0.95**unmeasured
    return round(min(1.0, max(0.0, value)), 3)
