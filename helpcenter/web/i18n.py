"""Which language a request is in: the URL prefix, else the visitor's remembered choice, else
Accept-Language, else the default. Also what every template needs to know about languages."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from ..languages import Language

# Old or regional codes browsers still send, mapped to the registry's codes.
LANGUAGE_ALIASES = {"iw": "he", "gr": "el"}


def languages() -> list[Language]:
    return current_app.config["HELPCENTER_LANGUAGES"]


def language_codes() -> list[str]:
    return [lang.code for lang in languages()]


def install_language_converter(app: Flask) -> None:
    codes = [lang.code for lang in app.config["HELPCENTER_LANGUAGES"]]

    class LanguageConverter(BaseConverter):
        """Matches only enabled language codes, so /xx/ is a plain 404."""

        regex = "|".join(sorted(codes, key=len, reverse=True))

    app.url_map.converters["lang"] = LanguageConverter


def negotiate_language() -> str:
    """The best language for a visitor who has not picked one through the URL.

    A remembered choice (the language of the pages they last read, which is what the switcher
    sets) comes before Accept-Language: someone who switched to Polish on an English browser
    wants Polish next time.
    """
    codes = language_codes()
    remembered = request.cookies.get(current_app.config["LANGUAGE_COOKIE"], "")
    if remembered in codes:
        return remembered
    offered = [
        (LANGUAGE_ALIASES.get(value.split("-")[0].lower(), value), quality)
        for value, quality in request.accept_languages
    ]
    for value, _quality in sorted(offered, key=lambda item: -item[1]):
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in codes:
            return primary
    return codes[0]


def current_language_code() -> str:
    """The request's language: from the URL when it has one, else negotiated."""
    code = getattr(g, "lang", None)
    if code:
        return code
    view_args = request.view_args or {}
    if view_args.get("lang") in language_codes():
        return view_args["lang"]
    # Pages outside the language prefix (e.g. a 404 for /pl/nowhere): use the path's first part.
    first = request.path.strip("/").split("/", 1)[0]
    return first if first in language_codes() else negotiate_language()


def select_locale() -> str:
    """The request's language; outside a request (CLI reports, mail sent by `deliver`) the
    default language, unless the caller forces another with `force_locale`."""
    if not has_request_context():
        return languages()[0].code
    return current_language_code()


def current_language() -> Language:
    return language(current_language_code())


# The query arguments a page in another language keeps (the search and the contact form's
# context). Anything else in the URL is dropped: `?endpoint=`, `?_external=1` or `?lang=` would
# otherwise reach url_for as its own keywords.
SWITCH_KEEPS_ARGS = ("q", "category", "page", "article", "reason")


def language_switch_url(code: str) -> str:
    """This page in another language; pages without a language prefix go to that language's home."""
    view_args = request.view_args or {}
    if request.endpoint and "lang" in view_args:
        kept = {name: request.args[name] for name in SWITCH_KEEPS_ARGS if name in request.args}
        return url_for(request.endpoint, **{**kept, **view_args, "lang": code})
    return url_for("site.home", lang=code)


def language(code: str) -> Language:
    return next(lang for lang in languages() if lang.code == code)


def language_name(code: str) -> str:
    """A language's name in the reader's language ("angielski" for `en` on a Polish page)."""
    try:
        name = Locale.parse(code).get_display_name(get_locale() or code)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or language(code).english_name


def template_context() -> dict[str, Any]:
    return {
        "current_language": current_language(),
        "default_language": languages()[0].code,
        "languages": languages(),
        "language": language,
        "language_name": language_name,
        "language_switch_url": language_switch_url,
    }


def install_text_translations(app: Flask) -> None:
    """Make every translation in a template plain text, escaped wherever it lands.

    Jinja's new-style gettext marks a translated string as safe HTML when autoescaping is on
    (so that only its %(placeholders)s are escaped). A translator's ASCII quote then ends an
    attribute early: the Hebrew placeholder was cut off at its first `"`. Translations hold no
    markup, so the translated text itself is escaped first; values passed in as Markup (a
    link built in the template) still go in as HTML.
    """
    from flask_babel import get_translations
    from jinja2 import pass_eval_context
    from markupsafe import escape

    def text(eval_ctx, translated: str) -> str:
        # Plain-text templates (the e-mails) keep the translation as it is.
        return escape(translated) if eval_ctx.autoescape else translated

    app.jinja_env.install_gettext_callables(
        gettext=pass_eval_context(lambda ctx, s: text(ctx, get_translations().ugettext(s))),
        ngettext=pass_eval_context(
            lambda ctx, s, p, n: text(ctx, get_translations().ungettext(s, p, n))
        ),
        newstyle=True,
        pgettext=pass_eval_context(lambda ctx, c, s: text(ctx, get_translations().upgettext(c, s))),
        npgettext=pass_eval_context(
            lambda ctx, c, s, p, n: text(ctx, get_translations().unpgettext(c, s, p, n))
        ),
    )
    app.jinja_env.filters["bdi"] = isolate
    app.jinja_env.filters["left_to_right"] = left_to_right  # also in the plain-text digest


def isolate(text: str) -> Markup:
    """`text` in a <bdi>: a customer's words, a title or a name whose direction may differ from
    the page's, so a Hebrew title's "?" stays at its end on an English page and the other way
    round. For text put into a translated sentence: `_("… %(query)s", query=q|bdi)`."""
    return Markup("<bdi>%s</bdi>") % text


# Left-to-right isolate and its pop (Unicode bidirectional algorithm, UAX #9).
_LEFT_TO_RIGHT_ISOLATE, _POP_DIRECTIONAL_ISOLATE = "\u2066", "\u2069"


def left_to_right(text: str) -> str:
    """A signed number or a UTC offset ("+94%", "-4.7", "+0100") kept in its order in a
    right-to-left language, where the sign has no direction of its own and would be laid out
    after the digits ("94%+"). Unicode isolates rather than <bdi>, because the same text goes
    into the plain-text digest as well as into pages; left-to-right languages get it as is."""
    locale = get_locale()
    if locale is not None and locale.text_direction == "rtl":
        return f"{_LEFT_TO_RIGHT_ISOLATE}{text}{_POP_DIRECTIONAL_ISOLATE}"
    return text
