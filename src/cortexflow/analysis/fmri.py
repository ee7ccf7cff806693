"""fMRI proxies of Schmidt et al. 2018 (PLOS CB): area synaptic input and a Balloon–Windkessel BOLD signal.

Synaptic input of population (A, i):  I_Ai(t) = Σ_Bj |W_Ai,Bj| K_Ai,Bj r_Bj(t)  (external input excluded,
inhibitory weights counted positive), filtered by the synaptic kernel e^{-t/τ_s}, t = 0 … kernel_ms.
``filter="causal"`` (default): y(t) = Σ_{u≥0} e^{-u/τ_s} I(t-u). ``filter="upstream_same"`` reproduces
upstream's ``np.convolve(I, kernel, 'same')``, which is acausal (shifted ~kernel_ms/2 into the past).
Area signal: N-weighted mean of its populations.

BOLD: the hemodynamic Balloon–Windkessel model (Friston et al. 2000 NeuroImage 12:466; Stephan et al. 2007
NeuroImage 38:387 parameters) driven by the area's synaptic input normalised by its maximum (as upstream):
  ds/dt = x - κ s - γ (f - 1),  df/dt = s,  τ dv/dt = f - v^{1/α},
  τ dq/dt = f (1 - (1-ρ)^{1/f})/ρ - v^{1/α} q / v,
  BOLD = V0 [k1 (1 - q) + k2 (1 - q/v) + k3 (1 - v)],  k1 = 7ρ, k2 = 2, k3 = 2ρ - 0.2.
Upstream used R neuRosim's ``balloon`` (Buxton et al. 2004 variant); see docs/analysis.md for the difference.
Integration: classical RK4 at the input's bin width, vectorised over areas.
"""
from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from cortexflow.areas import area_of

BALLOON = {"kappa": 0.65, "gamma": 0.41, "tau": 0.98, "alpha": 0.32, "rho": 0.34, "V0": 0.02}


def input_matrix(K: np.ndarray, W: np.ndarray) -> np.ndarray:
    """|W|·K between the network's populations (target x source, external column dropped)."""
    n = K.shape[0]
    return np.abs(W[:, :n]) * K[:, :n]


def synaptic_kernel(tau_s: float, kernel_ms: float, bin_ms: float) -> np.ndarray:
    """e^{-t/τ_s} sampled at t = 0, Δ, … < kernel_ms (upstream: τ_s = 0.5 ms, t = 0 … 19 ms, unnormalised)."""
    t = np.arange(0.0, kernel_ms, bin_ms)
    return np.exp(-t / tau_s)


def filter_signal(x: np.ndarray, kernel: np.ndarray, mode: str = "causal") -> np.ndarray:
    """Convolve along the last axis: causal FIR, or upstream's centred np.convolve(..., 'same')."""
    if mode == "causal":
        return lfilter(kernel, [1.0], x, axis=-1)
    if mode == "upstream_same":
        n = x.shape[-1]
        pad = np.zeros(x.shape[:-1] + (kernel.size - 1,))
        full = lfilter(kernel, [1.0], np.concatenate([x, pad], axis=-1), axis=-1)
        lo = (kernel.size - 1) // 2
        return full[..., lo:lo + n]
    raise ValueError(f"fmri filter = {mode!r}, expected 'causal' or 'upstream_same'")


def synaptic_input(rates: np.ndarray, rate_pops: list[str], net_pops: list[str], K: np.ndarray,
                   W: np.ndarray, N: np.ndarray, tau_s: float = 0.5, kernel_ms: float = 20.0,
                   bin_ms: float = 1.0, mode: str = "causal") -> tuple[list[str], np.ndarray]:
    """(areas, area synaptic input: areas x bins) from binned population rates (spikes/s)."""
    index = {p: i for i, p in enumerate(net_pops)}
    missing = [p for p in rate_pops if p not in index]
    if missing:
        raise ValueError(f"populations {missing[:5]} of the rate series are not in the network")
    M = input_matrix(K, W)
    rec = np.array([index[p] for p in rate_pops])
    unrec = np.setdiff1d(np.nonzero(M[rec].sum(axis=0) > 0)[0], rec)
    if unrec.size:
        raise ValueError(f"synaptic input needs the rates of every source population; not recorded: "
                         f"{[net_pops[i] for i in unrec[:5]]} ... ({unrec.size})")
    current = M[np.ix_(rec, rec)] @ rates  # populations x bins
    current = filter_signal(current, synaptic_kernel(tau_s, kernel_ms, bin_ms), mode)
    areas = list(dict.fromkeys(area_of(p) for p in rate_pops))
    owner = np.array([area_of(p) for p in rate_pops])
    n = np.asarray(N, float)[rec]
    out = np.array([(n[owner == a, None] * current[owner == a]).sum(axis=0) / n[owner == a].sum()
                    for a in areas])
    return areas, out


def _balloon_rhs(state, x, p):
    s, f, v, q = state
    ia = v ** (1.0 / p["alpha"])
    E = 1.0 - (1.0 - p["rho"]) ** (1.0 / f)
    return np.array([x - p["kappa"] * s - p["gamma"] * (f - 1.0), s, (f - ia) / p["tau"],
                     (f * E / p["rho"] - ia * q / v) / p["tau"]])


def bold_signal(x: np.ndarray, dt_s: float, params: dict | None = None) -> np.ndarray:
    """BOLD of input(s) ``x`` (..., time) sampled every ``dt_s`` seconds (held constant within a step).

    Starts at rest (s = 0, f = v = q = 1); RK4 with step dt_s.
    """
    p = {**BALLOON, **(params or {})}
    x = np.asarray(x, float)
    state = np.stack([np.zeros(x.shape[:-1]), *([np.ones(x.shape[:-1])] * 3)])
    out = np.empty((4,) + x.shape)
    h = dt_s
    for k in range(x.shape[-1]):
        u = x[..., k]
        k1 = _balloon_rhs(state, u, p)
        k2 = _balloon_rhs(state + 0.5 * h * k1, u, p)
        k3 = _balloon_rhs(state + 0.5 * h * k2, u, p)
        k4 = _balloon_rhs(state + h * k3, u, p)
        state = state + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        out[:, ..., k] = state
    _, _, v, q = out
    k1c, k2c, k3c = 7.0 * p["rho"], 2.0, 2.0 * p["rho"] - 0.2
    return p["V0"] * (k1c * (1 - q) + k2c * (1 - q / v) + k3c * (1 - v))


def bold_from_synaptic_input(signal: np.ndarray, bin_ms: float, params: dict | None = None) -> np.ndarray:
    """BOLD per area from the synaptic input (areas x bins), each normalised by its maximum (upstream)."""
    peak = np.max(np.abs(signal), axis=-1, keepdims=True)
    x = np.divide(signal, peak, out=np.zeros_like(signal, dtype=float), where=peak > 0)
    return bold_signal(x, bin_ms * 1e-3, params)
