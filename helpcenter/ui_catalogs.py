"""Compiling the UI catalogs (translations/<lang>/LC_MESSAGES/messages.po -> .mo).

The build (setup.py) compiles them into the package; a checkout compiles them at start-up
when a .mo is missing or older than its .po, so an edited catalog never leaves a silently
English interface. Only Babel is imported here: setup.py loads this file on its own, before
the package's dependencies exist.
"""

from __future__ import annotations

from pathlib import Path


def stale_catalogs(translations: Path) -> list[Path]:
    """The .po files whose compiled .mo is missing or older than they are."""
    stale = []
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime_ns < po.stat().st_mtime_ns:
            stale.append(po)
    return stale


def compile_catalog(po: Path, mo: Path) -> None:
    """Writes `mo` from `po`; the file appears complete under its name (workers starting
    together never read half of it)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as file:
        catalog = read_po(file, locale=po.parent.parent.name)
    mo.parent.mkdir(parents=True, exist_ok=True)
    draft = mo.with_name(f".{mo.name}.{id(catalog)}")
    with draft.open("wb") as file:
        write_mo(file, catalog, use_fuzzy=False)
    draft.replace(mo)


def compile_catalogs(translations: Path, destination: Path | None = None) -> list[Path]:
    """Compiles every stale catalog in place, or every catalog into `destination` (same
    layout); returns the .mo files written."""
    sources = (
        stale_catalogs(translations)
        if destination is None
        else sorted(translations.glob("*/LC_MESSAGES/messages.po"))
    )
    written = []
    for po in sources:
        mo = (destination / po.relative_to(translations) if destination else po).with_suffix(".mo")
        compile_catalog(po, mo)
        written.append(mo)
    return written
