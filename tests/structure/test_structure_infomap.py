"""Infomap (the map equation, the method of Schmidt et al. 2018 BSF Fig. 7) on the area graph of the data network."""
import numpy as np
import pytest

from cortexflow.areas import AREAS
from cortexflow.structure import communities as cm, measures
from cortexflow.structure.mam import build_mam

pytest.importorskip("infomap")


@pytest.fixture(scope="module")
def weights(processed, raw_dir):
    net = build_mam(processed, raw_dir, {})
    return measures.relative_outdegrees(
        measures.area_outdegrees(net.synapses, net.N, net.extra["area_of_population"], len(AREAS)))


def test_infomap_partition_is_seeded_and_stable(weights):
    first = cm.detect_communities(weights, AREAS, "infomap", seed=1)
    for _ in range(3):
        assert np.array_equal(first, cm.detect_communities(weights, AREAS, "infomap", seed=1))
    # the partition does not hinge on the seed
    assert np.array_equal(first, cm.detect_communities(weights, AREAS, "infomap", seed=7))


def test_infomap_modules_of_the_data_network(weights):
    labels = cm.detect_communities(weights, AREAS, "infomap", seed=1)
    groups = [set(a for a, lab in zip(AREAS, labels) if lab == k) for k in range(labels.max() + 1)]
    assert len(groups) == 6
    assert groups[0] == {"V1", "V2"}
    assert {"FEF", "46"} in groups and {"STPp", "STPa"} in groups
    assert {"V4", "PITv", "CITv", "CITd", "TF", "AITv", "AITd", "TH"} in groups     # ventral stream
    assert {"V3A", "MT", "LIP", "7a", "PO", "PIP"} <= next(g for g in groups if "LIP" in g)   # dorsal stream
    assert cm.modularity(weights, labels) == pytest.approx(0.3788, abs=1e-4)
    null = cm.null_modularities(weights, AREAS, 10, seed=1, method="infomap")
    assert null.max() < cm.modularity(weights, labels) - 0.2


@pytest.mark.parametrize("method", ["infomap", "louvain"])
def test_community_layout_keeps_nodes_apart(weights, method):
    from cortexflow.plotting.structure import community_layout
    labels = cm.detect_communities(weights, AREAS, method, seed=1)
    pos = community_layout(weights, labels, AREAS, spacing=0.2)
    xy = np.array([pos[a] for a in AREAS])
    d = np.linalg.norm(xy[:, None] - xy[None, :], axis=-1)
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 0.95 * 0.2
