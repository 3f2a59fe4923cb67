"""Skin type from measured shine, texture and redness.

Rule (all inputs normalised to 0..1 as 1 - score / 100, by the score curves in scoring.py):
  shine_t = T-zone (forehead + nose) oiliness, shine_u = U-zone (cheeks + chin) oiliness,
  rough = texture roughness, red = diffuse redness.
  logits:  oily        = 2.5 * shine_u + 1.0 * shine_t   (shiny everywhere)
           combination = 3.0 * max(0, shine_t - shine_u)  (shiny T-zone, matte cheeks)
           dry         = 2.5 * rough * (1 - max(shine_t, shine_u))  (rough and matte)
           sensitive   = 3.0 * red
           normal      = 1.0                              (the prior when nothing stands out)
  probabilities = softmax(logits / 0.5); type = most probable (ties: order above).
"""

from __future__ import annotations

import math

from events.analyses import SkinType

from .scoring import score

TYPES = ("oily", "combination", "dry", "sensitive", "normal")
TEMPERATURE = 0.5


def _unit(name: str, raw: float) -> float:
    """0 for a perfect score, 1 for the worst."""
    return 1.0 - score(name, raw) / 100.0


def skin_type(oil_t: float, oil_u: float, texture: float, redness: float) -> SkinType:
    """Classify from raw T-zone and U-zone oiliness, texture and redness."""
    shine_t, shine_u = _unit("oiliness", oil_t), _unit("oiliness", oil_u)
    red = _unit("redness", redness)
    logits = {
        "oily": 2.5 * shine_u + 1.0 * shine_t,
        "combination": 3.0 * max(0.0, shine_t - shine_u),
        "dry": 2.5 * dryness_index(oil_t, oil_u, texture),
        "sensitive": 3.0 * red,
        "normal": 1.0,
    }
    peak = max(logits.values())
    exps = {k: math.exp((v - peak) / TEMPERATURE) for k, v in logits.items()}
    total = sum(exps.values())
    probs = {k: round(exps[k] / total, 4) for k in TYPES}
    best = max(TYPES, key=lambda k: (probs[k], -TYPES.index(k)))
    return SkinType(type=best, probabilities=probs)


def dryness_index(oil_t: float, oil_u: float, texture: float) -> float:
    """Roughness times matteness, 0..1: the 'dry' signal of the rule above."""
    shine = max(_unit("oiliness", oil_t), _unit("oiliness", oil_u))
    return _unit("texture", texture) * (1.0 - shine)
