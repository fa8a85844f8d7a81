"""Every setting with its default and a one-line meaning.

Precedence (lowest first): these defaults, the content repository's helpcenter.toml (only the
content and identity settings, config_file.CONTENT_SETTINGS), the operator's settings file
(TOML: HELPCENTER_SETTINGS_FILE, else `<instance>/settings.toml`), environment variables
`HELPCENTER_<NAME>` (parsed as JSON when they look like JSON), then the `config` mapping given
to `create_app`. The README's configuration table is generated from this list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    meaning: str


# One setting a line, a table to read down (`fmt: skip`): the formatter would break each into
# five lines. README.md's settings table is generated from it (`helpcenter settings --table`).
SETTINGS: tuple[Setting, ...] = (
    Setting("SITE_NAME", None, "Name shown in the header and page titles: one text or one per language; unset: \"Help Center\" in the page's language."),
    Setting("ARTICLES_DIR", None, "Folder holding articles/<lang>/<category>/<slug>.md; default: articles/ beside helpcenter.toml (else in the current folder)."),
    Setting("LANGUAGES", "en,pl,he,lt,el,hr", "Languages served, comma-separated (codes from helpcenter/languages.py)."),
    Setting("DEFAULT_LANGUAGE", "en", "Source language of the articles; shown when a translation is missing."),
    Setting("INSTANCE_PATH", None, "Folder of the SQLite database, search indexes (index/), secret key and the operator's settings.toml; default: instance/ beside helpcenter.toml, which production (gunicorn) refuses: set it outside the content repository."),
    Setting("SECRET_KEY", None, "Signs cookies; when unset a random key is created once in the instance folder."),
    Setting("CONTENT_CHECK_INTERVAL", 2.0, "Seconds between checks for edited articles (`helpcenter serve`: 0.25 unless set); 0 turns reloading off."),
    Setting("SHOW_DRAFTS", False, "Serve articles marked `draft: true` (the writer's preview turns this on)."),
    Setting("ARTICLE_MAX_BYTES", 100_000, "Largest article body in bytes; a larger one is refused by `check` and shown as unavailable."),
    Setting("ARTICLE_MAX_NESTING", 20, "Deepest nesting of lists and block quotes an article may use (deeper ones are refused likewise)."),
    Setting("ARTICLE_MAX_BRACKET_SCAN", 1_000_000, "Most steps Markdown may take pairing up an article's brackets (each unclosed `[` costs the rest of its paragraph)."),
    Setting("IMAGE_MAX_BYTES", 500_000, "Largest image file in bytes beside the articles; `check` warns about a larger one (every reader downloads it, on a phone too)."),
    Setting("TRANSLATE", "optional", "`required`: `check` warns about each article missing in one of the languages (a category's `translate:` in its _category.md overrides it); `optional`: an article may exist in any set of languages."),
    Setting("TOC_MIN_HEADINGS", 3, "An article gets a table of contents from this many headings on."),
    Setting("RELATED_ARTICLES", 4, "How many related articles an article page lists."),
    Setting("INDEX_AUTO_UPDATE", True, "Update the search index when articles change (else only `helpcenter index`)."),
    Setting("SEARCH_RESULTS_PER_PAGE", 10, "Search results shown per page."),
    Setting("SEARCH_MIN_SCORE_RATIO", 0.2, "Below this share of a query's best possible score the best hit only counts as loosely related, and the page says nothing was found (a query of more than six words is asked that share of six words' worth; each search logs its ratio; 0 turns this off)."),
    Setting("SEARCH_SEMANTIC", True, "Semantic search beside the lexical one: passage embeddings (multilingual-e5-small, shipped with the package) built with each index and fused into one ranking, answers from the default language when the customer's has none; false: lexical only."),
    Setting("SEARCH_INDEX_PROCESSES", 2, "Processes (one model thread each) that embed passages while `helpcenter index` runs; 1 leaves a core to a site served from the same machine."),
    Setting("SEARCH_EMBEDDING_CACHE", None, "Folder keeping passage embeddings by content hash, so a rebuild embeds only changed text; default: embedding-cache/ in the instance folder."),
    Setting("SEARCH_RESULT_CACHE", 1024, "Whole search results (pages and suggestions) each worker keeps for repeated queries, per index generation, so an edit is never served stale; 0 turns this off."),
    Setting("SEARCH_RESULT_CACHE_URL", "", "A Redis (redis://host:port/db; the `redis` extra) where every worker of every node keeps search results, shared by the nodes with the same content; empty: each worker keeps its own."),
    Setting("SEARCH_RESULT_CACHE_TTL", 3600, "Seconds a search result stays in the Redis of SEARCH_RESULT_CACHE_URL (give that Redis a maxmemory and an LRU policy too, docs/deploy.md)."),
    Setting("LEARN_MIN_VISITORS", 3, "A word customers searched with becomes a learned term of an article once this many different customers taught it, counted by network (at least 2: one customer alone never teaches)."),
    Setting("LEARN_WINDOW_DAYS", 180, "Learned terms come from the searches of the last this many days (and shrink when `prune` deletes older ones)."),
    Setting("LEARN_MAX_TERMS", 50, "Most learned terms per article and language, strongest first."),
    Setting("LEARN_INTERVAL", 300, "Seconds between the running site's updates of the learned terms and their place in the search index (in the background, never while a customer waits); 0 turns it off (then only `helpcenter index`)."),
    Setting("LOGO", None, "Image file (SVG or PNG) shown beside the site name and used as the favicon; a path relative to helpcenter.toml."),
    Setting("ACCENT_COLOR", "#1d5fb8", "Colour of links and buttons (#rrggbb); it must keep a 4.5:1 contrast against white (WCAG AA)."),
    Setting("SUPPORT_EMAIL", "", "The support team's address: contact requests go there, acknowledgements carry it as Reply-To, articles show it as `{{ support_email }}`."),
    Setting("PUBLIC_URL", "", "The site's public base URL (https://help.example.com) for links in e-mails and webhooks."),
    Setting("TRUSTED_HOSTS", None, "Host names the site answers to (JSON list); any other Host header gets 400. Default when PUBLIC_URL is set: its host, localhost and 127.0.0.1."),
    Setting("SUPPORT_HOURS", "", "Support hours shown after a request is sent and in articles as `{{ support_hours }}`: one text or one per language (missing languages use the default language's); empty: not shown."),
    Setting("RESPONSE_TIME", "", "Expected response time shown after a request is sent and in articles as `{{ response_time }}`: one text or one per language; empty: not shown."),
    Setting("MAIL_SERVER", "", "SMTP host for requests to the support team and acknowledgements; empty turns e-mail off."),
    Setting("MAIL_PORT", 25, "SMTP port."),
    Setting("MAIL_USE_TLS", False, "Use STARTTLS on the SMTP connection."),
    Setting("MAIL_USE_SSL", False, "Connect to the SMTP server over TLS (port 465 style)."),
    Setting("MAIL_USERNAME", "", "SMTP login; empty for none."),
    Setting("MAIL_PASSWORD", "", "SMTP password."),
    Setting("MAIL_FROM", "", "Sender of the help center's e-mails (needed when MAIL_SERVER is set)."),
    Setting("MAIL_TIMEOUT", 10.0, "Seconds before a silent SMTP server or webhook counts as failed (and is retried later); a whole send is cut off at three times that."),
    Setting("SUPPORT_WEBHOOK_URL", "", "Helpdesk webhook: each contact request is POSTed there as JSON; empty turns it off."),
    Setting("SUPPORT_WEBHOOK_SECRET", "", "When set, webhook posts carry X-Helpcenter-Signature: sha256=HMAC of the body."),
    Setting("DELIVERY_KICK", True, "Try to deliver a new request right after it is stored (else only `helpcenter deliver`)."),
    Setting("ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY", 3, "Most acknowledgements one e-mail address gets in 24 hours; later requests still reach the team, unacknowledged."),
    Setting("RATELIMIT_STRATEGY", "moving-window", "How the per-minute search throttles count (Flask-Limiter): a moving window has no burst at the turn of a minute."),
    Setting("RATELIMIT_STORAGE_URI", "memory://", "Where the search throttles count; memory is per worker, so with several workers or nodes use redis://…. Limits on contact, votes and logins count in the database."),
    Setting("ACTIVITY_LOG_LIMIT", "120/minute;3000/day", "Most searches and article views one network (an IPv4 /24, an IPv6 /48) adds to the activity log, counted where the search throttles count; beyond it pages are served but not logged; empty: no cap."),
    Setting("CACHE_PURGE_URL", "", "The shared cache in front (Varnish, nginx), e.g. http://127.0.0.1:6081: told to drop the pages of new content after `helpcenter index` and when a worker loads new articles; empty: pages expire after their s-maxage."),
    Setting("CACHE_PURGE_METHOD", "BAN", "How CACHE_PURGE_URL is told: BAN (Varnish: one request, a ban of the changed languages' pages, deploy/varnish/helpcenter.vcl) or PURGE (one request per page URL: nginx's cache-purge module, CDNs)."),
    Setting("WIDGET_ORIGINS", "", "Sites whose pages may embed the help widget (widget.js; its panel framed only by them): origins such as https://app.example.com, separated by commas or spaces (a list in the operator's settings file); empty: the widget is off. Never from the content repository (docs/deploy.md)."),
    Setting("PROXY_COUNT", 0, "Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (1 behind nginx)."),
    Setting("STAFF_PASSWORD_HASH", "scrypt", "How new staff passwords are hashed: werkzeug's method (scrypt, or pbkdf2:sha256 where FIPS requires it); passwords hashed before a change keep working."),
    Setting("STAFF_LOGIN_LIFETIME", 43_200, "Seconds a staff login lasts from the moment the password was typed (not renewed by use)."),
    Setting("PERMANENT_SESSION_LIFETIME", 43_200, "Seconds a session cookie is kept by the browser (the staff login ends earlier if STAFF_LOGIN_LIFETIME says so)."),
    Setting("SESSION_REFRESH_EACH_REQUEST", False, "Re-send the session cookie on every request (off: a staff login is not extended by use)."),
    Setting("TIME_ZONE", "UTC", "Time zone of the times on the staff pages (an IANA name, e.g. Europe/Warsaw); each time names its zone."),
    Setting("DIGEST_TO", "", "The leads who get the weekly digest (`helpcenter digest`): addresses separated by commas, or a JSON object of address to language, e.g. {\"lead@example.com\": \"pl\"}; empty sends none."),
    Setting("STALE_AFTER_DAYS", 365, "The `stale` report lists articles not updated for this many days."),
    Setting("ACTIONS_MIN_CUSTOMERS", 2, "\"Do this next\" (and the digest) ranks an action only with evidence from this many different customers, counted by network; the others are folded into one line below the list."),
    Setting("MAX_CONTENT_LENGTH", 65_536, "Largest accepted form post in bytes; larger posts are refused with a clear message."),
    Setting("MEDIA_MAX_AGE", 31_536_000, "Cache lifetime (seconds) of article images and static files; URLs carry a content hash."),
    Setting("LANGUAGE_COOKIE", "hc_lang", "Cookie that remembers the visitor's language for `/` (set by the page-view beacon, never by a cached page)."),
    Setting("SITE_CACHE_SECONDS", 60, "How long a shared cache (Varnish, a CDN) may serve a customer page (home, category, article, sitemap) without asking again: `s-maxage`."),
    Setting("SEARCH_CACHE_SECONDS", 15, "The same for search result pages (searches a cache answers are not logged)."),
    Setting("CACHE_STALE_SECONDS", 30, "How long past that a shared cache may still serve a page while it fetches a new one: `stale-while-revalidate`."),
)  # fmt: skip


# `{{ name }}` in an article -> the setting whose text it shows (see content/placeholders.py).
ARTICLE_PLACEHOLDERS = {
    "support_hours": "SUPPORT_HOURS",
    "response_time": "RESPONSE_TIME",
    "support_email": "SUPPORT_EMAIL",
}


def defaults() -> dict[str, Any]:
    return {setting.name: setting.default for setting in SETTINGS}


def text_in(config: Mapping[str, Any], setting: str, lang: str) -> str:
    """A text setting in one language. It may be one text for all languages or one per
    language; a language it leaves out gets the default language's text (the rule for the
    site name, support hours, response time and the article placeholders alike)."""
    value = config[setting]
    if isinstance(value, Mapping):
        value = value.get(lang) or value.get(config["DEFAULT_LANGUAGE"], "")
    return "" if value is None else str(value)


def article_placeholders(config: Mapping[str, Any], languages: Iterable[str]) -> dict:
    """Per language, the text each article placeholder stands for."""
    return {
        lang: {
            name: text_in(config, setting, lang) for name, setting in ARTICLE_PLACEHOLDERS.items()
        }
        for lang in languages
    }


def markdown_table() -> str:
    """The configuration table of the README (a test keeps the two identical)."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        default = setting.default
        if isinstance(default, str) and default.startswith(str(PROJECT_ROOT)):
            default = "<checkout>" + default.removeprefix(str(PROJECT_ROOT))
        if default is None:
            shown = "(unset)"
        elif default == "":
            shown = "(empty)"
        elif isinstance(default, dict):
            shown = (
                f"one per language, e.g. `{json.dumps({'en': default['en']}, ensure_ascii=False)}`"
            )
        else:
            shown = f"`{default}`"
        rows.append(f"| `HELPCENTER_{setting.name}` | {shown} | {setting.meaning} |")
    return "\n".join(rows)
