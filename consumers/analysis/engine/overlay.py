"""The overlay: the photo (long side <= overlay_long_side) with the zone polygons and findings drawn."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from events.analyses import Box

from .blobs import Blob
from .geometry import Frame, Image, resize_long_side
from .params import AnalyzerParams
from .skinmaps import Maps
from .zones import Zones

# BGR colours, chosen to stay distinguishable on skin.
ZONE_COLOUR = (80, 200, 80)
FACE_COLOUR = (255, 255, 255)
MARK_COLOURS: dict[str, tuple[int, int, int]] = {
    "blemishes": (40, 40, 230),
    "spots": (30, 90, 140),
    "red_patches": (200, 60, 220),
    "line_marks": (0, 220, 255),
    "shine_marks": (255, 220, 0),
    "pores": (180, 180, 180),
}


def _draw_blobs(canvas: Image, blobs: list[Blob], frame: Frame, s: float, colour: tuple[int, int, int]) -> None:
    for b in blobs:
        corners = np.array([[b.x, b.y], [b.x + b.w, b.y], [b.x + b.w, b.y + b.h], [b.x, b.y + b.h]], np.float64)
        pts = np.round(frame.to_points(corners) * s).astype(np.int32)
        cv2.polylines(canvas, [pts], True, colour, 1, cv2.LINE_AA)


def render_overlay(image: Image, box: Box, frame: Frame, zones: Zones, maps: Maps, p: AnalyzerParams) -> bytes:
    """JPEG bytes of the annotated, downscaled photo."""
    canvas, s = resize_long_side(image, p.overlay_long_side)
    canvas = canvas.copy()  # never draw on the caller's array
    cv2.rectangle(
        canvas,
        (int(box.x * s), int(box.y * s)),
        (int((box.x + box.w) * s), int((box.y + box.h) * s)),
        FACE_COLOUR,
        1,
        cv2.LINE_AA,
    )
    for poly in zones.polygons.values():
        pts: NDArray[np.float64] = frame.to_points(poly) * s
        cv2.polylines(canvas, [np.round(pts).astype(np.int32)], True, ZONE_COLOUR, 1, cv2.LINE_AA)
    for name, colour in MARK_COLOURS.items():
        blobs: list[Blob] = getattr(maps, name)
        _draw_blobs(canvas, blobs[: p.max_regions * 4], frame, s, colour)
    ok, buf = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, p.overlay_jpeg_quality])
    if not ok:
        raise RuntimeError("JPEG encoding of the overlay failed")
    return buf.tobytes()
