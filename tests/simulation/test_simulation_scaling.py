# SPDX-License-Identifier: GPL-3.0-or-later
"""Down-scaling with DC compensation (van Albada et al. 2015; cortexflow.structure.scaling). No NEST."""
import h5py
import numpy as np
import pytest

from cortexflow.structure.network_file import Network
from cortexflow.structure.scaling import (downscale, input_variance, mean_input, neuron_params, psc_to_mv,
                                          read_rates, read_summary_rates)

PD14_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]


def random_network(n=6, seed=3, dc=None):
    """A synthetic network with mixed-sign weights, external input and neuron params (mam-style names)."""
    rng = np.random.default_rng(seed)
    N = rng.uniform(500, 5000, n)
    K = rng.uniform(0, 400, (n, n + 1))
    sign = np.where(np.arange(n + 1) % 2 == 1, -1.0, 1.0)
    sign[-1] = 1.0
    W = sign * rng.uniform(50, 500, (n, n + 1))
    return Network(model="mam", populations=[f"V1-{i}" for i in range(n)], N=N, K=K, synapses=K * N[:, None],
                   W=W, W_sd=0.1 * np.abs(W), delay=np.full((n, n), 1.5), delay_sd=np.full((n, n), 0.75),
                   dc_drive=np.zeros(n) if dc is None else dc,
                   params={"C_m": 250.0, "tau_m": 10.0, "tau_syn_ex": 0.5, "tau_syn_in": 0.5, "t_ref": 2.0,
                           "E_L": -65.0, "V_th": -50.0, "V_reset": -65.0, "rate_ext": 10.0})


@pytest.fixture(scope="module")
def pd14():
    pd14 = pytest.importorskip("cortexflow.structure.pd14")
    return pd14.build_pd14()


@pytest.mark.parametrize("N_scaling,K_scaling", [(0.1, 0.1), (0.5, 0.02), (1.0, 0.3), (0.2, 1.0)])
def test_mean_and_variance_preserved(N_scaling, K_scaling):
    net = random_network(dc=np.linspace(0, 50, 6))
    rates = np.linspace(0.5, 12, 6)
    small = downscale(net, rates, N_scaling, K_scaling)
    np.testing.assert_allclose(mean_input(small, rates), mean_input(net, rates), rtol=1e-12)
    np.testing.assert_allclose(input_variance(small, rates), input_variance(net, rates), rtol=1e-12)
    # K J^2 (and K J_sd^2) invariant, K J scales with sqrt(K_scaling)
    np.testing.assert_allclose(small.K * small.W**2, net.K * net.W**2, rtol=1e-12)
    np.testing.assert_allclose(small.K * small.W_sd**2, net.K * net.W_sd**2, rtol=1e-12)
    np.testing.assert_allclose(small.K * small.W, np.sqrt(K_scaling) * net.K * net.W, rtol=1e-12)
    np.testing.assert_allclose(small.synapses, net.synapses * N_scaling * K_scaling, rtol=1e-15)
    np.testing.assert_allclose(small.N, net.N * N_scaling, rtol=1e-15)
    assert (small.N_scaling, small.K_scaling) == (N_scaling, K_scaling)


def test_mean_not_preserved_at_other_rates():
    """mu is preserved only at the rates used for the compensation."""
    net = random_network()
    small = downscale(net, np.full(6, 3.0), 0.1, 0.1)
    other = np.full(6, 6.0)
    assert not np.allclose(mean_input(small, other), mean_input(net, other), rtol=1e-3)


def test_pd14_dc_compensation_values(pd14):
    """I_DC = C_m/tau_m (1 - sqrt(K_s)) mu_full: pd14 at 10 % with the published full-scale rates."""
    small = downscale(pd14, PD14_RATES, 0.1, 0.1)
    np.testing.assert_allclose(small.dc_drive[[0, 2, 6, 7]], [29.035005, 112.969716, 43.846891, 153.70972],
                               rtol=1e-6)
    np.testing.assert_allclose(mean_input(pd14, PD14_RATES)[0], 1.698519, rtol=1e-6)
    np.testing.assert_allclose(small.W[0, 0], 87.808494 / np.sqrt(0.1), rtol=1e-7)
    assert np.floor(small.N).sum() == 7713     # sum int(0.1 N): 2068+583+2191+547+485+106+1439+294


def test_psc_to_mv():
    net = random_network()
    np.testing.assert_allclose(psc_to_mv(net), 0.5 / 250.0)
    assert neuron_params(net)["tau_m"] == 10.0


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, float("nan"), "x", None])
def test_bad_factors_rejected(bad):
    net = random_network()
    with pytest.raises(ValueError, match="N_scaling must be"):
        downscale(net, np.ones(6), bad, 0.5)
    with pytest.raises(ValueError, match="K_scaling must be"):
        downscale(net, np.ones(6), 0.5, bad)


def test_wrong_rates_and_params_rejected(tmp_path):
    net = random_network()
    with pytest.raises(ValueError, match="rates_full has shape"):
        downscale(net, np.ones(5), 0.5, 0.5)
    small = downscale(net, np.ones(6), 0.5, 0.5)
    with pytest.raises(ValueError, match="full-scale network"):
        downscale(small, np.ones(6), 0.5, 0.5)
    del net.params["tau_m"]
    with pytest.raises(KeyError, match="tau_m"):
        downscale(net, np.ones(6), 0.5, 0.5)


def test_read_rates(tmp_path):
    pops = ["a", "b", "c"]
    path = tmp_path / "fixed_point.h5"
    with h5py.File(path, "w") as f:
        f["rates"] = np.array([1.0, 2.0, 3.0])
        f["populations"] = np.array(pops, dtype=h5py.string_dtype())
    np.testing.assert_array_equal(read_rates(path, pops), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="population order"):
        read_rates(path, ["b", "a", "c"])
    with pytest.raises(ValueError, match="shape"):
        read_rates(path, pops + ["d"])
    with h5py.File(path, "w") as f:
        f["rates"] = np.array([1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="finite"):
        read_rates(path, pops)
    with h5py.File(path, "w") as f:
        f["r"] = np.zeros(3)
    with pytest.raises(KeyError, match="rates"):
        read_rates(path, pops)


def _write_summary(path, pops, rates):
    """A summary.csv as cortexflow.analysis.io writes it (comment line, then the columns)."""
    lines = ["# cortexflow spike statistics; options: {}", "population,area,n_neurons,rate,cv_isi"]
    lines += [f"{p},,100,{r!r},0.5" for p, r in zip(pops, rates)]
    path.write_text("\n".join(lines) + "\n")


def test_dc_drive_from_summary_csv(tmp_path, pd14):
    """dc_rates: <sim>: I_DC = C_m/tau_m (1 - sqrt(K_s)) 1e-3 tau_m sum_j J_ij K_ij nu_j from summary.csv rates."""
    rates = [0.8817, 2.9458, 4.3626, 5.8423, 7.4, 8.5822, 1.0877, 7.7815]   # pd14-full-1s, docs/simulation.md
    path = tmp_path / "summary.csv"
    _write_summary(path, list(reversed(pd14.populations)), list(reversed(rates)))   # matched by name
    got = read_summary_rates(path, pd14.populations)
    np.testing.assert_array_equal(got, rates)
    small = downscale(pd14, got, 0.25, 0.25, rates_source=f"simulation full: {path}")
    # the formula, written out: J = W tau_s / C_m, nu = (rates, nu_ext = 8), 1 - sqrt(0.25) = 0.5
    J = pd14.W * 0.5 / 250.0
    nu = np.append(rates, 8.0)
    expected = 250.0 / 10.0 * 0.5 * 1e-3 * 10.0 * (J * pd14.K) @ nu
    np.testing.assert_allclose(small.dc_drive, pd14.dc_drive + expected, rtol=1e-12)
    # the PD14 package's helpers.adjust_weights_and_input_to_synapse_scaling (microcircuit 1.0, Poisson
    # background) at the same rates and K_scaling 0.25 gives these DC amplitudes (pA)
    np.testing.assert_allclose(small.dc_drive, [20.56385324, 80.85005629, 83.30897244, 83.52649725, 90.67116709,
                                                110.67478986, 33.67073866, 113.05022098], rtol=1e-6)
    assert small.params["downscaling"]["rates_source"] == f"simulation full: {path}"
    assert small.params["downscaling"]["rates_full"] == rates
    # the mean input of the full network at these rates is kept
    np.testing.assert_allclose(mean_input(small, rates), mean_input(pd14, rates), rtol=1e-12)


def test_read_summary_rates_errors(tmp_path):
    path = tmp_path / "summary.csv"
    _write_summary(path, ["a", "b"], [1.0, 2.0])
    with pytest.raises(KeyError, match=r"summary.csv: no rate for population\(s\) \['c'\]"):
        read_summary_rates(path, ["a", "b", "c"])
    _write_summary(path, ["a", "b"], [1.0, float("nan")])
    with pytest.raises(ValueError, match="finite"):
        read_summary_rates(path, ["a", "b"])
    path.write_text("population,n\na,1\n")
    with pytest.raises(KeyError, match="column 'rate'"):
        read_summary_rates(path, ["a"])


def test_check_dc_rates():
    """Plan-time checks of dc_rates: exists, same network, not itself, no chains."""
    from cortexflow.simulation.config import check_dc_rates

    sims = {"full": {"network": "pd14", "K_scaling": 1.0},
            "small": {"network": "pd14", "K_scaling": 0.25, "dc_rates": "full"},
            "mf": {"network": "pd14", "K_scaling": 0.25},
            "self": {"network": "pd14", "K_scaling": 0.25, "dc_rates": "self"},
            "nosuch": {"network": "pd14", "K_scaling": 0.25, "dc_rates": "missing"},
            "othernet": {"network": "pd14", "K_scaling": 0.25, "dc_rates": "mam1"},
            "mam1": {"network": "mam", "K_scaling": 1.0},
            "chain": {"network": "pd14", "K_scaling": 0.1, "dc_rates": "small"}}
    assert check_dc_rates("small", sims) == "full"
    assert check_dc_rates("mf", sims) == "meanfield"
    with pytest.raises(ValueError, match="simulations.self.dc_rates: .* from itself"):
        check_dc_rates("self", sims)
    with pytest.raises(ValueError, match="'missing' is neither 'meanfield' nor a simulation"):
        check_dc_rates("nosuch", sims)
    with pytest.raises(ValueError, match="same network"):
        check_dc_rates("othernet", sims)
    with pytest.raises(ValueError, match="itself compensates with simulated rates"):
        check_dc_rates("chain", sims)
