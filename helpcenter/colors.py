"""The accent colour's contrast, by the WCAG 2 formula: links are drawn in it on white and on
the header's tint, and buttons carry white text on it, so it must reach AA (4.5:1) there."""

from __future__ import annotations

import re

AA_NORMAL_TEXT = 4.5
# What the accent is drawn on or under (static/css/site.css: --paper, --tint, button text).
BACKGROUNDS = {"white": "#ffffff", "the header's tint": "#f3f6fa"}

_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_hex(text: str) -> str:
    """`#rgb` or `#rrggbb` as lower-case `#rrggbb`; ValueError otherwise."""
    match = _HEX.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a colour written as #rrggbb")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(2 * d for d in digits)
    return "#" + digits


def relative_luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_problem(color: str) -> str | None:
    """Why `color` cannot be the accent (too little contrast), or None."""
    for name, background in BACKGROUNDS.items():
        ratio = contrast_ratio(color, background)
        if ratio < AA_NORMAL_TEXT:
            return (
                f"{color} has a contrast of {ratio:.2f}:1 against {name}; text needs at least "
                f"{AA_NORMAL_TEXT}:1 (WCAG AA): choose a darker colour"
            )
    return None
