"""A fixed-length, versioned feature vector of a report, and cosine similarity.

Layout of FEATURE_VERSION "fv2-51" (before L2 normalisation; analyzer 2.x, whose scores are
not comparable with 1.x's "fv1-42", so similarity only compares vectors of one version):
  [0:10]  the ten scores in SCORE_NAMES order, (s - 50) / 50
  [10]    overall score, (s - 50) / 50
  [11:41] per zone in ZONES order (ten zones): redness, texture, evenness zone scores,
          (s - 50) / 50 (0 when a zone had no visible skin)
  [41:45] tone: ITA / 90, (L* - 50) / 50, a* / 30, b* / 30
  [45:50] skin-type probabilities (normal, oily, dry, combination, sensitive) - 0.2
  [50]    Monk tone, (monk - 5.5) / 4.5
Centring spreads unrelated faces apart; the whole vector is then scaled to L2 norm 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from events.analyses import SCORE_NAMES, ZONES, SkinTone, SkinType

FEATURE_VERSION = "fv2-51"
ZONE_FEATURES = ("redness", "texture", "evenness")
TYPE_ORDER = ("normal", "oily", "dry", "combination", "sensitive")


def _centred(score: float) -> float:
    return (score - 50.0) / 50.0


def feature_vector(
    scores: dict[str, float],
    overall: float,
    zones: dict[str, dict[str, float]],
    tone: SkinTone,
    lab: Sequence[float],
    stype: SkinType,
) -> list[float]:
    """The normalised feature vector of one analysis."""
    vec = [_centred(scores[n]) for n in SCORE_NAMES] + [_centred(overall)]
    for zone in ZONES:
        vec += [_centred(zones[zone][f]) if f in zones.get(zone, {}) else 0.0 for f in ZONE_FEATURES]
    vec += [tone.ita / 90.0, (lab[0] - 50.0) / 50.0, lab[1] / 30.0, lab[2] / 30.0]
    vec += [stype.probabilities.get(t, 0.0) - 0.2 for t in TYPE_ORDER]
    vec.append((tone.monk - 5.5) / 4.5)
    norm = math.sqrt(sum(v * v for v in vec))
    return [round(v / norm, 6) if norm > 0 else 0.0 for v in vec]


def cosine_similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine of the angle between two vectors; 0 when either is all zeros."""
    if len(a) != len(b):
        raise ValueError(f"vectors differ in length: {len(a)} != {len(b)}")
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return 0.0 if na == 0 or nb == 0 else dot / (na * nb)
