"""The two-population E-E example of S17 Fig. 2 (cortexflow.theory.ee_example) against independent root finders."""
import numpy as np
import pytest
from scipy.optimize import brentq, fsolve

from cortexflow.theory.ee_example import (bifurcation, ee_network, fixed_points, flow_field, stabilised_indegree,
                                          transfer_curve)
from cortexflow.theory.transfer import phi

K, W = 420.0, 10.0
STARTS = np.linspace(0.0, 100.0, 41)


def _brentq_roots(nu_ext, K_rec=K):
    """Roots of Phi(nu) - nu of the 1-D network from the sign changes on a fine grid, by brentq, with the
    input written out by hand: mu = 1e-3 tau_m J (K_rec nu + K nu_ext), sigma^2 likewise with J^2."""
    J = W * 0.5 / 250.0

    def F(nu):
        mu = 1e-2 * J * (K_rec * nu + K * nu_ext)
        sigma = np.sqrt(1e-2 * J * J * (K_rec * nu + K * nu_ext))
        return float(phi(mu, sigma)) - nu
    grid = np.linspace(1e-9, 100.0, 2001)
    f = np.array([F(x) for x in grid])
    idx = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    return np.array([brentq(F, grid[i], grid[i + 1], xtol=1e-13) for i in idx])


def test_one_dimensional_fixed_points_match_brentq():
    for nu_ext, n_expected in ((150.0, 1), (160.0, 3), (170.0, 1)):
        fp, lam = fixed_points(ee_network(K, W, nu_ext), STARTS)
        ref = _brentq_roots(nu_ext)
        assert fp.shape == (n_expected, 1) and ref.size == n_expected
        np.testing.assert_allclose(fp[:, 0], ref, rtol=1e-8, atol=1e-9)
    fp, lam = fixed_points(ee_network(K, W, 160.0), STARTS)
    np.testing.assert_allclose(fp[:, 0], [0.0048, 15.84966, 41.29255], atol=1e-4)
    # low and high stable, the middle one a saddle (dPhi/dnu > 1)
    assert lam[0] < 1 and lam[1] > 1 and lam[2] < 1
    nu = fp[1, 0]
    net = ee_network(K, W, 160.0)
    slope = (transfer_curve(net, [nu + 1e-4]) - transfer_curve(net, [nu - 1e-4])) / 2e-4
    assert slope[0] == pytest.approx(lam[1], rel=1e-2)


def test_two_dimensional_fixed_points_match_fsolve_from_many_starts():
    mf = ee_network(K, W, 160.0, n_pop=2)
    g1, g2 = np.meshgrid(np.linspace(0, 100, 7), np.linspace(0, 100, 7))
    ours, lam = fixed_points(mf, np.vstack([g1.ravel(), g2.ravel()]))
    found = []
    rng = np.random.default_rng(3)
    for x0 in rng.uniform(0, 60, size=(60, 2)):
        x, info, ier, _ = fsolve(lambda v: phi(*mf.mu_sigma(np.maximum(v, 0)), mf.neuron) - v, x0, full_output=True,
                                 xtol=1e-12)
        if ier == 1 and np.all(x >= -1e-9) and not any(np.allclose(x, f, atol=1e-6) for f in found):
            found.append(x)
    found = np.array(sorted(found, key=lambda v: v.sum()))
    assert ours.shape == found.shape == (3, 2)
    np.testing.assert_allclose(ours, found, atol=1e-6)
    # symmetric, equal to the 1-D fixed points; the saddle has one unstable direction (the sum)
    np.testing.assert_allclose(ours[:, 0], ours[:, 1], atol=1e-9)
    np.testing.assert_allclose(ours[:, 0], _brentq_roots(160.0), atol=1e-8)
    assert list(lam >= 1) == [False, True, False]
    F1, F2 = flow_field(mf, np.linspace(0, 50, 11))
    # the difference nu1 - nu2 decays: F1 - F2 = -(nu1 - nu2)
    a = np.linspace(0, 50, 11)
    X, Y = np.meshgrid(a, a)
    np.testing.assert_allclose(F1 - F2, -(X - Y), atol=1e-9)


def test_bistable_range_and_stabilised_indegree():
    ext = np.arange(150.0, 170.01, 0.5)
    rates, lam = bifurcation(K, W, ext, STARTS)
    bistable = ext[np.isfinite(rates[:, 1])]
    assert bistable.min() == 157.0 and bistable.max() == 165.5
    assert np.all(np.isfinite(rates[ext < 157, 0])) and np.all(np.isnan(rates[ext < 157, 2]))
    assert np.all(np.isfinite(rates[ext > 165.5, 2])) and np.all(np.isnan(rates[ext > 165.5, 0]))
    saddle = _brentq_roots(160.0)[1]
    K_s = stabilised_indegree(K, K, saddle, 1.0)
    assert K_s == pytest.approx(420.0 - 420.0 / 15.84966, abs=1e-3)
    # more drive moves the saddle down (low basin shrinks); K' puts it back exactly
    assert _brentq_roots(161.0)[1] < saddle - 2.0
    np.testing.assert_allclose(_brentq_roots(161.0, K_rec=K_s)[1], saddle, rtol=1e-9)
    with pytest.raises(ValueError, match="positive"):
        stabilised_indegree(K, K, 0.0, 1.0)
