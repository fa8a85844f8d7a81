"""Text typed by people, made safe to search, to store and to show to staff.

Control characters carry no meaning in a message or a query, and one of them (NUL) cannot be
stored in a PostgreSQL text column at all: a customer's message with a stray NUL pasted in must
be kept, not refused by the database. Tabs and line breaks are text and stay.

Direction controls (the bidirectional embeddings, overrides and isolates, and the marks) go
too: one of them in a name or a message reverses the text that follows it in the support
team's mail and on the staff pages ("invoice" U+202E "fdp.exe" reads as "invoiceexe.pdf"), and a
customer needs none of them: browsers and mail clients lay out right-to-left text by itself.

A one-line field (a name, what a request is about, a search) keeps no line break either: a
line break in it would let a stranger add lines of their own to the support team's mail,
such as an "Article:" line with a link of their choosing.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Arabic letter mark; left-to-right and right-to-left marks; embeddings, pop and overrides
# (U+202A–U+202E); isolates and their pop (U+2066–U+2069).
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}{DIRECTION_CONTROLS}]")


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """The text on one line, without control characters: CR, LF, the Unicode line and
    paragraph separators and every other run of whitespace become a single space (a mail header
    cannot hold a line break, and a mail body must not get lines a stranger wrote)."""
    return " ".join(without_control_characters(text).split())
