"""An image's width and height, read from its first bytes (PNG, GIF, JPEG, WebP, SVG).

Pages give every article image its `width` and `height`, so the browser reserves its place
before the image arrives and the text below does not jump. The sizes come from the file
headers, read here without an imaging library: the loader already holds each image's bytes
(for its digest), and these formats state their size in a few bytes near the start.
"""

from __future__ import annotations

import re
import struct

# Sizes past this are not believed (a corrupt header); the browser then lays the image out.
LARGEST_SIDE = 100_000

# JPEG start-of-frame markers (baseline, progressive, lossless…): 0xC0-0xCF except DHT
# (0xC4), JPG (0xC8) and DAC (0xCC), which carry no size.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}

_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
# Only the start of an SVG is searched for its root element (a comment or a DOCTYPE may come
# first; an <svg> found further on is not the root's).
_SVG_HEAD = 4096


def image_size(data: bytes, suffix: str) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the file does not say (or is not one of
    the formats read here)."""
    readers = {
        ".png": _png,
        ".gif": _gif,
        ".jpg": _jpeg,
        ".jpeg": _jpeg,
        ".webp": _webp,
        ".svg": _svg,
    }
    reader = readers.get(suffix.lower())
    if reader is None:
        return None
    try:
        size = reader(data)
    except (struct.error, IndexError, ValueError):
        return None
    if size is None or not all(0 < side <= LARGEST_SIDE for side in size):
        return None
    return size


def _png(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _gif(data: bytes) -> tuple[int, int] | None:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return None
    return struct.unpack("<HH", data[6:10])


def _jpeg(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length of their own
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        offset += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":  # lossy: a key frame's start code, then 14-bit sizes
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: a signature byte, then 14 + 14 bits of size minus one
        if data[20] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: 24-bit canvas sizes minus one
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


def _svg(data: bytes) -> tuple[int, int] | None:
    """The root element's `width` and `height` (in pixels, or without a unit), else its
    `viewBox`'s; a percentage or a physical unit (cm, em) says nothing of its pixels."""
    match = _SVG_TAG.search(data[:_SVG_HEAD])
    if match is None:
        return None
    tag = match.group(0).decode("utf-8", "replace")
    attributes = dict(re.findall(r"""\b([\w:-]+)\s*=\s*["']([^"']*)["']""", tag))
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    if width and height:
        return width, height
    box = attributes.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        box_width, box_height = float(box[2]), float(box[3])
        if box_width > 0 and box_height > 0:
            if width:  # one side given: the other from the view box's proportions
                return width, max(1, round(width * box_height / box_width))
            if height:
                return max(1, round(height * box_width / box_height)), height
            return max(1, round(box_width)), max(1, round(box_height))
    return None


def _length(value: str | None) -> int | None:
    match = _SVG_LENGTH.match(value or "")
    return max(1, round(float(match.group(1)))) if match else None
