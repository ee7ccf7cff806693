"""Power spectra of rate signals by Welch's method with an explicit window.

The signal is centred (mean removed) and passed to ``scipy.signal.welch`` with ``fs = 1/Δ``. Defaults
follow the published processing of the experimental V1 data (Chu et al. 2014) in Schmidt et al. 2018:
``nperseg=1024``, ``noverlap=1000``, ``window="boxcar"``. Upstream's simulated spectra silently used Hann
(the window was defined but not passed); we use the same window for model and data (docs/analysis.md).
"""
from __future__ import annotations

import numpy as np
from scipy.signal import welch


def power_spectrum(x: np.ndarray, bin_ms: float = 1.0, nperseg: int = 1024, noverlap: int = 1000,
                   window: str = "boxcar", detrend: str | bool = "constant") -> tuple[np.ndarray, np.ndarray]:
    """(frequencies in Hz, one-sided power spectral density) of the centred signal(s) along the last axis."""
    x = np.asarray(x, dtype=float)
    n = x.shape[-1]
    if n < 2:
        raise ValueError(f"power_spectrum: signal of length {n}")
    nperseg = min(nperseg, n)
    noverlap = min(noverlap, nperseg - 1)
    x = x - x.mean(axis=-1, keepdims=True)
    return welch(x, fs=1e3 / bin_ms, window=window, nperseg=nperseg, noverlap=noverlap, detrend=detrend,
                 axis=-1)
