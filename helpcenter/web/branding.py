"""The site's look from its config: the name in the page's language, the accent colour (one
CSS custom property, served as a tiny stylesheet because the CSP allows no inline style),
the logo, the favicon and the touch icon (the logo when it can be one, else a neutral icon).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, send_file, url_for

from ..content.tree import is_inside
from ..site_name import site_name
from .assets import static_url
from .i18n import current_language_code

bp = Blueprint("identity", __name__)

# Which logo files a browser takes in each role (an SVG cannot be an .ico or a touch icon).
FAVICON_SUFFIXES = {".ico", ".png", ".svg"}
TOUCH_ICON_SUFFIXES = {".png"}
DEFAULT_FAVICON = "img/favicon.ico"
DEFAULT_TOUCH_ICON = "img/touch-icon.png"


def _logo() -> Path | None:
    """The configured logo; one in the content repository only while it is still a real file
    inside it (a later pull request may have swapped it for a link)."""
    logo = current_app.config.get("LOGO")
    if not logo:
        return None
    path, content_root = Path(logo), Path(current_app.config["CONTENT_ROOT"])
    if path.is_relative_to(content_root) and not is_inside(path, content_root):
        return None
    return path


def _version(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:12]


def _logo_version(logo: Path) -> str:
    stat = logo.stat()
    return _version(logo, stat.st_mtime_ns, stat.st_size)


def _static_file(filename: str) -> Response:
    return send_file(Path(current_app.static_folder or "") / filename, max_age=86_400)


@bp.get("/theme.css")
def theme() -> Response:
    css = f":root {{ --accent: {current_app.config['ACCENT_COLOR']}; }}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["MEDIA_MAX_AGE"]
    return response


@bp.get("/logo")
def logo() -> Response:
    path = _logo()
    if path is None or not path.is_file():
        return Response(status=404)
    return send_file(path, max_age=current_app.config["MEDIA_MAX_AGE"])


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it on every first visit, whatever the page says."""
    return _logo_as_icon(FAVICON_SUFFIXES, DEFAULT_FAVICON)


@bp.get("/apple-touch-icon.png")
def touch_icon() -> Response:
    return _logo_as_icon(TOUCH_ICON_SUFFIXES, DEFAULT_TOUCH_ICON)


def _logo_as_icon(suffixes: set[str], default: str) -> Response:
    """The logo when its format can be this icon, else the neutral icon shipped in static/."""
    path = _logo()
    if path and path.suffix.lower() in suffixes and path.is_file():
        return send_file(path, max_age=86_400)
    return _static_file(default)


def template_context() -> dict[str, Any]:
    path = _logo()
    logo_url = url_for("identity.logo", v=_logo_version(path)) if path and path.is_file() else None
    usable_icon = path and path.suffix.lower() in FAVICON_SUFFIXES and logo_url
    return {
        "site_name": site_name(current_language_code()),
        "theme_url": url_for("identity.theme", v=_version(current_app.config["ACCENT_COLOR"])),
        "logo_url": logo_url,
        "icon_url": logo_url if usable_icon else static_url(DEFAULT_FAVICON),
        "touch_icon_url": url_for("identity.touch_icon"),
    }
