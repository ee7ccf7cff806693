"""Community structure of the area graph (Schmidt et al. 2018, Brain Struct Funct 223:1409, Fig 7).

Upstream clusters the directed, weighted area graph (weights: relative outdegrees, see
:func:`cortexflow.structure.measures.relative_outdegrees`) with the map equation (the Infomap binary) and
tests it against 1000 null models that shuffle each source's outgoing weights over the other targets.
Here the partition maximises the directed modularity (Leicht & Newman 2008)

    Q = 1/m Σ_ij (w_ij − k_i^out k_j^in / m) δ(c_i, c_j),   m = Σ_ij w_ij,

with networkx's Louvain method (seeded, so deterministic) or Clauset–Newman–Moore greedy agglomeration
(deterministic without a seed); no external binary is needed. Communities are numbered by their first
area in model order.
"""
from __future__ import annotations

import networkx as nx
import numpy as np

METHODS = ("louvain", "greedy")


def area_graph(weights: np.ndarray, areas) -> nx.DiGraph:
    """Directed graph with an edge source → target for every weight[target, source] > 0."""
    weights = np.asarray(weights, dtype=float)
    g = nx.DiGraph()
    g.add_nodes_from(areas)
    for t, s in zip(*np.nonzero(weights)):
        if t != s:
            g.add_edge(areas[s], areas[t], weight=float(weights[t, s]))
    return g


def _labels(communities, areas) -> np.ndarray:
    """Community index per area; communities are ordered by their first area in ``areas``."""
    index = {a: i for i, a in enumerate(areas)}
    ordered = sorted((sorted(index[a] for a in c) for c in communities), key=lambda c: c[0])
    labels = np.empty(len(areas), dtype=int)
    for k, members in enumerate(ordered):
        labels[members] = k
    return labels


def detect_communities(weights: np.ndarray, areas, method: str = "louvain", seed: int = 1,
                       resolution: float = 1.0) -> np.ndarray:
    """Community label (0, 1, ...) of each area of the directed graph with ``weights`` (target × source)."""
    areas = list(areas)
    if method not in METHODS:
        raise ValueError(f"community method {method!r} is not one of {METHODS}")
    if resolution <= 0:
        raise ValueError(f"community resolution {resolution!r} must be positive")
    g = area_graph(weights, areas)
    if method == "louvain":
        comms = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    else:
        comms = nx.community.greedy_modularity_communities(g, weight="weight", resolution=resolution)
    return _labels(comms, areas)


def modularity(weights: np.ndarray, labels: np.ndarray) -> float:
    """Directed weighted modularity Q of a partition (formula in the module docstring)."""
    w = np.array(weights, dtype=float)
    np.fill_diagonal(w, 0.0)
    m = w.sum()
    k_in, k_out = w.sum(axis=1), w.sum(axis=0)  # w is target x source
    same = labels[:, None] == labels[None, :]
    return float(np.sum((w - np.outer(k_in, k_out) / m)[same]) / m)


def shuffled_weights(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Null model of upstream's Fig 7: each source's off-diagonal outgoing weights permuted over the other
    targets (keeps every area's out-strength and the weight distribution)."""
    w = np.array(weights, dtype=float)
    n = w.shape[0]
    for j in range(n):
        rows = np.flatnonzero(np.arange(n) != j)
        w[rows, j] = w[rng.permutation(rows), j]
    return w


def null_modularities(weights: np.ndarray, areas, n_null: int, seed: int, method: str = "louvain",
                      resolution: float = 1.0) -> np.ndarray:
    """Modularity of the detected partition in ``n_null`` shuffled graphs (seeded: deterministic)."""
    rng = np.random.default_rng(seed)
    out = np.empty(n_null)
    for k in range(n_null):
        w = shuffled_weights(weights, rng)
        out[k] = modularity(w, detect_communities(w, areas, method, seed, resolution))
    return out
