"""Building image bytes by hand for intake tests: encoders, chunk and segment writers, EXIF, expectations."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import cast

import cv2
import numpy as np
import pytest
from cv2.typing import MatLike
from numpy.typing import NDArray
from skimage import data as skdata

from api_edge.image_intake import (
    IntakeError,
    sanitize,
)

MAX_PIXELS = 40_000_000

Image = NDArray[np.uint8]


# --- builders -------------------------------------------------------------


def photo() -> Image:
    """A real, non-square photo in BGR (480 wide, 400 high)."""
    rgb = cast(Image, skdata.astronaut())[:400, :480]  # type: ignore[no-untyped-call]
    return np.ascontiguousarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))


def quadrants(width: int = 120, height: int = 80) -> Image:
    """Flat colour blocks that survive JPEG and make rotations easy to spot."""
    img = np.zeros((height, width, 3), np.uint8)
    img[: height // 2, : width // 2] = (255, 0, 0)
    img[: height // 2, width // 2 :] = (0, 255, 0)
    img[height // 2 :, : width // 2] = (0, 0, 255)
    return img


def encode(ext: str, img: MatLike, params: Sequence[int] = ()) -> bytes:
    ok, buf = cv2.imencode(ext, img, list(params))
    assert ok
    return buf.tobytes()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_chunk_types(png: bytes) -> list[bytes]:
    pos, kinds = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kinds.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def riff_chunk(fourcc: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) & 1 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + pad


def riff(chunks: bytes) -> bytes:
    body = b"WEBP" + chunks
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_chunk_types(webp: bytes) -> list[bytes]:
    pos, kinds = 12, []
    while pos + 8 <= len(webp):
        (length,) = struct.unpack("<I", webp[pos + 4 : pos + 8])
        kinds.append(webp[pos : pos + 4])
        pos += 8 + length + (length & 1)
    return kinds


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_markers(jpeg: bytes) -> list[int]:
    """Markers of the header segments up to SOS (a tiny independent walker)."""
    pos, markers = 2, []
    while True:
        assert jpeg[pos] == 0xFF
        marker = jpeg[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", jpeg[pos + 2 : pos + 4])
        pos += 2 + length


def tiff_orientation(orientation: int, extra: bytes = b"") -> bytes:
    """A big-endian TIFF structure with one IFD0 entry: Orientation (0x0112, SHORT)."""
    header = b"MM\x00\x2a" + struct.pack(">I", 8)
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return header + ifd + struct.pack(">I", 0) + extra


def with_exif(jpeg: bytes, orientation: int, extra: bytes = b"") -> bytes:
    """Insert an Exif APP1 segment straight after SOI."""
    app1 = jpeg_segment(0xE1, b"Exif\x00\x00" + tiff_orientation(orientation, extra))
    return jpeg[:2] + app1 + jpeg[2:]


def expect(code: str, status: int, data: bytes, **kwargs: int) -> IntakeError:
    with pytest.raises(IntakeError) as info:
        sanitize(data, max_pixels=kwargs.pop("max_pixels", MAX_PIXELS), **kwargs)
    assert (info.value.code, info.value.status) == (code, status), info.value.message
    assert info.value.message
    return info.value


def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any call into the OpenCV decoder fail the test."""

    def boom(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("cv2.imdecode must not be reached")

    monkeypatch.setattr(cv2, "imdecode", boom)


def forged_png(width: int, height: int) -> bytes:
    """A 64x64 PNG whose IHDR claims other dimensions, with a valid CRC."""
    real = encode(".png", np.zeros((64, 64, 3), np.uint8))
    ihdr = struct.pack(">II", width, height) + real[24:29]
    return real[:8] + png_chunk(b"IHDR", ihdr) + real[33:]
