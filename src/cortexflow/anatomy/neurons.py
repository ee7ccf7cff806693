"""Full-size neuron numbers per population (Schmidt et al. 2018, Brain Struct Funct 223:1409, Eq. 1):

    N_E(A, l) = S(A)·D(A, l)·ρ(A, l)·r_l,      N_I(A, l) = N_E(A, l)·(1 − r_l)/r_l,

with S the surface (mm²), D the laminar thickness (mm), ρ the density (neurons/mm³) and r_l the fraction
of excitatory neurons in layer l of the Potjans & Diesmann (2014) microcircuit, taken to hold in every area.
"""
from __future__ import annotations

PD14_LAYERS = ("23", "4", "5", "6")


def ei_ratios(numbers_v1: dict[str, dict[str, float]]) -> dict[str, float]:
    """r_l = N_E/(N_E + N_I) of the PD14 populations (``Numbers_V1.csv``)."""
    out = {}
    for layer in PD14_LAYERS:
        n_e, n_i = numbers_v1[f"{layer}E"]["neurons"], numbers_v1[f"{layer}I"]["neurons"]
        out[layer] = n_e / (n_e + n_i)
    return out


def neuron_numbers(surfaces: dict[str, float], laminar_mm: dict[str, dict[str, float]],
                   densities: dict[str, dict[str, float]], ei: dict[str, float], areas) -> dict:
    """{area: {'23E', '23I', ..., '6I', 'total'}} for full-size areas (upstream ``realistic_neuronal_numbers``)."""
    out = {}
    for a in areas:
        pops = {}
        for layer in PD14_LAYERS:
            n_e = surfaces[a] * laminar_mm[a][layer] * densities[a][layer] * ei[layer]
            pops[f"{layer}E"] = n_e
            pops[f"{layer}I"] = n_e * (1.0 - ei[layer]) / ei[layer]
        pops["total"] = sum(pops.values())
        out[a] = pops
    return out
