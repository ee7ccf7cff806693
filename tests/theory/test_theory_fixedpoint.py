"""Mean-field fixed points, gain matrix and spectrum (cortexflow.theory.fixedpoint, inputs, pipeline)."""
import json

import numpy as np
import pytest
from tests.support.theory_reference import reference_file, upstream_network

from cortexflow.structure.network_file import Network
from cortexflow.structure.pd14 import build_pd14
from cortexflow.theory.fixedpoint import (NotConvergedError, attractors, gain_matrix, integrate,
                                          random_initial_rates, rhs, solve)
from cortexflow.theory.inputs import from_network
from cortexflow.theory.pipeline import meanfield
from cortexflow.theory.transfer import d_nu_d_mu_fd, d_nu_d_sigma2_fd, phi


@pytest.fixture(scope="module")
def published():
    """mam-published ground state: K_prime_original, g = -11, nu_ext = 10, chi = 1, kappa = 1.125."""
    mf = upstream_network("default")
    return mf, solve(mf)


def test_published_ground_state_matches_reference_values(published):
    mf, fp = published
    assert fp.converged and fp.residual < 1e-9
    assert fp.rates.mean() == pytest.approx(3.729158, abs=1e-6)
    np.testing.assert_allclose(fp.rates[:8], [0.432046, 2.149469, 3.343258, 3.131149, 7.693925, 4.907144,
                                              2.273671, 4.688255], atol=1e-6)
    # max Re lambda of G itself (upstream's lambda_max returns its square root: 0.712)
    assert fp.max_re_lambda == pytest.approx(0.507475, abs=1e-5)
    assert fp.eigenvalues.dtype == complex and fp.eigenvalues[0].real == fp.max_re_lambda


def test_fixed_point_equation_holds_with_an_independent_transfer_function(published):
    nnmt_exp = pytest.importorskip("nnmt.lif.exp")
    mf, fp = published
    mu, sigma = mf.mu_sigma(fp.rates)
    ref = nnmt_exp._firing_rate_shift(mu * 1e-3, sigma * 1e-3, 0.0, 15e-3, 10e-3, 2e-3, 0.5e-3)
    assert np.max(np.abs(fp.rates - ref)) < 1e-9
    assert np.max(np.abs(fp.rates - phi(mu, sigma, mf.neuron))) < 1e-9


@pytest.mark.slow
def test_published_ground_state_matches_nnmt_ode_integration(published):
    """nnmt's own solve_ivp(LSODA) fixed-point iteration (independent integrator and transfer function)."""
    nnmt_exp = pytest.importorskip("nnmt.lif.exp")
    mf, fp = published
    nu = nnmt_exp._firing_rates(J=mf.J * 1e-3, K=mf.K, V_0_rel=0.0, V_th_rel=15e-3, tau_m=10e-3, tau_r=2e-3,
                                tau_s=0.5e-3, J_ext=mf.J_ext[:, None] * 1e-3, K_ext=mf.K_ext[:, None],
                                nu_ext=np.array([mf.nu_ext]), method="shift", fixpoint_method="ODE")
    np.testing.assert_allclose(fp.rates, nu, atol=1e-6, rtol=0)


def test_pre2024_network_reproduces_upstream_fullscale_rates():
    ref = json.loads(reference_file("fullscale_rates_pre2024.json").read_text())
    mf = upstream_network("raw_K", g=-16.0, nu_ext=10.0, fac5=1.0, fac6=1.0, facTH=1.0)
    fp = solve(mf)
    expected = np.array([ref[p.split("-")[0]][p.split("-")[1]] for p in mf.populations])
    np.testing.assert_allclose(fp.rates, expected, atol=1e-6, rtol=0)
    assert fp.rates.mean() == pytest.approx(2.327025, abs=1e-6)


def test_s17_base_state_and_gain_matrix():
    mf = upstream_network("raw_K", g=-16.0, nu_ext=8.0, fac5=1.0, fac6=1.0, facTH=1.2)
    fp = solve(mf)
    assert fp.rates.mean() == pytest.approx(1.8535, abs=1e-4)          # reference doc 0.1: 1.854
    assert fp.max_re_lambda == pytest.approx(0.1420, abs=1e-4)         # 0.142
    G = gain_matrix(mf, fp.rates)
    mu, sigma = mf.mu_sigma(fp.rates)
    S, T = d_nu_d_mu_fd(mu, sigma, mf.neuron), d_nu_d_sigma2_fd(mu, sigma, mf.neuron)
    # G_ij = 1e-3 tau_m (S_i K_ij J_ij + T_i K_ij J_ij^2)
    np.testing.assert_allclose(G, 1e-2 * (S[:, None] * mf.K * mf.J + T[:, None] * mf.K * mf.J**2), rtol=1e-12)
    assert np.sort(np.linalg.eigvals(G).real)[-1] == pytest.approx(fp.max_re_lambda, rel=1e-10)
    G_an = gain_matrix(mf, fp.rates, "analytic")
    assert np.max(np.abs(G_an - G)) / np.max(np.abs(G)) < 0.3          # same structure, other definition


def test_bit_identical_across_runs(published, tmp_path):
    from cortexflow.theory.io import read_fixed_point, write_fixed_point
    mf, fp = published
    again = solve(mf)
    assert np.array_equal(again.rates, fp.rates)
    assert np.array_equal(again.eigenvalues, fp.eigenvalues)
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    write_fixed_point(a, mf.populations, fp, {"x": 1})
    write_fixed_point(b, mf.populations, again, {"x": 1})
    assert a.read_bytes() == b.read_bytes()
    back = read_fixed_point(a)
    assert back["populations"][0] == "V1-23E" and back["eigenvalues"].dtype == complex


def test_batched_integration_equals_column_by_column():
    mf = upstream_network("default")
    init = random_initial_rates(mf.n, 3, seed=7, rate_max=20.0)
    batch = integrate(mf, init, dt=0.01, T=0.5)
    for b in range(3):
        np.testing.assert_allclose(batch[:, b], integrate(mf, init[:, b], dt=0.01, T=0.5), rtol=1e-12, atol=1e-12)
    assert rhs(mf, init).shape == init.shape


def test_random_initial_conditions_find_the_states_of_the_metastable_network():
    # chi = 1.9 on cortico-cortical weights (x2 more onto I): low (3.64) and high (23.3 spikes/s) states
    mf = upstream_network("default")
    cc = np.array([p.split("-")[0] for p in mf.populations])
    cc = cc[:, None] != cc[None, :]
    inh = np.array([p.endswith("I") for p in mf.populations])
    mf.J = mf.J * np.where(cc, 1.9, 1.0) * np.where(cc & inh[:, None], 2.0, 1.0)
    mf._refresh()
    found, labels = attractors(mf, random_initial_rates(mf.n, 8, 123))
    means = sorted(round(f.rates.mean(), 3) for f in found)
    assert means == [3.642, 23.289]
    assert labels.shape == (8,) and set(labels) <= {-1, 0, 1}


def test_pd14_fixed_point_from_network_file():
    fp, found, labels, G = meanfield(build_pd14(), {"n_initial": 2})
    np.testing.assert_allclose(fp.rates, [0.7543, 2.7940, 4.4406, 5.8232, 7.1531, 8.4703, 1.1594, 7.7560], atol=1e-4)
    assert fp.max_re_lambda == pytest.approx(0.1164, abs=1e-4)
    assert G.shape == (8, 8) and len(found) == 1 and list(labels) == [0, 0]
    # DC drive instead of Poisson input: same mean input, no external variance -> lower rates
    dc = meanfield(build_pd14({"bg_input_type": "dc"}), {"n_initial": 0})[0]
    assert dc.rates.mean() < fp.rates.mean()


def test_non_convergence_and_bad_networks_raise():
    mf = upstream_network("default")
    with pytest.raises(NotConvergedError, match="not converge"):
        solve(mf, T=0.2)
    with pytest.raises(NotConvergedError, match="had not converged"):
        solve(mf, T=3.0)
    net = build_pd14()
    net.K[0, 1] = -1.0
    with pytest.raises(ValueError, match="negative indegree K\\[23E, 1\\]"):
        from_network(net)
    with pytest.raises(ValueError, match="theory.dt"):
        meanfield(build_pd14(), {"dt": 0.0})
    assert isinstance(build_pd14(), Network)
