# SPDX-License-Identifier: GPL-3.0-or-later
"""Functional connectivity across the cortico-cortical weight factor chi (Schmidt et al. 2018 PLoS CB, Fig 8:
the similarity of the simulated FC to the experimental fMRI FC peaks in the metastable regime, chi ~ 1.9).

Per simulation of the sweep, from its stats/fc_communities.json (rule area_signals): the Pearson r of the
off-diagonal FC of the synaptic input and of the BOLD signal with the experimental FC (NaN when the run is too
short for BOLD), and the agreement of the Louvain communities of the simulated (synaptic-input) FC with those of
the experimental FC as the adjusted Rand index

    ARI = (sum_ij C(n_ij, 2) - E) / (0.5 (sum_i C(a_i, 2) + sum_j C(b_j, 2)) - E),
    E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2)      (Hubert & Arabie 1985; n_ij: contingency table).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd


def _c2(x):
    x = np.asarray(x, float)
    return x * (x - 1) / 2.0


def adjusted_rand(a, b) -> float:
    """ARI of two labelings of the same items (1 for identical partitions up to relabelling, ~0 for chance)."""
    a, b = np.asarray(a), np.asarray(b)
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    sum_ij = _c2(table).sum()
    sa, sb = _c2(table.sum(1)).sum(), _c2(table.sum(0)).sum()
    expected = sa * sb / _c2(a.size)
    top = 0.5 * (sa + sb) - expected
    return float((sum_ij - expected) / top) if top > 0 else 1.0


# PCB18's chosen cortico-cortical weight factor (Fig 8 A-C and the alluvial are drawn for it)
PCB18_CHI = 1.9


def closest_chi(chis, target: float = PCB18_CHI) -> int:
    """Index of the chi closest to ``target`` (the first of equally close ones)."""
    return int(np.argmin(np.abs(np.asarray(chis, float) - target)))


def best_chi(table) -> int:
    """Row of the sweep table whose FC of synaptic input agrees best with the experimental FC (largest r; PCB18
    chose chi = 1.9 that way at full scale; down-scaled, the best chi moves: docs/figures.md)."""
    r = np.asarray(table["r_synaptic"], float)
    return int(np.nanargmax(r)) if np.isfinite(r).any() else 0


def partition_agreement(partitions: dict, areas=None) -> dict:
    """ARI of every pair of the named partitions (name -> {area: community}) on their common areas (default
    order: sorted), keyed "a_vs_b" in the order of ``partitions``; with "n_areas" (the areas compared)."""
    names = list(partitions)
    common = set.intersection(*(set(partitions[k]) for k in names)) if names else set()
    areas = [a for a in (areas if areas is not None else sorted(common)) if a in common]
    out = {f"{a}_vs_{b}": adjusted_rand([partitions[a][x] for x in areas], [partitions[b][x] for x in areas])
           for i, a in enumerate(names) for b in names[i + 1:]}
    out["n_areas"] = len(areas)
    return out


def sweep_table(paths, chis, names, structure: dict | None = None) -> pd.DataFrame:
    """One row per run: simulation, chi, r_synaptic, r_bold, ari_communities, n_communities (simulated), and
    with ``structure`` (area -> structural community) ari_structure: ARI of the simulated and the structural
    communities on their common areas."""
    rows = []
    for path, chi, name in zip(paths, chis, names):
        with open(path) as f:
            d = json.load(f)
        sim = d["communities"]["synaptic_input"]
        exp = d["communities"]["experimental"]
        areas = sorted(set(sim) & set(exp))
        sim_l = [sim[a] for a in areas]
        row = {"simulation": name, "chi": float(chi),
               "r_synaptic": float(d["similarity"].get("synaptic_input_vs_experimental", np.nan)),
               "r_bold": float(d["similarity"].get("bold_vs_experimental", np.nan) or np.nan),
               "ari_communities": adjusted_rand(sim_l, [exp[a] for a in areas]),
               "n_communities": len(set(sim_l))}
        if structure is not None:
            row["ari_structure"] = partition_agreement({"s": sim, "t": structure})["s_vs_t"]
        rows.append(row)
    return pd.DataFrame(rows).sort_values("chi").reset_index(drop=True)
