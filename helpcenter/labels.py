"""Words the reports show a person: English where a program reads them, translated where a
support lead reads them.

`N_("outdated")` is a `Label`: a plain English `str` in CSV, JSON and the CLI (stable for
spreadsheets and scripts), which the report pages translate (`web/reports.py: translated`).
Its text is extracted for translation by `pybabel extract -k N_`. Parameters are filled in
after translation, so a translator can move them: `N_("not updated for %(days)d days", days=9)`.
"""

from __future__ import annotations

from typing import Any


class Label(str):
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Label:
        label = super().__new__(cls, msgid % params if params else msgid)
        label.msgid, label.params = msgid, params
        return label


def N_(text: str, **params: Any) -> Label:
    return Label(text, params)
