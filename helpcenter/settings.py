"""Every setting with its default and a one-line meaning.

Precedence (lowest first): these defaults, `instance/helpcenter.cfg`, environment variables
`HELPCENTER_<NAME>` (parsed as JSON when they look like JSON), then the `config` mapping given
to `create_app`. The README's configuration table is generated from this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SITE_NAME", "Brightwood Help Center", "Name shown in the header and page titles."),
    Setting("ARTICLES_DIR", str(PROJECT_ROOT / "articles"), "Folder holding articles/<lang>/<category>/<slug>.md."),
    Setting("LANGUAGES", "en,pl,he,lt,el,hr", "Languages served, comma-separated (codes from helpcenter/languages.py)."),
    Setting("DEFAULT_LANGUAGE", "en", "Source language of the articles; shown when a translation is missing."),
    Setting("SECRET_KEY", None, "Signs cookies; when unset a random key is created once in the instance folder."),
    Setting("CONTENT_CHECK_INTERVAL", 2.0, "Seconds between checks for edited articles; 0 turns reloading off."),
    Setting("SHOW_DRAFTS", False, "Serve articles marked `draft: true` (the writer's preview turns this on)."),
    Setting("TOC_MIN_HEADINGS", 3, "An article gets a table of contents from this many headings on."),
    Setting("RELATED_ARTICLES", 4, "How many related articles an article page lists."),
    Setting("INDEX_DIR", None, "Folder of the search indexes; default: index/ in the instance folder."),
    Setting("INDEX_AUTO_UPDATE", True, "Update the search index when articles change (else only `helpcenter index`)."),
    Setting("SEARCH_RESULTS_PER_PAGE", 10, "Search results shown per page."),
    Setting("SUPPORT_EMAIL", "help@brightwood.example", "Address customers can write to; shown on the contact page."),
    Setting("MEDIA_MAX_AGE", 31_536_000, "Cache lifetime (seconds) of article images and static files; URLs carry a content hash."),
    Setting("LANGUAGE_COOKIE", "hc_lang", "Cookie that remembers the visitor's language."),
)  # fmt: skip


def defaults() -> dict[str, Any]:
    return {setting.name: setting.default for setting in SETTINGS}


def markdown_table() -> str:
    """The configuration table of the README (a test keeps the two identical)."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        default = setting.default
        if isinstance(default, str) and default.startswith(str(PROJECT_ROOT)):
            default = "<checkout>" + default.removeprefix(str(PROJECT_ROOT))
        shown = "(unset)" if default is None else f"`{default}`"
        rows.append(f"| `HELPCENTER_{setting.name}` | {shown} | {setting.meaning} |")
    return "\n".join(rows)
