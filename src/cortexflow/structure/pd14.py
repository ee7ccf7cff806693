# SPDX-License-Identifier: GPL-3.0-or-later
"""The cortical microcircuit of Potjans & Diesmann (2014, Cereb Cortex 24:785) as a ``Network``.

Full scale (77,169 neurons), following the PD14 PyNEST package (INM-6/microcircuit-PD14-model):

* synapse numbers from the connection probabilities (PD14 Eq. 1, random sampling with multapses)
      S_ij = ln(1 - C_ij) / ln(1 - 1/(N_i N_j)),      K_ij = S_ij / N_i    (i target, j source);
* PSC amplitudes from PSP peaks for exponential PSCs (Hanuschkin et al. 2010, Eq. 5)
      W = PSP / [ (tau_m tau_s / (C_m (tau_s - tau_m))) ((tau_m/tau_s)^(tau_m/(tau_s-tau_m))
                                                       - (tau_m/tau_s)^(tau_s/(tau_s-tau_m))) ],
  0.15 mV -> 87.81 pA; inhibitory W = g W_E (g = -4); L4E -> L23E doubled; SD = 0.1 |W|;
* delays 1.5 ms (E sources) / 0.75 ms (I sources), SD 50 %;
* external input: K_ext Poisson sources at ``bg_rate`` (8 spikes/s) with W_ext = W_E, or, with
  ``bg_input_type: dc``, the mean-equivalent current I = bg_rate K_ext W_ext tau_s 1e-3 (pA) and no
  external synapses (K[:, -1] = 0).

Population labels are those of one mam area: 23E 23I 4E 4I 5E 5I 6E 6I.
"""
from __future__ import annotations

import numpy as np

from cortexflow.structure.network_file import Network
from cortexflow.structure.pd14_params import POPULATIONS, pd14_params


def psc_over_psp(C_m: float, tau_m: float, tau_syn: float) -> float:
    """PSC amplitude (pA) that gives a 1 mV PSP peak for an exponential PSC (tau_syn != tau_m)."""
    sub = 1.0 / (tau_syn - tau_m)
    pre = tau_m * tau_syn / C_m * sub
    frac = (tau_m / tau_syn) ** sub
    return 1.0 / (pre * (frac**tau_m - frac**tau_syn))


def synapse_numbers(conn_probs: np.ndarray, n_post: np.ndarray, n_pre: np.ndarray) -> np.ndarray:
    """Total synapse numbers S[i, j] = ln(1 - C_ij)/ln(1 - 1/(N_i N_j)) (PD14 Eq. 1)."""
    prod = np.outer(n_post, n_pre).astype(float)
    return np.log1p(-np.asarray(conn_probs, float)) / np.log1p(-1.0 / prod)


def build_pd14(params: dict | None = None) -> Network:
    """Full-scale PD14 network (``params``: overrides of ``pd14_params.DEFAULTS``)."""
    p = pd14_params(params)
    n = len(POPULATIONS)
    N = np.asarray(p["full_num_neurons"], float)
    C = np.asarray(p["conn_probs"], float)
    K_ext = np.asarray(p["K_ext"], float)
    for name, arr, shape in (("full_num_neurons", N, (n,)), ("conn_probs", C, (n, n)), ("K_ext", K_ext, (n,))):
        if arr.shape != shape:
            raise ValueError(f"pd14 parameter {name} has shape {arr.shape}, expected {shape}")
    if np.any(N <= 0):
        raise ValueError(f"pd14 parameter full_num_neurons must be positive, got {p['full_num_neurons']}")
    if np.any((C < 0) | (C >= 1)):
        raise ValueError("pd14 parameter conn_probs must lie in [0, 1)")
    if np.any(K_ext < 0):
        raise ValueError(f"pd14 parameter K_ext must be non-negative, got {p['K_ext']}")
    if p["bg_input_type"] not in ("poisson", "dc"):
        raise ValueError(f"pd14 parameter bg_input_type must be 'poisson' or 'dc', got {p['bg_input_type']!r}")

    syn_rec = synapse_numbers(C, N, N)
    K_rec = syn_rec / N[:, None]

    w_unit = psc_over_psp(p["C_m"], p["tau_m"], p["tau_syn"])
    is_exc = np.array([pop.endswith("E") for pop in POPULATIONS])
    psp = np.where(is_exc, p["PSP_exc_mean"], p["g"] * p["PSP_exc_mean"])[None, :].repeat(n, axis=0)
    psp[POPULATIONS.index("23E"), POPULATIONS.index("4E")] *= p["PSP_L4E_L23E_factor"]
    W_ext = p["PSP_exc_mean"] * w_unit

    if p["bg_input_type"] == "poisson":
        K_ext_col = K_ext
        dc = np.zeros(n)
    else:
        K_ext_col = np.zeros(n)
        dc = p["bg_rate"] * K_ext * W_ext * p["tau_syn"] * 1e-3

    K = np.column_stack([K_rec, K_ext_col])
    synapses = K * N[:, None]
    W = np.column_stack([psp * w_unit, np.full(n, W_ext)])
    # Poisson input has fixed weights in the PD14 package; recurrent weights are normal with SD 0.1 |W|
    W_sd = np.column_stack([p["weight_rel_std"] * np.abs(psp * w_unit), np.zeros(n)])
    delay = np.where(is_exc, p["delay_exc_mean"], p["delay_inh_mean"])[None, :].repeat(n, axis=0)
    delay_sd = p["delay_rel_std"] * delay

    return Network(model="pd14", populations=list(POPULATIONS), N=N, K=K, synapses=synapses, W=W,
                   W_sd=W_sd, delay=delay, delay_sd=delay_sd, dc_drive=dc, params=p)
