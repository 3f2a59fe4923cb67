"""Stage 4: turn raw measurements into the SkinReport contract.

Skin tone is read from the skin of TONE_ZONES; when they hold fewer than MIN_SKIN skin
pixels (hair over the forehead, hands over the cheeks) from the skin of all zones, which
measure_all guarantees is enough. `non_finite` lists any NaN or infinite number in a
report: JSON would carry it as null and the report would fail validation when read back,
so the pipeline refuses such a photo rather than publish it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from events.analyses import SCORE_NAMES, Notice, Scores, SkinReport

from .conditions import build_conditions
from .confidence import confidence
from .features import FEATURE_VERSION, feature_vector
from .insights import build_insights
from .locate import Located
from .measures import MIN_SKIN, Raw
from .params import ANALYZER_VERSION, AnalyzerParams
from .quality import Check
from .scoring import band, overall, score
from .skin_type import dryness_index, skin_type
from .skinmaps import Maps
from .tone import skin_tone
from .zones import Zones

# Tone is read where skin is flattest and least shadowed; under-eyes, chin and the rest vary most.
TONE_ZONES = ("forehead", "nose", "left_cheek", "right_cheek")


@dataclass(frozen=True)
class Evidence:
    """Everything measured about one photo, ready to be reported."""

    located: Located
    shape: tuple[int, ...]  # original image shape
    checks: list[Check]
    warnings: list[Notice]
    metrics: dict[str, float]
    zones: Zones
    maps: Maps
    raw: Raw


def tone_skin(z: Zones) -> NDArray[np.bool_]:
    """Skin pixels tone is read from: the tone zones', else every zone's."""
    tone = np.logical_or.reduce([z.skin[n] for n in TONE_ZONES])
    return np.asarray(tone if tone.sum() >= MIN_SKIN else np.logical_or.reduce(list(z.skin.values())), dtype=bool)


def non_finite(report: SkinReport) -> list[str]:
    """Paths of every NaN or infinite number in a report (empty when all are finite)."""
    found: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            found.append(path)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")

    walk(report.model_dump(), "report")
    return found


def zone_scores(raw: Raw) -> dict[str, dict[str, float]]:
    """Per-zone scores for the metrics measured in each zone."""
    return {z: {n: score(n, v) for n, v in sorted(vals.items())} for z, vals in raw.zones.items() if vals}


def _metrics(ev: Evidence) -> dict[str, float]:
    m = dict(ev.metrics)
    m |= {f"raw_{k}": round(v, 4) for k, v in sorted(ev.raw.face.items())}
    m |= {
        "raw_oiliness_u_zone": round(ev.raw.oil_u, 4),
        "skin_coverage": round(ev.zones.coverage, 4),
        "skin_pixels": float(ev.raw.skin_pixels),
        "other_faces": float(ev.located.other_faces),
        "detector_score": ev.located.detection.score,
        "mesh_presence": ev.located.mesh.presence,
        "spot_count": float(len(ev.maps.spots)),
        "blemish_count": float(len(ev.maps.blemishes)),
        "pore_count": float(len(ev.maps.pores)),
    }
    m |= {f"unmeasured_{name}": 1.0 for name in ev.raw.unmeasured}
    return {k: round(float(v), 4) for k, v in m.items()}


def build_report(ev: Evidence, p: AnalyzerParams) -> SkinReport:
    """The report for one analysed face."""
    raw, loc, z = ev.raw, ev.located, ev.zones
    scores = {n: score(n, raw.face[n]) for n in SCORE_NAMES}
    total = overall(scores)
    zones = zone_scores(raw)
    stype = skin_type(raw.oil_t, raw.oil_u, raw.face["texture"], raw.face["redness"])
    tone, lab = skin_tone(ev.maps.bgr[tone_skin(z)])
    dryness = 100.0 * (1.0 - dryness_index(raw.oil_t, raw.oil_u, raw.face["texture"]))
    conditions = build_conditions(scores, zones, dryness, ev.maps, z, loc.frame, ev.shape, p)
    metrics = _metrics(ev) | {
        "skin_L": round(float(lab[0]), 3),
        "skin_a": round(float(lab[1]), 3),
        "skin_b": round(float(lab[2]), 3),
    }
    return SkinReport(
        analyzer_version=ANALYZER_VERSION,
        face=loc.box,
        face_detection_strength=round(strength(loc), 3),
        scores=Scores(**scores),
        overall_score=total,
        zones=zones,
        skin_type=stype,
        skin_tone=tone,
        conditions=conditions,
        confidence_score=confidence(strength(loc), ev.checks, z.coverage, loc.other_faces, len(raw.unmeasured)),
        quality_warnings=ev.warnings,
        insights=build_insights(scores, total, stype, tone, conditions, ev.warnings),
        metrics=metrics,
        feature_version=FEATURE_VERSION,
        feature_vector=feature_vector(scores, total, zones, tone, [float(v) for v in lab], stype),
        score_bands={n: band(v) for n, v in scores.items()},
    )


def strength(loc: Located) -> float:
    """How sure the face is a face: the detector's score times FaceMesh's presence probability."""
    return float(min(1.0, loc.detection.score * loc.mesh.presence))
