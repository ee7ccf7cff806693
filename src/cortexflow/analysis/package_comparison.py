# SPDX-License-Identifier: GPL-3.0-or-later
"""Our pd14 against the PD14 reference implementation itself (PyPI ``microcircuit`` 1.0; rule
package_comparison, docs/analysis.md "Validation against the PD14 package").

As Dasbach et al. (2021, Front Neurosci 15:757790) and the package's reference-data scripts, two
ensembles of runs that differ only in the seed, one per implementation, with the same drive (Poisson),
scale and DC-compensation rates, are compared per population and statistic s (per-neuron rate, CV ISI,
pairwise spike-count CC) by two-sample Kolmogorov–Smirnov distances D (cortexflow.analysis.validation):

* **package seed-to-seed**: D(P_a, P_b) for every pair a < b of package runs: how far two realisations of
  the reference differ;
* **ours-vs-package**: D(O_i, P_j) for every pair (i, j), summarised by its mean over the n_O x n_P pairs.

Criterion: ``passed`` when mean_ij D(O_i, P_j) <= limit = max(max_a<b D(P_a, P_b), D_95(n, m)): our runs
are on average no further from the package's runs than the package's runs are from each other. The floor
D_95(n, m) = 1.358 sqrt((n + m) / (n m)), the 95th percentile of the KS distance between two samples of
one distribution (asymptotic Kolmogorov distribution; n, m the mean sample sizes of the two ensembles;
for the CC the number of neurons whose pairs were sampled, as the pairs are not independent),
stands for the package's seed-to-seed distribution where its three distances are too few to give a 95th
percentile: with identical models and no realisation variability, mean(9 cross) <= max(3 seed-to-seed)
alone fails 18–30 % of the time per statistic (tests/analysis/test_package_comparison.py), i.e. several of 24
population x statistic pairs for two identical implementations. ``passed_max_only`` gives that stricter
verdict too. The same table gives the mean of each statistic per run: ``mean_ok`` when our ensemble mean
lies within [min_k m_P,k - tol, max_k m_P,k + tol] of the package's per-run means, tol = max(their range,
``rel_tol`` x their mean).
"""
from __future__ import annotations

from itertools import combinations

import numpy as np

from cortexflow.analysis.validation import distance

STATISTICS = {"rates": "rates", "cv": "cv", "lvr": "lvr", "cc": "cc_pairs"}   # name -> distributions.h5 key
DEFAULT_STATISTICS = ("rates", "cv", "cc")


def _mean(x) -> float:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else float("nan")


def ks_quantile_95(n: float, m: float) -> float:
    """95th percentile of the two-sample KS distance of samples of sizes n, m from one distribution,
    c(0.05) sqrt((n + m) / (n m)) with c(0.05) = sqrt(-ln(0.025) / 2) = 1.358 (NaN if a size is 0)."""
    if not (n > 0 and m > 0):
        return float("nan")
    return float(np.sqrt(-np.log(0.025) / 2.0) * np.sqrt((n + m) / (n * m)))


def _sample_size(runs: list[dict], pop: str, stat: str, samples: list[np.ndarray]) -> float:
    """Mean number of independent values per run for the KS floor: the finite values, except for the CC,
    where the stored pairs come from the ``cc_ids`` neurons and are not independent: there the number of
    those neurons (a conservative effective size; a pair sample of k neurons carries more than k but far
    fewer than k (k - 1) / 2 independent values)."""
    sizes = [np.isfinite(x).sum() for x in samples]
    if stat == "cc":
        sizes = [min(n, len(r[pop]["cc_ids"])) if "cc_ids" in r[pop] else n for n, r in zip(sizes, runs)]
    return float(np.mean(sizes))


def compare_implementations(ours: list[dict], package: list[dict], statistics=DEFAULT_STATISTICS,
                            rel_tol: float = 0.05):
    """One row per population x statistic (a pandas DataFrame): KS distances ours-vs-package against the
    package's seed-to-seed distances, and the ensemble means (see the module docstring).

    ``ours``, ``package``: one cortexflow.analysis.io.read_distributions() dict per run.
    """
    import pandas as pd

    if len(package) < 2:
        raise ValueError(f"the package ensemble needs >= 2 runs for its seed-to-seed spread, got {len(package)}")
    if not ours:
        raise ValueError("no runs of ours")
    pops = [p for p in package[0] if all(p in e for e in package) and all(p in e for e in ours)]
    rows = []
    for pop in pops:
        for stat in statistics:
            key = STATISTICS[stat]
            O = [np.asarray(e[pop][key], float) for e in ours]
            P = [np.asarray(e[pop][key], float) for e in package]
            pp = np.array([distance(a, b, "ks") for a, b in combinations(P, 2)])
            oo = np.array([distance(a, b, "ks") for a, b in combinations(O, 2)])
            op = np.array([distance(a, b, "ks") for a in O for b in P])
            pp_max = float(np.nanmax(pp)) if np.isfinite(pp).any() else np.nan
            n_o, n_p = _sample_size(ours, pop, stat, O), _sample_size(package, pop, stat, P)
            d95 = ks_quantile_95(n_o, n_p)
            limit = float(np.nanmax([pp_max, d95])) if np.isfinite([pp_max, d95]).any() else np.nan
            cross = float(np.nanmean(op)) if np.isfinite(op).any() else np.nan
            m_o = np.array([_mean(x) for x in O])
            m_p = np.array([_mean(x) for x in P])
            lo, hi = np.nanmin(m_p), np.nanmax(m_p)
            tol = max(hi - lo, rel_tol * abs(np.nanmean(m_p)))
            mean_o = float(np.nanmean(m_o))
            rows.append({
                "population": pop, "statistic": stat, "n_ours": len(O), "n_package": len(P),
                "mean_ours": mean_o, "sd_ours": float(np.nanstd(m_o, ddof=1)) if len(O) > 1 else np.nan,
                "mean_package": float(np.nanmean(m_p)), "sd_package": float(np.nanstd(m_p, ddof=1)),
                "min_package": float(lo), "max_package": float(hi),
                "rel_diff": (mean_o - float(np.nanmean(m_p))) / float(np.nanmean(m_p))
                if np.nanmean(m_p) else np.nan,
                "mean_ok": bool(lo - tol <= mean_o <= hi + tol),
                "ks_ours_package_mean": cross,
                "ks_ours_package_max": float(np.nanmax(op)) if np.isfinite(op).any() else np.nan,
                "ks_package_seed_mean": float(np.nanmean(pp)) if np.isfinite(pp).any() else np.nan,
                "ks_package_seed_max": pp_max,
                "ks_ours_seed_max": float(np.nanmax(oo)) if np.isfinite(oo).any() else np.nan,
                "ks_null_95": d95, "limit": limit,
                "passed": bool(np.isfinite(limit) and np.isfinite(cross) and cross <= limit),
                "passed_max_only": bool(np.isfinite(pp_max) and np.isfinite(cross) and cross <= pp_max),
            })
    return pd.DataFrame(rows)
