# SPDX-License-Identifier: GPL-3.0-or-later
"""The alluvial diagram (cortexflow.plotting.alluvial) of PCB18 Fig 8 D and of the FC-across-chi figure: the flow
matrix on hand-made partitions, the crossing count, the layout (blocks tile the columns, bands tile the blocks,
few crossings) and its determinism."""
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cortexflow.plotting import alluvial as al

# 7 areas; a: 3 + 2 + 2, b: labels x (3 areas), y (3), z (1)
A = {"A": 0, "B": 0, "C": 0, "D": 1, "E": 1, "F": 2, "G": 2}
B = {"A": "x", "B": "x", "C": "y", "D": "y", "E": "y", "F": "z", "G": "x"}
C = {"A": 5, "B": 5, "C": 6, "D": 6, "E": 7, "F": 7, "G": 7}


def test_flow_matrix_counts_shared_areas():
    F, la, lb = al.flow_matrix(A, B)
    assert la == [0, 1, 2] and lb == ["x", "y", "z"]
    np.testing.assert_array_equal(F, [[2, 1, 0], [0, 2, 0], [1, 0, 1]])
    np.testing.assert_array_equal(F.sum(axis=1), [3, 2, 2])  # sizes of a's communities
    np.testing.assert_array_equal(F.sum(axis=0), [3, 3, 1])  # sizes of b's communities
    assert F.sum() == 7
    # on a subset of the areas; a partition missing an area raises
    F, _, lb = al.flow_matrix(A, B, ["A", "D", "F"])
    assert lb == ["x", "y", "z"] and F.sum() == 3 and np.trace(F) == 3
    with pytest.raises(ValueError, match="without a community"):
        al.flow_matrix(A, {"A": 0}, ["A", "B"])


def test_as_partition_reads_both_community_files():
    # communities.json (rule communities): a list of area lists; fc_communities.json: area -> label
    assert al.as_partition([["V1", "V2"], ["FEF"]]) == {"V1": 0, "V2": 0, "FEF": 1}
    assert al.as_partition({"V1": 2}) == {"V1": 2}


def test_weighted_crossings():
    F = np.array([[0, 2], [3, 0]])
    assert al.weighted_crossings(F, np.array([0, 1]), np.array([0, 1])) == 6  # 2 x 3: the two bands cross
    assert al.weighted_crossings(F, np.array([0, 1]), np.array([1, 0])) == 0
    # three bands i -> 2 - i all cross each other: 1*2 + 1*3 + 2*3
    G = np.array([[0, 0, 1], [0, 2, 0], [3, 0, 0]])
    assert al.weighted_crossings(G, np.arange(3), np.arange(3)) == 11


def _check_tiling(lay, n, gap):
    for col in lay.columns:
        sizes = col.y1 - col.y0
        assert sizes.sum() == n and [len(a) for a in col.areas] == list(sizes)
        np.testing.assert_allclose(col.y0[1:] - col.y1[:-1], gap)  # stacked with the gap
        assert sorted(a for block in col.areas for a in block) == sorted(A)
    for k in range(len(lay.columns) - 1):
        b = lay.bands[lay.bands[:, 0] == k]
        assert b[:, 4].sum() == n  # every area flows once through every gap
        for side, (rank, lo, hi) in {"left": (1, 5, 6), "right": (2, 7, 8)}.items():
            col = lay.columns[k + (side == "right")]
            for r in range(len(col.blocks)):
                ext = b[b[:, rank] == r][:, [lo, hi]]
                ext = ext[np.argsort(ext[:, 0])]
                # the bands of a block tile it: contiguous, from its top to its bottom
                assert ext[0, 0] == col.y0[r] and ext[-1, 1] == col.y1[r]
                np.testing.assert_array_equal(ext[1:, 0], ext[:-1, 1])


def test_layout_tiles_blocks_and_orders_for_few_crossings():
    lay = al.layout([A, B, C], ["a", "b", "c"], list(A), gap=1.0)
    _check_tiling(lay, 7, 1.0)
    # the drawn order has no more crossings than the label order
    label_order = sum(al.weighted_crossings(al.flow_matrix(p, q)[0], np.arange(3), np.arange(3))
                      for p, q in ((A, B), (B, C)))
    assert sum(lay.crossings) <= label_order
    # a relabelled copy in reverse label order: blocks face each other, no band crosses
    same = al.layout([A, {a: 9 - c for a, c in A.items()}], ["a", "a'"], list(A))
    assert same.crossings == [0]
    assert [c.areas for c in same.columns][0] == [c.areas for c in same.columns][1]
    assert same.columns[1].blocks == [9, 8, 7]
    np.testing.assert_array_equal(same.bands[:, 5:7], same.bands[:, 7:9])  # horizontal bands
    # a swap of two communities is undone by the barycentre order
    swap = al.layout([{"p": 0, "q": 0, "r": 1, "s": 1}, {"p": 1, "q": 1, "r": 0, "s": 0}], ["1", "2"],
                     ["p", "q", "r", "s"])
    assert swap.crossings == [0] and swap.columns[1].blocks == [1, 0]
    # areas inside a block are ordered by where they come from: in b's block x, G (a's community 2) lies on the
    # side of a's block 2, A and B (community 0) together on the other
    x = lay.columns[1].areas[lay.columns[1].blocks.index("x")]
    source = [lay.columns[0].blocks.index(A[a]) for a in x]
    assert source == sorted(source) and x.index("G") in (0, 2) and abs(x.index("A") - x.index("B")) == 1


def test_alluvial_is_deterministic():
    def draw():
        fig, ax = plt.subplots()
        lay = al.alluvial(ax, [A, B, C], ["a", "b", "c"], list(A))
        paths = [p.get_paths()[0].vertices.copy() for p in ax.collections]
        texts = [(t.get_text(), t.get_position()) for t in ax.texts]
        plt.close(fig)
        return lay, paths, texts

    (l1, p1, t1), (l2, p2, t2) = draw(), draw()
    np.testing.assert_array_equal(l1.bands, l2.bands)
    assert len(p1) == len(l1.bands) and all(np.array_equal(a, b) for a, b in zip(p1, p2))
    assert t1 == t2
    # each area written once per column; the band outline runs from block edge to block edge
    assert sorted(t for t, _ in t1 if t in A) == sorted(list(A) * 3)
    curve = al.band_curves(l1, [0.0, 1.0, 2.0], 0.16)[0]
    assert curve[0, 0] == pytest.approx(0.08) and curve[-1, 0] == pytest.approx(0.92)
    np.testing.assert_array_equal(curve[[0, -1], 1], l1.bands[0, [5, 7]])


def test_fc_chi_figure_with_alluvial(tmp_path):
    import pandas as pd

    from cortexflow.analysis.fc_sweep import best_chi, closest_chi, partition_agreement, sweep_table
    from cortexflow.plotting.fc_sweep import fc_chi_figure
    paths = []
    for chi, sim in ((1.0, B), (1.9, C)):
        p = tmp_path / f"{chi}.json"
        p.write_text(json.dumps({"communities": {"synaptic_input": sim, "experimental": A},
                                 "similarity": {"synaptic_input_vs_experimental": 0.1}}))
        paths.append(p)
    table = sweep_table(paths, [1.0, 1.9], ["lo", "hi"], structure=A)
    assert table["ari_structure"].tolist() == table["ari_communities"].tolist()  # structure = experiment here
    k = closest_chi([1.0, 1.9, 2.5])
    assert k == 1 and closest_chi([1.8, 2.0]) == 0
    # the alluvial shows the run whose synaptic FC matches the experiment best (NaN rows ignored)
    assert best_chi(pd.DataFrame({"r_synaptic": [0.1, np.nan, 0.28, 0.16]})) == 2
    parts = {"structure": A, "simulated": C, "experimental": A}
    agreement = partition_agreement(parts, list(A))
    assert agreement["structure_vs_experimental"] == 1.0 and agreement["n_areas"] == 7
    fig = fc_chi_figure(table, footer=["x"], alluvial={"partitions": parts, "areas": list(A), "agreement": agreement,
                                                       "simulation": "hi", "chi": 1.9, "structure_label": "s"})
    assert len(fig.axes) == 3
    ax_b, ax_c = fig.axes[1], fig.axes[2]
    assert [ln.get_label() for ln in ax_b.lines][:3] == ["vs experimental", "vs structural",
                                                         "structural vs experimental"]
    assert "Simulated FC\nhi (chi = 1.9)\n3 communities" in [t.get_text() for t in ax_c.texts]
    assert "structure vs exp. FC 1.00" in ax_c.get_title()
    plt.close(fig)
