"""Upload intake: header dimensions and the structural checks that catch truncated or corrupt files."""

from __future__ import annotations

import struct

import cv2
import numpy as np
import pytest

from api_edge.image_intake import (
    JPEG,
    PNG,
    WEBP,
    ImageFormat,
    IntakeError,
    check_structure,
    decode,
    header_dimensions,
    sanitize,
    sniff_format,
)
from tests.support.image_bytes import (
    MAX_PIXELS,
    Image,
    encode,
    expect,
    forged_png,
    no_decoding,
    photo,
    png_chunk,
    quadrants,
    riff,
    riff_chunk,
    with_exif,
)

# --- header parsing -------------------------------------------------------


def test_webp_vp8_and_vp8l_header_dimensions() -> None:
    img = cv2.resize(photo(), (301, 171))
    lossy = encode(".webp", img, [cv2.IMWRITE_WEBP_QUALITY, 80])
    lossless = encode(".webp", img, [cv2.IMWRITE_WEBP_QUALITY, 101])
    assert lossy[12:16] == b"VP8 " and lossless[12:16] == b"VP8L"

    assert header_dimensions(lossy, WEBP) == (301, 171)
    assert header_dimensions(lossless, WEBP) == (301, 171)


@pytest.mark.parametrize("progressive", [0, 1])
def test_jpeg_header_dimensions(progressive: int) -> None:
    raw = encode(
        ".jpg",
        cv2.resize(photo(), (333, 129)),
        [cv2.IMWRITE_JPEG_PROGRESSIVE, progressive],
    )
    assert header_dimensions(with_exif(raw, 1), JPEG) == (333, 129)


def test_png_header_dimensions() -> None:
    assert header_dimensions(encode(".png", np.zeros((7, 300, 3), np.uint8)), PNG) == (
        300,
        7,
    )


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        (forged_png(0, 100), PNG),
        (b"\xff\xd8\xff\xda\x00\x08" + bytes(6) + b"\xff\xd9", JPEG),  # scan, no frame
        (b"\xff\xd8\xff\xc0\x00\x11\x08\x00\x00\x00\x40" + bytes(12), JPEG),  # height 0
        (b"\xff\xd8\xff\xe0\x7f\xff JFIF", JPEG),  # segment past end of file
        (riff(riff_chunk(b"VP8 ", b"\x00\x00\x00\x00\x00\x00" + bytes(8))), WEBP),
        (riff(riff_chunk(b"VP8L", b"\x2e" + bytes(8))), WEBP),
        (riff(riff_chunk(b"ALPH", bytes(20))), WEBP),
    ],
)
def test_unparseable_headers_are_corrupt(raw: bytes, fmt: ImageFormat) -> None:
    assert sniff_format(raw) == fmt
    with pytest.raises(IntakeError) as info:
        header_dimensions(raw, fmt)
    assert (info.value.code, info.value.status) == ("IMAGE_CORRUPT", 422)
    expect("IMAGE_CORRUPT", 422, raw)


def test_png_header_with_bad_crc_is_corrupt() -> None:
    raw = bytearray(encode(".png", photo()))
    raw[19] ^= 0x01  # width changes, CRC no longer matches
    expect("IMAGE_CORRUPT", 422, bytes(raw))


# --- corruption and truncation --------------------------------------------


@pytest.mark.parametrize("progressive", [0, 1])
def test_truncated_jpeg_is_corrupt(progressive: int) -> None:
    raw = encode(".jpg", photo(), [cv2.IMWRITE_JPEG_PROGRESSIVE, progressive])
    cut = raw[: int(len(raw) * 0.7)]
    # The header is intact, so only the structure check can catch this.
    assert header_dimensions(cut, JPEG) == (480, 400)
    with pytest.raises(IntakeError):
        check_structure(cut, JPEG)

    expect("IMAGE_CORRUPT", 422, cut)


def test_jpeg_missing_only_eoi_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = encode(".jpg", photo())[:-2]
    no_decoding(monkeypatch)  # rejected structurally, whatever the decoder would do
    expect("IMAGE_CORRUPT", 422, raw)


def test_exif_thumbnail_eoi_does_not_hide_truncation() -> None:
    # Camera EXIF embeds a thumbnail JPEG, complete with its own FF D9; a naive
    # "contains EOI" search would accept the truncated main image.
    thumbnail = encode(".jpg", quadrants(32, 24))
    main = encode(".jpg", photo())
    intact = with_exif(main, 1, extra=thumbnail)
    cut = with_exif(main[: int(len(main) * 0.7)], 1, extra=thumbnail)
    assert b"\xff\xd9" in cut

    assert sanitize(intact, max_pixels=MAX_PIXELS).width == 480
    with pytest.raises(IntakeError):
        check_structure(cut, JPEG)


def test_jpeg_fill_bytes_before_markers_are_legal() -> None:
    raw = encode(".jpg", photo())
    assert raw[2:4] == b"\xff\xe0"
    padded = raw[:2] + b"\xff\xff" + raw[2:-2] + b"\xff\xff\xff\xd9"

    assert sanitize(padded, max_pixels=MAX_PIXELS).height == 400


def test_jpeg_garbage_between_header_segments_is_corrupt() -> None:
    raw = encode(".jpg", photo())
    expect("IMAGE_CORRUPT", 422, raw[:20] + b"\x00\x00" + raw[20:])


@pytest.mark.parametrize("keep", [0.7, 0.99])
def test_truncated_png_is_corrupt(keep: float) -> None:
    raw = encode(".png", photo())
    expect("IMAGE_CORRUPT", 422, raw[: int(len(raw) * keep)])


def test_png_without_iend_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = encode(".png", photo())
    assert raw.endswith(png_chunk(b"IEND", b""))
    no_decoding(monkeypatch)
    expect("IMAGE_CORRUPT", 422, raw[:-12])


def test_png_idat_crc_mismatch_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = bytearray(encode(".png", photo()))
    raw[8 + 25 + 8 + 100] ^= 0xFF  # a byte inside the first IDAT payload
    no_decoding(monkeypatch)
    error = expect("IMAGE_CORRUPT", 422, bytes(raw))
    assert error.details == {"chunk": "IDAT"}


def test_random_bytes_after_png_signature_are_corrupt() -> None:
    rng = np.random.default_rng(1234)
    raw = b"\x89PNG\r\n\x1a\n" + rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    assert sniff_format(raw) == PNG
    expect("IMAGE_CORRUPT", 422, raw)


def test_random_bytes_after_jpeg_and_webp_magic_are_corrupt() -> None:
    noise = np.random.default_rng(99).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    expect("IMAGE_CORRUPT", 422, b"\xff\xd8\xff" + noise)
    expect("IMAGE_CORRUPT", 422, b"RIFF" + struct.pack("<I", 4100) + b"WEBP" + noise)


@pytest.mark.parametrize("quality", [90, 101])
def test_truncated_webp_is_corrupt(quality: int) -> None:
    raw = encode(".webp", photo(), [cv2.IMWRITE_WEBP_QUALITY, quality])
    cut = raw[: int(len(raw) * 0.7)]
    assert header_dimensions(cut, WEBP) == (480, 400)
    expect("IMAGE_CORRUPT", 422, cut)


def test_decoded_shape_must_match_header(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = encode(".png", photo())

    def lying_decoder(*_args: object) -> Image:
        return np.zeros((100, 100, 3), np.uint8)

    monkeypatch.setattr(cv2, "imdecode", lying_decoder)
    error = expect("IMAGE_CORRUPT", 422, raw)
    assert error.details["decoded_width"] == 100


def test_decoder_exception_becomes_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    # e.g. OPENCV_IO_MAX_IMAGE_PIXELS exceeded: OpenCV raises rather than returning None.
    def raising_decoder(*_args: object) -> Image:
        raise cv2.error("pixels <= CV_IO_MAX_IMAGE_PIXELS")

    monkeypatch.setattr(cv2, "imdecode", raising_decoder)
    expect("IMAGE_CORRUPT", 422, encode(".png", photo()))


@pytest.mark.parametrize(
    "raw",
    [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + bytes(40), b"\xff\xd8\xff\xe0"],
)
def test_decode_rejects_non_images(raw: bytes) -> None:
    with pytest.raises(IntakeError) as info:
        decode(raw)
    assert info.value.code == "IMAGE_CORRUPT"
