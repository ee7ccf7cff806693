"""Shortest laminar paths between areas (cortexflow.structure.laminar_paths; BSF18 Fig. 8)."""
import networkx as nx
import numpy as np
import pytest

from cortexflow.structure.laminar_paths import (gain_weights, indirect_patterns, laminar_paths, sln_class,
                                                to_json)


def _toy():
    pops = [f"{a}-{p}" for a in ("A", "B", "C") for p in ("23E", "5E", "4I")]
    rng = np.random.default_rng(2)
    n = len(pops)
    K = rng.uniform(1, 50, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    W = np.where(np.array([p.endswith("I") for p in pops])[None, :], -11.0 * 87.8, 87.8) * np.ones((n, 1))
    return pops, K, W


def test_paths_are_the_shortest_in_networkx():
    pops, K, W = _toy()
    w = gain_weights(K, W, pops, g_net=-11.0, g=-4.0)
    np.fill_diagonal(w, 0.0)
    g = nx.DiGraph()
    for t, s in zip(*np.nonzero(w)):
        g.add_edge(pops[s], pops[t], d=np.log10(1 / w[t, s]))
    shift = -min(0.0, min(d for *_, d in g.edges(data="d")))
    sln = {"B": {"A": 0.9}, "C": {"A": 0.1}, "A": {"B": 0.5}}
    arch = {"A": 2, "B": 4, "C": 4}
    out = laminar_paths(K, W, pops, sln, arch, g_net=-11.0, excluded_targets=())
    assert len(out["pairs"]) == 6
    for p in out["pairs"]:
        best = min(nx.bellman_ford_path_length(g, s, t, weight="d") for s in pops if s.startswith(p["source"] + "-")
                   for t in pops if t.startswith(p["target"] + "-"))
        assert p["length"] == pytest.approx(best, abs=1e-12)
        assert p["path"][0].startswith(p["source"]) and p["path"][-1].startswith(p["target"])
        assert sum(g[u][v]["d"] for u, v in zip(p["path"], p["path"][1:])) == pytest.approx(p["length"], abs=1e-12)
    cls = {(p["source"], p["target"]): (p["sln_class"], p["arch_class"]) for p in out["pairs"]}
    assert cls[("A", "B")] == ("FF", "LH") and cls[("A", "C")] == ("FB", "LH") and cls[("B", "A")] == ("lateral", "HL")
    assert cls[("B", "C")] == (None, "HZ")
    assert shift >= 0 and to_json(out)["classes"]["LH"]["n"] == 2


def test_helpers():
    assert indirect_patterns(["V1-5E", "V2-23E", "V2-5E", "V4-4E"]) == ["23E+5E"]
    assert indirect_patterns(["V1-23E", "V2-4E"]) == []
    assert [sln_class(x) for x in (0.9, 0.5, 0.2, None)] == ["FF", "lateral", "FB", None]


def test_laminar_paths_of_the_data_network(processed, raw_dir):
    from cortexflow.structure.mam import build_mam
    net = build_mam(processed, raw_dir, {})
    out = laminar_paths(net.K[:, :-1], net.W[:, :-1], net.populations, processed["SLN_completed"],
                        processed["architecture_completed"], net.params["g"])
    assert len(out["pairs"]) == 31 * 31
    ff, fb = out["FF"], out["FB"]
    # feedforward paths start in 2/3E, feedback paths in 5E/6E (Schmidt et al. 2018 BSF Fig. 8A)
    assert ff["endpoints"][0].sum() / ff["n"] > 0.9
    assert fb["endpoints"][[4, 6]].sum() / fb["n"] > 0.8
    assert (ff["n"], out["lateral"]["n"], fb["n"]) == (126, 273, 172)
    # indirect LH paths pass mostly through 5E
    assert out["LH"]["indirect"].most_common(1)[0][0] == "5E"
