"""The one percentile the benchmarks report (nearest rank: the value at or below which that
share of the samples lies)."""

from __future__ import annotations

import math


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
