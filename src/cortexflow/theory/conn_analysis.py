# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the S17 stabilisation changed the connectivity (Schuecker, Schmidt et al. 2017 PLoS CB Fig. 8;
upstream ``figures/SchueckerSchmidt2017/Fig8_conn_analysis.py``), from the data K0 and the stabilised K
(n x n, target x source) and the population sizes N.

* Population level: for each area A the 8 x 8 intra-area change pattern
      P_A[i, j] = (K_ij - K0_ij) / sum_k K0_ik      (i, j populations of A; normalised by the total
                                                    recurrent indegree of the target population, upstream),
  missing populations (TH 4E/4I) as 0. Areas are clustered by the correlation distance 1 - r of their
  flattened patterns, complete linkage (scipy.cluster.hierarchy), flat clusters at distance ``threshold``
  (upstream 0.7).
* Area-pair level: the relative change of the area-level indegrees
      R_AB = (K_AB - K0_AB) / K0_AB,   K_AB = sum_{i in A, j in B} N_i K_ij / sum_{i in A} N_i,
  with target areas and source areas ordered by the dendrograms of complete-linkage clustering of the rows
  and the columns of R (Euclidean distance).
* Per source population: mean over areas of the relative intra-area change sum dK / sum K0 (upstream
  panel A, bars); FLN of every area pair before and after (K_AB / sum_B' K_AB'); SLN before and after
  (share of 23E among 23E + 5E + 6E sources, N-weighted), for pairs with connections.
* Architectural types (upstream panel B, bars): the type of each area in the order of ``areas``, so that the
  figure can show that the clusters of change patterns separate the areas by architecture (S17: the early,
  high-type visual areas V1, V2, V3, VP, V4 form their own cluster).
"""
from __future__ import annotations

import numpy as np
from scipy.cluster import hierarchy as sch
from scipy.spatial.distance import pdist, squareform

POPS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]


def _split(populations):
    area = np.array([p.rsplit("-", 1)[0] for p in populations])
    pop = np.array([p.rsplit("-", 1)[1] for p in populations])
    areas = list(dict.fromkeys(area))
    return area, pop, areas


def intra_patterns(K0, K, populations) -> np.ndarray:
    """(areas, 64) flattened intra-area change patterns P_A (module docstring)."""
    area, pop, areas = _split(populations)
    tot = K0.sum(axis=1)
    dK = (K - K0) / np.where(tot > 0, tot, 1.0)[:, None]
    out = np.zeros((len(areas), 8, 8))
    for a, name in enumerate(areas):
        idx = np.flatnonzero(area == name)
        li = [POPS.index(p) for p in pop[idx]]
        out[a][np.ix_(li, li)] = dK[np.ix_(idx, idx)]
    return out.reshape(len(areas), 64)


def area_level(K, N, populations) -> np.ndarray:
    """Area-level indegrees K_AB = sum_{i in A, j in B} N_i K_ij / sum_{i in A} N_i (areas x areas)."""
    area, _, areas = _split(populations)
    P = (area[None, :] == np.array(areas)[:, None]).astype(float)
    return (P @ (K * N[:, None]) @ P.T) / (P @ N)[:, None]


def analyse(K0, K, N, populations, threshold: float = 0.7, types: dict | None = None) -> dict:
    """Arrays of ``connectivity_analysis.h5`` (module docstring); ``types``: architectural type per area
    (processed anatomy ``architecture_completed``), stored as ``architectural_types`` (0 where absent)."""
    K0, K, N = np.asarray(K0, float), np.asarray(K, float), np.asarray(N, float)
    area, pop, areas = _split(populations)
    patterns = intra_patterns(K0, K, populations)
    with np.errstate(invalid="ignore", divide="ignore"):
        D = np.clip(np.nan_to_num(pdist(patterns, metric="correlation"), nan=1.0), 0.0, 2.0)  # flat: r = 0
    Z_pop = sch.linkage(D, method="complete")
    clusters = sch.fcluster(Z_pop, threshold, criterion="distance")
    order_pop = sch.leaves_list(Z_pop)
    A0, A1 = area_level(K0, N, populations), area_level(K, N, populations)
    R = np.where(A0 > 0, (A1 - A0) / np.where(A0 > 0, A0, 1.0), 0.0)
    np.fill_diagonal(R, np.where(np.diag(A0) > 0, (np.diag(A1) - np.diag(A0)) / np.diag(A0), 0.0))
    Z_t = sch.linkage(R, method="complete")
    Z_s = sch.linkage(R.T, method="complete")
    # mean relative intra-area change per source population
    intra = area[:, None] == area[None, :]
    src_change = np.full((len(areas), 8), np.nan)
    for a, name in enumerate(areas):
        for j, p in enumerate(POPS):
            m = intra & (area[:, None] == name) & (pop[None, :] == p)
            if K0[m].sum() > 0:
                src_change[a, j] = (K - K0)[m].sum() / K0[m].sum()
    # FLN and SLN of the area pairs
    off = ~np.eye(len(areas), dtype=bool)

    def fln(A):
        d = (A * off).sum(axis=1, keepdims=True)
        return np.where(d > 0, A / np.where(d > 0, d, 1.0), np.nan)
    fln0, fln1 = fln(A0), fln(A1)
    P = (area[None, :] == np.array(areas)[:, None]).astype(float)
    supra = np.isin(pop, ["23E"])
    infra = np.isin(pop, ["5E", "6E"])

    def sln(Kx):
        s = P @ (Kx * N[:, None]) @ (P * supra[None, :]).T
        i = P @ (Kx * N[:, None]) @ (P * infra[None, :]).T
        tot = s + i
        return np.where(tot > 0, s / np.where(tot > 0, tot, 1.0), np.nan)
    sln0, sln1 = sln(K0), sln(K)
    pair = off & (A0 > 0)
    return {"areas": np.array(areas, dtype="S"), "patterns": patterns,
            "pattern_correlation": 1.0 - squareform(D), "linkage_populations": Z_pop, "clusters": clusters,
            "order_populations": order_pop, "threshold": threshold, "area_relative_change": R,
            "linkage_targets": Z_t, "linkage_sources": Z_s, "order_targets": sch.leaves_list(Z_t),
            "order_sources": sch.leaves_list(Z_s), "source_population_change": src_change,
            "fln_before": fln0[pair], "fln_after": fln1[pair], "sln_before": sln0[pair], "sln_after": sln1[pair],
            "pair_target": np.nonzero(pair)[0], "pair_source": np.nonzero(pair)[1],
            "architectural_types": np.array([(types or {}).get(a) or 0 for a in areas], dtype=int)}


def cluster_types(ca: dict) -> dict[int, float]:
    """Mean architectural type of the areas of each flat cluster (areas without a type left out)."""
    t = np.asarray(ca["architectural_types"], float)
    cl = np.asarray(ca["clusters"])
    return {int(c): float(t[(cl == c) & (t > 0)].mean()) for c in np.unique(cl) if ((cl == c) & (t > 0)).any()}
