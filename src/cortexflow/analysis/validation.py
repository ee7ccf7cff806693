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


# --- multi-seed validation against a reference location (rule validate) -----------------------------------

STATISTICS = {"rates": "rates", "cv": "cv", "lvr": "lvr", "cc": "cc_pairs"}  # name -> distributions.h5 key


def reference_sample(sample: np.ndarray, reference_mean: float) -> np.ndarray:
    """A sample moved to the reference location: x · ν_ref / mean(x).

    Used where only the mean of the reference distribution is published (pd14 rates, mean-field rates):
    the shape (and the silent neurons, 0 stays 0) is our own, so the distance to a reference sample measures
    the location difference: for x ≥ 0 the Wasserstein distance between x and its own reference sample is
    exactly |ν_ref − mean(x)|. NaN array if the sample has no finite values or a zero mean.
    """
    x = np.asarray(sample, float)
    x = x[np.isfinite(x)]
    m = x.mean() if x.size else 0.0
    if m == 0 or not np.isfinite(reference_mean):
        return np.full(max(x.size, 1), np.nan)
    return x * (float(reference_mean) / m)


def jitter_rates(rates: np.ndarray, window_s: float, rng: np.random.Generator) -> np.ndarray:
    """Per-neuron rates c/T -> (c + U)/T, U ~ U(0, 1): spike counts made continuous (seeded).

    Rates of a finite window live on the lattice k/T; there a KS distance jumps by a whole atom for any
    rescaling (KS(x, 1.01 x) ≈ the largest atom mass), so the KS test of a moved reference would fail for
    any offset. Uniform jitter within each count makes the samples continuous (a randomised continuity
    correction); it adds 0.5/T to every mean, so references are moved by the same 0.5/T.
    """
    counts = np.rint(np.asarray(rates, float) * window_s)
    return (counts + rng.uniform(0.0, 1.0, counts.shape)) / window_s


def validate_statistic(runs: list[np.ndarray], reference_mean: float | None = None,
                       metrics=METRICS) -> list[dict]:
    """Seed-to-seed distances of one per-neuron statistic of one population and, if ``reference_mean`` is
    given, the distance of each run to the reference sample: the pooled runs moved to ``reference_mean``
    (``reference_sample``). Pass (``compare``): median run-to-reference distance ≤ the largest
    seed-to-seed distance. One dict per metric; ``passed`` is None without a reference."""
    out = []
    for metric in metrics:
        spread = seed_spread(runs, metric)
        finite = np.isfinite(spread).any()
        row = {"metric": metric, "n_runs": len(runs), "seed_to_seed": spread,
               "seed_to_seed_median": float(np.nanmedian(spread)) if finite else np.nan,
               "seed_to_seed_max": float(np.nanmax(spread)) if finite else np.nan,
               "model_to_reference": np.array([]), "model_to_reference_median": np.nan, "passed": None}
        if reference_mean is not None and np.isfinite(reference_mean):
            ref = reference_sample(np.concatenate([np.asarray(r, float) for r in runs]), reference_mean)
            res = compare([ref], runs, metric)
            row["model_to_reference"] = res["candidate_to_reference"]
            row["model_to_reference_median"] = res["median_cross"]
            row["passed"] = res["passed"]
        out.append(row)
    return out


def validation_report(ensemble: list[dict], reference: dict | None, statistics=tuple(STATISTICS),
                      metrics=METRICS, run_names: list[str] | None = None, window_s: float | None = None,
                      seed: int = 0):
    """(report, distances) DataFrames of a seed ensemble.

    ``ensemble``: one read_distributions() dict per run ({population: {"rates": ..., "cv": ...}});
    ``reference``: {population: reference mean rate} (only the rates have a reference), or None;
    ``window_s``: analysis window (s): if given, the rates are jittered (``jitter_rates``, seeded by
    ``seed``, the population name and the run index) and the reference moved by 0.5/T.
    report: one row per population × statistic × metric; distances: every distance (long format).
    """
    import zlib

    import pandas as pd

    names = run_names or [f"run{i}" for i in range(len(ensemble))]
    pops = [p for p in ensemble[0] if all(p in e for e in ensemble)]
    rows, dist = [], []
    for pop in pops:
        for stat in statistics:
            key = STATISTICS[stat]
            runs = [np.asarray(e[pop][key], float) for e in ensemble]
            means = np.array([np.nanmean(r) if np.isfinite(r).any() else np.nan for r in runs])
            ref = (reference or {}).get(pop) if stat == "rates" else None
            ref_used = ref
            if stat == "rates" and window_s:
                runs = [jitter_rates(r, window_s, np.random.default_rng([seed, zlib.crc32(pop.encode()), i]))
                        for i, r in enumerate(runs)]
                ref_used = None if ref is None else ref + 0.5 / window_s
            for res in validate_statistic(runs, ref_used, metrics):
                rows.append({"population": pop, "statistic": stat, "metric": res["metric"], "n_runs": len(runs),
                             "ensemble_mean": float(np.nanmean(means)) if np.isfinite(means).any() else np.nan,
                             "ensemble_sd": float(np.nanstd(means, ddof=1)) if np.isfinite(means).sum() > 1 else np.nan,
                             "reference_mean": np.nan if ref is None else float(ref),
                             "seed_to_seed_median": res["seed_to_seed_median"],
                             "seed_to_seed_max": res["seed_to_seed_max"],
                             "model_to_reference_median": res["model_to_reference_median"],
                             "passed": "" if res["passed"] is None else res["passed"]})
                for (a, b), v in zip(combinations(range(len(runs)), 2), res["seed_to_seed"]):
                    dist.append({"population": pop, "statistic": stat, "metric": res["metric"],
                                 "kind": "seed_to_seed", "run_a": names[a], "run_b": names[b], "distance": v})
                for b, v in enumerate(res["model_to_reference"]):
                    dist.append({"population": pop, "statistic": stat, "metric": res["metric"],
                                 "kind": "model_to_reference", "run_a": "reference", "run_b": names[b],
                                 "distance": v})
    return pd.DataFrame(rows), pd.DataFrame(dist)
