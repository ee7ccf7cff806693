# SPDX-License-Identifier: GPL-3.0-or-later
"""Welch spectra that mean what they say (cortexflow.analysis.spectra, rate_series_products.write_spectra and the
plan-time check of analysis.welch): the segment count of a window, the attributes of spectra.h5, the stop
on a too short window, and the spectrum of a known sinusoid in noise."""
from pathlib import Path
from types import SimpleNamespace as Wildcards

import h5py
import numpy as np
import pytest
import yaml
from scipy.signal import periodogram

from cortexflow.analysis import io, per_simulation, rate_series_products, spectra
from cortexflow.workflow import simulations as wf
from cortexflow.workflow.inputs import Inputs

ROOT = Path(__file__).resolve().parents[2]


def _rate_series(path, n_bins, seed=0, bin_ms=1.0):
    rng = np.random.default_rng(seed)
    pops = ["V1-23E", "V1-23I", "V2-23E"]
    rates = rng.poisson(5.0, (3, n_bins)).astype(np.float32)
    series = {"populations": pops, "areas": ["V1", "V2"], "rates": rates, "n_recorded": np.array([10, 5, 10]),
              "area_rates": np.stack([rates[:2].mean(0), rates[2]]).astype(np.float32), "bin_ms": bin_ms,
              "t_start_ms": 500.0}
    io.write_rate_series(path, series, per_simulation.AnalysisOptions())
    return series


def test_segment_count_of_a_window():
    # K = 1 + floor((n - nperseg) / (nperseg - noverlap))
    assert spectra.n_segments(1200, 256, 128) == 8      # the default on a 1.2 s window at 1 ms bins
    assert spectra.n_segments(1151, 256, 128) == 7
    assert spectra.n_segments(1000, 256, 128) == 6      # the old 1 s default window
    assert spectra.n_segments(1000, 1024, 1000) == 0    # Chu 2014 settings on 1 s: no segment at all
    assert spectra.n_segments(1200, 1024, 1000) == 8    # ... and 8 nearly identical ones on 1.2 s
    assert spectra.n_segments(1500, 256, 0) == 5
    with pytest.raises(ValueError, match="analysis.welch"):
        spectra.n_segments(1000, 256, 256)
    # the count is the one scipy averages: the mean of the K segment periodograms equals welch
    x = np.random.default_rng(1).normal(size=1200)
    f, p, info = spectra.welch_spectrum(x)
    assert info["n_segments"] == 8
    segs = [x[k * 128:k * 128 + 256] - x.mean() for k in range(8)]
    manual = np.mean([periodogram(s, fs=1000.0, window="hann", detrend="constant")[1] for s in segs], axis=0)
    np.testing.assert_allclose(p, manual, rtol=1e-10)


def test_spectra_h5_attributes_are_what_was_computed(tmp_path):
    _rate_series(tmp_path / "rs.h5", 1300)
    info = rate_series_products.write_spectra(tmp_path / "rs.h5", tmp_path / "spectra.h5",
                                              {"nperseg": 200, "noverlap": 100, "window": "hamming"})
    with h5py.File(tmp_path / "spectra.h5") as f:
        attrs = dict(f.attrs)
        freqs = f["frequencies"][()]
        assert f["population_psd"].shape == (3, 101) and f["area_psd"].shape == (2, 101)
    expected = {"nperseg": 200, "noverlap": 100, "window": "hamming", "detrend": "constant", "fs_hz": 1000.0,
                "n_samples": 1300, "n_segments": 12, "frequency_resolution_hz": 5.0, "min_segments": 8}
    assert {k: attrs[k] for k in expected} == expected == info
    assert freqs[1] - freqs[0] == pytest.approx(attrs["frequency_resolution_hz"])
    # defaults (config analysis.welch): Hann 256/128, 8 segments on 1200 samples, 3.9 Hz
    _rate_series(tmp_path / "rs2.h5", 1200)
    info = rate_series_products.write_spectra(tmp_path / "rs2.h5", tmp_path / "s2.h5", {})
    assert (info["window"], info["nperseg"], info["noverlap"], info["n_segments"]) == ("hann", 256, 128, 8)
    assert info["frequency_resolution_hz"] == pytest.approx(3.90625)


def test_too_short_window_stops_naming_analysis_welch(tmp_path):
    _rate_series(tmp_path / "rs.h5", 1000)
    with pytest.raises(ValueError, match=r"analysis\.welch.*1000 samples.*6 segment.*min_segments = 8.*lower "
                                         r"nperseg.*longer t_sim.*1152 samples"):
        rate_series_products.write_spectra(tmp_path / "rs.h5", tmp_path / "spectra.h5", {})
    assert not (tmp_path / "spectra.h5").exists()
    # nperseg is never clipped to the signal: longer than the window is an error, not one periodogram
    with pytest.raises(ValueError, match="0 segment"):
        spectra.power_spectrum(np.ones(500), nperseg=1024, noverlap=1000)
    # fewer segments are accepted only when asked for
    info = rate_series_products.write_spectra(tmp_path / "rs.h5", tmp_path / "spectra.h5", {"min_segments": 6})
    assert info["n_segments"] == 6


def _config(**analysis):
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    cfg["analysis"].update(analysis)
    return cfg


def test_plan_time_check_of_the_default_and_of_a_bad_config():
    cfg = _config()
    for sim in cfg["simulations"]:  # the default simulations give >= 8 segments
        assert wf.check_welch(cfg, sim) >= 8
        assert wf.analysis_window_samples(cfg, sim) >= 1200
    assert Inputs(cfg, {}).power_spectra(Wildcards(sim="mam-ground")) == {
        "rate_series": "results/sims/mam-ground/stats/rate_series.h5"}
    bad = _config(welch={"nperseg": 512, "noverlap": 256})
    bad["simulations"]["mam-ground"]["t_sim"] = 1700.0  # 1200 samples: 3 segments
    with pytest.raises(ValueError, match=r"analysis\.welch \(simulation 'mam-ground'.*nperseg = 512, noverlap = 256.*"
                                         r"3 segment.*t_sim >= 2804 ms$"):
        Inputs(bad, {}).power_spectra(Wildcards(sim="mam-ground"))
    # t_max and bin_ms set the window: 2 ms bins halve the samples
    assert wf.analysis_window_samples(_config(bin_ms=2.0, t_max=1500.0), "pd14") == 500


def test_spectrum_of_a_sinusoid_in_noise_peaks_at_its_frequency():
    rng = np.random.default_rng(12345)
    t = np.arange(1200)  # 1.2 s at 1 ms bins: the default window
    sigma, f0 = 2.0, 37.0
    x = 10 + np.sin(2 * np.pi * f0 * t / 1000) + rng.normal(0, sigma, t.size)
    f, p, info = spectra.welch_spectrum(x)
    assert info["n_segments"] == 8
    assert abs(f[np.argmax(p)] - f0) <= info["frequency_resolution_hz"] / 2
    df = f[1] - f[0]
    peak = np.abs(f - f0) <= 2 * df
    noise = (f > 60) & (f < 480)
    assert np.mean(p[noise]) == pytest.approx(2 * sigma ** 2 / 1000, rel=0.1)  # white noise: 2 sigma^2 / fs
    # the power in the peak above the noise floor is the sine's variance 1/2 (Parseval)
    assert np.sum(p[peak] - np.mean(p[noise])) * df == pytest.approx(0.5, rel=0.15)
    # averaging: the scatter of the noise floor is far below that of one periodogram (relative SD 1)
    rel_sd = np.std(p[noise]) / np.mean(p[noise])
    f1, p1 = periodogram(x - x.mean(), fs=1000.0, window="hann")
    sel1 = (f1 > 60) & (f1 < 480)
    assert np.std(p1[sel1]) / np.mean(p1[sel1]) > 0.8
    assert 0.2 < rel_sd < 0.5
