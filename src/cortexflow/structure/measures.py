"""Connectivity measures derived from a network file (Schmidt et al. 2018, Brain Struct Funct 223:1409,
section "Connectivity measures", Fig 6; community analysis, Fig 7).

Matrices are target × source, as in ``network.h5``.
"""
from __future__ import annotations

import numpy as np


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
