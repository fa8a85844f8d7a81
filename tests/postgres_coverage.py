"""Does the PostgreSQL pass of scripts/test miss anything? Reads a coverage file of a
PostgreSQL run of the whole suite, recorded per test (scripts/postgres-coverage makes it), and
lists each line of the modules that use the database which that run executed but no test of
the pass (marked `database` or `postgres`, tests/conftest.py) did, with the tests that did.

Lines of SQLite's own code (a test that builds a site of its own on SQLite) are not the pass's
business; anything else listed is a reason to add its test to DATABASE_SUBJECTS."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from coverage.numbits import numbits_to_nums

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import DATABASE_SUBJECTS  # noqa: E402

USES_THE_DATABASE = re.compile(r"from (\.+)extensions import db|from sqlalchemy|import sqlalchemy")


def database_modules() -> set[str]:
    """The package's modules that talk to the database (the CLI only passes things on)."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "helpcenter").rglob("*.py")
        if path.name != "cli.py" and USES_THE_DATABASE.search(path.read_text(encoding="utf-8"))
    }


def missed_lines(coverage_file: Path, postgres_tests: set[str]) -> dict[str, dict[int, set]]:
    """module -> line -> the tests that ran it, for the lines no test of the pass ran."""
    modules = database_modules()
    connection = sqlite3.connect(coverage_file)
    files = dict(connection.execute("SELECT id, path FROM file"))
    contexts = dict(connection.execute("SELECT id, context FROM context"))
    ran: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for file_id, context_id, bits in connection.execute(
        "SELECT file_id, context_id, numbits FROM line_bits"
    ):
        module = Path(files[file_id]).resolve().relative_to(ROOT).as_posix()
        if module in modules:
            test = re.sub(r"\|(setup|run|teardown)$", "", contexts[context_id])
            for line in numbits_to_nums(bits):
                ran[module][line].add(test)
    return {
        module: missed
        for module, lines in sorted(ran.items())
        # "" is the code run outside any test (imports, the session's fixtures).
        if (missed := {n: t for n, t in lines.items() if not t & (postgres_tests | {""})})
    }


def main(coverage_file: str, selected_list: str) -> int:
    postgres_tests = set(Path(selected_list).read_text(encoding="utf-8").split())
    missed = missed_lines(Path(coverage_file), postgres_tests)
    for module, lines in missed.items():
        for line, tests in sorted(lines.items()):
            print(f"{module}:{line} run only by {', '.join(sorted(tests)[:2])}")
    print(
        f"{sum(map(len, missed.values()))} lines of the database's modules are run on "
        f"PostgreSQL only by tests outside the pass ({len(DATABASE_SUBJECTS)} subjects)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
