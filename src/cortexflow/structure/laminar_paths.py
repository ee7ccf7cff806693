# SPDX-License-Identifier: GPL-3.0-or-later
"""Shortest laminar paths between areas (Schmidt et al. 2018 Brain Struct Funct 223:1409, Fig. 8;
upstream ``figures/Schmidt2018/Fig8_laminar_paths.py``).

The population graph has an edge j -> i with weight w_ij = K_ij |J_ij| / lambda_1, the gain of the
connection relative to the largest real eigenvalue lambda_1 of K|J| (|J_I| = |g| J_E with upstream's
g = -4 by default), and the distance d_ij = log10(1 / w_ij) (possibly negative: Johnson's algorithm,
scipy.sparse.csgraph). For every ordered pair of areas (S -> T) the shortest path from any population of S
to any population of T is taken; its end points give the laminar pattern of the pair, the populations it
passes through inside intermediate areas its indirect pattern ("5E", "23E+5E", ...). Pairs are classified
by SLN (FF: SLN > 0.65, FB: < 0.35, lateral otherwise; SLN_completed of the processed anatomy) and by the
architectural types (HL: target type < source type, LH: >, HZ: equal). Area MDP, which receives no
cortico-cortical input in the model, is no target (as upstream).
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

POPS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
CLASSES = {"sln": ("FF", "lateral", "FB"), "architecture": ("HL", "HZ", "LH")}


def gain_weights(K, W, populations, g_net: float, g: float = -4.0) -> np.ndarray:
    """w = K |J| / lambda_1 (target x source) with inhibitory weights rescaled from g_net to g."""
    inh = np.array([p.endswith("I") for p in populations])
    A = np.asarray(K, float) * np.abs(np.asarray(W, float))
    A[:, inh] *= abs(g) / abs(g_net)
    lam = float(np.max(np.linalg.eigvals(A).real))
    return A / lam


def _path(pred, s, t):
    out = [t]
    while out[-1] != s:
        p = pred[s, out[-1]]
        if p < 0:
            return []
        out.append(p)
    return out[::-1]


def sln_class(sln: float | None, thresh=(0.35, 0.65)) -> str | None:
    if sln is None:
        return None
    return "FF" if sln > thresh[1] else "FB" if sln < thresh[0] else "lateral"


def arch_class(target_type: float, source_type: float) -> str:
    return "HL" if target_type < source_type else "LH" if target_type > source_type else "HZ"


def laminar_paths(K, W, populations, sln: dict, arch: dict, g_net: float, g: float = -4.0,
                  excluded_targets=("MDP",)) -> dict:
    """Shortest area-to-area paths and their classification (module docstring).

    ``sln[target][source]``: SLN of the connection target <- source; ``arch[area]``: architectural type.
    Returns per class: 'endpoints' (8 x 8 counts, source pop x target pop), 'indirect' (Counter of
    intermediate patterns), 'stages' (list of path lengths in populations), 'n' (pairs); and 'pairs'
    (list of dicts, one per area pair: source, target, path, length, sln_class, arch_class)."""
    pops = list(populations)
    area = np.array([p.rsplit("-", 1)[0] for p in pops])
    areas = list(dict.fromkeys(area))
    w = gain_weights(K, W, pops, g_net, g)
    np.fill_diagonal(w, 0.0)   # self-connections never shorten a path
    t_idx, s_idx = np.nonzero(w > 0)
    # graph[u, v] = distance of edge u -> v (source -> target)
    graph = csr_matrix((np.log10(1.0 / w[t_idx, s_idx]), (s_idx, t_idx)), shape=(len(pops), len(pops)))
    dist, pred = shortest_path(graph, method="J", directed=True, return_predecessors=True)
    pairs = []
    for S in areas:
        si = np.flatnonzero(area == S)
        for T in areas:
            if T == S or T in excluded_targets:
                continue
            ti = np.flatnonzero(area == T)
            sub = dist[np.ix_(si, ti)]
            if not np.isfinite(sub).any():
                continue
            a, b = np.unravel_index(np.argmin(sub), sub.shape)
            path = _path(pred, si[a], ti[b])
            s_val = sln.get(T, {}).get(S)
            pairs.append({"source": S, "target": T, "path": [pops[k] for k in path], "length": float(sub[a, b]),
                          "sln_class": sln_class(s_val), "arch_class": arch_class(arch[T], arch[S])})
    out = {"pairs": pairs, "areas": areas}
    for key, classes in (("sln_class", CLASSES["sln"]), ("arch_class", CLASSES["architecture"])):
        for c in classes:
            sel = [p for p in pairs if p[key] == c]
            ep = np.zeros((8, 8), int)
            indirect: Counter = Counter()
            for p in sel:
                ep[POPS.index(p["path"][0].rsplit("-", 1)[1]), POPS.index(p["path"][-1].rsplit("-", 1)[1])] += 1
                indirect.update(indirect_patterns(p["path"]))
            out[c] = {"endpoints": ep, "indirect": indirect, "stages": [len(p["path"]) for p in sel], "n": len(sel)}
    return out


def indirect_patterns(path) -> list[str]:
    """The populations a path visits inside each intermediate area, joined by '+' (upstream's patterns):
    V1-5E, V2-23E, V2-5E, V4-4E -> ['23E+5E']."""
    groups: list[tuple[str, list[str]]] = []
    for p in path:
        a, pop = p.rsplit("-", 1)
        if groups and groups[-1][0] == a:
            groups[-1][1].append(pop)
        else:
            groups.append((a, [pop]))
    return ["+".join(g[1]) for g in groups[1:-1]]


def to_json(out: dict) -> dict:
    """JSON-ready form of ``laminar_paths`` (``laminar_paths.json``)."""
    res = {"areas": out["areas"], "populations": POPS, "pairs": out["pairs"], "classes": {}}
    for classes in CLASSES.values():
        for c in classes:
            d = out[c]
            res["classes"][c] = {"n": d["n"], "endpoints": d["endpoints"].tolist(), "stages": d["stages"],
                                 "indirect": dict(sorted(d["indirect"].items(), key=lambda kv: (-kv[1], kv[0])))}
    return res
