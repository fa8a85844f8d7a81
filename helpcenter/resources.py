"""Where the app's own files are: the stylesheet and script, the compiled UI catalogs and the
migrations.

In this repository they live at the top level (`static/`, `translations/`, `migrations/`: the
sources); the build copies them into the package as `helpcenter/_data/` (setup.py), so an
installed package carries them. Both are found the same way: the package's copy when there is
one, else the checkout's folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .ui_catalogs import compile_catalogs, stale_catalogs

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "_data"
CHECKOUT_ROOT = PACKAGE_DIR.parent


def installed() -> bool:
    """True when running from a built package (wheel), not from this repository's checkout."""
    return BUNDLED_DIR.is_dir()


def resource_dir(name: str) -> Path:
    """`static`, `translations` or `migrations`."""
    return (BUNDLED_DIR if installed() else CHECKOUT_ROOT) / name


def ensure_catalogs_compiled(translations: Path) -> None:
    """Compiles the UI catalogs whose .mo is missing or older than the .po (a checkout after
    an edit or a pull; a built package holds compiled catalogs only); if that fails, says so
    loudly: a missing catalog means an English interface."""
    stale = stale_catalogs(translations)
    if not stale:
        return
    try:
        for mo in compile_catalogs(translations):
            log.info("compiled %s", mo.relative_to(translations))
    except (OSError, ValueError) as exc:
        log.error(
            "the UI catalogs %s are not compiled (%s): those languages show English. "
            "Run `pybabel compile -d %s`.",
            ", ".join(str(po.relative_to(translations)) for po in stale),
            exc,
            translations,
        )
