"""Photos for the edge tests: a face (accepted and analysed) and variants that differ in bytes."""

from __future__ import annotations

import cv2
import numpy as np
from skimage import data as photos


def face_jpeg(quality: int = 90) -> bytes:
    """The astronaut portrait as JPEG; another quality gives other bytes of the same face."""
    rgb: np.ndarray = photos.astronaut()
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def auth(token: str) -> dict[str, str]:
    """The bearer header."""
    return {"Authorization": f"Bearer {token}"}
