"""Text typed by people, made safe to search and to store.

Control characters carry no meaning in a message or a query, and one of them (NUL) cannot be
stored in a PostgreSQL text column at all: a customer's message with a stray NUL pasted in must
be kept, not refused by the database. Tabs and line breaks are text and stay.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)
