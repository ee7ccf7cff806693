# SPDX-License-Identifier: GPL-3.0-or-later
"""Laminar interactions (cortexflow.analysis.laminar, PCB18 Fig 9): gradient classes, channel counts, paths."""
import numpy as np
import pandas as pd
import pytest

from cortexflow.analysis import laminar as lam

TYPES = {"V1": 8, "V2": 7, "V4": 6, "FEF": 4, "X": 6}


def test_gradient_class_follows_architectural_types():
    assert lam.gradient_class("V2", "V1", TYPES) == "HL"      # from type 8 to type 7 (feedforward-like)
    assert lam.gradient_class("V1", "V2", TYPES) == "LH"
    assert lam.gradient_class("V4", "X", TYPES) == "HZ"
    assert lam.gradient_class("V4", "V4", TYPES) == "same-area"


def test_significant_channels_counts():
    df = pd.DataFrame({"target": ["V2-4E", "V2-4E", "V1-23E", "V4-5E", "V4-5E"],
                       "source": ["V1-23E", "V1-5E", "V2-6E", "X-23E", "V4-5I"],
                       "significant": [True, False, True, True, True]})
    ch = lam.significant_channels(df, TYPES)
    i4e, i23e, i5e, i6e, i5i = (lam.LAYER_POPS.index(p) for p in ("4E", "23E", "5E", "6E", "5I"))
    assert ch["HL"]["significant"][i4e, i23e] == 1 and ch["HL"]["tested"][i4e, i5e] == 1
    assert ch["HL"]["significant"].sum() == 1 and ch["HL"]["tested"].sum() == 2
    assert ch["LH"]["significant"][i23e, i6e] == 1
    assert ch["HZ"]["significant"][i5e, i23e] == 1
    assert ch["same-area"]["significant"][i5e, i5i] == 1


def test_shortest_path_prefers_strong_two_stage_route():
    """Weak direct edge 0 -> 2 (G 0.01: length 2 after /lambda_max) vs strong 0 -> 1 -> 2 (0.5 each: 2 x 0.3)."""
    G = np.zeros((3, 3))
    G[2, 0], G[1, 0], G[2, 1] = 0.01, 0.5, 0.5
    G[0, 0] = 1.0   # lambda_max = 1 (self-loop of length 0)
    dist, pred = lam.shortest_paths(G)
    assert dist[2, 0] == pytest.approx(2 * np.log10(2.0))
    assert lam.path_of(pred, 0, 2) == [0, 1, 2]
    assert np.isinf(dist[0, 2])


def test_path_channels_per_area_pair():
    pops = [f"{a}-{p}" for a in ("V1", "V2") for p in lam.LAYER_POPS]
    G = np.full((16, 16), 1e-4)
    G[np.ix_(range(8), range(8))] = G[np.ix_(range(8, 16), range(8, 16))] = 0.05
    G[8 + 2, 0] = 0.3          # V1-23E -> V2-4E strongest feedforward
    G[6, 8 + 4] = 0.3          # V2-5E -> V1-6E strongest feedback
    out = lam.path_channels(G, pops, TYPES)
    assert out["HL"]["pairs"][2, 0] == 1 and out["HL"]["pairs"].sum() == 1
    assert out["LH"]["pairs"][6, 4] == 1
    assert out["HL"]["stages"] == [2]
