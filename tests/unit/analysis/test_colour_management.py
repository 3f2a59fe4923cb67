"""An embedded ICC profile is applied (converted to sRGB) before the upload's metadata is stripped."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from api_edge.image_intake import JPEG, PNG, decode, embedded_icc, sanitize

# Display P3 colorants adapted to the D50 connection space, as Apple's Display P3 profile states them.
P3_COLORANTS = ((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841))
D50 = (0.9642, 1.0, 0.8249)


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(v: tuple[float, float, float]) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(c) for c in v)


def icc_profile(name: str, colorants: tuple[tuple[float, float, float], ...], gamma: float = 2.2) -> bytes:
    """A minimal ICC v2 RGB display profile: description, white point, colorants, gamma curves."""
    text = name.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * 12 + b"\x00" * 67
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"
    tags = [(b"desc", desc), (b"wtpt", _xyz(D50))]
    tags += [(tag, _xyz(c)) for tag, c in zip((b"rXYZ", b"gXYZ", b"bXYZ"), colorants, strict=True)]
    tags += [(tag, curve) for tag in (b"rTRC", b"gTRC", b"bTRC")]
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for sig, data in tags:
        padded = data + b"\x00" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(padded))
        body += padded
    size = offset + len(body)
    header = struct.pack(">I", size) + b"\x00" * 4 + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\x00" * 12
    header += b"acsp" + b"\x00" * 24 + b"\x00" * 4 + b"".join(_s15(c) for c in D50) + b"\x00" * 48
    return header + struct.pack(">I", len(tags)) + table + body


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_with_icc(bgr: np.ndarray, icc: bytes) -> bytes:
    png = bytes(cv2.imencode(".png", bgr)[1])
    chunk = _png_chunk(b"iCCP", b"P3\x00\x00" + zlib.compress(icc))
    return png[:33] + chunk + png[33:]  # right after the 13-byte IHDR chunk


def jpeg_with_icc(bgr: np.ndarray, icc: bytes) -> bytes:
    jpeg = bytes(cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 100])[1])
    payload = b"ICC_PROFILE\x00\x01\x01" + icc
    return jpeg[:2] + b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def swatch(bgr: tuple[int, int, int]) -> np.ndarray:
    return np.full((96, 96, 3), bgr, np.uint8)


@pytest.mark.parametrize("wrap", [png_with_icc, jpeg_with_icc])
def test_a_display_p3_photo_is_converted_to_srgb_and_loses_its_profile(wrap: object) -> None:
    p3 = icc_profile("Display P3", P3_COLORANTS)
    tagged = wrap(swatch((80, 100, 200)), p3)  # type: ignore[operator]
    clean = sanitize(tagged, max_pixels=1_000_000)
    b, g, r = (int(v) for v in decode(clean.data)[48, 48])
    # P3 is wider than sRGB: the same numbers mean a more saturated red, so in sRGB red rises
    # and green and blue fall.
    assert r > 200 + 5 and g < 100 - 3 and b < 80 - 3, (b, g, r)
    assert embedded_icc(clean.data, PNG if clean.format.name == "png" else JPEG) is None


def test_an_srgb_profile_and_no_profile_leave_the_pixels_alone() -> None:
    pixels = swatch((80, 100, 200))
    srgb = icc_profile(
        "sRGB IEC61966-2.1", ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))
    )
    for data in (png_with_icc(pixels, srgb), bytes(cv2.imencode(".png", pixels)[1])):
        assert (decode(sanitize(data, max_pixels=1_000_000).data) == pixels).all()


def test_an_unreadable_profile_is_ignored_not_fatal() -> None:
    pixels = swatch((80, 100, 200))
    clean = sanitize(png_with_icc(pixels, b"not a profile at all" * 8), max_pixels=1_000_000)
    assert (decode(clean.data) == pixels).all()


def test_the_profile_is_read_from_every_format() -> None:
    p3 = icc_profile("Display P3", P3_COLORANTS)
    assert embedded_icc(png_with_icc(swatch((1, 2, 3)), p3), PNG) == p3
    assert embedded_icc(jpeg_with_icc(swatch((1, 2, 3)), p3), JPEG) == p3
