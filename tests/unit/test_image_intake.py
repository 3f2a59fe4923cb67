"""Upload intake: accepted formats, refused types, pixel limits, orientation and metadata stripping."""

from __future__ import annotations

import hashlib
import inspect
import pickle

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from api_edge.image_intake import (
    JPEG,
    PNG,
    WEBP,
    CleanImage,
    ImageFormat,
    IntakeError,
    decode,
    header_dimensions,
    sanitize,
    sniff_format,
)
from tests.support.image_bytes import (
    MAX_PIXELS,
    encode,
    expect,
    forged_png,
    jpeg_markers,
    jpeg_segment,
    no_decoding,
    photo,
    png_chunk,
    png_chunk_types,
    quadrants,
    riff,
    riff_chunk,
    tiff_orientation,
    webp_chunk_types,
    with_exif,
)

# --- accepted formats -----------------------------------------------------


@pytest.mark.parametrize(
    ("ext", "params", "fmt", "chunk"),
    [
        (".jpg", [cv2.IMWRITE_JPEG_QUALITY, 90], JPEG, None),
        (".jpg", [cv2.IMWRITE_JPEG_PROGRESSIVE, 1], JPEG, None),
        (".png", [], PNG, None),
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 90], WEBP, b"VP8 "),
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 101], WEBP, b"VP8L"),
    ],
)
def test_accepted_formats_round_trip(ext: str, params: list[int], fmt: ImageFormat, chunk: bytes | None) -> None:
    original = photo()
    raw = encode(ext, original, params)

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert isinstance(clean, CleanImage)
    assert clean.format == fmt
    assert sniff_format(clean.data) == fmt
    assert (clean.width, clean.height) == (480, 400)
    assert clean.sha256 == hashlib.sha256(clean.data).hexdigest()
    pixels = decode(clean.data)
    assert pixels.shape == (400, 480, 3) and pixels.dtype == np.uint8
    # PNG stays lossless; WebP is always stored lossy (lossless WebP encoding is too slow to offer).
    if chunk is not None:
        assert clean.data[12:16] == b"VP8 "
    if fmt == PNG:
        assert np.array_equal(pixels, original)
    else:
        assert np.abs(pixels.astype(int) - original).mean() < 6


def test_format_metadata() -> None:
    assert (JPEG.name, JPEG.mime, JPEG.extension) == ("jpeg", "image/jpeg", ".jpg")
    assert (PNG.name, PNG.mime, PNG.extension) == ("png", "image/png", ".png")
    assert (WEBP.name, WEBP.mime, WEBP.extension) == ("webp", "image/webp", ".webp")


@pytest.mark.parametrize(
    "source",
    [
        np.zeros((100, 90), np.uint8),  # grey
        np.full((100, 90, 4), 200, np.uint8),  # alpha
        np.full((100, 90, 3), 40_000, np.uint16),  # 16-bit
        np.full((100, 90, 4), 40_000, np.uint16),  # 16-bit + alpha
    ],
)
def test_png_variants_become_8bit_bgr(
    source: NDArray[np.uint8] | NDArray[np.uint16],
) -> None:
    clean = sanitize(encode(".png", source), max_pixels=MAX_PIXELS)

    pixels = decode(clean.data)
    assert pixels.shape == (100, 90, 3) and pixels.dtype == np.uint8
    assert png_chunk_types(clean.data)[0] == b"IHDR"
    # The stored PNG itself is 8-bit truecolour (IHDR bit depth 8, colour type 2).
    assert clean.data[24:26] == b"\x08\x02"


def test_webp_with_alpha_vp8x_is_accepted() -> None:
    bgra = np.dstack([quadrants(), np.full((80, 120), 128, np.uint8)])
    raw = encode(".webp", bgra, [cv2.IMWRITE_WEBP_QUALITY, 80])
    assert raw[12:16] == b"VP8X"

    assert header_dimensions(raw, WEBP) == (120, 80)
    clean = sanitize(raw, max_pixels=MAX_PIXELS)
    assert (clean.width, clean.height) == (120, 80)
    assert decode(clean.data).shape == (80, 120, 3)


def test_bytes_after_jpeg_eoi_are_tolerated_and_dropped() -> None:
    # Phones append Motion Photo video / MPF previews after EOI.
    raw = encode(".jpg", photo()) + b"\x00\x00\x00\x18ftypmp42" + b"video" * 200

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"ftypmp42" not in clean.data
    assert clean.data.endswith(b"\xff\xd9")


# --- unsupported types ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "detected"),
    [
        (encode(".gif", quadrants()), "gif"),
        (encode(".bmp", quadrants()), "bmp"),
        (encode(".tiff", quadrants()), "tiff"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"),
        (b"<svg onload=alert(1)></svg>", "svg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "html"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
        (b"hello, this is plain text and not an image\n", None),
        (b"\xff\xd8", None),  # too short to be a JPEG
        (b"RIFF\x10\x00\x00\x00AVI LIST", None),  # RIFF, but not WebP
        (b"", "empty"),
    ],
)
def test_unsupported_types_are_415(raw: bytes, detected: str | None) -> None:
    assert sniff_format(raw) is None

    error = expect("UNSUPPORTED_MEDIA_TYPE", 415, raw)

    assert error.details.get("detected") == detected
    assert error.details["accepted"] == ["image/jpeg", "image/png", "image/webp"]


def test_type_comes_from_bytes_not_names() -> None:
    # sanitize never sees a filename or Content-Type: there is nothing to lie with.
    params = inspect.signature(sanitize).parameters
    assert list(params) == ["data", "max_pixels", "min_side"]
    # A PNG uploaded as "selfie.jpg" is stored as PNG, a GIF as "selfie.jpg" is refused.
    assert sanitize(encode(".png", photo()), max_pixels=MAX_PIXELS).format == PNG
    expect("UNSUPPORTED_MEDIA_TYPE", 415, encode(".gif", photo()))


# --- pixel limits ---------------------------------------------------------


def test_pixel_bomb_rejected_from_header_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forged = forged_png(10_000, 10_000)
    # The file is tiny and its IDAT holds 64x64 pixels: only the header says 10000x10000.
    assert len(forged) < 200
    assert header_dimensions(forged, PNG) == (10_000, 10_000)
    no_decoding(monkeypatch)

    error = expect("IMAGE_TOO_LARGE_PIXELS", 413, forged, max_pixels=40_000_000)

    assert error.details == {
        "width": 10_000,
        "height": 10_000,
        "pixels": 100_000_000,
        "max_pixels": 40_000_000,
    }


@pytest.mark.parametrize("ext", [".jpg", ".webp"])
def test_pixel_cap_applies_to_every_format(ext: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = encode(ext, photo())
    no_decoding(monkeypatch)

    expect("IMAGE_TOO_LARGE_PIXELS", 413, raw, max_pixels=480 * 400 - 1)


def test_pixel_cap_is_inclusive() -> None:
    clean = sanitize(encode(".png", photo()), max_pixels=480 * 400)
    assert (clean.width, clean.height) == (480, 400)


def test_forged_header_within_cap_is_corrupt() -> None:
    # Passes the cap, but the pixel data cannot back the header's claim.
    expect("IMAGE_CORRUPT", 422, forged_png(1000, 1000))


@pytest.mark.parametrize(
    ("ext", "params"),
    [
        (".jpg", []),
        (".png", []),
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 90]),
        (".webp", [cv2.IMWRITE_WEBP_QUALITY, 101]),
    ],
)
def test_tiny_image_is_too_small(ext: str, params: list[int]) -> None:
    raw = encode(ext, np.full((10, 10, 3), 99, np.uint8), params)

    error = expect("IMAGE_TOO_SMALL", 422, raw)

    assert error.details == {"width": 10, "height": 10, "min_side": 64}


def test_min_side_checks_the_shorter_side() -> None:
    raw = encode(".png", np.zeros((63, 500, 3), np.uint8))
    expect("IMAGE_TOO_SMALL", 422, raw)
    assert sanitize(raw, max_pixels=MAX_PIXELS, min_side=63).height == 63


# --- orientation and metadata ---------------------------------------------


def test_exif_orientation_6_is_applied_once() -> None:
    upright = quadrants(120, 80)
    raw = with_exif(encode(".jpg", upright, [cv2.IMWRITE_JPEG_QUALITY, 95]), 6)
    assert header_dimensions(raw, JPEG) == (120, 80)

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height) == (80, 120)
    expected = cv2.rotate(upright, cv2.ROTATE_90_CLOCKWISE)
    pixels = decode(clean.data)
    assert pixels.shape == expected.shape
    assert np.abs(pixels.astype(int) - expected).mean() < 4
    # Stripping the tag is what keeps the consumer from rotating a second time.
    assert b"Exif" not in clean.data


@pytest.mark.parametrize("orientation", [1, 3, 8])
def test_other_orientations(orientation: int) -> None:
    upright = quadrants(120, 80)
    raw = with_exif(encode(".jpg", upright, [cv2.IMWRITE_JPEG_QUALITY, 95]), orientation)
    rotation = {3: cv2.ROTATE_180, 8: cv2.ROTATE_90_COUNTERCLOCKWISE}
    expected = cv2.rotate(upright, rotation[orientation]) if orientation in rotation else upright

    pixels = decode(sanitize(raw, max_pixels=MAX_PIXELS).data)

    assert np.abs(pixels.astype(int) - expected).mean() < 4


def test_jpeg_metadata_is_stripped() -> None:
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>planted-xmp-secret</x:xmpmeta>"
    icc = b"ICC_PROFILE\x00\x01\x01" + b"planted-icc" + bytes(64)
    tagged = with_exif(encode(".jpg", photo()), 1, extra=b"planted-exif-gps")
    planted = jpeg_segment(0xE1, xmp) + jpeg_segment(0xE2, icc) + jpeg_segment(0xFE, b"planted-comment")
    raw = tagged[:2] + planted + tagged[2:]
    assert all(s in raw for s in (b"Exif\x00\x00", b"planted-xmp", b"planted-comment"))

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    for needle in (b"Exif", b"ns.adobe.com", b"ICC_PROFILE", b"planted"):
        assert needle not in clean.data
    markers = jpeg_markers(clean.data)
    assert 0xFE not in markers  # no COM
    assert not {m for m in markers if 0xE1 <= m <= 0xEF}  # only the JFIF APP0 remains


def test_png_metadata_is_stripped() -> None:
    raw = encode(".png", photo())
    planted = (
        png_chunk(b"tEXt", b"Comment\x00planted-png-comment")
        + png_chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>planted</x:xmpmeta>",
        )
        + png_chunk(b"eXIf", tiff_orientation(1, b"planted-exif"))
        + png_chunk(b"tIME", b"\x07\xe9\x01\x02\x03\x04\x05")
    )
    raw = raw[:33] + planted + raw[33:]

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"planted" not in clean.data
    assert set(png_chunk_types(clean.data)) == {b"IHDR", b"IDAT", b"IEND"}


def _webp_with_metadata(vp8: bytes, width: int, height: int, exif: bytes) -> bytes:
    flags = 0x08 | 0x04  # EXIF and XMP present
    vp8x = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return riff(
        riff_chunk(b"VP8X", vp8x)
        + vp8
        + riff_chunk(b"EXIF", exif)
        + riff_chunk(b"XMP ", b"<x:xmpmeta>planted-webp-xmp</x:xmpmeta>")
    )


@pytest.mark.parametrize("quality", [90, 101])
def test_webp_metadata_is_stripped(quality: int) -> None:
    plain = encode(".webp", photo(), [cv2.IMWRITE_WEBP_QUALITY, quality])
    raw = _webp_with_metadata(plain[12:], 480, 400, tiff_orientation(1, b"planted-exif"))
    assert header_dimensions(raw, WEBP) == (480, 400)

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"planted" not in clean.data
    assert webp_chunk_types(clean.data) == [b"VP8 "]


def test_webp_exif_orientation_is_applied() -> None:
    upright = quadrants(120, 80)
    plain = encode(".webp", upright, [cv2.IMWRITE_WEBP_QUALITY, 101])
    raw = _webp_with_metadata(plain[12:], 120, 80, tiff_orientation(6))

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height) == (80, 120)
    rotated = cv2.rotate(upright, cv2.ROTATE_90_CLOCKWISE).astype(int)
    assert np.abs(decode(clean.data).astype(int) - rotated).mean() < 6


# --- error object ---------------------------------------------------------


def test_intake_error_carries_fields_and_pickles() -> None:
    error = IntakeError("IMAGE_TOO_SMALL", 422, "Too small.", {"width": 10})

    copy = pickle.loads(pickle.dumps(error))

    assert isinstance(copy, IntakeError) and isinstance(copy, Exception)
    assert (copy.code, copy.status, copy.message, copy.details) == (
        "IMAGE_TOO_SMALL",
        422,
        "Too small.",
        {"width": 10},
    )
    assert str(copy) == "Too small."


def test_bad_limits_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        sanitize(b"", max_pixels=0)
