"""The Potjans & Diesmann (2014) microcircuit as a network.h5 (cortexflow.structure.pd14)."""
import numpy as np
import pytest

from cortexflow.structure.network_file import read_network, write_network
from cortexflow.structure.pd14 import build_pd14, psc_over_psp, synapse_numbers
from cortexflow.structure.pd14_params import DEFAULTS, POPULATIONS


@pytest.fixture(scope="module")
def net():
    return build_pd14({"model": "pd14"})


def test_populations_and_neurons(net):
    assert net.populations == ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"] == POPULATIONS
    assert net.N.sum() == 77169
    np.testing.assert_array_equal(net.N, [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])


def test_synapse_numbers_follow_the_pd14_formula(net):
    # K_ij = ln(1 - C_ij) / ln(1 - 1/(N_i N_j)) / N_i, e.g. 23E <- 23E
    C, N = 0.1009, 20683.0
    expected = np.log1p(-C) / np.log1p(-1 / (N * N))
    assert net.synapses[0, 0] == pytest.approx(expected, rel=1e-12)
    # the PD14 package evaluates ln((N^2 - 1)/N^2) directly, which loses ~8 digits to cancellation
    assert net.synapses[0, 0] == pytest.approx(np.log(1 - C) / np.log((N * N - 1) / (N * N)), rel=1e-7)
    assert net.K[0, 0] == pytest.approx(expected / N, rel=1e-12)
    assert net.K[0, 0] == pytest.approx(2199.86, abs=0.01)
    # 23E <- 4E uses the sizes of both populations
    assert net.synapses[0, 2] == pytest.approx(np.log1p(-0.0437) / np.log1p(-1 / (20683.0 * 21915.0)), rel=1e-12)
    # zero probability -> no synapses; total recurrent synapses ~0.3 billion (PD14: 2.99e8)
    assert net.synapses[0, 5] == 0.0
    assert net.synapses[:, :-1].sum() == pytest.approx(2.98881e8, rel=1e-5)
    np.testing.assert_allclose(synapse_numbers(np.array(DEFAULTS["conn_probs"]), net.N, net.N), net.synapses[:, :-1])


def test_weights_delays_and_external_input(net):
    assert psc_over_psp(250.0, 10.0, 0.5) == pytest.approx(585.39, abs=0.01)
    W_E = 87.8085
    assert net.W[1, 0] == pytest.approx(W_E, abs=1e-4)
    assert net.W[0, 1] == pytest.approx(-4 * W_E, abs=1e-3)
    assert net.W[0, 2] == pytest.approx(2 * W_E, abs=1e-3)      # L4E -> L23E doubled
    assert net.W[1, 2] == pytest.approx(W_E, abs=1e-4)          # only onto 23E
    np.testing.assert_allclose(net.W_sd[:, :-1], 0.1 * np.abs(net.W[:, :-1]))
    np.testing.assert_allclose(net.W[:, -1], W_E, atol=1e-4)
    np.testing.assert_array_equal(net.K[:, -1], [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
    np.testing.assert_array_equal(net.delay[:, 0], 1.5)
    np.testing.assert_array_equal(net.delay[:, 1], 0.75)
    np.testing.assert_allclose(net.delay_sd, 0.5 * net.delay)
    np.testing.assert_array_equal(net.dc_drive, 0.0)


def test_dc_option_replaces_poisson_input_by_its_mean():
    dc = build_pd14({"bg_input_type": "dc"})
    np.testing.assert_array_equal(dc.K[:, -1], 0.0)
    # I = bg_rate K_ext W_ext tau_s 1e-3: 23E 8 * 1600 * 87.8085 * 0.5e-3 = 561.97 pA
    assert dc.dc_drive[0] == pytest.approx(561.974, abs=1e-3)
    assert dc.dc_drive[6] == pytest.approx(8 * 2900 * 87.80849 * 0.5e-3, rel=1e-6)


def test_overrides_and_errors(tmp_path):
    assert build_pd14({"g": -5.0}).W[0, 1] == pytest.approx(-5 * 87.8085, abs=1e-3)
    with pytest.raises(KeyError, match="not_a_key"):
        build_pd14({"not_a_key": 1})
    with pytest.raises(ValueError, match="bg_input_type"):
        build_pd14({"bg_input_type": "noise"})
    with pytest.raises(ValueError, match="K_ext"):
        build_pd14({"K_ext": [1.0] * 7})
    path = tmp_path / "network.h5"
    write_network(path, build_pd14())
    back = read_network(path)
    assert back.model == "pd14" and back.params["g"] == -4.0
    np.testing.assert_array_equal(back.K, build_pd14().K)
