"""What `analyse` returns: a report, or a refusal with a reason a person understands."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.analyses import FailureReason, SkinReport


@dataclass(frozen=True)
class Refusal:
    """Why a photo could not be analysed."""

    reason: FailureReason
    message: str


@dataclass(frozen=True)
class Outcome:
    """Exactly one of `report` and `refusal` is set; the overlay and masks accompany a report."""

    report: SkinReport | None
    refusal: Refusal | None
    overlay_jpeg: bytes | None
    masks: dict[str, bytes] = field(default_factory=dict)  # score name -> PNG (masks.py)
