"""Total and laminar cortical thicknesses (Schmidt et al. 2018, Brain Struct Funct 223:1409, section
"Laminar thicknesses").

Total thickness D(A) in µm: Barbas-lab values where available, else the regression
    D = intercept + slope·log10(ρ_overall(A))
fitted over the areas with data.

Relative laminar thickness f_l(A) = d_l/D per study (a layer reported as 0 counts as 0 even without a
total), averaged over the studies of an area (NaN ignored). Only layers 1, 2/3, 4, 5, 6 are used. Missing
f_1, f_23, f_5, f_6 are the mean over the model areas with data; a missing f_4 comes from the regression
    f_4 = intercept4 + slope4·log10(ρ_overall(A)).
The fractions are normalised to sum 1 and D(A, l) = 10⁻³·f_l/Σf·D(A) in mm.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LAYERS = ("1", "23", "4", "5", "6")


def _linfit(x, y) -> dict:
    fit = stats.linregress(x, y)
    return {"slope": float(fit.slope), "intercept": float(fit.intercept), "r": float(fit.rvalue), "n": len(x)}


def total_thicknesses(data_um: dict[str, float], rho_overall: dict[str, float], areas) -> tuple[dict, dict]:
    """({area: D in µm}, fit) with the regression D ~ log10 ρ_overall filling areas without data."""
    with_data = [a for a in areas if a in data_um]
    fit = _linfit(np.log10([rho_overall[a] for a in with_data]), [data_um[a] for a in with_data])
    fit["areas"] = with_data
    out = {a: float(data_um[a]) if a in data_um else
           fit["intercept"] + fit["slope"] * float(np.log10(rho_overall[a])) for a in areas}
    return out, fit


def relative_thicknesses_from_studies(table: pd.DataFrame, areas) -> dict[str, dict[str, float]]:
    """Mean over studies of d_l/D per area and layer (NaN where no study reports it)."""
    out = {}
    for a in areas:
        rows = table[table["area"] == a]
        total = rows["total"].to_numpy(dtype=float)
        out[a] = {}
        for layer in LAYERS:
            d = rows[layer].to_numpy(dtype=float)
            frac = np.where(d == 0, 0.0, d / total)
            frac = frac[np.isfinite(frac)]
            out[a][layer] = float(frac.mean()) if frac.size else float("nan")
    return out


def laminar_thicknesses(table: pd.DataFrame, total_um: dict[str, float], rho_overall: dict[str, float],
                        areas) -> tuple[dict[str, dict[str, float]], dict]:
    """({area: {layer: thickness in mm}}, fits) following the module docstring."""
    rel = relative_thicknesses_from_studies(table, areas)
    means = {}
    for layer in ("1", "23", "5", "6"):
        vals = np.array([rel[a][layer] for a in areas])
        means[layer] = float(vals[np.isfinite(vals)].mean())
    have4 = [a for a in areas if np.isfinite(rel[a]["4"])]
    fit4 = _linfit(np.log10([rho_overall[a] for a in have4]), [rel[a]["4"] for a in have4])
    fit4["areas"] = have4
    out = {}
    for a in areas:
        f = dict(rel[a])
        for layer, m in means.items():
            if not np.isfinite(f[layer]):
                f[layer] = m
        if not np.isfinite(f["4"]):
            f["4"] = fit4["intercept"] + fit4["slope"] * float(np.log10(rho_overall[a]))
        norm = sum(f.values())
        out[a] = {layer: 1e-3 * f[layer] * total_um[a] / norm for layer in LAYERS}
    return out, {"l4_fraction": fit4, "mean_relative_thickness": means}
