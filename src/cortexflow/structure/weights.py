"""Synaptic weights (PSC amplitudes, pA) and delays (ms) of the multi-area model.

Schmidt et al. (2018) PLoS CB 14:e1006359, Methods; upstream Model.py / default_params.py.
Matrices are [target, source] over the full 32 x 8 population grid (POPULATIONS order per area).
"""
from __future__ import annotations

import numpy as np

from cortexflow.areas import POPULATIONS

_IS_E = np.array([p.endswith("E") for p in POPULATIONS])


def psc_per_psp(C_m: float, tau_m: float, tau_s: float) -> float:
    """PSC amplitude (pA) that gives a PSP peak of 1 mV in a LIF neuron with exponential PSCs.

    [C_m^-1 tau_m tau_s / (tau_s - tau_m) ((tau_m/tau_s)^(-tau_m/(tau_m-tau_s))
     - (tau_m/tau_s)^(-tau_s/(tau_m-tau_s)))]^-1   (585.39 pA/mV for 250 pF, 10 ms, 0.5 ms)
    """
    r = tau_m / tau_s
    peak = tau_m * tau_s / (tau_s - tau_m) / C_m * (r ** (-tau_m / (tau_m - tau_s)) - r ** (-tau_s / (tau_m - tau_s)))
    return 1.0 / peak


def weight_matrices(params: dict, n_areas: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and SD of the recurrent weights (n_areas*8 square) and of the external input (per target).

    W_E = PSC/PSP(tau_syn_ex) PSP_e for E sources, W_I = PSC/PSP(tau_syn_in) g PSP_e for I sources;
    intra-area 4E -> 23E: PSP_e_23_4; cortico-cortical: mean and SD x chi (cc_weights_factor), onto
    inhibitory targets x chi_I (cc_weights_I_factor) in addition. SD = PSC_rel_sd_normal |W|
    (PSC_rel_sd_lognormal with lognormal_weights: all pairs, or E -> E only with lognormal_EE_only;
    the 4E -> 23E SD always uses PSC_rel_sd_normal, as upstream). External: PSC/PSP PSP_ext, SD 0
    (a fixed weight, as the upstream simulation uses it).
    """
    p = params
    w_e = psc_per_psp(p["C_m"], p["tau_m"], p["tau_syn_ex"]) * p["PSP_e"]
    w_i = psc_per_psp(p["C_m"], p["tau_m"], p["tau_syn_in"]) * p["g"] * p["PSP_e"]
    w_23_4 = psc_per_psp(p["C_m"], p["tau_m"], p["tau_syn_ex"]) * p["PSP_e_23_4"]
    n = len(POPULATIONS)
    block = np.where(_IS_E[None, :], w_e, w_i) * np.ones((n, n))
    rel = np.full((n, n), p["PSC_rel_sd_normal"])
    if p["lognormal_weights"]:
        ee = _IS_E[:, None] & _IS_E[None, :]
        rel = np.where(ee | (not p["lognormal_EE_only"]), p["PSC_rel_sd_lognormal"], rel)
    W = np.tile(block, (n_areas, n_areas))
    W_sd = np.tile(rel * np.abs(block), (n_areas, n_areas))
    same = np.kron(np.eye(n_areas, dtype=bool), np.ones((n, n), dtype=bool))
    i23, i4 = POPULATIONS.index("23E"), POPULATIONS.index("4E")
    intra_23_4 = same & np.tile(np.eye(n, dtype=bool)[i23][:, None] & np.eye(n, dtype=bool)[i4][None, :],
                                (n_areas, n_areas))
    W = np.where(intra_23_4, w_23_4, W)
    W_sd = np.where(intra_23_4, p["PSC_rel_sd_normal"] * w_23_4, W_sd)
    target_i = np.tile(~_IS_E, n_areas)[:, None]
    cc = np.where(~same, p["cc_weights_factor"] * np.where(target_i, p["cc_weights_I_factor"], 1.0), 1.0)
    W_ext = np.full(n_areas * n, psc_per_psp(p["C_m"], p["tau_m"], p["tau_syn_ex"]) * p["PSP_ext"])
    return W * cc, W_sd * cc, W_ext, np.zeros_like(W_ext)


def delay_matrices(params: dict, distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean delays (ms): delay_e / delay_i inside an area by source type, distance(A, B) /
    interarea_speed between areas; SD = delay_rel * mean. distances: (n_areas, n_areas) mm, [target, source]."""
    n_areas, n = len(distances), len(POPULATIONS)
    d = np.repeat(np.repeat(distances / params["interarea_speed"], n, axis=0), n, axis=1)
    local = np.tile(np.where(_IS_E, params["delay_e"], params["delay_i"])[None, :], (n_areas * n, n_areas))
    same = np.kron(np.eye(n_areas, dtype=bool), np.ones((n, n), dtype=bool))
    mean = np.where(same, local, d)
    return mean, params["delay_rel"] * mean
