"""What deeper passages buy: relevance with at most N passages per article searched.

    .venv/bin/python bench/passage_depth.py --depth 2 --keep /tmp/hc-rel-speed

Runs bench/relevance.py on the tuning sets (sample, corpus, colloquial: never dev or dev2),
with the dense side reading only the first N rows of every article in each build's passages
file (row 0 the title and summary, then the body's passages in order). Nothing is embedded
again: the passages are those already in the build, so one full build measures every N.
The other options are bench/relevance.py's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import relevance  # noqa: E402

from helpcenter.search import dense  # noqa: E402
from helpcenter.search.semantic import PassageMatrix  # noqa: E402


def first_rows(matrix: PassageMatrix, depth: int) -> PassageMatrix:
    """`matrix` with each article's first `depth` rows only."""
    keep = np.minimum(matrix.counts, depth)
    rows = np.concatenate(
        [np.arange(start, start + n) for start, n in zip(matrix.starts, keep, strict=True)]
    )
    return PassageMatrix(
        matrix.model, matrix.ids, matrix.digests, matrix.titles, keep, matrix.vectors[rows]
    )


def main() -> None:
    arguments = sys.argv[1:]
    if "--depth" not in arguments:
        sys.exit("usage: passage_depth.py --depth N [bench/relevance.py's options]")
    at = arguments.index("--depth")
    depth = int(arguments[at + 1])
    del arguments[at : at + 2]
    load = PassageMatrix.load

    class Truncated(PassageMatrix):
        @classmethod
        def load(cls, path: Path, model: str) -> PassageMatrix:
            return first_rows(load(path, model), depth)

    dense.PassageMatrix = Truncated  # the dense side only: the builds keep every passage
    if not any(a.startswith("--sets") for a in arguments):
        arguments += ["--sets", ",".join(relevance.TUNING_SETS)]
    sys.argv = [sys.argv[0], *arguments]
    print(f"at most {depth} passages per article", file=sys.stderr)
    relevance.main()


if __name__ == "__main__":
    main()
