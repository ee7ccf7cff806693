"""Connectivity measures derived from a network file and the processed anatomy (Schmidt et al. 2018, Brain
Struct Funct 223:1409: indegrees by synapse type, Fig 3; binary connectivity and EDR data, Fig 4; laminar
patterns by SLN class, Fig 5; section "Connectivity measures", Fig 6; community analysis, Fig 7).

Matrices are target × source, as in ``network.h5``; ``processed`` is results/anatomy/processed.json as a dict.
"""
from __future__ import annotations

import numpy as np

from cortexflow.areas import POPULATIONS, population_of
from cortexflow.structure.corticocortical import SLN_FB, SLN_FF


def connection_probability(K: np.ndarray, N: np.ndarray) -> np.ndarray:
    """Probability that a (pre, post) pair of neurons is connected at least once, for random connections
    with multapses:

        C_ij = 1 − (1 − 1/(N_j N_i))^(K_ij N_i),   i target, j source,

    evaluated as −expm1(K_ij N_i · log1p(−1/(N_i N_j))) so that small probabilities keep their digits.
    ``K`` is n × n (no external column); pairs with an empty population get 0.
    """
    K = np.asarray(K, dtype=float)
    N = np.asarray(N, dtype=float)
    if K.shape != (N.size, N.size):
        raise ValueError(f"K has shape {K.shape}, expected {(N.size, N.size)} (drop the external column)")
    pairs = np.outer(N, N)
    with np.errstate(divide="ignore", invalid="ignore"):
        C = -np.expm1(K * N[:, None] * np.log1p(-1.0 / pairs))
    return np.where(pairs > 0, C, 0.0)


def area_synapses(synapses: np.ndarray, area_of_population: np.ndarray, n_areas: int) -> np.ndarray:
    """Σ of population-level synapse numbers (n × n or n × (n+1); the external column is dropped) per
    (target area, source area)."""
    syn = np.asarray(synapses, dtype=float)
    n = area_of_population.size
    syn = syn[:, :n]
    onehot = np.zeros((n, n_areas))
    onehot[np.arange(n), area_of_population] = 1.0
    return onehot.T @ syn @ onehot


def area_outdegrees(synapses: np.ndarray, N: np.ndarray, area_of_population: np.ndarray,
                    n_areas: int) -> np.ndarray:
    """Area-level outdegrees O(A ← B) = Σ synapses(A ← B) / N(B), target × source (upstream
    ``load_degree_data``)."""
    n_area = np.bincount(area_of_population, weights=N, minlength=n_areas)
    return area_synapses(synapses, area_of_population, n_areas) / n_area[None, :]


def relative_outdegrees(outdegrees: np.ndarray) -> np.ndarray:
    """Edge weights of the area graph of Fig 7: O(A ← B) / Σ_B' O(A ← B') (the sum includes B' = A), with
    the diagonal (intrinsic connections) set to 0, target × source (as upstream's Fig7 script)."""
    out = np.asarray(outdegrees, dtype=float)
    rel = out / out.sum(axis=1, keepdims=True)
    np.fill_diagonal(rel, 0.0)
    return rel


# --- per-area measures of a network (BSF18 Figs 3-5) ---------------------------------------------------------

def area_names(net) -> list[str]:
    """The network's areas in model order (network.h5 stores them as bytes)."""
    return [a.decode() if isinstance(a, bytes) else str(a) for a in net.extra["areas"]]


def area_neurons(net) -> np.ndarray:
    """Neurons per area: Σ N of its populations."""
    return np.bincount(net.extra["area_of_population"], weights=net.N, minlength=len(area_names(net)))


def indegrees_by_type(net) -> dict[str, np.ndarray]:
    """Average indegree per neuron of each area, by synapse type (BSF18 Fig 3): type I (intrinsic, within
    the 1 mm² model area), type III (cortico-cortical), external (Poisson) and, contained in the external
    part, type II (from the rest of the real area, replaced by external input)."""
    n_area = area_neurons(net)
    return {k: net.extra[f"synapses_{name}"] / n_area for k, name in
            (("I", "type_I"), ("II", "type_II"), ("III", "type_III"), ("ext", "external"))}


def edr_points(processed: dict, net) -> tuple[np.ndarray, np.ndarray]:
    """(distance in mm, FLN) of the model-area pairs with Markov FLN > 0: the data of the EDR fit."""
    areas = area_names(net)
    index = {a: i for i, a in enumerate(areas)}
    fln = processed["FLN_Data_FV91"]
    d, v = [], []
    for t in areas:
        for s, value in sorted(fln.get(t, {}).items()):
            if s in index and s != t and value:
                d.append(net.extra["distances"][index[t], index[s]])
                v.append(value)
    return np.array(d), np.array(v)


CONNECTION_CLASSES = ("CoCoMac and Markov", "CoCoMac only", "Markov only")


def connection_classes(processed: dict, cocomac_raw: dict, areas) -> np.ndarray:
    """Target × source class of each connection of the model's binary connectivity (``cocomac_completed``):
    1 = in CoCoMac and in the Markov FLN data, 2 = CoCoMac only, 3 = Markov only; 0 = no connection.
    ``cocomac_raw``: {source: targets} of the raw CoCoMac query (readers.read_cocomac, or its pairs)."""
    completed = processed["cocomac_completed"]
    fln = processed["FLN_Data_FV91"]
    out = np.zeros((len(areas), len(areas)), dtype=int)
    for i, t in enumerate(areas):
        for j, s in enumerate(areas):
            if s == t or s not in completed[t]:
                continue
            in_cocomac = t in cocomac_raw.get(s, {})
            in_markov = fln.get(t, {}).get(s, 0.0) > 0
            out[i, j] = 1 if in_cocomac and in_markov else 2 if in_cocomac else 3
    return out


# SLN classes of a connection (the thresholds of corticocortical.hierarchy_class): name, label, test
SLN_CLASSES = (("FB", f"SLN < {SLN_FB}", lambda s: s < SLN_FB),
               ("lateral", rf"{SLN_FB} $\leq$ SLN $\leq$ {SLN_FF}", lambda s: SLN_FB <= s <= SLN_FF),
               ("FF", f"SLN > {SLN_FF}", lambda s: s > SLN_FF))


def target_layer_counts(processed: dict) -> np.ndarray:
    """3 × 6 counts of labelled target layers (1-6) in the CoCoMac target patterns of the connections with
    SLN data (rows: the SLN_CLASSES FB, lateral, FF), as upstream's Fig 5B."""
    sln = processed["SLN_Data_FV91"]
    coco = processed["cocomac_completed"]
    counts = np.zeros((3, 6), dtype=int)
    for t, row in sln.items():
        for s, value in row.items():
            tp = coco.get(t, {}).get(s, {}).get("target_pattern")
            if not tp:
                continue
            for k, (_, _, test) in enumerate(SLN_CLASSES):
                if test(value):
                    counts[k] += np.array(tp) > 0
    return counts


def laminar_patterns(net, processed: dict) -> dict[str, np.ndarray]:
    """Mean over area pairs of the normalised population-level indegrees K(A,i ← B,j)/Σ K(A ← B), 8 × 8
    (missing TH layer 4 as 0), for the feedback, lateral and feedforward pairs of SLN_completed."""
    areas = area_names(net)
    ap = net.extra["area_of_population"]
    pops = [population_of(p) for p in net.populations]
    sln = processed["SLN_completed"]
    acc = {name: [] for name, *_ in SLN_CLASSES}
    rows_of = [np.flatnonzero(ap == a) for a in range(len(areas))]
    for ti, t in enumerate(areas):
        for si, s in enumerate(areas):
            if s == t or s not in sln[t]:
                continue
            block = net.K[np.ix_(rows_of[ti], rows_of[si])]
            if block.sum() <= 0:
                continue
            full = np.zeros((8, 8))
            full[np.ix_([POPULATIONS.index(pops[r]) for r in rows_of[ti]],
                        [POPULATIONS.index(pops[c]) for c in rows_of[si]])] = block / block.sum()
            for name, _, test in SLN_CLASSES:
                if test(sln[t][s]):
                    acc[name].append(full)
    return {name: np.mean(v, axis=0) if v else np.zeros((8, 8)) for name, v in acc.items()}
