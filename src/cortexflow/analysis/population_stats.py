"""Single-population spike statistics, vectorised over neurons (no per-neuron Python loop).

Inputs are the arrays of :class:`~cortexflow.spikes_file.PopulationSpikes`: ``senders`` (local
index < n) and ``steps`` (integer time steps, sorted, inside the half-open window ``[start, stop)``).
Definitions (docs/analysis.md):

* rate of neuron i: ν_i = c_i / T with c_i its spike count and T the window length (s); silent neurons
  count (ν_i = 0). Population rate: Σ c_i / (n T).
* CV of ISI: std(ISI)/mean(ISI) (population standard deviation, ddof = 0, as ``scipy.stats.variation`` and
  Elephant) per neuron with at least ``min_isis`` (default 2) intervals; the population value is the mean
  over those neurons.
* LvR (Shinomoto et al. 2009, PLoS Comput Biol 5:e1000433), for a neuron with intervals I_1..I_n, n >= 2:
  LvR = 3/(n-1) Σ_{k=1}^{n-1} (1 - 4 I_k I_{k+1}/(I_k+I_{k+1})²)(1 + 4R/(I_k+I_{k+1})), R = 2 ms.
  Neurons with < 3 spikes are excluded (NaN). ``pad="upstream"`` reproduces Schmidt et al. 2018: such
  neurons and the unrecorded remainder up to N count as LvR = 0 in the mean.
* spike-count correlation: Pearson coefficients of 1 ms spike counts between a seeded random subsample of
  the non-silent neurons, population value = mean over the off-diagonal entries.
* synchrony: CV (std/mean) of the population spike-count histogram (1 ms bins).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def spike_counts(senders: np.ndarray, n: int) -> np.ndarray:
    """Spike count of each of the ``n`` neurons (silent neurons included)."""
    return np.bincount(senders, minlength=n)


def neuron_rates(senders: np.ndarray, n: int, duration_ms: float) -> np.ndarray:
    """ν_i = c_i / T in spikes/s."""
    return spike_counts(senders, n) / (duration_ms * 1e-3)


def population_rate(n_spikes: int, n: int, duration_ms: float) -> float:
    """Σ c_i / (n T) in spikes/s (NaN for n = 0)."""
    return n_spikes / (n * duration_ms * 1e-3) if n else float("nan")


def sort_by_sender(senders: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spikes grouped by neuron, time-ordered within a neuron (stable sort of the time-sorted input)."""
    order = np.argsort(senders, kind="stable")
    return senders[order], steps[order]


def intervals(senders: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All inter-spike intervals (in steps) and the neuron each belongs to, grouped by neuron in time order."""
    order = np.argsort(senders, kind="stable")
    s = senders[order]
    isi = np.diff(steps[order])
    del order
    same = s[1:] == s[:-1]
    return isi[same], s[1:][same]


def cv_isi(senders: np.ndarray, steps: np.ndarray, n: int, min_isis: int = 2) -> np.ndarray:
    """Per-neuron CV of the ISIs (NaN for neurons with fewer than ``min_isis`` intervals)."""
    return cv_from_intervals(*intervals(senders, steps), n, min_isis)


def cv_from_intervals(isi: np.ndarray, owner: np.ndarray, n: int, min_isis: int = 2) -> np.ndarray:
    """CV per neuron from the output of :func:`intervals`; two-pass variance (exact 0 for regular trains)."""
    isi = isi.astype(float)
    k = np.bincount(owner, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(owner, weights=isi, minlength=n) / k
        var = np.bincount(owner, weights=(isi - mean[owner]) ** 2, minlength=n) / k
        cv = np.sqrt(var) / mean
    cv[k < max(min_isis, 1)] = np.nan
    return cv


def lvr(senders: np.ndarray, steps: np.ndarray, n: int, resolution: float, R: float = 2.0) -> np.ndarray:
    """Per-neuron revised local variation LvR (Shinomoto et al. 2009); NaN for neurons with < 2 intervals.

    ``resolution`` (ms per step) and ``R`` (ms) fix the refractoriness constant in units of the intervals.
    """
    return lvr_from_intervals(*intervals(senders, steps), n, resolution, R)


def lvr_from_intervals(isi: np.ndarray, owner: np.ndarray, n: int, resolution: float,
                       R: float = 2.0) -> np.ndarray:
    """LvR per neuron from the output of :func:`intervals` (intervals in steps of ``resolution`` ms)."""
    isi = isi * float(resolution)  # ms
    pair = owner[1:] == owner[:-1]
    a, b, who = isi[:-1][pair], isi[1:][pair], owner[1:][pair]
    s = a + b
    terms = (1.0 - 4.0 * a * b / s**2) * (1.0 + 4.0 * R / s)
    del a, b, s
    total = np.bincount(who, weights=terms, minlength=n)
    k = np.bincount(owner, minlength=n)  # intervals per neuron
    out = np.full(n, np.nan)
    ok = k >= 2
    out[ok] = 3.0 / (k[ok] - 1) * total[ok]
    return out


def population_lvr(values: np.ndarray, n_neurons: int | None = None, pad: str = "exclude") -> float:
    """Population LvR: mean over neurons with an LvR (``pad="exclude"``, default), or Schmidt et al. 2018's
    ``pad="upstream"``: neurons without one count as 0 and the mean divides by ``n_neurons`` (biased low)."""
    finite = values[np.isfinite(values)]
    if pad == "exclude":
        return float(finite.mean()) if finite.size else float("nan")
    if pad == "upstream":
        n = len(values) if n_neurons is None else n_neurons
        return float(finite.sum() / n) if n else float("nan")
    raise ValueError(f"population_lvr: pad = {pad!r}, expected 'exclude' or 'upstream'")


def count_matrix(senders: np.ndarray, steps: np.ndarray, ids: np.ndarray, n: int, start: int, stop: int,
                 steps_per_bin: int) -> sp.csr_matrix:
    """Sparse (len(ids) x n_bins) spike-count matrix of neurons ``ids`` (of ``n``), bins
    ``[start + k w, start + (k+1) w)``; a trailing partial bin is dropped."""
    n_bins = (stop - start) // steps_per_bin
    row_of = np.full(n, -1, dtype=np.int64)
    row_of[np.asarray(ids, dtype=np.int64)] = np.arange(len(ids))
    rows = row_of[senders]
    cols = (steps - start) // steps_per_bin
    keep = (rows >= 0) & (cols >= 0) & (cols < n_bins)
    data = np.ones(int(keep.sum()), dtype=np.int64)
    return sp.csr_matrix((data, (rows[keep], cols[keep])), shape=(len(ids), n_bins))


def correlation_matrix(counts: sp.csr_matrix) -> np.ndarray:
    """Pearson correlation coefficients between the rows of an integer count matrix.

    Exact integer moments: r_ij = (B S_ij - c_i c_j) / sqrt((B S_ii - c_i²)(B S_jj - c_j²)), with B bins,
    S = X Xᵀ and c the row sums; only the final division is rounded. NaN for a row of constant counts.
    """
    B = counts.shape[1]
    c = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    cov = (counts @ counts.T).toarray().astype(np.int64, copy=False)
    cov *= B
    cov -= np.outer(c, c)  # exact integers: B S_ij - c_i c_j
    sd = np.sqrt(np.diag(cov).astype(float))
    r = cov.astype(float)
    del cov
    with np.errstate(invalid="ignore", divide="ignore"):
        r /= sd[:, None]
        r /= sd[None, :]
    return r


def subsample_nonsilent(senders: np.ndarray, n: int, size: int, seed: int) -> np.ndarray:
    """Sorted, seeded random subsample (without replacement) of at most ``size`` neurons that spiked."""
    active = np.nonzero(spike_counts(senders, n))[0]
    if active.size <= size:
        return active
    return np.sort(np.random.default_rng(seed).choice(active, size=size, replace=False))


def correlation_coefficients(senders, steps, n, start, stop, steps_per_bin, size=2000, seed=0):
    """(ids, r matrix, mean off-diagonal r) for a seeded subsample of non-silent neurons."""
    ids = subsample_nonsilent(senders, n, size, seed)
    if ids.size < 2:
        return ids, np.empty((ids.size, ids.size)), float("nan")
    r = correlation_matrix(count_matrix(senders, steps, ids, n, start, stop, steps_per_bin))
    off = r[~np.eye(len(ids), dtype=bool)]
    return ids, r, float(np.nanmean(off))


def population_histogram(steps: np.ndarray, start: int, stop: int, steps_per_bin: int) -> np.ndarray:
    """Population spike counts per bin ``[start + k w, start + (k+1) w)`` (trailing partial bin dropped)."""
    n_bins = (stop - start) // steps_per_bin
    return np.bincount((steps - start) // steps_per_bin, minlength=n_bins)[:n_bins]


def synchrony(steps: np.ndarray, start: int, stop: int, steps_per_bin: int) -> float:
    """CV of the population count histogram: std/mean (ddof = 0); NaN without spikes."""
    h = population_histogram(steps, start, stop, steps_per_bin)
    m = h.mean()
    return float(h.std() / m) if m > 0 else float("nan")


def fano_factor_population(steps: np.ndarray, start: int, stop: int, steps_per_bin: int) -> float:
    """var/mean of the population count histogram (the synchrony measure of Potjans & Diesmann 2014 style
    analyses); NaN without spikes."""
    h = population_histogram(steps, start, stop, steps_per_bin)
    m = h.mean()
    return float(h.var() / m) if m > 0 else float("nan")


def upper_triangle(r: np.ndarray) -> np.ndarray:
    """The off-diagonal pairs i < j of a symmetric matrix."""
    return r[np.triu_indices(r.shape[0], k=1)]
