"""Default parameters of the multi-area model (names as in Schmidt et al. 2018 and the upstream code).

The defaults are upstream's 2024 defaults (INM-6/multi-area-model after commit 4ba061e) with one
deliberate exception: ``K_stable`` is ``None``, i.e. the default network is the data-derived one
(Schmidt et al. 2018 Brain Struct Funct). Set ``K_stable: K_prime_original.npy`` to load the
stabilised indegrees of Schuecker et al. (2017), as upstream does by default.
Every default is listed, with its meaning and source, in ``DOC`` and in docs/structure.md.
"""
from __future__ import annotations

import copy
import numbers

# name -> default value. Flat on purpose: a network's config entry overrides any of these keys.
DEFAULTS: dict = {
    # --- size and connectivity (Schmidt et al. 2018 BSF, Methods) ---
    "surface": 1.0,
    "av_indegree_V1": None,
    "K_stable": None,
    "E_specificity": True,
    "E_specific_factor": 0.93,
    "ss4_L23_synapse_layer": "23",
    "exact_log": False,
    # --- external input (Schmidt et al. 2018 PLoS CB) ---
    "rate_ext": 10.0,
    "fac_nu_ext_5E": 1.125,
    "fac_nu_ext_6E": 1.41666667,
    "fac_nu_ext_TH": 1.2,
    # --- synaptic weights ---
    "g": -11.0,
    "PSP_e": 0.15,
    "PSP_e_23_4": 0.3,
    "PSP_ext": 0.15,
    "PSC_rel_sd_normal": 0.1,
    "PSC_rel_sd_lognormal": 3.0,
    "lognormal_weights": False,
    "lognormal_EE_only": False,
    "cc_weights_factor": 1.9,
    "cc_weights_I_factor": 2.0,
    # --- delays ---
    "delay_e": 1.5,
    "delay_i": 0.75,
    "delay_rel": 0.5,
    "interarea_speed": 3.5,
    # --- single neurons (iaf_psc_exp) ---
    "neuron_model": "iaf_psc_exp",
    "C_m": 250.0,
    "tau_m": 10.0,
    "tau_syn_ex": 0.5,
    "tau_syn_in": 0.5,
    "t_ref": 2.0,
    "E_L": -65.0,
    "V_th": -50.0,
    "V_reset": -65.0,
    "V0_mean": -150.0,
    "V0_sd": 50.0,
}

DOC: dict = {
    "surface": "surface of every model area in mm^2; N(A,i) = N_real(A,i) / S(A) * surface",
    "av_indegree_V1": "mean indegree of V1 neurons used for the synapse volume density; null: mean of "
                      "Cragg (1967) 5600 and O'Kusky & Colonnier (1982) 2300 = 3950 (raw files)",
    "K_stable": "raw-data file (.npy, 254 x 254) replacing the recurrent indegrees, external column kept; "
                "null: data-derived K (our default; upstream's 2024 default is K_prime_original.npy)",
    "E_specificity": "rescale feedback (SLN < 0.35) cortico-cortical synapses so that E_specific_factor "
                     "of them target excitatory populations (upstream hard-codes True and ignores the key)",
    "E_specific_factor": "fraction of feedback synapses on excitatory targets (0.93, upstream constant)",
    "ss4_L23_synapse_layer": "synapse layer of the Binzegger row ss4(L2/3) without a layer entry: '23' "
                             "(upstream parsing, from the name) or '4' (the dendrites of L4 stellates)",
    "exact_log": "false: ln(1-x) of the PD14 indegree formula computed as upstream (np.log below "
                 "100 mm^2; at and above, a series that is really ln(1+x)); true: log1p(-x) everywhere "
                 "(changes the intrinsic synapses of the areas >= 100 mm^2 by up to 7.4e-4 rel., others <= 1.2e-5)",
    "rate_ext": "rate nu_ext of each external Poisson source (spikes/s)",
    "fac_nu_ext_5E": "factor on the external indegree of every 5E population",
    "fac_nu_ext_6E": "factor on the external indegree of every 6E population",
    "fac_nu_ext_TH": "factor on the external indegree of TH 23E and TH 5E",
    "g": "relative inhibitory synaptic strength: W_I = g * W_E",
    "PSP_e": "excitatory PSP peak (mV) of recurrent synapses",
    "PSP_e_23_4": "PSP peak (mV) of intra-area 4E -> 23E synapses (doubled, PD14)",
    "PSP_ext": "PSP peak (mV) of external synapses",
    "PSC_rel_sd_normal": "relative SD of normally distributed weights",
    "PSC_rel_sd_lognormal": "relative SD when lognormal_weights is on",
    "lognormal_weights": "use PSC_rel_sd_lognormal for the SD of weights",
    "lognormal_EE_only": "with lognormal_weights: only E -> E weights get the lognormal SD",
    "cc_weights_factor": "chi: factor on the mean and SD of every cortico-cortical weight",
    "cc_weights_I_factor": "chi_I: further factor on cortico-cortical weights onto inhibitory targets",
    "delay_e": "mean intra-area delay (ms) of excitatory sources",
    "delay_i": "mean intra-area delay (ms) of inhibitory sources",
    "delay_rel": "SD of every delay relative to its mean",
    "interarea_speed": "axonal conduction speed (mm/ms): inter-area delay = median distance / speed",
    "neuron_model": "NEST neuron model",
    "C_m": "membrane capacitance (pF)",
    "tau_m": "membrane time constant (ms)",
    "tau_syn_ex": "excitatory PSC time constant (ms)",
    "tau_syn_in": "inhibitory PSC time constant (ms)",
    "t_ref": "refractory period (ms)",
    "E_L": "leak potential (mV)",
    "V_th": "threshold (mV)",
    "V_reset": "reset potential (mV)",
    "V0_mean": "mean of the initial membrane potentials (mV)",
    "V0_sd": "SD of the initial membrane potentials (mV)",
}

_POSITIVE = {"surface", "av_indegree_V1", "E_specific_factor", "rate_ext", "PSP_e", "PSP_e_23_4",
             "PSP_ext", "C_m", "tau_m", "tau_syn_ex", "tau_syn_in", "interarea_speed", "delay_e",
             "delay_i"}
_NON_NEGATIVE = {"fac_nu_ext_5E", "fac_nu_ext_6E", "fac_nu_ext_TH", "PSC_rel_sd_normal",
                 "PSC_rel_sd_lognormal", "cc_weights_factor", "cc_weights_I_factor", "delay_rel",
                 "t_ref", "V0_sd"}
_BOOL = {"E_specificity", "lognormal_weights", "lognormal_EE_only", "exact_log"}
_CHOICES = {"ss4_L23_synapse_layer": ("23", "4"), "neuron_model": ("iaf_psc_exp",)}


def resolve_params(overrides: dict | None = None) -> dict:
    """Defaults updated with ``overrides`` (a network's config entry; ``model`` is ignored).

    Raises ValueError naming the key for unknown keys, wrong types or out-of-range values.
    """
    params = copy.deepcopy(DEFAULTS)
    for key, value in (overrides or {}).items():
        if key == "model":
            if value != "mam":
                raise ValueError(f"mam parameters: model is {value!r}, expected 'mam'")
            continue
        if key not in DEFAULTS:
            raise ValueError(f"mam parameters: unknown key {key!r}")
        params[key] = value
    for key, value in params.items():
        if key in _BOOL:
            if not isinstance(value, bool):
                raise ValueError(f"mam parameter {key}={value!r}: expected true or false")
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                raise ValueError(f"mam parameter {key}={value!r}: expected one of {_CHOICES[key]}")
        elif key == "K_stable":
            if value is not None and not isinstance(value, str):
                raise ValueError(f"mam parameter K_stable={value!r}: expected a raw-data file name or null")
        elif value is None and key == "av_indegree_V1":
            continue
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"mam parameter {key}={value!r}: expected a number")
            if key in _POSITIVE and not value > 0:
                raise ValueError(f"mam parameter {key}={value!r}: must be > 0")
            if key in _NON_NEGATIVE and not value >= 0:
                raise ValueError(f"mam parameter {key}={value!r}: must be >= 0")
    if params["E_specific_factor"] >= 1:
        raise ValueError(f"mam parameter E_specific_factor={params['E_specific_factor']!r}: must be < 1")
    return params
