"""Writers' synonyms: `articles/<lang>/_synonyms.txt`, one group of equivalent words a line.

    # Customers say "parcel" and "package"; the articles say "order".
    parcel, package, order
    gift card, voucher, gift certificate

Search applies them at query time (helpcenter/search/synonyms.py): a query word or phrase of a
group is also searched as every other member, scored by its best one. Kept in the content
repository, beside the articles they serve, so writers change them with the articles and
`helpcenter check` reports their mistakes.
"""

from __future__ import annotations

from pathlib import Path

from .problems import WARNING, Problem

SYNONYMS_FILE = "_synonyms.txt"
# One group is searched as one query word: a long one is a topic list, not synonyms.
MAX_GROUP = 12
MAX_GROUPS = 2000

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
                    f"{MAX_GROUP}): only the first {MAX_GROUP} are used",
                    WARNING,
                )
            )
            unique = unique[:MAX_GROUP]
        if len(groups) >= MAX_GROUPS:
            problems.append(
                Problem(
                    path,
                    number,
                    f"more than {MAX_GROUPS} synonym groups: the rest are not used",
                    WARNING,
                )
            )
            break
        groups.append((number, unique))
    return groups, problems
