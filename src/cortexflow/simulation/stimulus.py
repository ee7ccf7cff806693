# SPDX-License-Identifier: GPL-3.0-or-later
"""Optional inputs and recordings of a simulation that the network file does not describe (no NEST here).

Thalamic input of the PD14 microcircuit (Potjans & Diesmann 2014, Sec. "Thalamic input"; PyNEST package
``stimulus_params.py`` / ``network.py``): a population of ``num_th_neurons`` (902) thalamic relay cells
(``parrot_neuron``) that all repeat one ``poisson_generator`` of rate ``th_rate`` (120 spikes/s), active in
[th_start, th_start + th_duration) ms of model time (warm-up included, as the package; the default 700 ms is
200 ms into the recorded window after a 500 ms warm-up). With ``th_pulses`` > 1 there is one such generator per
pulse k, active in [th_start + k th_interval, th_start + k th_interval + th_duration) (our addition, for a
pulse-averaged response; th_pulses = 1 is the package's single pulse). Thalamocortical synapses per target population

    S_th,i = ln(1 - C_th,i) / ln(1 - 1/(N_th N_i))        (PD14 Eq. 1, full-scale N_i),
    K_th,i = K_scaling S_th,i / N_i                          (indegree per target neuron),

with C_th = (0, 0, 0.0983, 0.0619, 0, 0, 0.0512, 0.0196) for 23E ... 6I (layers 4 and 6 only) and weight
W_th = PSP_th / PSP(1 pA) / sqrt(K_scaling) (PSP_th = 0.15 mV -> 87.8 pA at full scale), normal with SD
``weight_rel_std`` |W_th| redrawn to >= 0, delays normal(delay_th_mean, delay_th_rel_std delay_th_mean) redrawn to
>= resolution / 2. The transient input is not compensated by DC under down-scaling (as the package).

Difference from the package: it connects round(K_scaling S_th,i) synapses whatever N_scaling, so that the
thalamic indegree per neuron grows as 1/N_scaling at N_scaling < 1; here the synapse number is K_th,i times
the scaled population size, which keeps K_th,i at every N_scaling (the thalamic population keeps its 902
neurons, as in the package).
"""
from __future__ import annotations

import math

# numpy and cortexflow.structure.pd14 (h5py) are imported where the thalamic input is computed: active_entry
# runs when the workflow is planned, which must work in a minimal Snakemake env (issue #16).

# PD14 package stimulus_params.py (conn_probs_th in the population order 23E 23I 4E 4I 5E 5I 6E 6I)
CONN_PROBS_TH = [0.0, 0.0, 0.0983, 0.0619, 0.0, 0.0, 0.0512, 0.0196]
THALAMIC_KEYS = ("th_start", "th_duration", "th_pulses", "th_interval", "th_rate", "num_th_neurons",
                 "conn_probs_th", "PSP_th", "delay_th_mean", "delay_th_rel_std")
VM_KEYS = ("vm_neurons", "vm_interval")


def thalamic_projection(net, cfg) -> dict:
    """Synapse numbers, indegrees, weight and delay of the thalamic input of a (scaled) pd14 ``net``.

    Returns {"K_th" (per target neuron, n), "synapses" (int, n), "weight" (pA), "weight_sd" (pA),
    "delay", "delay_sd" (ms), "n_thalamic", "rate", "starts", "stops" (ms, one per pulse)}; the neuron parameters
    come from the network (C_m, tau_m, tau_syn), the full-scale population sizes from N / N_scaling.
    """
    import numpy as np

    from cortexflow.structure.pd14 import psc_over_psp, synapse_numbers

    if net.model != "pd14":
        raise ValueError(f"thalamic_input applies to pd14 networks only; this network's model is {net.model!r}")
    probs = np.asarray(cfg.conn_probs_th, float)
    if probs.shape != (net.n,):
        raise ValueError(f"simulation conn_probs_th has {probs.size} values, the network has {net.n} populations")
    p = net.params
    tau_syn = float(p.get("tau_syn", p.get("tau_syn_ex", 0.5)))
    w_unit = psc_over_psp(float(p["C_m"]), float(p["tau_m"]), tau_syn)
    N_full = np.asarray(net.N, float) / float(net.N_scaling)
    S_full = synapse_numbers(probs[:, None], N_full, np.array([cfg.num_th_neurons]))[:, 0]
    K_th = float(net.K_scaling) * S_full / N_full
    n_post = np.floor(np.asarray(net.N, float) + 1e-9)
    weight = cfg.PSP_th * w_unit / math.sqrt(float(net.K_scaling))
    rel_sd = float(p.get("weight_rel_std", p.get("PSC_rel_sd_normal", 0.1)))
    starts = pulse_starts(cfg.th_start, cfg.th_pulses, cfg.th_interval)
    return {"K_th": K_th, "synapses": np.rint(K_th * n_post).astype(np.int64), "weight": weight,
            "weight_sd": rel_sd * weight, "delay": float(cfg.delay_th_mean),
            "delay_sd": float(cfg.delay_th_mean * cfg.delay_th_rel_std), "n_thalamic": int(cfg.num_th_neurons),
            "rate": float(cfg.th_rate), "starts": starts, "stops": [s + float(cfg.th_duration) for s in starts]}


def pulse_starts(th_start: float, th_pulses: int = 1, th_interval: float = 200.0) -> list[float]:
    """Start times of the thalamic pulses: th_start + k th_interval, k = 0 ... th_pulses - 1 (ms)."""
    return [float(th_start) + k * float(th_interval) for k in range(int(th_pulses))]


def active_entry(entry: dict) -> dict:
    """A simulation's config entry without the keys of options that are off (thalamic input, V_m recording).

    The schema fills their defaults into every entry; dropping them while the option is off keeps the params
    of rule simulate (its rerun trigger) unchanged for runs that do not use them.
    """
    drop = set()
    if not entry.get("thalamic_input"):
        drop |= {"thalamic_input", *THALAMIC_KEYS}
    if not entry.get("record_vm"):
        drop |= {"record_vm", *VM_KEYS}
    return {k: v for k, v in entry.items() if k not in drop}
