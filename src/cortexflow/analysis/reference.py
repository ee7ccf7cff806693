"""Reference values our simulations are compared with (model-vs-reference figures, rule validate).

* **pd14**: the mean population rates (spikes/s) of the PD14 reference implementation at full scale
  (INM-6/microcircuit-PD14-model, ``network_params.py`` ``full_mean_rates``, one NEST 3 run) and of the
  older NEST 2 PyNEST example (Rothe, Bos & van Albada 2016); docs/analysis.md "Model vs reference". Their
  difference (up to 10 % per population, e.g. 4I 5.396 vs 5.876) is the published version-to-version
  spread. Per-neuron distributions are not published with them.
* **mam**: the mean-field fixed-point rates of the same (full-scale) network
  (``results/theory/{net}/fixed_point.h5``), the prediction the down-scaled simulation is built to keep
  (DC compensation at these rates, docs/simulation.md).
"""
from __future__ import annotations

import numpy as np

PD14_POPULATIONS = ("23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I")
PD14_REFERENCE_RATES = dict(zip(PD14_POPULATIONS, (0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829)))
PD14_NEST2_RATES = dict(zip(PD14_POPULATIONS, (0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523)))
PD14_REFERENCE_LABEL = "PD14 reference implementation (NEST 3, full scale)"
PD14_NEST2_LABEL = "PD14 NEST 2 example"


def meanfield_rates(fixed_point: dict, populations) -> np.ndarray:
    """Mean-field rates of ``populations`` (names) from a read_fixed_point() dict; KeyError names a missing one."""
    index = {p: i for i, p in enumerate(fixed_point["populations"])}
    missing = [p for p in populations if p not in index]
    if missing:
        raise KeyError(f"populations {missing[:5]} are not in the fixed point (has {len(index)} populations)")
    return np.asarray(fixed_point["rates"], float)[[index[p] for p in populations]]


def reference_rates(model: str, populations, fixed_point: dict | None = None) -> tuple[np.ndarray, str]:
    """(rates, label) of the reference of a model: published pd14 means, or the mam mean field."""
    if model == "pd14":
        unknown = [p for p in populations if p not in PD14_REFERENCE_RATES]
        if unknown:
            raise KeyError(f"no published pd14 rate for populations {unknown}")
        return np.array([PD14_REFERENCE_RATES[p] for p in populations]), PD14_REFERENCE_LABEL
    if model == "mam":
        if fixed_point is None:
            raise ValueError("the mam reference is the mean-field fixed point: pass fixed_point")
        return meanfield_rates(fixed_point, populations), "mean-field fixed point of the full-scale network"
    raise ValueError(f"model = {model!r}, expected 'pd14' or 'mam'")
