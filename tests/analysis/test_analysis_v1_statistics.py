# SPDX-License-Identifier: GPL-3.0-or-later
"""V1 statistics (PCB18 Fig 6): the Chu et al. 2014 (CRCNS pvc-5) adapter on a synthetic rawSpikeTime directory
in the data set's format, and the model spectrogram."""
import numpy as np
import pytest
from scipy.io import savemat

from cortexflow.analysis import v1_statistics as v1

SEG = 4096  # ms per spectrogram segment (1 ms bins)


def _pvc5(tmp_path, n_seg=60, burst_seg=30, seed=1):
    """Channels 65 and 70 (20 units each) and 120 (> 112: ignored); Poisson 5 / 10 spikes/s, and in segment
    ``burst_seg`` a shared 4 Hz modulation of 40 spikes/s peak (a high-fluctuation phase). With 40 neurons the
    Poisson noise of the mean rate stays below the threshold of 125 (spikes/s)^2/Hz summed over f <= 40 Hz."""
    rng = np.random.default_rng(seed)
    T = n_seg * SEG
    t = np.arange(T) + 0.5
    d = tmp_path / "crcns-pvc5" / "rawSpikeTime"
    d.mkdir(parents=True)
    mod = np.zeros(T)
    sl = slice(burst_seg * SEG, (burst_seg + 1) * SEG)
    mod[sl] = 20.0 * (1 + np.sin(2 * np.pi * 4.0 * t[sl] * 1e-3))
    for ch in (65, 70, 120):
        rows = []
        for unit, base in enumerate([5.0, 10.0] * 10, start=1):
            spikes = t[rng.random(T) < (base + mod) * 1e-3]
            rows.append(np.column_stack([np.full(spikes.size, unit), spikes]))
        savemat(d / f"times_session1_ch{ch}.mat", {"cluster_class": np.vstack(rows)})
    return d


def test_pvc5_adapter_reads_channels_and_splits_phases(tmp_path):
    d = _pvc5(tmp_path)
    trains = v1.read_pvc5(d)
    assert trains["channel"].tolist() == [65] * 20 + [70] * 20        # channel 120 > 112 left out
    out = v1.data_v1(trains)
    assert out["n_neurons"] == 40
    assert out["Sxx"].shape[1] == 59                                  # from the first to the last spike
    # exactly the burst segment exceeds the integrated low-frequency power of 125
    assert np.flatnonzero(~out["low_segments"]).tolist() == [30]
    # rates in the low phase are the Poisson rates, the high phase adds the 150 spikes/s mean modulation
    # (upstream takes +-5 s around each 4.096 s segment: the low phase overlaps the burst edges)
    np.testing.assert_allclose(out["rates_low"], [5, 10] * 20, rtol=0.2)
    assert np.all(out["rates_high"] > out["rates_low"] + 4)      # +20 spikes/s for 4.1 of the 10 s
    # Welch spectrum of the high phase peaks at 4 Hz
    assert out["welch_f"][np.argmax(out["welch_high"])] == pytest.approx(4.0, abs=1.0)


def test_pvc5_adapter_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="rawSpikeTime"):
        v1.read_pvc5(tmp_path)
    savemat(tmp_path / "x_ch65.mat", {"cluster_class": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="n x 2"):
        v1.read_pvc5(tmp_path)


def test_model_spectrogram_finds_oscillation():
    fs_ms = 1.0
    t = np.arange(1500)
    rng = np.random.default_rng(2)
    area = 3 + np.sin(2 * np.pi * 20.0 * t * 1e-3) + 0.2 * rng.standard_normal(t.size)
    series = {"populations": ["V1-23E", "V1-4E"], "areas": ["V1"], "area_rates": area[None, :],
              "bin_ms": fs_ms, "t_start_ms": 500.0}
    dists = {"V1-23E": {"rates": np.array([1.0, 2.0])}, "V1-4E": {"rates": np.array([3.0])}}
    m = v1.model_v1(dists, series, "V1", nperseg=256, noverlap=192)
    assert m["f"][np.argmax(m["Sxx"].mean(1))] == pytest.approx(20.0, abs=4.0)
    assert m["t"][0] == pytest.approx(0.5 + 0.128)
    assert m["rates"]["V1-4E"].tolist() == [3.0]


def test_v1_file_and_figure_with_and_without_data(tmp_path):
    """v1_statistics.h5 round trip; the figure has the model panels and, with recordings, the two data panels."""
    from cortexflow.plotting.v1_statistics import v1_figure
    t = np.arange(1500)
    series = {"populations": ["V1-23E", "V1-4E"], "areas": ["V1"], "bin_ms": 1.0, "t_start_ms": 500.0,
              "area_rates": (3 + np.sin(2 * np.pi * 10.0 * t * 1e-3))[None, :]}
    dists = {"V1-23E": {"rates": np.array([0.0, 2.0])}, "V1-4E": {"rates": np.array([3.0, 5.0])}}
    model = v1.model_v1(dists, series, "V1", 256, 192)
    data = v1.data_v1(v1.read_pvc5(_pvc5(tmp_path)))
    for with_data in (False, True):
        path = tmp_path / f"v1_{with_data}.h5"
        v1.write_v1(path, model, data if with_data else None, {"area": "V1"})
        back = v1.read_v1(path)
        assert (back["data"] is not None) == with_data
        np.testing.assert_array_equal(back["model"]["rates"]["V1-4E"], [3.0, 5.0])
        fig = v1_figure(back, footer="test footer", note="" if with_data else "data panels omitted")
        panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert len([ax for ax in panels if ax.get_title()]) == (4 if with_data else 2)
        if with_data:
            assert "40 neurons" in " ".join(ax.get_title() for ax in panels)
