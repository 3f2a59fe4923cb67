"""Where an upload's result and overlay live, and their absolute URLs from the configured public URL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

RESULT = "/analysis/results/{upload_id}"
OVERLAY = RESULT + "/overlay"
MASK = RESULT + "/masks/{metric}"
SIMILAR = RESULT + "/similar"


@dataclass(frozen=True)
class Urls:
    """Absolute URLs under the edge's public URL (settings), never under the request's Host header."""

    base: str

    def result(self, upload_id: uuid.UUID) -> str:
        """The analysis result of an upload."""
        return self.base + RESULT.format(upload_id=upload_id)

    def overlay(self, upload_id: uuid.UUID) -> str:
        """The overlay image of an upload."""
        return self.base + OVERLAY.format(upload_id=upload_id)

    def mask(self, upload_id: uuid.UUID, metric: str) -> str:
        """The PNG mask of one score of an upload's analysis."""
        return self.base + MASK.format(upload_id=upload_id, metric=metric)
