"""Customers' words made inert for the staff pages and the leads' mail.

What a stranger typed (a query, a comment after "No", a contact request) reaches the support
leads on pages and in mail that come from the help center itself, which lends it their
authority: a web address in it must never become something a lead clicks, nor something a
mail client turns into a link on its own (they link "https://…", "www.…" and bare domain
names in plain text and HTML alike). Addresses are written the way security teams write them,
which people still read and no program links: "https://evil.example/x" becomes
"hxxps://evil[.]example/x", "www.evil.example" "www[.]evil[.]example", "someone@evil.example"
"someone@evil[.]example". Everything else stays as typed, and escaping it stays the
template's job. CSV, JSON and the CLI keep the words exactly as typed: they are data.
"""

from __future__ import annotations

import re

# Full stops that the web's address rules (IDNA) read as the dot between labels.
_DOTS = ".\u3002\uff0e\uff61"
_DOT = re.compile(f"[{_DOTS}]")
# A run of letters, digits, hyphens and dots: where a host name can hide. Its dots are made
# inert when one of them joins a label to one of two letters or more ("evil.example",
# "www.münchen.de", "..evil.example"), not in "2.5" or "e.g.". Runs are found in one pass and
# never overlap, so even a hostile text of a million dots costs one reading.
_RUN = re.compile(f"[\\w{_DOTS}-]+")
_HOST_DOT = re.compile(f"[\\w-][{_DOTS}][^\\W\\d_]{{2}}")
# "scheme://" (a browser or mail client links "https://", "ftp://", "file://" …) and "mailto:".
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]{0,30})(://)|\b(mailto)(:)", re.IGNORECASE)


def defang(text: str) -> str:
    """The text with every web address, host name and e-mail domain in it made inert."""
    return _RUN.sub(_defang_host, _SCHEME.sub(_defang_scheme, text))


def _defang_host(match: re.Match[str]) -> str:
    run = match.group(0)
    return _DOT.sub("[.]", run) if _HOST_DOT.search(run) else run


def _defang_scheme(match: re.Match[str]) -> str:
    scheme = match.group(1) or match.group(3)
    # The "tt" of "http(s)" and the "t" of "ftp" become x's ("hxxps", "fxp"), in the case typed.
    if scheme.lower() in _DEFANGED:  # written so already (or made so by an earlier pass)
        return match.group(0)
    swapped = _TO_X.get(scheme.lower())
    if swapped is None:
        return f"{scheme}[:]" + ("//" if match.group(2) else "")
    return (
        "".join(
            ("X" if letter.isupper() else "x") if n in swapped else letter
            for n, letter in enumerate(scheme)
        )
        + "://"
    )


_TO_X = {"http": {1, 2}, "https": {1, 2}, "ftp": {1}}
_DEFANGED = {"hxxp", "hxxps", "fxp"}
