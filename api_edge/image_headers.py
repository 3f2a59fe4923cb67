"""Content sniffing, header dimension parsing and structural checks for uploads."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

UNSUPPORTED_MEDIA_TYPE: Final = "UNSUPPORTED_MEDIA_TYPE"
IMAGE_TOO_LARGE_PIXELS: Final = "IMAGE_TOO_LARGE_PIXELS"
IMAGE_TOO_SMALL: Final = "IMAGE_TOO_SMALL"
IMAGE_CORRUPT: Final = "IMAGE_CORRUPT"


class IntakeError(Exception):
    """An upload rejected for a reason the client can act on."""

    # A plain class rather than a frozen dataclass: contextlib and friends assign
    # __traceback__ from Python code, which a frozen dataclass would refuse.
    def __init__(
        self,
        code: str,
        status: int,
        message: str,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.details: dict[str, object] = dict(details or {})

    def __reduce__(
        self,
    ) -> tuple[type[IntakeError], tuple[str, int, str, dict[str, object]]]:
        """Pickle with the full field set so errors survive process boundaries."""
        return (type(self), (self.code, self.status, self.message, self.details))

    def __repr__(self) -> str:
        """Show the code and message, which is what a log reader needs."""
        return f"IntakeError({self.code!r}, {self.status}, {self.message!r}, {self.details!r})"


def corrupt(message: str, **details: object) -> IntakeError:
    """Build the IMAGE_CORRUPT error every structural failure maps to."""
    return IntakeError(IMAGE_CORRUPT, 422, message, details)


@dataclass(frozen=True)
class ImageFormat:
    """An accepted image container, identified from its bytes."""

    name: Literal["jpeg", "png", "webp"]
    mime: str
    extension: str


JPEG: Final = ImageFormat("jpeg", "image/jpeg", ".jpg")
PNG: Final = ImageFormat("png", "image/png", ".png")
WEBP: Final = ImageFormat("webp", "image/webp", ".webp")

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
# Enough bytes for sniff_format and describe_unsupported.
SNIFF_BYTES: Final = 512


def sniff_format(head: bytes) -> ImageFormat | None:
    """Identify JPEG, PNG or WebP from leading magic bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


_ISOBMFF_BRANDS: Final = {
    b"heic": "heic",
    b"heix": "heic",
    b"hevc": "heic",
    b"heim": "heic",
    b"heis": "heic",
    b"mif1": "heif",
    b"msf1": "heif",
    b"avif": "avif",
    b"avis": "avif",
}


def describe_unsupported(head: bytes) -> str | None:
    """Name a recognisable rejected format so the client can be told what it sent."""
    if not head:
        return "empty"
    prefixes = (
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"BM", "bmp"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"II+\x00", "tiff"),
        (b"MM\x00+", "tiff"),
        (b"%PDF-", "pdf"),
        (b"8BPS", "psd"),
        (b"\xff\x0a", "jxl"),
        (b"\x00\x00\x00\x0cJXL ", "jxl"),
        (b"\x00\x00\x00\x0cjP  ", "jp2"),
        (b"\x00\x00\x01\x00", "ico"),
        (b"PK\x03\x04", "zip"),
    )
    for prefix, name in prefixes:
        if head.startswith(prefix):
            return name
    if head[4:8] == b"ftyp":
        return _ISOBMFF_BRANDS.get(head[8:12], "isobmff")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if text.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def header_dimensions(data: bytes, fmt: ImageFormat) -> tuple[int, int]:
    """Read (width, height) from the container header without decoding pixels."""
    if fmt.name == "jpeg":
        width, height = _jpeg_dimensions(data)
    elif fmt.name == "png":
        width, height = _png_dimensions(data)
    else:
        width, height = _webp_dimensions(data)
    if width <= 0 or height <= 0:
        raise corrupt("The image header declares an empty picture.", width=width, height=height)
    return width, height


def check_structure(data: bytes, fmt: ImageFormat) -> None:
    """Reject truncated or structurally broken files before they reach the decoder."""
    if fmt.name == "jpeg":
        _jpeg_structure(data)
    elif fmt.name == "png":
        _png_structure(data)
    else:
        _webp_chunks(data)


# --- JPEG -----------------------------------------------------------------

_SOF_MARKERS: Final = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_SOS: Final = 0xDA
MAX_JPEG_SCANS: Final = 100
_EOI: Final = 0xD9
# TEM and RST0-7 carry no length field.
_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
# Inside entropy-coded data 0xFF is always stuffed as FF 00 and RSTn markers are
# in-band, so any other FF xx is a real marker (fill bytes FF FF just shift the
# match by one). A single-literal prefix keeps re on its fast path, ~25x faster
# than a leading "\xff+".
_ENTROPY_MARKER: Final = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """Yield (marker, payload_start, payload_end) for header segments up to and including SOS."""
    size = len(data)
    pos = 2  # past SOI
    while True:
        # libjpeg merely warns about stray bytes between segments; we treat them
        # as corruption because a header we cannot walk exactly is not trustworthy.
        if pos >= size or data[pos] != 0xFF:
            raise corrupt("The JPEG header is truncated or malformed.", offset=pos)
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            raise corrupt("The JPEG header is truncated.", offset=pos)
        marker = data[pos]
        pos += 1
        if marker in _STANDALONE:
            continue
        if marker in (0x00, 0xD8, _EOI):
            raise corrupt(
                "The JPEG header contains an unexpected marker.",
                marker=f"0x{marker:02X}",
            )
        if pos + 2 > size:
            raise corrupt("The JPEG header is truncated.", offset=pos)
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise corrupt("A JPEG header segment runs past the end of the file.", offset=pos)
        yield marker, pos + 2, pos + length
        if marker == _SOS:
            return
        pos += length


def _jpeg_dimensions(data: bytes) -> tuple[int, int]:
    """Read width and height from the first SOFn segment."""
    for marker, start, end in _jpeg_segments(data):
        if marker in _SOF_MARKERS:
            if end - start < 6:
                raise corrupt("The JPEG frame header is too short.")
            height = int.from_bytes(data[start + 1 : start + 3], "big")
            width = int.from_bytes(data[start + 3 : start + 5], "big")
            return width, height
    raise corrupt("The JPEG has no frame header before its image data.")


def _jpeg_structure(data: bytes) -> None:
    """Require a frame header, a scan, and an EOI reached by walking the scans."""
    seen_sof = False
    pos = 0
    for marker, _, end in _jpeg_segments(data):
        seen_sof = seen_sof or marker in _SOF_MARKERS
        pos = end
    if not seen_sof:
        raise corrupt("The JPEG has no frame header before its image data.")
    size, scans = len(data), 1
    while True:
        match = _ENTROPY_MARKER.search(data, pos)
        if match is None:
            raise corrupt("The JPEG ends before its end-of-image marker; it looks truncated.")
        pos = match.end()
        marker = data[pos - 1]
        if marker == _EOI:
            # Bytes after EOI are tolerated: phones append Motion Photo video, MPF
            # previews and vendor trailers there, and re-encoding discards them.
            return
        if marker in _STANDALONE:
            continue
        if marker == 0xD8:
            raise corrupt("The JPEG contains a second start-of-image inside its data.")
        # Progressive and multi-scan files interleave DHT/SOS/... segments with scans. Encoders write ~10
        # scans; thousands of tiny ones make libjpeg re-run its whole-image pass each time (a CPU bomb).
        scans += marker == _SOS
        if scans > MAX_JPEG_SCANS:
            raise corrupt(f"The JPEG has more than {MAX_JPEG_SCANS} scans; no camera writes that many.")
        if pos + 2 > size:
            raise corrupt("The JPEG ends inside a segment; it looks truncated.")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise corrupt("A JPEG segment runs past the end of the file; it looks truncated.")
        pos += length


# --- PNG ------------------------------------------------------------------


def _png_dimensions(data: bytes) -> tuple[int, int]:
    """Read width and height from IHDR, which the spec requires to be the first chunk."""
    if len(data) < 33 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
        raise corrupt("The PNG does not start with a valid IHDR header.")
    if zlib.crc32(data[12:29]) != int.from_bytes(data[29:33], "big"):
        raise corrupt("The PNG header checksum does not match.")
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    if width > 0x7FFFFFFF or height > 0x7FFFFFFF:
        raise corrupt("The PNG header declares impossible dimensions.", width=width, height=height)
    return width, height


def _png_structure(data: bytes) -> None:
    """Walk every chunk, checking bounds and CRC, and require IDAT then IEND."""
    view = memoryview(data)
    size = len(data)
    pos = len(PNG_SIGNATURE)
    seen_idat = False
    while pos + 12 <= size:
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > size:
            raise corrupt("A PNG chunk runs past the end of the file; it looks truncated.")
        if not kind.isalpha():
            raise corrupt("The PNG contains a malformed chunk.", offset=pos)
        if pos == len(PNG_SIGNATURE) and kind != b"IHDR":
            raise corrupt("The PNG does not start with a valid IHDR header.")
        if zlib.crc32(view[pos + 4 : end - 4]) != int.from_bytes(data[end - 4 : end], "big"):
            raise corrupt("A PNG chunk checksum does not match.", chunk=kind.decode("ascii"))
        if kind == b"IDAT":
            seen_idat = True
        elif kind == b"IEND":
            if not seen_idat:
                raise corrupt("The PNG contains no image data.")
            # Trailing bytes after IEND are ignored for the same reason as after JPEG EOI.
            return
        pos = end
    raise corrupt("The PNG ends before its IEND chunk; it looks truncated.")


# --- WebP -----------------------------------------------------------------


def _webp_dimensions(data: bytes) -> tuple[int, int]:
    """Read canvas dimensions from the first chunk (VP8, VP8L or VP8X)."""
    if len(data) < 30:
        raise corrupt("The WebP header is truncated.")
    fourcc = data[12:16]
    chunk_size = int.from_bytes(data[16:20], "little")
    payload = data[20:30]
    if fourcc == b"VP8 " and chunk_size >= 10:
        # 3-byte frame tag (bit 0 clear on key frames), then start code 9D 01 2A.
        if payload[0] & 1 or payload[3:6] != b"\x9d\x01\x2a":
            raise corrupt("The WebP (VP8) frame header is invalid.")
        width = int.from_bytes(payload[6:8], "little") & 0x3FFF
        height = int.from_bytes(payload[8:10], "little") & 0x3FFF
        return width, height
    if fourcc == b"VP8L" and chunk_size >= 5:
        bits = int.from_bytes(payload[1:5], "little")
        if payload[0] != 0x2F or bits >> 29:
            raise corrupt("The WebP (VP8L) header is invalid.")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if fourcc == b"VP8X" and chunk_size >= 10:
        width = int.from_bytes(payload[4:7], "little") + 1
        height = int.from_bytes(payload[7:10], "little") + 1
        return width, height
    raise corrupt("The WebP does not start with a recognised image chunk.")


def _webp_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """Return (fourcc, payload_start, payload_end) for top-level chunks after bounds checks."""
    if len(data) < 12:
        raise corrupt("The WebP header is truncated.")
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if riff_end > len(data):
        raise corrupt("The WebP is shorter than its RIFF header declares; it looks truncated.")
    chunks: list[tuple[bytes, int, int]] = []
    pos = 12
    while pos + 8 <= riff_end:
        fourcc = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        end = pos + 8 + length
        if end > riff_end:
            raise corrupt("A WebP chunk runs past the end of the file; it looks truncated.")
        chunks.append((fourcc, pos + 8, end))
        pos = end + (length & 1)  # odd-sized chunks carry one pad byte
    if pos < riff_end:
        raise corrupt("The WebP contains a partial chunk.")
    kinds = [fourcc for fourcc, _, _ in chunks]
    if not kinds or kinds[0] not in (b"VP8 ", b"VP8L", b"VP8X"):
        raise corrupt("The WebP does not start with a recognised image chunk.")
    if not any(kind in (b"VP8 ", b"VP8L", b"ANMF") for kind in kinds):
        raise corrupt("The WebP contains no image data.")
    if any(start == end for kind, start, end in chunks if kind in (b"VP8 ", b"VP8L")):
        raise corrupt("The WebP image chunk is empty.")
    return chunks


# --- ICC profiles ---------------------------------------------------------

_ICC_TAG: Final = b"ICC_PROFILE\x00"


def embedded_icc(data: bytes, fmt: ImageFormat) -> bytes | None:
    """The embedded ICC profile (JPEG APP2 chunks in order, PNG iCCP, WebP ICCP), or None.

    Call after `check_structure`: the walks below trust the bounds it checked.
    """
    if fmt.name == "jpeg":
        parts: dict[int, bytes] = {}
        for marker, start, end in _jpeg_segments(data):
            if marker == 0xE2 and data[start : start + 12] == _ICC_TAG and end - start > 14:
                parts[data[start + 12]] = data[start + 14 : end]  # [12] is the chunk's sequence number
        return b"".join(parts[k] for k in sorted(parts)) or None
    if fmt.name == "png":
        return _png_icc(data)
    for kind, start, end in _webp_chunks(data):
        if kind == b"ICCP":
            return data[start:end] or None
    return None


def _png_icc(data: bytes) -> bytes | None:
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, payload = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"iCCP":
            name_end = payload.find(b"\x00")
            if name_end < 0 or name_end + 2 > len(payload):
                return None
            try:
                # A profile is at most a few MB; cap the inflation so a zip bomb cannot hide here.
                inflater = zlib.decompressobj()
                profile = inflater.decompress(payload[name_end + 2 :], 16 << 20)
            except zlib.error:
                return None
            return profile or None
        if kind in (b"IDAT", b"IEND"):
            return None  # iCCP must come before the image data
        pos += 12 + length
    return None
