"""Shifted Siegert transfer function and its derivatives (cortexflow.theory.transfer)."""
import numpy as np
import pytest

from cortexflow.theory.transfer import (ALPHA, G, LIFParams, d_nu_d_mu_and_sigma2, d_nu_d_mu_fd,
                                        d_nu_d_sigma2_fd, phi)

nnmt_exp = pytest.importorskip("nnmt.lif.exp")
P = LIFParams()


def nnmt_phi(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, float), np.asarray(sigma, float))
    out = nnmt_exp._firing_rate_shift(mu.ravel() * 1e-3, sigma.ravel() * 1e-3, 0.0, 15e-3, 10e-3, 2e-3, 0.5e-3)
    return np.asarray(out).reshape(mu.shape)


def test_phi_matches_nnmt_to_1e_10():
    mu = np.linspace(-20.0, 40.0, 241)[:, None]
    sigma = np.array([0.3, 1.0, 2.0, 5.0, 10.0, 30.0])[None, :]
    ours, ref = phi(mu, sigma, P), nnmt_phi(mu, sigma)
    ok = ref > 1e-200            # nnmt underflows to 0 deep below threshold where we return ~1e-300
    assert ok.sum() > 1200
    np.testing.assert_allclose(ours[ok], ref[ok], rtol=1e-10, atol=0)
    assert np.all(ours[~ok] < 1e-200)
    rng = np.random.default_rng(3)
    mu, sigma = rng.uniform(-30, 60, 5000), rng.uniform(0.1, 40, 5000)
    ref = nnmt_phi(mu, sigma)
    ok = ref > 1e-200
    np.testing.assert_allclose(phi(mu, sigma, P)[ok], ref[ok], rtol=1e-10, atol=0)


def test_known_values_and_limits():
    assert ALPHA == pytest.approx(2.0652531522312172, rel=1e-14)   # NEST siegert_neuron constant
    assert phi(10.0, 5.0, P) == pytest.approx(11.657126901313, rel=1e-11)
    # far above threshold with tiny noise -> deterministic LIF rate 1/(t_ref + tau_m ln(mu/(mu - theta)))
    assert phi(30.0, 1e-6, P) == pytest.approx(1e3 / (2.0 + 10.0 * np.log(30.0 / 15.0)), rel=1e-6)
    assert phi(30.0, 0.0, P) == pytest.approx(1e3 / (2.0 + 10.0 * np.log(2.0)), rel=1e-12)
    assert phi(10.0, 0.0, P) == 0.0
    assert phi(-200.0, 1.0, P) == 0.0
    # G(x) = int_0^x erfcx: inside the table and through its asymptotic continuation
    from scipy.integrate import quad
    from scipy.special import erfcx
    for x in (0.3, 5.0, 63.9, 64.1, 500.0):
        assert G(x) == pytest.approx(quad(erfcx, 0, x, epsabs=0, epsrel=1e-13, limit=200)[0], rel=1e-12)


def test_finite_difference_derivatives_as_upstream():
    # upstream d_nu_d_mu_fb_numeric at mu = 10, sigma = 5 (reference doc 4.4: 4.072 Hz/mV)
    assert d_nu_d_mu_fd(10.0, 5.0, P) == pytest.approx(4.0717146, rel=1e-6)
    # upstream keeps the shifted boundaries fixed in mV when it varies sigma -> differs from the exact one
    assert d_nu_d_sigma2_fd(10.0, 5.0, P) == pytest.approx(0.5413996, rel=1e-6)
    nu, dmu, ds2 = d_nu_d_mu_and_sigma2(10.0, 5.0, P)
    assert ds2 == pytest.approx(0.4476589, rel=1e-6)
    assert dmu == pytest.approx(4.0683506, rel=1e-6)


def test_analytic_derivatives_match_central_differences():
    mu = np.array([-5.0, 5.0, 12.0, 14.9, 18.0, 30.0])
    sigma = np.array([3.0, 4.0, 2.0, 1.0, 6.0, 10.0])
    nu, dmu, ds2 = d_nu_d_mu_and_sigma2(mu, sigma, P)
    h = 1e-5
    np.testing.assert_allclose(nu, phi(mu, sigma, P), rtol=1e-13)
    np.testing.assert_allclose(dmu, (phi(mu + h, sigma, P) - phi(mu - h, sigma, P)) / (2 * h), rtol=1e-6)
    s2 = sigma**2
    num = (phi(mu, np.sqrt(s2 + h), P) - phi(mu, np.sqrt(s2 - h), P)) / (2 * h)
    np.testing.assert_allclose(ds2, num, rtol=1e-5, atol=1e-12)
