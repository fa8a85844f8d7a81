"""The language registry: every language the help center knows, as data.

Which of them a site serves is the LANGUAGES setting; everything else (URL prefixes,
text direction, names in the switcher) is looked up here, never written as `if` statements.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    direction: str = "ltr"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


KNOWN_LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English"),
        Language("pl", "Polish", "Polski"),
        Language("he", "Hebrew", "עברית", "rtl"),
        Language("lt", "Lithuanian", "Lietuvių"),
        Language("el", "Greek", "Ελληνικά"),
        Language("hr", "Croatian", "Hrvatski"),
        Language("de", "German", "Deutsch"),
        Language("fr", "French", "Français"),
        Language("es", "Spanish", "Español"),
        Language("ar", "Arabic", "العربية", "rtl"),
    )
}


def parse_language_list(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Accepts "en,pl,he" (environment variables) or a list (config files)."""
    codes = value.split(",") if isinstance(value, str) else list(value)
    return [code.strip().lower() for code in codes if code.strip()]


def resolve_languages(codes: list[str], default: str) -> list[Language]:
    """The enabled languages, default first; unknown codes are a configuration error."""
    unknown = [code for code in codes if code not in KNOWN_LANGUAGES]
    if unknown:
        raise ValueError(
            f"LANGUAGES names unknown language codes {unknown}; "
            f"known: {', '.join(sorted(KNOWN_LANGUAGES))}"
        )
    if default not in codes:
        raise ValueError(f"DEFAULT_LANGUAGE {default!r} must be one of LANGUAGES {codes}")
    ordered = [default] + [code for code in codes if code != default]
    return [KNOWN_LANGUAGES[code] for code in ordered]
