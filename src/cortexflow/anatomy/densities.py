"""Neuron densities ρ(A, layer) in neurons/mm³ for the 32 FV91 areas (Schmidt et al. 2018, Brain Struct
Funct 223:1409, section "Neuronal densities").

1. Calibrate NeuN to Nissl: ρ_Nissl = a·ρ_NeuN + b, a linear regression over the areas with both stains.
2. Map Barbas area names to FV91 (``SchemeTranslation.csv``; one name may cover several FV91 areas).
3. Four layers: ρ_23 = a·NeuN_23 + b, ρ_4 = a·NeuN_4 + b (0 where NeuN_4 = 0, i.e. TH),
   ρ_5 = ρ_6 = a·NeuN_56 + b; ρ_overall = the Nissl value where there is one, else a·NeuN_overall + b.
4. Areas without data get the arithmetic mean over the areas of their architectural type.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LAYER_KEYS = ("overall", "23", "4", "5", "6")


def neun_to_nissl_fit(neun: pd.DataFrame, nissl: dict[str, float]) -> dict:
    """Linear regression ρ_Nissl = slope·ρ_NeuN + intercept over areas present in both tables."""
    common = [a for a in neun.index if a in nissl]
    x = neun.loc[common, "overall"].to_numpy()
    y = np.array([nissl[a] for a in common])
    fit = stats.linregress(x, y)
    return {"slope": float(fit.slope), "intercept": float(fit.intercept), "r": float(fit.rvalue),
            "n": len(common), "areas": sorted(common)}


def _to_fv91(names, translation: dict[str, list[str]], areas) -> dict[str, str]:
    """{FV91 area: Barbas name} for every name that is a model area or has a translation."""
    out = {}
    for name in names:
        if name in areas:
            out[name] = name
        elif name in translation:
            for fv in translation[name]:
                out[fv] = name
    return out


def layer_densities(neun: pd.DataFrame, nissl: dict[str, float], translation: dict[str, list[str]],
                    fit: dict, areas) -> dict[str, dict[str, float]]:
    """ρ(A, layer) for the FV91 areas with NeuN data (upstream ``neuronal_density_data_FV91_4layers``).

    A NeuN area missing from both the model areas and the translation table is an error (upstream: KeyError).
    """
    unknown = [n for n in neun.index if n not in areas and n not in translation]
    if unknown:
        raise ValueError(f"NeuronalDensities_NeuN.csv: areas {unknown} are neither FV91 model areas nor in "
                         f"SchemeTranslation.csv")
    a, b = fit["slope"], fit["intercept"]
    calib = lambda v: a * v + b if v > 0 else 0.0  # noqa: E731  (density 0 stays 0: TH has no L4)
    nissl_fv91 = {fv: nissl[name] for fv, name in _to_fv91(nissl, translation, areas).items()}
    out = {}
    for fv, name in _to_fv91(neun.index, translation, areas).items():
        row = neun.loc[name]
        rho56 = calib(row["56"])
        out[fv] = {"overall": float(nissl_fv91.get(fv, a * row["overall"] + b)),
                   "23": float(calib(row["23"])), "4": float(calib(row["4"])),
                   "5": float(rho56), "6": float(rho56)}
    return out


def category_densities(data: dict[str, dict[str, float]], types: dict[str, int],
                       n_types: int = 8) -> dict[int, dict[str, float]]:
    """Mean density per architectural type and layer over the areas with data (NaN for a type without)."""
    out = {}
    for t in range(1, n_types + 1):
        members = [data[a] for a in sorted(data) if types[a] == t]
        out[t] = {k: float(np.mean([m[k] for m in members])) if members else float("nan") for k in LAYER_KEYS}
    return out


def complete_densities(data: dict[str, dict[str, float]], category: dict[int, dict[str, float]],
                       types: dict[str, int], areas) -> dict[str, dict[str, float]]:
    """ρ(A, layer) for every model area: its own data, else the average of its architectural type."""
    return {a: dict(data[a]) if a in data else dict(category[types[a]]) for a in areas}
