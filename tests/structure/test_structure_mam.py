"""Multi-area model construction (cortexflow.structure.mam) against the upstream network numbers.

Oracle: ../shared/data/mam_reference/upstream_network_numbers.json (upstream INM-6/multi-area-model
run with numpy-2 shims: ``raw_K`` = data-derived network, ``default`` = K_prime_original.npy).
The processed anatomy is computed in-process by the anatomy step (fixture ``processed``, tests/conftest.py).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from cortexflow.areas import AREAS, POPULATIONS, population_labels
from cortexflow.structure import corticocortical as cc_mod
from cortexflow.structure import mam_raw
from cortexflow.structure.mam import build_mam
from cortexflow.structure.mam_params import DEFAULTS, resolve_params
from cortexflow.structure.network_file import read_network, write_network

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).resolve().parents[3] / "shared/data/mam_reference/upstream_network_numbers.json"
# fixtures raw_dir (fresh raw-data copy) and processed (anatomy step run in-process): tests/conftest.py.
# $CORTEXFLOW_TEST_PROCESSED may point at another processed-anatomy JSON to build from instead.
ALT_PROCESSED = os.environ.get("CORTEXFLOW_TEST_PROCESSED")


@pytest.fixture(scope="module")
def anatomy(processed):
    return json.loads(Path(ALT_PROCESSED).read_text()) if ALT_PROCESSED else processed


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.is_file():
        pytest.skip(f"upstream reference numbers not found at {REFERENCE}")
    ref = json.loads(REFERENCE.read_text())
    for entry in ref.values():
        assert entry["structure_vec"] == population_labels()
    return ref


@pytest.fixture(scope="module")
def data_net(anatomy, raw_dir):
    return build_mam(anatomy, raw_dir, {})


@pytest.fixture(scope="module")
def published_net(anatomy, raw_dir):
    return build_mam(anatomy, raw_dir, {"K_stable": "K_prime_original.npy", "cc_weights_factor": 1.0,
                                          "cc_weights_I_factor": 1.0})


def _pop(name: str) -> int:
    return population_labels().index(name)


# --- upstream regression --------------------------------------------------------------------------

def test_data_derived_network_matches_upstream(data_net, reference):
    ref = reference["raw_K"]
    np.testing.assert_allclose(data_net.N, ref["N"], rtol=1e-6)
    np.testing.assert_allclose(data_net.K, ref["K"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(data_net.synapses, ref["syn"], rtol=1e-6, atol=1e-6)


def test_published_network_matches_upstream_default(published_net, reference):
    ref = reference["default"]
    np.testing.assert_allclose(published_net.N, ref["N"], rtol=1e-6)
    np.testing.assert_allclose(published_net.K, ref["K"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(published_net.synapses, ref["syn"], rtol=1e-6, atol=1e-6)


def test_totals(data_net, published_net):
    assert data_net.N.sum() == pytest.approx(4_130_056.7, abs=0.1)
    rec = data_net.synapses[:, :-1]
    assert rec.sum() == pytest.approx(2.7690e10, rel=1e-4)
    cc_share = data_net.extra["synapses_type_III"].sum() / rec.sum()
    assert cc_share == pytest.approx(0.2645, abs=2e-4)  # 26.5 %
    assert published_net.synapses[:, :-1].sum() == pytest.approx(2.4127e10, rel=1e-4)
    assert data_net.synapses[:, -1].sum() == pytest.approx(1.3861e10, rel=1e-4)
    assert published_net.N.sum() == data_net.N.sum()


def test_population_sizes(data_net):
    N = dict(zip(population_labels(), data_net.N))
    v1 = [47386.7, 13366.2, 70387.3, 17597.6, 20740.9, 4554.4, 19839.8, 4063.1]
    fef = [44053.2, 12426.0, 23143.5, 5786.1, 16944.0, 3720.7, 16128.0, 3302.9]
    th = {"23E": 24712.2, "23I": 6970.5, "5E": 23354.0, "5I": 5128.2, "6E": 10862.0, "6I": 2224.5}
    for pop, v, f in zip(POPULATIONS, v1, fef):
        assert N[f"V1-{pop}"] == pytest.approx(v, abs=0.06)
        assert N[f"FEF-{pop}"] == pytest.approx(f, abs=0.06)
    for pop, t in th.items():
        assert N[f"TH-{pop}"] == pytest.approx(t, abs=0.06)
    assert "TH-4E" not in N and len(N) == 254


def test_external_indegrees(data_net, published_net):
    k_ext = dict(zip(population_labels(), data_net.K[:, -1]))
    for pop in ("23E", "23I", "4E", "4I", "5I", "6I"):
        assert k_ext[f"V1-{pop}"] == pytest.approx(1246.1, abs=0.05)
    assert k_ext["V1-5E"] == pytest.approx(1246.1 * 1.125, abs=0.06)
    assert k_ext["V1-6E"] == pytest.approx(1246.1 * 1.41666667, abs=0.08)
    assert k_ext["V1-5E"] / k_ext["V1-23E"] == pytest.approx(1.125)
    assert k_ext["TH-23E"] / k_ext["TH-23I"] == pytest.approx(1.2)
    np.testing.assert_array_equal(published_net.K[:, -1], data_net.K[:, -1])


# --- weights and delays -----------------------------------------------------------------------------

def test_weights(data_net, published_net):
    W, ao = data_net.W, data_net.extra["area_of_population"]
    v1_23e, v1_4e, v1_23i = _pop("V1-23E"), _pop("V1-4E"), _pop("V1-23I")
    w_e = 87.8085
    assert W[v1_23i, v1_23e] == pytest.approx(w_e, abs=1e-4)
    assert W[v1_23e, v1_4e] == pytest.approx(175.6170, abs=1e-3)
    assert W[v1_23e, v1_23i] == pytest.approx(-11 * w_e, abs=1e-3)  # W_I = g W_E = -965.89
    assert W[v1_23e, -1] == pytest.approx(w_e, abs=1e-4)
    v2_23e, v2_23i = _pop("V2-23E"), _pop("V2-23I")
    assert W[v2_23e, v1_23e] == pytest.approx(1.9 * w_e, abs=1e-3)  # 166.8361
    assert W[v2_23i, v1_23e] == pytest.approx(3.8 * w_e, abs=1e-3)  # 333.6723
    assert W[v2_23e, v1_4e] == pytest.approx(1.9 * w_e, abs=1e-3)  # 23E<-4E doubling is intra-area only
    np.testing.assert_allclose(data_net.W_sd[:, :-1], 0.1 * np.abs(W[:, :-1]))
    assert np.all(data_net.W_sd[:, -1] == 0)
    # chi = chi_I = 1: every cortico-cortical E weight is W_E
    cc = ao[:, None] != ao[None, :]
    e_src = np.array([p.endswith("E") for p in population_labels()])
    assert np.allclose(published_net.W[:, :-1][cc & e_src[None, :]], w_e, atol=1e-4)


def test_delays(data_net):
    d, sd = data_net.delay, data_net.delay_sd
    assert d[_pop("V2-23E"), _pop("V1-23E")] == pytest.approx(17.8644694083 / 3.5)
    assert d[_pop("V1-5I"), _pop("V2-6E")] == pytest.approx(17.8644694083 / 3.5)
    assert d[_pop("V1-23E"), _pop("V1-4E")] == 1.5 and d[_pop("V1-23E"), _pop("V1-4I")] == 0.75
    np.testing.assert_allclose(sd, 0.5 * d)
    inter = data_net.extra["area_of_population"][:, None] != data_net.extra["area_of_population"][None, :]
    assert d[inter].min() == pytest.approx(1.7068, abs=1e-3) and d[inter].max() == pytest.approx(17.976, abs=1e-3)


# --- parameters change what they should -----------------------------------------------------------

def test_E_specificity_switch(anatomy, raw_dir, data_net):
    off = build_mam(anatomy, raw_dir, {"E_specificity": False})
    ao = data_net.extra["area_of_population"]
    same = ao[:, None] == ao[None, :]
    np.testing.assert_array_equal(off.K[:, :-1][same], data_net.K[:, :-1][same])
    assert not np.allclose(off.K[:, :-1][~same], data_net.K[:, :-1][~same])
    # feedback V4 -> V1 (SLN 0.23 < 0.35): 93 % of the synapses on E targets with the switch on
    assert anatomy["SLN_completed"]["V1"]["V4"] < 0.35
    v1, v4 = np.flatnonzero(ao == AREAS.index("V1")), np.flatnonzero(ao == AREAS.index("V4"))
    e = np.array([population_labels()[i].endswith("E") for i in v1])
    on_e = data_net.synapses[np.ix_(v1, v4)].sum(axis=1)
    off_e = off.synapses[np.ix_(v1, v4)].sum(axis=1)
    assert on_e[e].sum() / on_e.sum() == pytest.approx(0.93)
    assert off_e[e].sum() / off_e.sum() == pytest.approx(0.8846, abs=1e-3)
    assert on_e.sum() == pytest.approx(off_e.sum())  # E-specificity only moves synapses
    # lateral V2 -> V1 (SLN 0.40) is untouched
    v2 = np.flatnonzero(ao == AREAS.index("V2"))
    np.testing.assert_array_equal(off.synapses[np.ix_(v1, v2)], data_net.synapses[np.ix_(v1, v2)])


def test_surface_scales_neurons(anatomy, raw_dir, data_net):
    big = build_mam(anatomy, raw_dir, {"surface": 2.0})
    np.testing.assert_allclose(big.N, 2 * data_net.N)
    assert big.synapses[:, :-1].sum() > 1.9 * data_net.synapses[:, :-1].sum()
    assert not np.allclose(big.K[:, :-1], data_net.K[:, :-1])


def test_ss4_option_moves_layer_23_input(anatomy, raw_dir, data_net):
    rows = mam_raw.read_binzegger(raw_dir)
    N_v1 = data_net.N[:8]
    P = cc_mod.synapse_to_population(rows, N_v1)
    l23, l4 = 1, 2
    assert P[l23, POPULATIONS.index("23E")] == 0.0
    assert P[l23, POPULATIONS.index("4E")] == pytest.approx(0.837, abs=1e-3)
    assert P[l4, POPULATIONS.index("4E")] == pytest.approx(0.726, abs=1e-3)
    alt = build_mam(anatomy, raw_dir, {"ss4_L23_synapse_layer": "4"})
    P4 = alt.extra["P_layer_to_population"][0]
    assert P4[l23, POPULATIONS.index("4E")] == 0.0 and P4[l23, POPULATIONS.index("23I")] == pytest.approx(1.0)
    assert not np.allclose(alt.K[:, :-1], data_net.K[:, :-1])


def test_K_stable_errors(anatomy, raw_dir, tmp_path):
    bad = tmp_path / "neg.npy"
    K = np.ones((254, 254))
    K[3, 5] = -1.0
    np.save(bad, K)
    with pytest.raises(ValueError, match=r"negative indegree at \[3, 5\]"):
        build_mam(anatomy, raw_dir, {}, K_stable=bad)
    with pytest.raises(ValueError, match=r"shape \(10, 10\)"):
        build_mam(anatomy, raw_dir, {}, K_stable=np.ones((10, 10)))
    with pytest.raises(FileNotFoundError, match="K_stable file not found"):
        build_mam(anatomy, raw_dir, {"K_stable": "no_such_file.npy"})


def test_params_validation():
    assert resolve_params({})["K_stable"] is None and resolve_params({})["g"] == -11.0
    with pytest.raises(ValueError, match=r"chi \(unknown key\)"):
        resolve_params({"chi": 1.0})
    with pytest.raises(ValueError, match=r"surface: -1.0 is less than or equal to the minimum of 0"):
        resolve_params({"surface": -1.0})
    with pytest.raises(ValueError, match="ss4_L23_synapse_layer"):
        resolve_params({"ss4_L23_synapse_layer": "5"})
    assert set(DEFAULTS) >= {"PSP_e", "cc_weights_factor", "cc_weights_I_factor", "delay_rel", "fac_nu_ext_TH"}


def test_schema_is_the_parameter_table():
    """Every mam parameter has its default and its meaning in config/schema.yaml (the only table)."""
    import yaml

    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
    props = schema["$defs"]["mam_network"]["properties"]
    assert set(props) == set(DEFAULTS) | {"model"}
    for key in DEFAULTS:
        assert "default" in props[key] and props[key].get("description"), key
    assert DEFAULTS["cc_weights_factor"] == 1.9 and DEFAULTS["fac_nu_ext_6E"] == 1.41666667


# --- file round trip and area-level data ------------------------------------------------------------

def test_network_file_round_trip(published_net, tmp_path):
    path = tmp_path / "network.h5"
    write_network(path, published_net)
    back = read_network(path)
    assert back.populations == population_labels() and back.model == "mam"
    np.testing.assert_array_equal(back.K, published_net.K)
    assert back.params["K_stable"] == "K_prime_original.npy" and back.params["av_indegree_V1"] == 3950.0
    assert [a.decode() if isinstance(a, bytes) else a for a in back.extra["areas"]] == AREAS
    assert back.extra["distances"].shape == (32, 32)


def test_area_level_numbers(data_net):
    x = data_net.extra
    v1 = 0
    assert x["intrinsic_FLN"][v1] == pytest.approx(0.4875, abs=1e-4)
    assert x["synapses_type_I"][v1] == pytest.approx(3.812e8, rel=1e-3)
    assert x["synapses_type_II"][v1] == pytest.approx(2.365e8, rel=1e-3)
    mdp = AREAS.index("MDP")
    assert x["synapses_type_III"][mdp] == 0.0  # CoCoMac lists no sources of MDP
    # K_areas: area-level indegrees, rows sum to the mean total indegree of the area's neurons
    ao = x["area_of_population"]
    N_area = np.bincount(ao, weights=data_net.N)
    np.testing.assert_allclose(x["K_areas"].sum(axis=1) * N_area, np.bincount(ao, weights=data_net.synapses.sum(1)))
