"""Unit tests for upload hardening in api_edge.image_intake."""

from __future__ import annotations

import hashlib
import inspect
import pickle
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
    JPEG,
    PNG,
    WEBP,
    CleanImage,
    ImageFormat,
    IntakeError,
    check_structure,
    decode,
    header_dimensions,
    sanitize,
    sniff_format,
)

MAX_PIXELS = 40_000_000

Image = NDArray[np.uint8]


# --- builders -------------------------------------------------------------


def _photo() -> Image:
    """A real, non-square photo in BGR (480 wide, 400 high)."""
    rgb = cast(Image, skdata.astronaut())[:400, :480]  # type: ignore[no-untyped-call]
    return np.ascontiguousarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))


def _quadrants(width: int = 120, height: int = 80) -> Image:
    """Flat colour blocks that survive JPEG and make rotations easy to spot."""
    img = np.zeros((height, width, 3), np.uint8)
    img[: height // 2, : width // 2] = (255, 0, 0)
    img[: height // 2, width // 2 :] = (0, 255, 0)
    img[height // 2 :, : width // 2] = (0, 0, 255)
    return img


def _encode(ext: str, img: MatLike, params: Sequence[int] = ()) -> bytes:
    ok, buf = cv2.imencode(ext, img, list(params))
    assert ok
    return buf.tobytes()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _png_chunk_types(png: bytes) -> list[bytes]:
    pos, kinds = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kinds.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def _riff_chunk(fourcc: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) & 1 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + pad


def _riff(chunks: bytes) -> bytes:
    body = b"WEBP" + chunks
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _webp_chunk_types(webp: bytes) -> list[bytes]:
    pos, kinds = 12, []
    while pos + 8 <= len(webp):
        (length,) = struct.unpack("<I", webp[pos + 4 : pos + 8])
        kinds.append(webp[pos : pos + 4])
        pos += 8 + length + (length & 1)
    return kinds


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_markers(jpeg: bytes) -> list[int]:
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


def _tiff_orientation(orientation: int, extra: bytes = b"") -> bytes:
    """A big-endian TIFF structure with one IFD0 entry: Orientation (0x0112, SHORT)."""
    header = b"MM\x00\x2a" + struct.pack(">I", 8)
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return header + ifd + struct.pack(">I", 0) + extra


def _with_exif(jpeg: bytes, orientation: int, extra: bytes = b"") -> bytes:
    """Insert an Exif APP1 segment straight after SOI."""
    app1 = _jpeg_segment(0xE1, b"Exif\x00\x00" + _tiff_orientation(orientation, extra))
    return jpeg[:2] + app1 + jpeg[2:]


def _expect(code: str, status: int, data: bytes, **kwargs: int) -> IntakeError:
    with pytest.raises(IntakeError) as info:
        sanitize(data, max_pixels=kwargs.pop("max_pixels", MAX_PIXELS), **kwargs)
    assert (info.value.code, info.value.status) == (code, status), info.value.message
    assert info.value.message
    return info.value


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any call into the OpenCV decoder fail the test."""

    def boom(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("cv2.imdecode must not be reached")

    monkeypatch.setattr(cv2, "imdecode", boom)


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
    photo = _photo()
    raw = _encode(ext, photo, params)

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
        assert np.array_equal(pixels, photo)
    else:
        assert np.abs(pixels.astype(int) - photo).mean() < 6


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
    clean = sanitize(_encode(".png", source), max_pixels=MAX_PIXELS)

    pixels = decode(clean.data)
    assert pixels.shape == (100, 90, 3) and pixels.dtype == np.uint8
    assert _png_chunk_types(clean.data)[0] == b"IHDR"
    # The stored PNG itself is 8-bit truecolour (IHDR bit depth 8, colour type 2).
    assert clean.data[24:26] == b"\x08\x02"


def test_webp_with_alpha_vp8x_is_accepted() -> None:
    bgra = np.dstack([_quadrants(), np.full((80, 120), 128, np.uint8)])
    raw = _encode(".webp", bgra, [cv2.IMWRITE_WEBP_QUALITY, 80])
    assert raw[12:16] == b"VP8X"

    assert header_dimensions(raw, WEBP) == (120, 80)
    clean = sanitize(raw, max_pixels=MAX_PIXELS)
    assert (clean.width, clean.height) == (120, 80)
    assert decode(clean.data).shape == (80, 120, 3)


def test_bytes_after_jpeg_eoi_are_tolerated_and_dropped() -> None:
    # Phones append Motion Photo video / MPF previews after EOI.
    raw = _encode(".jpg", _photo()) + b"\x00\x00\x00\x18ftypmp42" + b"video" * 200

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"ftypmp42" not in clean.data
    assert clean.data.endswith(b"\xff\xd9")


# --- unsupported types ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "detected"),
    [
        (_encode(".gif", _quadrants()), "gif"),
        (_encode(".bmp", _quadrants()), "bmp"),
        (_encode(".tiff", _quadrants()), "tiff"),
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

    error = _expect("UNSUPPORTED_MEDIA_TYPE", 415, raw)

    assert error.details.get("detected") == detected
    assert error.details["accepted"] == ["image/jpeg", "image/png", "image/webp"]


def test_type_comes_from_bytes_not_names() -> None:
    # sanitize never sees a filename or Content-Type: there is nothing to lie with.
    params = inspect.signature(sanitize).parameters
    assert list(params) == ["data", "max_pixels", "min_side"]
    # A PNG uploaded as "selfie.jpg" is stored as PNG, a GIF as "selfie.jpg" is refused.
    assert sanitize(_encode(".png", _photo()), max_pixels=MAX_PIXELS).format == PNG
    _expect("UNSUPPORTED_MEDIA_TYPE", 415, _encode(".gif", _photo()))


# --- pixel limits ---------------------------------------------------------


def _forged_png(width: int, height: int) -> bytes:
    """A 64x64 PNG whose IHDR claims other dimensions, with a valid CRC."""
    real = _encode(".png", np.zeros((64, 64, 3), np.uint8))
    ihdr = struct.pack(">II", width, height) + real[24:29]
    return real[:8] + _png_chunk(b"IHDR", ihdr) + real[33:]


def test_pixel_bomb_rejected_from_header_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forged = _forged_png(10_000, 10_000)
    # The file is tiny and its IDAT holds 64x64 pixels: only the header says 10000x10000.
    assert len(forged) < 200
    assert header_dimensions(forged, PNG) == (10_000, 10_000)
    _no_decoding(monkeypatch)

    error = _expect("IMAGE_TOO_LARGE_PIXELS", 413, forged, max_pixels=40_000_000)

    assert error.details == {
        "width": 10_000,
        "height": 10_000,
        "pixels": 100_000_000,
        "max_pixels": 40_000_000,
    }


@pytest.mark.parametrize("ext", [".jpg", ".webp"])
def test_pixel_cap_applies_to_every_format(ext: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _encode(ext, _photo())
    _no_decoding(monkeypatch)

    _expect("IMAGE_TOO_LARGE_PIXELS", 413, raw, max_pixels=480 * 400 - 1)


def test_pixel_cap_is_inclusive() -> None:
    clean = sanitize(_encode(".png", _photo()), max_pixels=480 * 400)
    assert (clean.width, clean.height) == (480, 400)


def test_forged_header_within_cap_is_corrupt() -> None:
    # Passes the cap, but the pixel data cannot back the header's claim.
    _expect("IMAGE_CORRUPT", 422, _forged_png(1000, 1000))


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
    raw = _encode(ext, np.full((10, 10, 3), 99, np.uint8), params)

    error = _expect("IMAGE_TOO_SMALL", 422, raw)

    assert error.details == {"width": 10, "height": 10, "min_side": 64}


def test_min_side_checks_the_shorter_side() -> None:
    raw = _encode(".png", np.zeros((63, 500, 3), np.uint8))
    _expect("IMAGE_TOO_SMALL", 422, raw)
    assert sanitize(raw, max_pixels=MAX_PIXELS, min_side=63).height == 63


# --- header parsing -------------------------------------------------------


def test_webp_vp8_and_vp8l_header_dimensions() -> None:
    img = cv2.resize(_photo(), (301, 171))
    lossy = _encode(".webp", img, [cv2.IMWRITE_WEBP_QUALITY, 80])
    lossless = _encode(".webp", img, [cv2.IMWRITE_WEBP_QUALITY, 101])
    assert lossy[12:16] == b"VP8 " and lossless[12:16] == b"VP8L"

    assert header_dimensions(lossy, WEBP) == (301, 171)
    assert header_dimensions(lossless, WEBP) == (301, 171)


@pytest.mark.parametrize("progressive", [0, 1])
def test_jpeg_header_dimensions(progressive: int) -> None:
    raw = _encode(
        ".jpg",
        cv2.resize(_photo(), (333, 129)),
        [cv2.IMWRITE_JPEG_PROGRESSIVE, progressive],
    )
    assert header_dimensions(_with_exif(raw, 1), JPEG) == (333, 129)


def test_png_header_dimensions() -> None:
    assert header_dimensions(_encode(".png", np.zeros((7, 300, 3), np.uint8)), PNG) == (
        300,
        7,
    )


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        (_forged_png(0, 100), PNG),
        (b"\xff\xd8\xff\xda\x00\x08" + bytes(6) + b"\xff\xd9", JPEG),  # scan, no frame
        (b"\xff\xd8\xff\xc0\x00\x11\x08\x00\x00\x00\x40" + bytes(12), JPEG),  # height 0
        (b"\xff\xd8\xff\xe0\x7f\xff JFIF", JPEG),  # segment past end of file
        (_riff(_riff_chunk(b"VP8 ", b"\x00\x00\x00\x00\x00\x00" + bytes(8))), WEBP),
        (_riff(_riff_chunk(b"VP8L", b"\x2e" + bytes(8))), WEBP),
        (_riff(_riff_chunk(b"ALPH", bytes(20))), WEBP),
    ],
)
def test_unparseable_headers_are_corrupt(raw: bytes, fmt: ImageFormat) -> None:
    assert sniff_format(raw) == fmt
    with pytest.raises(IntakeError) as info:
        header_dimensions(raw, fmt)
    assert (info.value.code, info.value.status) == ("IMAGE_CORRUPT", 422)
    _expect("IMAGE_CORRUPT", 422, raw)


def test_png_header_with_bad_crc_is_corrupt() -> None:
    raw = bytearray(_encode(".png", _photo()))
    raw[19] ^= 0x01  # width changes, CRC no longer matches
    _expect("IMAGE_CORRUPT", 422, bytes(raw))


# --- corruption and truncation --------------------------------------------


@pytest.mark.parametrize("progressive", [0, 1])
def test_truncated_jpeg_is_corrupt(progressive: int) -> None:
    raw = _encode(".jpg", _photo(), [cv2.IMWRITE_JPEG_PROGRESSIVE, progressive])
    cut = raw[: int(len(raw) * 0.7)]
    # The header is intact, so only the structure check can catch this.
    assert header_dimensions(cut, JPEG) == (480, 400)
    with pytest.raises(IntakeError):
        check_structure(cut, JPEG)

    _expect("IMAGE_CORRUPT", 422, cut)


def test_jpeg_missing_only_eoi_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _encode(".jpg", _photo())[:-2]
    _no_decoding(monkeypatch)  # rejected structurally, whatever the decoder would do
    _expect("IMAGE_CORRUPT", 422, raw)


def test_exif_thumbnail_eoi_does_not_hide_truncation() -> None:
    # Camera EXIF embeds a thumbnail JPEG, complete with its own FF D9; a naive
    # "contains EOI" search would accept the truncated main image.
    thumbnail = _encode(".jpg", _quadrants(32, 24))
    main = _encode(".jpg", _photo())
    intact = _with_exif(main, 1, extra=thumbnail)
    cut = _with_exif(main[: int(len(main) * 0.7)], 1, extra=thumbnail)
    assert b"\xff\xd9" in cut

    assert sanitize(intact, max_pixels=MAX_PIXELS).width == 480
    with pytest.raises(IntakeError):
        check_structure(cut, JPEG)


def test_jpeg_fill_bytes_before_markers_are_legal() -> None:
    raw = _encode(".jpg", _photo())
    assert raw[2:4] == b"\xff\xe0"
    padded = raw[:2] + b"\xff\xff" + raw[2:-2] + b"\xff\xff\xff\xd9"

    assert sanitize(padded, max_pixels=MAX_PIXELS).height == 400


def test_jpeg_garbage_between_header_segments_is_corrupt() -> None:
    raw = _encode(".jpg", _photo())
    _expect("IMAGE_CORRUPT", 422, raw[:20] + b"\x00\x00" + raw[20:])


@pytest.mark.parametrize("keep", [0.7, 0.99])
def test_truncated_png_is_corrupt(keep: float) -> None:
    raw = _encode(".png", _photo())
    _expect("IMAGE_CORRUPT", 422, raw[: int(len(raw) * keep)])


def test_png_without_iend_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _encode(".png", _photo())
    assert raw.endswith(_png_chunk(b"IEND", b""))
    _no_decoding(monkeypatch)
    _expect("IMAGE_CORRUPT", 422, raw[:-12])


def test_png_idat_crc_mismatch_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = bytearray(_encode(".png", _photo()))
    raw[8 + 25 + 8 + 100] ^= 0xFF  # a byte inside the first IDAT payload
    _no_decoding(monkeypatch)
    error = _expect("IMAGE_CORRUPT", 422, bytes(raw))
    assert error.details == {"chunk": "IDAT"}


def test_random_bytes_after_png_signature_are_corrupt() -> None:
    rng = np.random.default_rng(1234)
    raw = b"\x89PNG\r\n\x1a\n" + rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    assert sniff_format(raw) == PNG
    _expect("IMAGE_CORRUPT", 422, raw)


def test_random_bytes_after_jpeg_and_webp_magic_are_corrupt() -> None:
    noise = np.random.default_rng(99).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    _expect("IMAGE_CORRUPT", 422, b"\xff\xd8\xff" + noise)
    _expect("IMAGE_CORRUPT", 422, b"RIFF" + struct.pack("<I", 4100) + b"WEBP" + noise)


@pytest.mark.parametrize("quality", [90, 101])
def test_truncated_webp_is_corrupt(quality: int) -> None:
    raw = _encode(".webp", _photo(), [cv2.IMWRITE_WEBP_QUALITY, quality])
    cut = raw[: int(len(raw) * 0.7)]
    assert header_dimensions(cut, WEBP) == (480, 400)
    _expect("IMAGE_CORRUPT", 422, cut)


def test_decoded_shape_must_match_header(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _encode(".png", _photo())

    def lying_decoder(*_args: object) -> Image:
        return np.zeros((100, 100, 3), np.uint8)

    monkeypatch.setattr(cv2, "imdecode", lying_decoder)
    error = _expect("IMAGE_CORRUPT", 422, raw)
    assert error.details["decoded_width"] == 100


def test_decoder_exception_becomes_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    # e.g. OPENCV_IO_MAX_IMAGE_PIXELS exceeded: OpenCV raises rather than returning None.
    def raising_decoder(*_args: object) -> Image:
        raise cv2.error("pixels <= CV_IO_MAX_IMAGE_PIXELS")

    monkeypatch.setattr(cv2, "imdecode", raising_decoder)
    _expect("IMAGE_CORRUPT", 422, _encode(".png", _photo()))


@pytest.mark.parametrize(
    "raw",
    [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + bytes(40), b"\xff\xd8\xff\xe0"],
)
def test_decode_rejects_non_images(raw: bytes) -> None:
    with pytest.raises(IntakeError) as info:
        decode(raw)
    assert info.value.code == "IMAGE_CORRUPT"


# --- orientation and metadata ---------------------------------------------


def test_exif_orientation_6_is_applied_once() -> None:
    upright = _quadrants(120, 80)
    raw = _with_exif(_encode(".jpg", upright, [cv2.IMWRITE_JPEG_QUALITY, 95]), 6)
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
    upright = _quadrants(120, 80)
    raw = _with_exif(_encode(".jpg", upright, [cv2.IMWRITE_JPEG_QUALITY, 95]), orientation)
    rotation = {3: cv2.ROTATE_180, 8: cv2.ROTATE_90_COUNTERCLOCKWISE}
    expected = cv2.rotate(upright, rotation[orientation]) if orientation in rotation else upright

    pixels = decode(sanitize(raw, max_pixels=MAX_PIXELS).data)

    assert np.abs(pixels.astype(int) - expected).mean() < 4


def test_jpeg_metadata_is_stripped() -> None:
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>planted-xmp-secret</x:xmpmeta>"
    icc = b"ICC_PROFILE\x00\x01\x01" + b"planted-icc" + bytes(64)
    with_exif = _with_exif(_encode(".jpg", _photo()), 1, extra=b"planted-exif-gps")
    planted = _jpeg_segment(0xE1, xmp) + _jpeg_segment(0xE2, icc) + _jpeg_segment(0xFE, b"planted-comment")
    raw = with_exif[:2] + planted + with_exif[2:]
    assert all(s in raw for s in (b"Exif\x00\x00", b"planted-xmp", b"planted-comment"))

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    for needle in (b"Exif", b"ns.adobe.com", b"ICC_PROFILE", b"planted"):
        assert needle not in clean.data
    markers = _jpeg_markers(clean.data)
    assert 0xFE not in markers  # no COM
    assert not {m for m in markers if 0xE1 <= m <= 0xEF}  # only the JFIF APP0 remains


def test_png_metadata_is_stripped() -> None:
    raw = _encode(".png", _photo())
    planted = (
        _png_chunk(b"tEXt", b"Comment\x00planted-png-comment")
        + _png_chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>planted</x:xmpmeta>",
        )
        + _png_chunk(b"eXIf", _tiff_orientation(1, b"planted-exif"))
        + _png_chunk(b"tIME", b"\x07\xe9\x01\x02\x03\x04\x05")
    )
    raw = raw[:33] + planted + raw[33:]

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"planted" not in clean.data
    assert set(_png_chunk_types(clean.data)) == {b"IHDR", b"IDAT", b"IEND"}


def _webp_with_metadata(vp8: bytes, width: int, height: int, exif: bytes) -> bytes:
    flags = 0x08 | 0x04  # EXIF and XMP present
    vp8x = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return _riff(
        _riff_chunk(b"VP8X", vp8x)
        + vp8
        + _riff_chunk(b"EXIF", exif)
        + _riff_chunk(b"XMP ", b"<x:xmpmeta>planted-webp-xmp</x:xmpmeta>")
    )


@pytest.mark.parametrize("quality", [90, 101])
def test_webp_metadata_is_stripped(quality: int) -> None:
    plain = _encode(".webp", _photo(), [cv2.IMWRITE_WEBP_QUALITY, quality])
    raw = _webp_with_metadata(plain[12:], 480, 400, _tiff_orientation(1, b"planted-exif"))
    assert header_dimensions(raw, WEBP) == (480, 400)

    clean = sanitize(raw, max_pixels=MAX_PIXELS)

    assert b"planted" not in clean.data
    assert _webp_chunk_types(clean.data) == [b"VP8 "]


def test_webp_exif_orientation_is_applied() -> None:
    upright = _quadrants(120, 80)
    plain = _encode(".webp", upright, [cv2.IMWRITE_WEBP_QUALITY, 101])
    raw = _webp_with_metadata(plain[12:], 120, 80, _tiff_orientation(6))

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
