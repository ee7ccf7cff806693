# SPDX-License-Identifier: GPL-3.0-or-later
"""Default parameters of the cortical microcircuit (Potjans & Diesmann 2014, Cereb Cortex 24:785).

Names and values follow the PD14 PyNEST package (INM-6/microcircuit-PD14-model,
``parameter_definitions.py``). Population order: 23E 23I 4E 4I 5E 5I 6E 6I (labels without
the ``L`` prefix, the same as the populations of one mam area). Matrices are target x source.
Every key may be overridden per network in ``config/config.yaml`` (schema ``$defs/pd14_network``, which
holds the defaults of the scalar parameters).
"""
from __future__ import annotations

import copy

from cortexflow.config import load_schema, schema_defaults

SCHEMA_POINTER = "$defs/pd14_network"
POPULATIONS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]

# The tables of the paper, which the schema does not carry as defaults (its descriptions quote them).
TABLES: dict = {
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
    # external indegrees (cortico-cortical + thalamic background), PD14 Table 5
    "K_ext": [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100],
}
# Every parameter in the schema's order; the scalars (neuron, synapses, background rate: meaning and units
# in ``$defs/pd14_network`` of config/schema.yaml) are the schema's defaults.
_SCALARS = schema_defaults(SCHEMA_POINTER)
DEFAULTS: dict = {k: copy.deepcopy(TABLES[k]) if k in TABLES else _SCALARS[k]
                  for k in load_schema()["$defs"]["pd14_network"]["properties"] if k != "model"}


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
