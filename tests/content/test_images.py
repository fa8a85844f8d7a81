"""Image sizes read from file headers, so pages give every image its width and height."""

import struct
import zlib

import pytest

from helpcenter.content.images import image_size


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def webp_lossy(width: int, height: int) -> bytes:
    frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(frame))
        + b"WEBPVP8 "
        + struct.pack("<I", len(frame))
        + frame
    )


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    data = b"\x2f" + struct.pack("<I", bits)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(data))
        + b"WEBPVP8L"
        + struct.pack("<I", len(data))
        + data
    )


def webp_extended(width: int, height: int) -> bytes:
    data = (
        b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    )
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(data))
        + b"WEBPVP8X"
        + struct.pack("<I", len(data))
        + data
    )


@pytest.mark.parametrize(
    ("data", "suffix"),
    [
        (png(640, 480), ".png"),
        (gif(640, 480), ".gif"),
        (jpeg(640, 480), ".jpg"),
        (jpeg(640, 480), ".JPEG"),
        (webp_lossy(640, 480), ".webp"),
        (webp_lossless(640, 480), ".webp"),
        (webp_extended(640, 480), ".webp"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"/>', ".svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="640px" height="480px"/>', ".svg"),
        (b'<?xml version="1.0"?>\n<!-- a pan -->\n<svg viewBox="0 0 640 480"/>', ".svg"),
        (b'<svg width="640" viewBox="0 0 320 240"/>', ".svg"),
    ],
)
def test_every_format_gives_its_pixels(data, suffix):
    assert image_size(data, suffix) == (640, 480)


@pytest.mark.parametrize(
    ("data", "suffix"),
    [
        (b'<svg width="100%" height="10cm"/>', ".svg"),  # no pixels said
        (b"not an image at all", ".png"),
        (png(640, 480)[:20], ".png"),  # cut short
        (b"\xff\xd8\xff\xe0\x00", ".jpg"),
        (png(0, 480), ".png"),
        (png(640, 480), ".pdf"),  # not an image format
    ],
)
def test_a_file_that_does_not_say_has_no_size(data, suffix):
    assert image_size(data, suffix) is None
