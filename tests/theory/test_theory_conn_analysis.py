"""Hierarchical clustering of the indegree changes (cortexflow.theory.conn_analysis; S17 Fig. 8)."""
import numpy as np
import pytest

from cortexflow.theory.conn_analysis import POPS, analyse, area_level, cluster_types, intra_patterns


def _toy(n_areas=6, seed=0):
    pops = [f"A{a}-{p}" for a in range(n_areas) for p in POPS]
    rng = np.random.default_rng(seed)
    n = len(pops)
    K0 = rng.uniform(10, 100, (n, n))
    N = rng.uniform(1e3, 1e4, n)
    # two groups of areas with opposite intra-area change patterns (plus noise)
    base = rng.normal(0, 1, (8, 8))
    K = K0.copy()
    for a in range(n_areas):
        sl = slice(8 * a, 8 * a + 8)
        sign = 1.0 if a < n_areas // 2 else -1.0
        K[sl, sl] += K0[sl, sl].sum(1, keepdims=True) * 1e-3 * (sign * base + 0.05 * rng.normal(0, 1, (8, 8)))
    return pops, K0, K, N


def test_two_groups_of_change_patterns_form_two_clusters():
    pops, K0, K, N = _toy()
    out = analyse(K0, K, N, pops, threshold=0.7)
    cl = out["clusters"]
    assert len(set(cl[:3])) == 1 and len(set(cl[3:])) == 1 and cl[0] != cl[3]
    C = out["pattern_correlation"]
    assert C[0, 1] > 0.95 and C[0, 4] < -0.95
    # the dendrogram order keeps each group together
    o = list(out["order_populations"])
    assert sorted(o[:3]) in ([0, 1, 2], [3, 4, 5])


def test_area_level_and_unchanged_network():
    pops, K0, K, N = _toy(3)
    A = area_level(K0, N, pops)
    i = slice(8, 16)
    j = slice(16, 24)
    assert A[1, 2] == pytest.approx((N[i, None] * K0[i, j]).sum() / N[i].sum())
    out = analyse(K0, K0, N, pops)
    assert np.all(out["area_relative_change"] == 0) and np.all(intra_patterns(K0, K0, pops) == 0)
    np.testing.assert_allclose(out["fln_after"], out["fln_before"])
    np.testing.assert_allclose(out["sln_after"], out["sln_before"])
    assert np.all(out["source_population_change"] == 0)
    # FLN of each target area sums to 1 over its source areas
    s = np.bincount(out["pair_target"], weights=out["fln_before"])
    np.testing.assert_allclose(s, 1.0)


def test_published_stabilisation_clusters_separate_architectural_types(processed, raw_dir):
    """S17 Fig. 8 on the real data: the published stabilised K (K_prime_original.npy) against the data K. The
    change patterns of the early visual areas (V1, V2, V3, VP, V4: types 6-8) cluster apart from those of the
    higher areas, so the mean architectural type of V1's cluster is well above that of 46's."""
    from cortexflow.structure.mam import build_mam

    data = build_mam(processed, raw_dir, {})
    stab = build_mam(processed, raw_dir, {"K_stable": "K_prime_original.npy"})
    out = analyse(data.K[:, :-1], stab.K[:, :-1], data.N, data.populations, 0.7, processed["architecture_completed"])
    areas = [a.decode() for a in out["areas"]]
    cl = dict(zip(areas, out["clusters"]))
    types = cluster_types(out)
    assert cl["V1"] == cl["V2"] == cl["V3"] != cl["46"]
    assert types[cl["V1"]] - types[cl["46"]] > 1.0
    assert out["architectural_types"][areas.index("V1")] == 8
