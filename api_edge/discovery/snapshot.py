"""The analysis as discovery needs it, taken from the owner's stored report (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events.discovery import AnalysisSnapshot


def snapshot(report: Mapping[str, Any]) -> AnalysisSnapshot:
    """Skin type, measured scores (a quick analysis's unmeasured ones are left out), findings present."""
    metrics = report.get("metrics") or {}
    scores = {
        name: float(value)
        for name, value in (report.get("scores") or {}).items()
        if isinstance(value, int | float) and not metrics.get(f"unmeasured_{name}")
    }
    skin = report.get("skin_type") or {}
    conditions = tuple(
        str(c["type"]) for c in report.get("conditions") or () if c.get("type") and c.get("severity") != "none"
    )
    probabilities = {str(k): float(v) for k, v in (skin.get("probabilities") or {}).items()}
    return AnalysisSnapshot(
        skin_type=skin.get("type"), scores=scores, conditions=conditions, skin_type_probabilities=probabilities
    )
