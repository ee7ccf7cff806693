"""Community structure of the area graph (Schmidt et al. 2018, Brain Struct Funct 223:1409, Fig 7).

Upstream clusters the directed, weighted area graph (weights: relative outdegrees, see
:func:`cortexflow.structure.measures.relative_outdegrees`) with the map equation (the Infomap binary) and
tests it against 1000 null models that shuffle each source's outgoing weights over the other targets.
Here the partition maximises the directed modularity (Leicht & Newman 2008)

    Q = 1/m Σ_ij (w_ij − k_i^out k_j^in / m) δ(c_i, c_j),   m = Σ_ij w_ij,

with networkx's Louvain method (seeded, so deterministic) or Clauset–Newman–Moore greedy agglomeration
(deterministic without a seed). ``method: infomap`` is the paper's method: the map equation (Rosvall &
Bergstrom 2008) of the directed, weighted graph, two-level, with the ``infomap`` package's seeded API
(``Infomap(directed=True, two_level=True, seed=..., num_trials=...)``; upstream ran the Infomap binary with
``--directed``). Communities are numbered by their first area in model order.
"""
from __future__ import annotations

import networkx as nx
import numpy as np

METHODS = ("infomap", "louvain", "greedy")
INFOMAP_TRIALS = 10   # independent Infomap runs; the best (shortest description length) is kept


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
    if method == "infomap":
        return _labels([[areas[i] for i in c] for c in infomap_communities(weights, seed)], areas)
    g = area_graph(weights, areas)
    if method == "louvain":
        comms = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    else:
        comms = nx.community.greedy_modularity_communities(g, weight="weight", resolution=resolution)
    return _labels(comms, areas)


def infomap_communities(weights: np.ndarray, seed: int = 1, trials: int = INFOMAP_TRIALS) -> list[list[int]]:
    """Two-level map-equation modules of the directed graph with ``weights`` (target x source), as lists of
    node indices; seeded, so the same weights give the same modules."""
    from infomap import Infomap

    w = np.asarray(weights, dtype=float)
    im = Infomap(directed=True, two_level=True, seed=int(seed), num_trials=int(trials), silent=True)
    im.add_nodes(range(w.shape[0]))
    for t, s in zip(*np.nonzero(w)):
        if t != s:
            im.add_link(int(s), int(t), float(w[t, s]))
    im.run()
    modules: dict[int, list[int]] = {}
    for node, module in im.get_modules().items():
        modules.setdefault(module, []).append(node)
    return list(modules.values())


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
