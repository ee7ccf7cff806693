"""Statistical validation by distribution distances (Gutzen et al. 2018; Knight & Nowotny 2021; Tiddia 2022).

For one statistic of one population (per-neuron rates, CVs, LvRs or pairwise CCs), the distance between
two samples is the two-sample Kolmogorov–Smirnov statistic D = sup|F_a − F_b| and the 1-Wasserstein
(earth mover's) distance. The **seed-to-seed spread** is the set of distances between all pairs of runs
that differ only in the seed; a candidate (another simulator, version or our run vs a reference sample)
**passes** when its distance to the reference runs does not exceed the largest seed-to-seed distance
(``criterion="max"``) — not a fixed p-value.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.stats import ks_2samp, wasserstein_distance

METRICS = ("ks", "wasserstein")


def distance(a: np.ndarray, b: np.ndarray, metric: str = "ks") -> float:
    """KS statistic or Wasserstein distance of the finite values of two samples (NaN if one is empty)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size == 0 or b.size == 0:
        return float("nan")
    if metric == "ks":
        return float(ks_2samp(a, b).statistic)
    if metric == "wasserstein":
        return float(wasserstein_distance(a, b))
    raise ValueError(f"metric = {metric!r}, expected one of {METRICS}")


def seed_spread(samples: list[np.ndarray], metric: str = "ks") -> np.ndarray:
    """Distances between every pair of seed runs."""
    return np.array([distance(a, b, metric) for a, b in combinations(samples, 2)])


def compare(candidates: list[np.ndarray], references: list[np.ndarray], metric: str = "ks") -> dict:
    """Distances candidate-vs-reference (all pairs) against the reference seed-to-seed spread."""
    spread = seed_spread(references, metric)
    cross = np.array([distance(c, r, metric) for c in candidates for r in references])
    limit = float(np.nanmax(spread)) if np.isfinite(spread).any() else float("nan")
    return {"metric": metric, "seed_to_seed": spread, "candidate_to_reference": cross, "limit": limit,
            "median_cross": float(np.nanmedian(cross)) if cross.size else float("nan"),
            "passed": bool(np.isfinite(limit) and np.nanmedian(cross) <= limit)}
