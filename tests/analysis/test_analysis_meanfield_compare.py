# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulated rates against mean-field attractors (cortexflow.analysis.meanfield_compare; S17 Figs 3, 9)."""
import numpy as np
import pandas as pd
import pytest

from cortexflow.analysis import meanfield_compare as mc

POPS = ["V1-23E", "V1-23I", "V2-23E", "V2-23I"]


def _summary(rates):
    return pd.DataFrame({"population": POPS, "rate": rates, "n_neurons": [100, 20, 300, 60]})


def test_attractor_labels_and_state():
    fp = {"populations": POPS, "rates": np.array([1.0, 3.0, 2.0, 4.0]),
          "attractor_rates": np.array([[1.0, 3.0, 2.0, 4.0], [100.0, 150.0, 120.0, 160.0]])}
    att = mc.attractors(fp)
    assert sorted(att) == ["high", "low"] and att["high"][0] == 100.0
    table, v = mc.compare(_summary([1.2, 2.5, 1.8, 4.4]), fp)
    assert v["state"] == "low"
    assert v["distances"]["low"] < 0.1 and v["distances"]["high"] > 1.0
    assert v["within_2x"] == 1.0
    table, v = mc.compare(_summary([90.0, 170.0, 110.0, 150.0]), fp)
    assert v["state"] == "high"
    # N-weighted area rates
    a = mc.area_rates(table, "rate")
    assert a["V1"] == pytest.approx((100 * 90 + 20 * 170) / 120)


def test_single_attractor_is_named_by_its_rate():
    assert list(mc.attractors({"populations": POPS, "rates": np.full(4, 130.0)})) == ["high"]
    assert list(mc.attractors({"populations": POPS, "rates": np.full(4, 2.0),
                               "attractor_rates": np.full((2, 4), 2.0 + 1e-6)})) == ["low"]


def test_missing_population_raises():
    with pytest.raises(ValueError, match="not in the simulation"):
        mc.compare(_summary([1, 2, 3, 4]).iloc[:3], {"populations": POPS, "rates": np.ones(4)})


def test_adjusted_rand_and_sweep_table(tmp_path):
    import json

    from cortexflow.analysis.fc_sweep import adjusted_rand, sweep_table
    assert adjusted_rand([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx(1.0)
    # contingency [[2, 1], [0, 2]]: sum C(n_ij, 2) = 2, row and column sums give 4 and 4, E = 16/10:
    # ARI = (2 - 1.6) / (4 - 1.6)
    assert adjusted_rand([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]) == pytest.approx(0.4 / 2.4)
    rng = np.random.default_rng(1)
    assert abs(adjusted_rand(rng.integers(0, 3, 2000), rng.integers(0, 3, 2000))) < 0.01
    paths = []
    for chi, r in ((1.9, 0.4), (1.0, 0.1)):
        p = tmp_path / f"{chi}.json"
        p.write_text(json.dumps({"communities": {"synaptic_input": {"A": 0, "B": 0, "C": 1},
                                                 "experimental": {"A": 1, "B": 1, "C": 0}},
                                 "similarity": {"synaptic_input_vs_experimental": r}}))
        paths.append(p)
    t = sweep_table(paths, [1.9, 1.0], ["x", "y"])
    assert t["chi"].tolist() == [1.0, 1.9] and t["r_synaptic"].tolist() == [0.1, 0.4]
    assert t["ari_communities"].tolist() == [1.0, 1.0] and np.isnan(t["r_bold"]).all()
