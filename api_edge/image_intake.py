"""Upload hardening: accept only well-formed JPEG/PNG/WebP and re-encode them without metadata.

Colour management: an embedded RGB ICC profile (a Display-P3 or Adobe RGB photo, say) is applied
by converting the pixels to sRGB (perceptual intent, LittleCMS via Pillow) before the metadata is
stripped, so the stored copy, which carries no profile, means the colours the camera meant. A
profile that already describes sRGB is skipped (nothing to do); one that cannot be read, or that
is not an RGB profile, is ignored and the pixels are taken as sRGB, as a browser would.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Final, cast

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageCms

from api_edge.image_headers import (
    IMAGE_CORRUPT,
    IMAGE_TOO_LARGE_PIXELS,
    IMAGE_TOO_SMALL,
    JPEG,
    PNG,
    SNIFF_BYTES,
    UNSUPPORTED_MEDIA_TYPE,
    WEBP,
    ImageFormat,
    IntakeError,
    check_structure,
    corrupt,
    describe_unsupported,
    embedded_icc,
    header_dimensions,
    sniff_format,
)

__all__ = [
    "IMAGE_CORRUPT",
    "IMAGE_TOO_LARGE_PIXELS",
    "IMAGE_TOO_SMALL",
    "JPEG",
    "PNG",
    "UNSUPPORTED_MEDIA_TYPE",
    "WEBP",
    "CleanImage",
    "ImageFormat",
    "IntakeError",
    "check_structure",
    "decode",
    "embedded_icc",
    "header_dimensions",
    "sanitize",
    "sniff_format",
    "to_srgb",
]

_JPEG_QUALITY: Final = 95
_PNG_COMPRESSION: Final = 3
_WEBP_QUALITY: Final = 95
# OpenCV treats WebP quality above 100 as "lossless".


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded, metadata-free image ready to store."""

    data: bytes
    format: ImageFormat
    width: int
    height: int
    sha256: str


def sanitize(data: bytes, *, max_pixels: int, min_side: int = 64) -> CleanImage:
    """Validate an upload from its bytes alone and return a stripped re-encoding."""
    if max_pixels < 1 or min_side < 1:
        raise ValueError("max_pixels and min_side must be positive")
    fmt = sniff_format(data[:SNIFF_BYTES])
    if fmt is None:
        raise _unsupported(data[:SNIFF_BYTES])
    width, height = header_dimensions(data, fmt)
    # Checked from the header so a decompression bomb never reaches the decoder.
    if width * height > max_pixels:
        raise IntakeError(
            IMAGE_TOO_LARGE_PIXELS,
            413,
            f"The image is {width}x{height} pixels; at most {max_pixels:,} pixels are accepted.",
            {
                "width": width,
                "height": height,
                "pixels": width * height,
                "max_pixels": max_pixels,
            },
        )
    if min(width, height) < min_side:
        raise IntakeError(
            IMAGE_TOO_SMALL,
            422,
            f"The image is {width}x{height} pixels; each side must be at least {min_side}.",
            {"width": width, "height": height, "min_side": min_side},
        )
    check_structure(data, fmt)
    pixels = _imdecode(data)
    decoded_h, decoded_w = pixels.shape[:2]
    # EXIF orientations 5-8 legitimately swap the axes; anything else means the
    # header lied about the pixels it carries.
    if (decoded_w, decoded_h) not in ((width, height), (height, width)):
        raise corrupt(
            "The image data does not match its header.",
            width=width,
            height=height,
            decoded_width=decoded_w,
            decoded_height=decoded_h,
        )
    icc = embedded_icc(data, fmt)
    if icc is not None:
        pixels = to_srgb(pixels, icc)
    encoded = _encode(pixels, fmt)
    return CleanImage(
        data=encoded,
        format=fmt,
        width=decoded_w,
        height=decoded_h,
        sha256=hashlib.sha256(encoded).hexdigest(),
    )


def to_srgb(pixels: NDArray[np.uint8], icc: bytes) -> NDArray[np.uint8]:
    """BGR pixels described by the ICC profile `icc`, converted to sRGB (unchanged when the
    profile is sRGB, unreadable or not RGB; see the module docstring)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if source.profile.xcolor_space.strip() != "RGB" or "srgb" in (source.profile.profile_description or "").lower():
            return pixels
        rgb = Image.fromarray(np.ascontiguousarray(pixels[:, :, ::-1]), mode="RGB")
        converted = ImageCms.profileToProfile(
            rgb, source, ImageCms.createProfile("sRGB"), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return pixels
    if converted is None:
        return pixels
    return np.ascontiguousarray(np.asarray(converted, dtype=np.uint8)[:, :, ::-1])


def decode(data: bytes) -> NDArray[np.uint8]:
    """Decode stored (already sanitized) bytes to an 8-bit 3-channel BGR array."""
    fmt = sniff_format(data[:SNIFF_BYTES])
    if fmt is None:
        raise corrupt("The stored image is not a JPEG, PNG or WebP.")
    # Cheap, and guards against storage truncation on OpenCV builds that only warn.
    check_structure(data, fmt)
    return _imdecode(data)


def _unsupported(head: bytes) -> IntakeError:
    """Build the 415 error, naming the detected format when it is recognisable."""
    detected = describe_unsupported(head)
    if detected == "empty":
        message = "The upload is empty; send a JPEG, PNG or WebP image."
    elif detected in ("heic", "heif"):
        message = "HEIC/HEIF photos are not supported; send a JPEG, PNG or WebP image."
    elif detected is not None:
        message = f"{detected.upper()} files are not supported; send a JPEG, PNG or WebP image."
    else:
        message = "The upload is not a JPEG, PNG or WebP image."
    details: dict[str, object] = {"accepted": [JPEG.mime, PNG.mime, WEBP.mime]}
    if detected is not None:
        details["detected"] = detected
    return IntakeError(UNSUPPORTED_MEDIA_TYPE, 415, message, details)


def _imdecode(data: bytes) -> NDArray[np.uint8]:
    """Decode to BGR uint8, applying EXIF orientation, mapping every failure to IMAGE_CORRUPT."""
    if not data:
        # cv2.imdecode raises on an empty buffer instead of returning None.
        raise corrupt("The image is empty.")
    try:
        # IMREAD_COLOR applies EXIF orientation and folds grey/alpha/16-bit into 8-bit BGR.
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    except cv2.error as exc:
        # Raised e.g. when OPENCV_IO_MAX_IMAGE_PIXELS is exceeded; the text is internal.
        raise corrupt("The image could not be decoded.") from exc
    if image is None or image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise corrupt("The image could not be decoded.")
    return cast("NDArray[np.uint8]", image)


def _encode(pixels: NDArray[np.uint8], fmt: ImageFormat) -> bytes:
    """Re-encode pixels in the input's format; OpenCV writes no EXIF/XMP/ICC/comments.

    WebP is always written lossy (q95): lossless WebP encoding of a 12 MP photo takes ~8 s here, which
    would let a handful of uploads tie up the edge.
    """
    if fmt.name == "jpeg":
        ext, params = ".jpg", [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY]
    elif fmt.name == "png":
        ext, params = ".png", [cv2.IMWRITE_PNG_COMPRESSION, _PNG_COMPRESSION]
    else:
        ext, params = ".webp", [cv2.IMWRITE_WEBP_QUALITY, _WEBP_QUALITY]
    ok, buffer = cv2.imencode(ext, pixels, params)
    if not ok:
        # Valid 8-bit BGR within the header limits always encodes; this is a bug, not a 4xx.
        raise RuntimeError(f"OpenCV failed to encode a {pixels.shape} image as {ext}")
    return buffer.tobytes()
