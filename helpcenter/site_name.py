"""The site's identity as pages and mail show it: its name in each language."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .settings import text_in


def site_name(lang: str) -> str:
    """SITE_NAME in `lang`; unset, "Help Center" in that language (a neutral name a new site
    starts with, translated like the rest of the interface)."""
    name = text_in(current_app.config, "SITE_NAME", lang)
    if name:
        return name
    with force_locale(lang):
        return _("Help Center")
