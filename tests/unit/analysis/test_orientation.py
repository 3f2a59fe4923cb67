"""A photo stored sideways with an EXIF orientation tag gets the same analysis as the upright photo."""

from __future__ import annotations

import struct
import zlib

import cv2
from skimage import data as photos

from api_edge.image_intake import decode, sanitize
from consumers.analysis.engine import analyse


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _with_orientation(png: bytes, orientation: int) -> bytes:
    """Insert an eXIf chunk (big-endian TIFF with one Orientation entry) right after IHDR."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + _chunk(b"eXIf", tiff) + png[ihdr_end:]


def test_exif_rotated_upload_is_analysed_like_the_upright_photo() -> None:
    upright = cv2.cvtColor(photos.astronaut(), cv2.COLOR_RGB2BGR)
    # Orientation 6 means "rotate 90° clockwise to display": store the pixels turned the other way.
    sideways = cv2.rotate(upright, cv2.ROTATE_90_COUNTERCLOCKWISE)
    tagged = _with_orientation(bytes(cv2.imencode(".png", sideways)[1]), 6)

    clean = sanitize(tagged, max_pixels=40_000_000)
    restored = decode(clean.data)

    assert (clean.width, clean.height) == (upright.shape[1], upright.shape[0])
    assert (restored == upright).all()  # PNG is lossless, so the pixels come back exactly
    assert analyse(restored).report == analyse(upright).report
