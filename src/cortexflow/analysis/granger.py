"""Conditional Granger causality between population rates (Schmidt et al. 2018 PLoS CB, Fig 9).

For a target population i, the candidate sources are the populations j ≠ i with indegree
K[i, j] > k_min (upstream: k_min = 1). The rates x (one series per population, centred and scaled to
unit variance over the analysis window) of the target and its sources enter a VAR(p) with a constant,

    x_i(t) = c + sum_{l=1..p} sum_{k in {i} ∪ S} A_{ik}(l) x_k(t - l) + e_i(t),

and the conditional Granger causality of source j onto i given all other sources is

    GC_{j->i} = ln(σ²_red / σ²_full),

with σ²_full the residual variance of the target equation of the full VAR and σ²_red that of the VAR
without the series of j (Geweke 1984; Ding et al. 2006). Significance: Levene's test (median-centred,
scipy default) between the two residual series, each scaled by sqrt((n - 1)/(n - k)) with n residuals
and k = (number of series) · p lag regressors, as upstream; significant if p < alpha (uncorrected).

Only the target's equation of each VAR matters, so it is fitted alone by ordinary least squares (the
equations of a VAR share their regressors, so this equals the target row of statsmodels' ``VAR.fit``).
The reduced fits are not refitted: with V = (ZᵀZ)⁻¹ and β the full coefficients, dropping the lag
columns J of source j gives the restricted least-squares solution β_r = β - V[:, J] V[J, J]⁻¹ β[J], so
e_red = e_full + Z V[:, J] V[J, J]⁻¹ β[J] (one matrix product for all sources). ZᵀZ is accumulated over
row blocks of the lag matrix, so memory is O(n · #sources + k²), never the full design matrix.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.linalg
from scipy.stats import levene

from cortexflow.config import schema_defaults

log = logging.getLogger(__name__)

COLUMNS = ["target", "source", "indegree", "gc", "p", "significant"]
DEFAULTS = schema_defaults("properties/analysis")["granger"]  # analysis.granger of config/schema.yaml
CHUNK_ROWS = 4096


@dataclass
class GrangerResult:
    """Conditional GC of every source onto one target (arrays indexed like ``sources``)."""
    sources: list[int]
    gc: np.ndarray
    p: np.ndarray
    var_full: float
    var_reduced: np.ndarray
    n_obs: int
    n_params: int


def standardise(x: np.ndarray) -> np.ndarray:
    """(x - mean) / std along the last axis (upstream ``centralize(units=True)``); needs std > 0."""
    x = np.asarray(x, dtype=float)
    return (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True)


def _lag_block(x: np.ndarray, order: int, start: int, stop: int) -> np.ndarray:
    """Rows t = start..stop-1 of the lag matrix [1, x(t-1), ..., x(t-p)] (m series; lag-major columns)."""
    m = x.shape[0]
    Z = np.empty((stop - start, 1 + m * order))
    Z[:, 0] = 1.0
    for lag in range(1, order + 1):
        Z[:, 1 + (lag - 1) * m:1 + lag * m] = x[:, start - lag:stop - lag].T
    return Z


def conditional_granger(x: np.ndarray, order: int = 25, chunk_rows: int = CHUNK_ROWS) -> GrangerResult:
    """Conditional GC onto series 0 of ``x`` (m x T, already centred) from each of the series 1..m-1.

    Raises ``np.linalg.LinAlgError`` if the lag design is rank deficient, ValueError if there are not more
    samples than regressors.
    """
    x = np.asarray(x, dtype=float)
    m, T = x.shape
    if order < 1:
        raise ValueError(f"granger order must be >= 1, got {order}")
    n, k = T - order, 1 + m * order
    if n <= k:
        raise ValueError(f"VAR({order}) of {m} series needs more than {k} samples after the first {order}, "
                         f"got {n}")
    G = np.zeros((k, k))
    b = np.zeros(k)
    y = x[0, order:]
    for s in range(order, T, chunk_rows):
        Z = _lag_block(x, order, s, min(s + chunk_rows, T))
        G += Z.T @ Z
        b += Z.T @ y[s - order:s - order + len(Z)]
    cho = scipy.linalg.cho_factor(G)
    beta = scipy.linalg.cho_solve(cho, b)
    V = scipy.linalg.cho_solve(cho, np.eye(k))
    # C[:, j-1]: change of the residual when source j's lag columns are dropped (restricted LS)
    C = np.zeros((k, m - 1))
    for j in range(1, m):
        J = 1 + j + m * np.arange(order)
        C[:, j - 1] = V[:, J] @ np.linalg.solve(V[np.ix_(J, J)], beta[J])
    e = np.empty(n)
    E = np.empty((n, m - 1))
    for s in range(order, T, chunk_rows):
        Z = _lag_block(x, order, s, min(s + chunk_rows, T))
        rows = slice(s - order, s - order + len(Z))
        e[rows] = y[rows] - Z @ beta
        E[rows] = e[rows, None] + Z @ C
    var_full = float(e @ e / n)
    var_red = np.einsum("ij,ij->j", E, E) / n
    k_full, k_red = m * order, (m - 1) * order      # lag regressors, as upstream (constant not counted)
    scaled_full = np.sqrt((n - 1.0) / (n - k_full)) * e
    p = np.array([levene(scaled_full, np.sqrt((n - 1.0) / (n - k_red)) * E[:, j]).pvalue
                  for j in range(m - 1)])
    return GrangerResult(sources=list(range(1, m)), gc=np.log(var_red / var_full), p=p, var_full=var_full,
                         var_reduced=var_red, n_obs=n, n_params=k)


def candidate_sources(K: np.ndarray, target: int, k_min: float = 1.0) -> list[int]:
    """Populations j ≠ target with indegree K[target, j] > k_min (K: n x n or n x (n+1), external dropped)."""
    row = np.asarray(K)[target, :K.shape[0]]
    return [j for j in np.flatnonzero(row > k_min) if j != target]


def granger_table(rates: np.ndarray, populations: list[str], K: np.ndarray, opts: dict | None = None,
                  ) -> pd.DataFrame:
    """Rows (target, source, indegree, gc, p, significant) for every target in ``opts['targets']``.

    ``rates``: n x T rates of ``populations`` (row i of K = target i). Constant sources and targets whose
    VAR cannot be fitted (constant target, too few samples, singular design) give NaN rows (logged).
    """
    opts = {**DEFAULTS, **(opts or {})}
    order, k_min, alpha = int(opts["order"]), float(opts["k_min"]), float(opts["alpha"])
    targets = check_targets(opts["targets"], populations)
    rates = np.asarray(rates, dtype=float)
    std = rates.std(axis=1)
    rows = []
    for t in targets:
        i = populations.index(t)
        src = candidate_sources(K, i, k_min)
        live = [j for j in src if std[j] > 0]
        gc = dict.fromkeys(src, np.nan)
        p = dict.fromkeys(src, np.nan)
        if live and std[i] > 0:
            try:
                res = conditional_granger(standardise(rates[[i, *live]]), order)
                gc.update(zip(live, res.gc))
                p.update(zip(live, res.p))
            except (ValueError, np.linalg.LinAlgError) as err:
                log.warning("granger: target %s with %d sources not fitted: %s", t, len(live), err)
        elif src:
            log.warning("granger: target %s is silent or has only silent sources; NaN rows", t)
        for j in src:
            rows.append((t, populations[j], float(K[i, j]), gc[j], p[j], bool(p[j] < alpha)))
    return pd.DataFrame(rows, columns=COLUMNS)


def check_targets(targets, populations: list[str]) -> list[str]:
    """The target labels (None: all populations); unknown labels raise before any fit."""
    if targets is None:
        return list(populations)
    unknown = [t for t in targets if t not in populations]
    if unknown:
        raise ValueError(f"analysis.granger.targets: unknown populations {unknown} "
                         f"(known: {populations[:4]}...)")
    return list(targets)


def write_granger(series_path, network_path, csv_path, opts: dict | None = None) -> pd.DataFrame:
    """Rule granger_causality: rate_series.h5 + network.h5 -> granger.csv (written atomically)."""
    from cortexflow.structure.network_file import read_network
    from .io import read_rate_series

    s = read_rate_series(series_path)
    net = read_network(network_path)
    if list(s["populations"]) != list(net.populations):
        raise ValueError(f"{series_path}: populations differ from those of {network_path}")
    check_targets((opts or {}).get("targets"), net.populations)
    table = granger_table(s["rates"], net.populations, net.K, opts)
    csv_path = Path(csv_path)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = csv_path.with_name(".tmp-" + csv_path.name)
    table.to_csv(tmp, index=False, float_format="%.8g")
    os.replace(tmp, csv_path)
    return table
