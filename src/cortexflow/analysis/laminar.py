# SPDX-License-Identifier: GPL-3.0-or-later
"""Laminar patterns of the cortico-cortical interactions (Schmidt et al. 2018 PLoS CB, Fig 9; upstream
``Fig9_significant_channels.py`` and ``Fig9_path_analysis.py``).

Each ordered area pair (source s, target t) is classed by the architectural types (1-8, Hilgetag et al. 2016;
higher = more granular, V1 = 8) as upstream ``structural_gradient``: "HL" if type(t) < type(s) (from a higher
to a lower type: feedforward-like), "LH" if type(t) > type(s), "HZ" if equal, and "same-area".

* **Significant channels** (top row of Fig 9): the significant conditional-Granger pairs (granger.csv,
  rule granger_causality) counted per (source population, target population) and class: an 8 x 8 matrix per
  class (target layer x source layer), next to the number of tested pairs of that channel.
* **Path analysis** (bottom row): the gain matrix with absolute weights at the simulated rates,
      G_ij = 1e-3 tau_m (S_i K_ij |J_ij| + T_i K_ij J_ij^2)     (S = dnu/dmu, T = dnu/dsigma^2 at the rates),
  divided by its largest real eigenvalue, is a weighted directed graph with edge length log10(1/G_ij); for
  every area pair (t != s) the population pair (s_p, t_p) with the shortest path from s_p to t_p is counted per
  class, as is the number of stages of that path. Paths with negative lengths (G_ij > 1) are allowed; the graph
  must have no negative cycle (checked).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

CLASSES = ("HL", "LH", "HZ", "same-area")
LAYER_POPS = ("23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I")


def gradient_class(target_area: str, source_area: str, types: dict) -> str:
    if target_area == source_area:
        return "same-area"
    t, s = types[target_area], types[source_area]
    return "HL" if t < s else ("LH" if t > s else "HZ")


def _split(label: str) -> tuple[str, str]:
    area, pop = label.rsplit("-", 1)
    return area, pop


def significant_channels(granger: pd.DataFrame, types: dict) -> dict:
    """{class: {"significant": 8x8 counts (target pop x source pop), "tested": 8x8 counts}} from granger.csv rows
    (target, source, significant); rows with NaN gc count as tested but not significant."""
    idx = {p: i for i, p in enumerate(LAYER_POPS)}
    out = {c: {"significant": np.zeros((8, 8), int), "tested": np.zeros((8, 8), int)} for c in CLASSES}
    ta, tp = zip(*(_split(x) for x in granger["target"])) if len(granger) else ((), ())
    sa, sp = zip(*(_split(x) for x in granger["source"])) if len(granger) else ((), ())
    sig = granger["significant"].astype(bool).to_numpy()
    for k in range(len(granger)):
        c = gradient_class(ta[k], sa[k], types)
        i, j = idx[tp[k]], idx[sp[k]]
        out[c]["tested"][i, j] += 1
        out[c]["significant"][i, j] += int(sig[k])
    return out


def absolute_gain(net, rates, method: str = "finite_difference") -> np.ndarray:
    """G_ij = 1e-3 tau_m (S_i K_ij |J_ij| + T_i K_ij J_ij^2) of a network.h5 ``net`` at ``rates``."""
    from cortexflow.theory.fixedpoint import derivatives
    from cortexflow.theory.inputs import from_network
    mf = from_network(net)
    S, T = derivatives(mf, np.asarray(rates, float), method)
    return S[:, None] * np.abs(mf.KJ) + T[:, None] * mf.KJ2


def shortest_paths(G: np.ndarray):
    """All-pairs shortest paths of the graph with edge j -> i of length log10(1/G_ij) for G_ij > 0 (G divided by
    its largest real eigenvalue first). Returns (lengths[i, j] from j to i, predecessors[j, i]) of scipy's
    Johnson algorithm (negative lengths allowed, negative cycles raise)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import NegativeCycleError, shortest_path

    lam = np.max(np.linalg.eigvals(G).real)
    W = G / lam
    src, tgt = np.nonzero(W.T > 0)          # edge source -> target: W[target, source]
    length = np.log10(1.0 / W.T[src, tgt])
    graph = csr_matrix((length + 0.0, (src, tgt)), shape=G.shape)
    # csgraph drops explicit zeros: shift exact-zero lengths by a tiny amount (a length-0 edge is an edge)
    graph.data[graph.data == 0.0] = 1e-300
    try:
        dist, pred = shortest_path(graph, method="J", directed=True, return_predecessors=True)
    except NegativeCycleError as err:
        raise ValueError("path analysis: the relative gain graph has a negative cycle (G/lambda_max > 1 loop)") from err
    return dist.T, pred


def path_of(pred: np.ndarray, source: int, target: int) -> list[int]:
    path = [target]
    while path[-1] != source:
        p = pred[source, path[-1]]
        if p < 0:
            return []
        path.append(int(p))
    return path[::-1]


def path_channels(G: np.ndarray, populations, types: dict) -> dict:
    """{class: {"pairs": 8x8 counts (target pop x source pop) of the shortest population pair per area pair,
    "stages": list of path lengths in populations}} over all ordered area pairs t != s."""
    dist, pred = shortest_paths(G)
    areas = list(dict.fromkeys(_split(p)[0] for p in populations))
    members = {a: [i for i, p in enumerate(populations) if _split(p)[0] == a] for a in areas}
    idx = {p: i for i, p in enumerate(LAYER_POPS)}
    out = {c: {"pairs": np.zeros((8, 8), int), "stages": []} for c in CLASSES if c != "same-area"}
    for t in areas:
        for s in areas:
            if s == t:
                continue
            sub = dist[np.ix_(members[t], members[s])]
            if not np.isfinite(sub).any():
                continue
            i, j = np.unravel_index(np.argmin(sub), sub.shape)
            ti, si = members[t][i], members[s][j]
            c = gradient_class(t, s, types)
            out[c]["pairs"][idx[_split(populations[ti])[1]], idx[_split(populations[si])[1]]] += 1
            out[c]["stages"].append(len(path_of(pred, si, ti)))
    return out


def write_laminar(path, channels: dict, paths: dict | None, meta: dict) -> None:
    """stats/laminar_interactions.h5: per class a group with ``significant``, ``tested`` (8 x 8, target x source
    population) and, with the path analysis, ``path_pairs`` (8 x 8) and ``path_stages``; ``populations`` (the 8
    layer populations); attributes from ``meta``."""
    import json
    import os
    from pathlib import Path

    import h5py

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(tmp, "w") as f:
        f.create_dataset("populations", data=np.array(LAYER_POPS, dtype=h5py.string_dtype()))
        for c in CLASSES:
            g = f.create_group(c)
            g.create_dataset("significant", data=channels[c]["significant"])
            g.create_dataset("tested", data=channels[c]["tested"])
            if paths is not None and c in paths:
                g.create_dataset("path_pairs", data=paths[c]["pairs"])
                g.create_dataset("path_stages", data=np.asarray(paths[c]["stages"], int))
        f.attrs["meta"] = json.dumps(meta, sort_keys=True, default=str)
    os.replace(tmp, path)


def read_laminar(path) -> dict:
    import json

    import h5py
    with h5py.File(path, "r") as f:
        out = {c: {k: f[c][k][()] for k in f[c]} for c in CLASSES if c in f}
        out["meta"] = json.loads(f.attrs["meta"])
    return out
