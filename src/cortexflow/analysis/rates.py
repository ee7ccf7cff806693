"""Population and area rate time series: binned spike counts and smoothing kernels.

Binned rate of a population of n neurons with bin width Δ (ms): r_k = C_k / (n Δ·10⁻³) spikes/s, C_k the
spike count in ``[t_0 + kΔ, t_0 + (k+1)Δ)``. Area rate = N-weighted mean of its population rates
(= area spike count / (N_area Δ)), as Schmidt et al. 2018.

Smoothing (docs/analysis.md): ``mode="causal"`` (default) applies a one-sided kernel K(τ ≥ 0),
y(t) = Σ_τ K(τ) x(t - τ), so no output sample depends on the future. ``mode="same"`` is upstream's
``np.convolve(x, K, 'same')``: centred on the kernel array, which for one-sided kernels shifts the signal
by half the kernel support into the past (acausal). The Gaussian is symmetric and only used with "same".
"""
from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

KERNELS = ("rect", "exp", "alpha", "gauss")


def binned_rate(steps: np.ndarray, n: int, start: int, stop: int, steps_per_bin: int,
                resolution: float) -> np.ndarray:
    """r_k = C_k / (n Δ) in spikes/s; trailing partial bin dropped; NaN-free (zeros) for n = 0."""
    n_bins = (stop - start) // steps_per_bin
    counts = np.bincount((steps - start) // steps_per_bin, minlength=n_bins)[:n_bins]
    bin_s = steps_per_bin * resolution * 1e-3
    return counts / (n * bin_s) if n else np.zeros(n_bins)


def area_rate(rates: np.ndarray, n: np.ndarray) -> np.ndarray:
    """N-weighted mean over the rows of ``rates`` (populations x bins)."""
    n = np.asarray(n, dtype=float)
    return (n[:, None] * rates).sum(axis=0) / n.sum()


def kernel(name: str, width_ms: float, bin_ms: float) -> np.ndarray:
    """Kernel sampled on the bin grid, unit sum (so a constant rate is preserved).

    rect: boxcar of ``width_ms``; exp: e^{-τ/w}, τ ∈ [0, 10w]; alpha: τ/w² e^{-τ/w}, τ ∈ [0, 15w];
    gauss: e^{-τ²/2w²}, τ ∈ [-5w, 5w] (symmetric).
    """
    if width_ms <= 0 or bin_ms <= 0:
        raise ValueError(f"kernel width ({width_ms}) and bin ({bin_ms}) must be > 0 ms")
    if name == "rect":
        k = np.ones(max(1, int(round(width_ms / bin_ms))))
    elif name == "exp":
        t = np.arange(0, 10 * width_ms + bin_ms / 2, bin_ms)
        k = np.exp(-t / width_ms)
    elif name == "alpha":
        t = np.arange(0, 15 * width_ms + bin_ms / 2, bin_ms)
        k = t * np.exp(-t / width_ms)
    elif name == "gauss":
        half = int(np.ceil(5 * width_ms / bin_ms))
        t = np.arange(-half, half + 1) * bin_ms
        k = np.exp(-0.5 * (t / width_ms) ** 2)
    else:
        raise ValueError(f"unknown kernel {name!r}, expected one of {KERNELS}")
    return k / k.sum()


def smooth(x: np.ndarray, name: str, width_ms: float, bin_ms: float, mode: str = "causal") -> np.ndarray:
    """Convolve ``x`` (..., time) with a kernel; output has the same length (see module docstring)."""
    k = kernel(name, width_ms, bin_ms)
    x = np.asarray(x, dtype=float)
    n = x.shape[-1]
    if mode == "causal":
        if name == "gauss":
            raise ValueError("the Gaussian kernel is symmetric (acausal); use mode='same'")
        return lfilter(k, [1.0], x, axis=-1)  # direct-form FIR: y_t = sum_{tau>=0} k_tau x_{t-tau}
    if mode == "same":  # upstream: np.convolve(x, k, 'same')
        pad = np.zeros(x.shape[:-1] + (k.size - 1,))
        full = lfilter(k, [1.0], np.concatenate([x, pad], axis=-1), axis=-1)
        lo = (k.size - 1) // 2
        return full[..., lo:lo + n]
    raise ValueError(f"mode = {mode!r}, expected 'causal' or 'same'")
