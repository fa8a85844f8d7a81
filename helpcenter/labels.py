"""Words the reports show a person: English where a program reads them, translated where a
support lead reads them; and the reasons after "No" (REASONS), which customers choose from too.

`N_("outdated")` is a `Label`: a plain English `str` in CSV, JSON and the CLI (stable for
spreadsheets and scripts), which the report pages translate (`web/reports.py: translated`).
Its text is extracted for translation by `pybabel extract -k N_ -k Nn_:1,2`. Parameters are
filled in after translation, so a translator can move them: `N_("review date %(date)s has
passed", date=day)`; a date or a number parameter is formatted for the reader's language there.
A label with a count uses `Nn_`, which translates with `ngettext` (Polish has three forms).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

# What was missing, after "No": the stable codes a vote stores (and the reports count), with
# the labels customers choose from and leads read.
REASONS = {
    "steps-failed": _l("The steps did not work"),
    "other-topic": _l("It is about something else"),
    "unclear": _l("It is hard to understand"),
    "outdated": _l("It is out of date"),
    "other": _l("Something else"),
}


class Label(str):
    msgid: str
    params: dict[str, Any]
    plural: str | None  # with a plural msgid, `params["num"]` picks the form

    def __new__(cls, msgid: str, params: dict[str, Any], plural: str | None = None) -> Label:
        english = plural if plural is not None and params["num"] != 1 else msgid
        label = super().__new__(cls, english % params if params else english)
        label.msgid, label.params, label.plural = msgid, params, plural
        return label


def N_(text: str, **params: Any) -> Label:
    return Label(text, params)


def Nn_(singular: str, plural: str, num: int, **params: Any) -> Label:
    """`Nn_("not updated for %(num)d day", "not updated for %(num)d days", 9)`."""
    return Label(singular, {**params, "num": num}, plural)
