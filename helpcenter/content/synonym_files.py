"""Writers' synonyms: `articles/<lang>/_synonyms.txt`, one group of equivalent words a line.

    # Customers say "parcel" and "package"; the articles say "order".
    parcel, package, order
    gift card, voucher, gift certificate

Search applies them at query time (helpcenter/search/synonym_expansion.py): a query word or
phrase of a group is also searched as every other member, scored by its best one. Kept in the content
repository, beside the articles they serve, so writers change them with the articles and
`helpcenter check` reports their mistakes.

Every search pays for the groups its words are in, and the file comes from a pull request, so
its size is bounded: members per group, words per member, letters per member and groups per
file here (errors: `check` fails, and the part over the limit is left out, so the site still
serves the rest cheaply), and how much one word expands to through all its groups in
search/synonym_expansion.py (it needs the language's analysis).
"""

from __future__ import annotations

from pathlib import Path

from .problems import ERROR, WARNING, Problem

SYNONYMS_FILE = "_synonyms.txt"
# One group is searched as one query word: a long one is a topic list, not synonyms.
MAX_GROUP = 12
# A phrase's words meet the query's words one by one; no customer's synonym is longer.
MAX_PHRASE_WORDS = 4
MAX_MEMBER_CHARS = 60
# The built-in thesaurus of a language holds about 120 groups.
MAX_GROUPS = 1000

# A group is the tuple of its members as written (lowercase, spaces collapsed).
SynonymGroups = tuple[tuple[str, ...], ...]


def parse_synonyms(path: Path, text: str) -> tuple[SynonymGroups, list[Problem]]:
    """The usable groups of a synonyms file, and what a writer should fix (warnings: a broken
    line is left out, the rest still works)."""
    numbered, problems = numbered_groups(path, text)
    return tuple(group for _, group in numbered), problems


def numbered_groups(
    path: Path, text: str
) -> tuple[list[tuple[int, tuple[str, ...]]], list[Problem]]:
    """(line number, group) for every usable group, and the file's problems."""
    groups: list[tuple[int, tuple[str, ...]]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        members = [" ".join(member.casefold().split()) for member in line.split(",")]
        if any(not member for member in members):
            problems.append(Problem(path, number, "empty synonym: remove the extra comma", WARNING))
        unique = tuple(dict.fromkeys(member for member in members if member))
        problems.extend(_too_long(path, number, unique))
        unique = tuple(member for member in unique if _fits(member))
        if len(unique) < 2:
            problems.append(
                Problem(
                    path,
                    number,
                    "a synonym group needs at least two words or phrases, separated by commas",
                    WARNING,
                )
            )
            continue
        if len(unique) > MAX_GROUP:
            problems.append(
                Problem(
                    path,
                    number,
                    f"too many synonyms in one group ({len(unique)}; at most "
                    f"{MAX_GROUP}): only the first {MAX_GROUP} are used; keep true "
                    "equivalents together and split the rest into groups of their own",
                    ERROR,
                )
            )
            unique = unique[:MAX_GROUP]
        if len(groups) >= MAX_GROUPS:
            problems.append(
                Problem(
                    path,
                    number,
                    f"more than {MAX_GROUPS} synonym groups: this one and the rest are not used",
                    ERROR,
                )
            )
            break
        groups.append((number, unique))
    return groups, problems


def _fits(member: str) -> bool:
    return len(member.split()) <= MAX_PHRASE_WORDS and len(member) <= MAX_MEMBER_CHARS


def _too_long(path: Path, line: int, members: tuple[str, ...]) -> list[Problem]:
    """A member over the phrase limits (it is left out of its group)."""
    return [
        Problem(
            path,
            line,
            f"synonym too long: '{_shortened(member)}' (at most {MAX_PHRASE_WORDS} words and "
            f"{MAX_MEMBER_CHARS} characters); it is not used",
            ERROR,
        )
        for member in members
        if not _fits(member)
    ]


def _shortened(member: str) -> str:
    return member if len(member) <= MAX_MEMBER_CHARS else member[:MAX_MEMBER_CHARS] + "…"
