"""Area signals: synaptic-input proxy, BOLD, FC (incl. the experimental csv), Louvain, temporal hierarchy."""
import csv
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from cortexflow.analysis import fc, fmri, hierarchy
from cortexflow.areas import AREAS

ROOT = Path(__file__).resolve().parents[2]
EXP_FC = ROOT / "data/raw/Fig8_exp_func_conn.csv"
if not EXP_FC.is_file():
    EXP_FC = ROOT.parent / "shared/data/mam_raw/Fig8_exp_func_conn.csv"


def test_synaptic_input_by_hand_and_causality():
    pops = ["A-23E", "A-23I", "B-23E"]
    K = np.array([[10, 5, 2, 100], [8, 4, 0, 100], [3, 0, 6, 100]], float)  # last column external
    W = np.array([[87.8, -351., 87.8, 87.8]] * 3)
    N = np.array([100.0, 25.0, 50.0])
    T = 60
    rates = np.zeros((3, T))
    rates[2, 30] = 1000.0  # one bin of B-23E activity
    areas, sig = fmri.synaptic_input(rates, pops, pops, K, W, N, tau_s=0.5, kernel_ms=20, bin_ms=1.0)
    assert areas == ["A", "B"]
    k = np.exp(-np.arange(20) / 0.5)
    # area A: N-weighted mean of 23E (2 * 87.8 * 1000) and 23I (0)
    expect_A = 100 / 125 * 2 * 87.8 * 1000 * k
    np.testing.assert_allclose(sig[0, 30:50], expect_A, rtol=1e-12)
    assert np.all(sig[:, :30] == 0)  # causal: nothing before the input
    _, same = fmri.synaptic_input(rates, pops, pops, K, W, N, mode="upstream_same")
    np.testing.assert_allclose(same[0], np.convolve(
        (100 * 2 * 87.8 * rates[2]) / 125, k, mode="same"), rtol=1e-12, atol=1e-9)
    assert same[0, :30].max() > 0  # upstream's 'same' convolution leaks ~10 ms into the past
    with pytest.raises(ValueError, match="not recorded"):
        fmri.synaptic_input(rates[:2], pops[:2], pops, K, W, N)


def test_bold_rest_impulse_response_and_scipy_agreement():
    dt = 1e-3
    x = np.zeros((2, 30000))
    x[1, 1000:1100] = 1.0  # 100 ms pulse at t = 1 s
    y = fmri.bold_signal(x, dt)
    assert np.max(np.abs(y[0])) < 1e-15  # rest stays at rest
    t_peak = np.argmax(y[1]) * dt - 1.0
    assert 3.0 < t_peak < 6.5  # canonical hemodynamic peak ~4-5 s
    assert y[1, 15000:].min() < 0  # post-stimulus undershoot
    # RK4 at 1 ms agrees with scipy's adaptive solver on the same piecewise-constant input
    p = fmri.BALLOON

    def rhs(t, s):
        u = 1.0 if 1.0 <= t < 1.1 else 0.0
        return fmri._balloon_rhs(s, u, p)

    sol = solve_ivp(rhs, (0, 30), [0, 1, 1, 1], method="LSODA", rtol=1e-10, atol=1e-12, max_step=1e-3,
                    t_eval=np.arange(1, 30001) * dt)
    _, _, v, q = sol.y
    ref = p["V0"] * (7 * p["rho"] * (1 - q) + 2 * (1 - q / v) + (2 * p["rho"] - 0.2) * (1 - v))
    assert np.max(np.abs(y[1, 2000:] - ref[2000:])) < 1e-3 * np.max(np.abs(ref))


def upstream_exp_fc(path):
    """Upstream's dictionary parser (rows and columns keyed by name), re-written here as a test oracle."""
    data = {}
    with open(path) as f:
        reader = csv.reader(f, delimiter="\t")
        for _ in range(3):
            next(reader)
        names = next(reader)
        for k, line in enumerate(reader):
            if line:
                data[names[k]] = {names[i]: float(v) for i, v in enumerate(line)}
    return np.array([[data[a][b] for b in AREAS] for a in AREAS])


@pytest.mark.skipif(not EXP_FC.is_file(), reason="Fig8_exp_func_conn.csv not available (run rule raw_data)")
def test_experimental_fc_parser_blocks():
    names, second = fc.read_experimental_fc(EXP_FC, "second")
    assert len(names) == 77 and names[:3] == ["1", "10", "11"]
    exp = fc.restrict(names, second, AREAS)
    np.testing.assert_array_equal(exp, upstream_exp_fc(EXP_FC))  # the published choice
    np.testing.assert_allclose(exp, exp.T) and np.testing.assert_array_equal(np.diag(exp), 0)
    _, first = fc.read_experimental_fc(EXP_FC, "first")
    assert np.abs(first - second).max() == pytest.approx(0.4563023865, abs=1e-9)
    _, mean = fc.read_experimental_fc(EXP_FC, "mean")
    np.testing.assert_allclose(mean, (first + second) / 2)
    i, j = AREAS.index("V1"), AREAS.index("V2")
    assert exp[i, j] == pytest.approx(second[names.index("V1"), names.index("V2")])
    with pytest.raises(ValueError, match="exp_block"):
        fc.read_experimental_fc(EXP_FC, "both")


def test_fc_and_louvain_are_deterministic_and_find_blocks():
    rng = np.random.default_rng(0)
    common = rng.normal(size=(3, 5000))
    names = [f"a{i}" for i in range(12)]
    sig = common[np.arange(12) // 4] + 0.8 * rng.normal(size=(12, 5000))
    F = fc.functional_connectivity(sig)
    assert F.shape == (12, 12) and np.allclose(np.diag(F), 1)
    assert F[0, 1] == pytest.approx(1 / 1.64, abs=0.03)  # 1 / (1 + 0.8^2)
    part = fc.louvain(F, names, seed=1)
    assert [part[n] for n in names] == [0] * 4 + [1] * 4 + [2] * 4
    assert fc.louvain(F, names, seed=1) == part
    assert fc.fc_similarity(F, F) == pytest.approx(1.0)


def test_cross_correlation_lag_sign_and_least_squares_hierarchy():
    rng = np.random.default_rng(1)
    base = np.convolve(rng.normal(size=20000), np.ones(5) / 5, mode="same")
    delays = np.array([0, 7, 3, 12])  # area k = base delayed by delays[k] bins
    sig = np.array([np.roll(base, d) for d in delays]) + 0.3 * rng.normal(size=(4, 20000))
    lags, C = hierarchy.cross_correlation(sig, 50)
    tau = hierarchy.peak_lags(lags, C, bin_ms=1.0, sigma_ms=2.0)
    np.testing.assert_array_equal(tau, delays[:, None] - delays[None, :])  # tau_ij > 0: i follows j
    assert C[1, 1, 50] == pytest.approx(1.0)
    h = hierarchy.temporal_hierarchy(tau)
    np.testing.assert_allclose(h, delays / 12)
    h2 = hierarchy.temporal_hierarchy(tau, valid=[True, True, False, True])
    assert np.isnan(h2[2]) and h2[3] == 1.0 and h2[0] == 0.0
