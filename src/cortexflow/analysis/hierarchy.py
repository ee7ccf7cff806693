"""Inter-area cross-correlations and the temporal hierarchy (Schmidt et al. 2018 PLOS CB, Fig. 7).

Cross-correlation of the centred, unit-variance area rates x_i:
  C_ij(τ) = (1/T) Σ_t x_i(t + τ) x_j(t),
computed for all pairs at once by FFT, then smoothed by a Gaussian of σ = 2 ms (upstream).
Peak lag τ_ij: the lag of the largest |C_ij| within ±max_lag (the larger of the maximum and the minimum
extremum, as upstream); τ_ij > 0 means area i follows area j. τ is antisymmetric.

Temporal hierarchy: h minimises Σ_{i≠j} (h_i - h_j - τ_ij)², solved as a linear least-squares problem
(unique up to a constant; no random start, unlike upstream's scipy.optimize.minimize), then rescaled to
[0, 1]. Areas with a constant rate (no spikes) are excluded (NaN).
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d


def cross_correlation(signals: np.ndarray, max_lag: int) -> tuple[np.ndarray, np.ndarray]:
    """(lags in bins -max_lag … max_lag, C: n x n x lags) of the rows of ``signals`` (areas x bins)."""
    x = np.asarray(signals, float)
    x = x - x.mean(axis=1, keepdims=True)
    sd = x.std(axis=1, keepdims=True)
    x = np.divide(x, sd, out=np.zeros_like(x), where=sd > 0)
    T = x.shape[1]
    nfft = 1 << int(np.ceil(np.log2(2 * T - 1)))
    X = np.fft.rfft(x, nfft, axis=1)
    lags = np.arange(-max_lag, max_lag + 1)
    C = np.empty((x.shape[0], x.shape[0], lags.size))
    for i in range(x.shape[0]):  # one row of pairs at a time: memory n x nfft
        c = np.fft.irfft(X[i][None, :] * np.conj(X), nfft, axis=1) / T  # c[j, k] = sum_t x_i(t+k) x_j(t)
        C[i] = c[:, lags % nfft]
    return lags, C


def peak_lags(lags: np.ndarray, C: np.ndarray, bin_ms: float = 1.0, sigma_ms: float = 2.0) -> np.ndarray:
    """τ_ij (ms) of the largest |smoothed C_ij| (antisymmetric up to ties; diagonal 0)."""
    Cs = gaussian_filter1d(C, sigma_ms / bin_ms, axis=-1, mode="nearest") if sigma_ms > 0 else C
    tau = lags[np.argmax(np.abs(Cs), axis=-1)] * bin_ms
    np.fill_diagonal(tau, 0.0)
    return tau.astype(float)


def temporal_hierarchy(tau: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """h in [0, 1] minimising Σ_{i≠j, valid} (h_i - h_j - τ_ij)² (NaN for invalid areas)."""
    n = tau.shape[0]
    valid = np.ones(n, bool) if valid is None else np.asarray(valid, bool)
    idx = np.nonzero(valid)[0]
    m = idx.size
    h = np.full(n, np.nan)
    if m < 2:
        return h
    i, j = np.nonzero(~np.eye(m, dtype=bool))
    A = np.zeros((i.size + 1, m))
    A[np.arange(i.size), i] = 1.0
    A[np.arange(i.size), j] = -1.0
    A[-1] = 1.0  # gauge: Σ h = 0 (the fit is invariant to a constant)
    b = np.append(tau[np.ix_(idx, idx)][i, j], 0.0)
    sol = np.linalg.lstsq(A, b, rcond=None)[0]
    span = sol.max() - sol.min()
    h[idx] = (sol - sol.min()) / span if span > 0 else 0.0
    return h
