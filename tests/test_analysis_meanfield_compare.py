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
