"""Power spectra of rate signals by Welch's method with an explicit, never silently changed segmentation.

The signal is centred (mean removed) and passed to ``scipy.signal.welch`` with ``fs = 1/Δ``: K segments of
``nperseg`` samples, shifted by ``nperseg - noverlap``, each windowed, detrended and Fourier transformed;
the PSD is the mean of the K periodograms (Welch 1967). For n samples

    K = 1 + ⌊(n − nperseg) / (nperseg − noverlap)⌋   (n ≥ nperseg),   Δf = fs / nperseg.

Default (config ``analysis.welch``): nperseg 256, noverlap 128, Hann — 50 % overlap of Hann windows keeps
neighbouring segments nearly independent (Welch 1967), Δf = 3.9 Hz at 1 ms bins, and a 1.2 s window gives
K = 8. The Chu et al. 2014 processing of the experimental V1 data used in Schmidt et al. 2018 (nperseg
1024, noverlap 1000, boxcar) is a documented option for the data comparison only: its segments overlap by
98 %, so K counts nearly identical segments and barely averages (docs/analysis.md "Power spectra").

A window shorter than ``min_segments`` segments raises ``ValueError`` naming ``analysis.welch`` instead
of shrinking nperseg to the signal (which gives one unaveraged periodogram).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# numpy/scipy are imported where the spectra are computed: check_segments runs when the workflow is planned
# (cortexflow.workflow.simulations.check_welch), which must work in a minimal Snakemake env (issue #16).

from cortexflow.config import schema_defaults

DEFAULT_WELCH = schema_defaults("properties/analysis")["welch"]  # analysis.welch of config/schema.yaml


def n_segments(n_samples: int, nperseg: int, noverlap: int) -> int:
    """Number of Welch segments K = 1 + ⌊(n − nperseg)/(nperseg − noverlap)⌋ (0 if n < nperseg)."""
    n_samples, nperseg, noverlap = int(n_samples), int(nperseg), int(noverlap)
    if nperseg < 2 or not 0 <= noverlap < nperseg:
        raise ValueError(f"analysis.welch: need nperseg >= 2 and 0 <= noverlap < nperseg, got nperseg = "
                         f"{nperseg}, noverlap = {noverlap}")
    return 0 if n_samples < nperseg else 1 + (n_samples - nperseg) // (nperseg - noverlap)


def check_segments(n_samples: int, nperseg: int, noverlap: int, min_segments: int = 8, bin_ms: float = 1.0,
                   where: str = "") -> int:
    """K of a window of ``n_samples``; ``ValueError`` naming ``analysis.welch`` and the fix if K < min_segments."""
    k = n_segments(n_samples, nperseg, noverlap)
    if k < max(int(min_segments), 1):
        step = int(nperseg) - int(noverlap)
        need = int(nperseg) + (max(int(min_segments), 1) - 1) * step
        raise ValueError(
            f"analysis.welch{' (' + where + ')' if where else ''}: nperseg = {nperseg}, noverlap = {noverlap} on an "
            f"analysis window of {n_samples} samples ({n_samples * bin_ms:g} ms at {bin_ms:g} ms bins) gives {k} "
            f"segment(s), fewer than analysis.welch.min_segments = {min_segments}; lower nperseg (and noverlap) or "
            f"use a longer t_sim (the window needs >= {need} samples = {need * bin_ms:g} ms)")
    return k


def welch_spectrum(x: np.ndarray, bin_ms: float = 1.0, nperseg: int = 256, noverlap: int = 128,
                   window: str = "hann", detrend: str | bool = "constant", min_segments: int = 8):
    """(frequencies in Hz, one-sided PSD, info) of the centred signal(s) along the last axis.

    ``info`` records what was computed: nperseg, noverlap, window, detrend, fs_hz, n_samples, n_segments,
    frequency_resolution_hz (= fs/nperseg), min_segments.
    """
    import numpy as np
    from scipy.signal import welch

    x = np.asarray(x, dtype=float)
    n = int(x.shape[-1])
    k = check_segments(n, nperseg, noverlap, min_segments, bin_ms)
    fs = 1e3 / bin_ms
    x = x - x.mean(axis=-1, keepdims=True)
    f, p = welch(x, fs=fs, window=window, nperseg=int(nperseg), noverlap=int(noverlap), detrend=detrend, axis=-1)
    info = {"nperseg": int(nperseg), "noverlap": int(noverlap), "window": str(window),
            "detrend": str(detrend), "fs_hz": float(fs), "n_samples": n, "n_segments": int(k),
            "frequency_resolution_hz": float(fs / int(nperseg)), "min_segments": int(min_segments)}
    return f, p, info


def power_spectrum(x: np.ndarray, bin_ms: float = 1.0, nperseg: int = 256, noverlap: int = 128,
                   window: str = "hann", detrend: str | bool = "constant",
                   min_segments: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies in Hz, one-sided PSD) of ``welch_spectrum`` (at least ``min_segments`` segments)."""
    f, p, _ = welch_spectrum(x, bin_ms, nperseg, noverlap, window, detrend, min_segments)
    return f, p
