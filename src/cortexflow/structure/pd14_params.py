# SPDX-License-Identifier: GPL-3.0-or-later
"""Default parameters of the cortical microcircuit (Potjans & Diesmann 2014, Cereb Cortex 24:785).

Names and values follow the PD14 PyNEST package (INM-6/microcircuit-PD14-model,
``parameter_definitions.py``). Population order: 23E 23I 4E 4I 5E 5I 6E 6I (labels without
the ``L`` prefix, the same as the populations of one mam area). Matrices are target x source.
Every key here may be overridden per network in ``config/config.yaml`` (schema ``$defs/pd14_network``).
"""
from __future__ import annotations

import copy

POPULATIONS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]

DEFAULTS: dict = {
    # --- network ---
    "full_num_neurons": [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948],
    # connection probabilities C[target, source] (PD14 Table 5)
    "conn_probs": [
        [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
        [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
        [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
        [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
        [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
        [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
        [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
        [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
    ],
    # --- neuron (iaf_psc_exp) ---
    "neuron_model": "iaf_psc_exp",
    "C_m": 250.0,       # pF
    "tau_m": 10.0,      # ms
    "tau_syn": 0.5,     # ms (excitatory and inhibitory)
    "t_ref": 2.0,       # ms
    "E_L": -65.0,       # mV
    "V_th": -50.0,      # mV
    "V_reset": -65.0,   # mV
    # --- synapses ---
    "PSP_exc_mean": 0.15,          # mV, peak PSP of an excitatory synapse
    "PSP_L4E_L23E_factor": 2.0,    # L4E -> L23E PSP is doubled (PD14 Sec. "Model")
    "g": -4.0,                     # relative inhibitory weight
    "weight_rel_std": 0.1,         # SD / |mean| of recurrent weights
    "delay_exc_mean": 1.5,         # ms
    "delay_inh_mean": 0.75,        # ms
    "delay_rel_std": 0.5,          # SD / mean of delays
    # --- external (cortico-cortical + thalamic background) input ---
    "K_ext": [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100],
    "bg_rate": 8.0,                # spikes/s per external source
    "bg_input_type": "poisson",    # 'poisson' (PD14 paper) or 'dc' (mean-equivalent DC, no external noise)
}


def pd14_params(overrides: dict | None = None) -> dict:
    """Defaults updated with ``overrides`` (a config network entry; 'model' is ignored).

    Unknown keys raise ``KeyError`` naming the key (the schema already rejects them in workflows).
    """
    params = copy.deepcopy(DEFAULTS)
    for key, value in (overrides or {}).items():
        if key == "model":
            continue
        if key not in DEFAULTS:
            raise KeyError(f"unknown pd14 network parameter {key!r} (known: {', '.join(sorted(DEFAULTS))})")
        params[key] = copy.deepcopy(value)
    return params
