"""Spike statistics: equality with Elephant on seeded random trains, and known answers on synthetic trains."""
import warnings

import numpy as np
import pytest

import tests.support.synthetic as synthetic
from cortexflow.analysis import population_stats as st
from cortexflow.analysis import rates, spectra

RES = 0.1  # ms per step
START, STOP = 5000, 25000  # steps: window [500, 2500) ms
SPB = 10  # 1 ms bins

elephant = pytest.importorskip("elephant")
neo = pytest.importorskip("neo")
pq = pytest.importorskip("quantities")
from elephant.conversion import BinnedSpikeTrain  # noqa: E402
from elephant.spike_train_correlation import correlation_coefficient  # noqa: E402
from elephant.statistics import cv as el_cv, isi as el_isi, lvr as el_lvr  # noqa: E402
from elephant.statistics import mean_firing_rate, time_histogram  # noqa: E402


@pytest.fixture(scope="module")
def trains():
    """60 neurons with heterogeneous rates (some silent, some with 1-2 spikes) and gamma/Poisson mixtures."""
    rng = np.random.default_rng(2024)
    rate = np.concatenate([np.zeros(3), [0.5, 1.0], rng.uniform(2, 40, 45)])
    s1, t1 = synthetic.poisson(50, rate, START, STOP, RES, rng)
    s2, t2 = synthetic.gamma(10, 12.0, 3.0, START, STOP, RES, rng)
    s = np.concatenate([s1, s2 + 50])
    t = np.concatenate([t1, t2])
    order = np.argsort(t, kind="stable")
    return s[order], t[order], 60


def neo_trains(s, t, n):
    return [neo.SpikeTrain(t[s == i] * RES, units="ms", t_start=START * RES, t_stop=STOP * RES) for i in range(n)]


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))


def test_rates_equal_elephant(trains):
    s, t, n = trains
    ours = st.neuron_rates(s, n, (STOP - START) * RES)
    ref = [mean_firing_rate(x).rescale("Hz").magnitude for x in neo_trains(s, t, n)]
    assert np.array_equal(ours == 0, np.asarray(ref) == 0) and (ours == 0).sum() >= 3
    nz = ours > 0
    assert rel(ours[nz], np.asarray(ref)[nz]) < 1e-10
    pop = st.population_rate(s.size, n, (STOP - START) * RES)
    assert pop == pytest.approx(np.mean(ref), rel=1e-12)


def test_binned_rate_equals_elephant_time_histogram(trains):
    s, t, n = trains
    ours = rates.binned_rate(t, n, START, STOP, SPB, RES)
    ref = time_histogram(neo_trains(s, t, n), bin_size=1 * pq.ms, output="rate").rescale("Hz").magnitude.ravel()
    assert ours.shape == ref.shape == (2000,)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=0)


def test_cv_and_lvr_equal_elephant(trains):
    s, t, n = trains
    cv = st.cv_isi(s, t, n)
    lv = st.lvr(s, t, n, RES, R=2.0)
    ref_cv, ref_lv = np.full(n, np.nan), np.full(n, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, x in enumerate(neo_trains(s, t, n)):
            if len(x) >= 3:
                intervals = el_isi(x)
                ref_cv[i] = el_cv(intervals)
                ref_lv[i] = el_lvr(intervals, R=2 * pq.ms)
    assert np.array_equal(np.isnan(cv), np.isnan(ref_cv)) and np.array_equal(np.isnan(lv), np.isnan(ref_lv))
    ok = ~np.isnan(ref_cv)
    assert ok.sum() >= 50 and (~ok).sum() >= 3  # silent and 1-2 spike neurons are excluded
    assert rel(cv[ok], ref_cv[ok]) < 1e-10
    assert rel(lv[ok], ref_lv[ok]) < 1e-10


def test_correlation_coefficients_equal_elephant(trains):
    s, t, n = trains
    ids, r, mean = st.correlation_coefficients(s, t, n, START, STOP, SPB, size=40, seed=7)
    assert ids.size == 40 and np.all(np.bincount(s, minlength=n)[ids] > 0)
    sts = [x for i, x in enumerate(neo_trains(s, t, n)) if i in set(ids)]
    ref = correlation_coefficient(BinnedSpikeTrain(sts, bin_size=1 * pq.ms))
    np.testing.assert_allclose(r, ref, rtol=1e-10, atol=1e-14)
    off = ~np.eye(40, dtype=bool)
    assert mean == pytest.approx(ref[off].mean(), rel=1e-10)
    # same seed -> same subsample; another seed -> another one
    assert np.array_equal(st.correlation_coefficients(s, t, n, START, STOP, SPB, 40, 7)[0], ids)
    assert not np.array_equal(st.correlation_coefficients(s, t, n, START, STOP, SPB, 40, 8)[0], ids)


def test_poisson_known_answers():
    """Poisson: CV ~ 1, LvR = 1 + 4 R ν (Shinomoto 2009 for R > 0), CC ~ 0, synchrony = 1/sqrt(N ν Δ)."""
    rng = np.random.default_rng(1)
    n, nu = 2000, 10.0
    s, t = synthetic.poisson(n, nu, 0, 100000, RES, rng)  # 10 s
    cv = st.cv_isi(s, t, n)
    lv = st.lvr(s, t, n, RES, R=2.0)
    assert np.nanmean(cv) == pytest.approx(1.0, abs=0.02)  # ~100 ISIs per neuron: small-sample bias -1 %
    assert np.nanmean(lv) == pytest.approx(1 + 4 * 2.0 * nu * 1e-3, abs=0.01)  # 1.08
    assert np.nanmean(st.lvr(s, t, n, RES, R=0.0)) == pytest.approx(1.0, abs=0.01)
    _, _, cc = st.correlation_coefficients(s, t, n, 0, 100000, SPB, size=500, seed=0)
    assert abs(cc) < 5e-4
    sync = st.synchrony(t, 0, 100000, SPB)
    assert sync == pytest.approx(1 / np.sqrt(n * nu * 1e-3), rel=0.03)  # 0.224
    assert st.fano_factor_population(t, 0, 100000, SPB) == pytest.approx(1.0, abs=0.05)


def test_regular_and_gamma_known_answers():
    rng = np.random.default_rng(3)
    s, t = synthetic.regular(300, 250, 0, 50000, rng)  # 40 spikes/s, period 25 ms
    assert np.nanmax(st.cv_isi(s, t, 300)) == 0.0
    assert np.nanmax(st.lvr(s, t, 300, RES, R=2.0)) == 0.0
    assert st.neuron_rates(s, 300, 5000.0) == pytest.approx(np.full(300, 40.0))
    s, t = synthetic.gamma(1000, 5.0, 4.0, 0, 200000, RES, rng)  # CV = 0.5
    assert np.nanmean(st.cv_isi(s, t, 1000)) == pytest.approx(0.5, abs=0.02)


def test_few_spike_rules_and_upstream_padding():
    # neuron 0: 2 spikes (1 ISI), 1: 3 spikes, 2: silent; population of N = 4 (one unrecorded)
    s = np.array([0, 1, 0, 1, 1])
    t = np.array([10, 20, 30, 40, 80])
    lv = st.lvr(s, t, 3, 1.0, R=0.0)
    assert np.isnan(lv[0]) and np.isnan(lv[2])
    I1, I2 = 20.0, 40.0
    assert lv[1] == pytest.approx(3 * (1 - 4 * I1 * I2 / (I1 + I2) ** 2))  # 1/3
    assert st.population_lvr(lv) == pytest.approx(1 / 3)
    assert st.population_lvr(lv, n_neurons=4, pad="upstream") == pytest.approx(1 / 12)
    cv = st.cv_isi(s, t, 3)
    assert np.isnan(cv[0]) and cv[1] == pytest.approx(10 / 30)
    assert st.cv_isi(s, t, 3, min_isis=1)[0] == 0.0  # upstream rule (>= 2 spikes) gives CV = 0 here
    with pytest.raises(ValueError, match="pad"):
        st.population_lvr(lv, pad="zero")


def test_kernels_causal_by_default_and_upstream_same_is_acausal():
    x = np.zeros(200)
    x[100] = 1.0
    for name in ("rect", "exp", "alpha"):
        y = rates.smooth(x, name, 5.0, 1.0)
        assert y[:100].max() == 0.0 and y.sum() == pytest.approx(1.0)  # nothing before the impulse
        y_same = rates.smooth(x, name, 5.0, 1.0, mode="same")
        assert y_same[:100].max() > 0  # upstream's np.convolve(..., 'same') leaks into the past
    k = rates.kernel("exp", 5.0, 1.0)
    np.testing.assert_allclose(rates.smooth(x, "exp", 5.0, 1.0, mode="same"),
                               np.convolve(x, k, mode="same"), atol=1e-15)
    y = rates.smooth(x, "gauss", 3.0, 1.0, mode="same")
    assert np.argmax(y) == 100 and y.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="symmetric"):
        rates.smooth(x, "gauss", 3.0, 1.0)


def test_spectrum_of_a_sine_peaks_at_its_frequency_with_boxcar_window():  # Chu 2014 settings
    t = np.arange(20000)  # 1 ms bins
    x = 5 + np.sin(2 * np.pi * 40 * t / 1000)
    chu = {"nperseg": 1024, "noverlap": 1000}  # the Chu 2014 data processing (boxcar)
    f, p = spectra.power_spectrum(x, window="boxcar", **chu)
    assert f[np.argmax(p)] == pytest.approx(40, abs=1.0)
    assert f[1] - f[0] == pytest.approx(1000 / 1024)
    # the window is explicit: Hann gives a different estimate
    _, p_hann = spectra.power_spectrum(x, window="hann", **chu)
    assert not np.allclose(p, p_hann)
    # Parseval (one-sided density): integral of the PSD = variance = 0.5
    assert np.sum(p) * (f[1] - f[0]) == pytest.approx(0.5, rel=0.02)
