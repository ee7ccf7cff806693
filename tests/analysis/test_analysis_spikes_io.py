"""spikes.h5 reading: analysis window, contract errors, streaming memory bound, the per-simulation summary."""
import tracemalloc

import h5py
import numpy as np
import pytest

import tests.support.synthetic as synthetic
from cortexflow.analysis import io, per_simulation
from cortexflow.spikes_file import SpikeFileError, iter_populations, read_info
from tests.support.synthetic import write_spikes

RES = 0.1


def make_file(path, t_presim=0.0, t_sim=2000.0, n_pops=3, n=400, rate=10.0, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = 1, round(t_sim / RES) + 1  # NEST recording: (0, t_sim] after the warm-up
    pops = {}
    for k in range(n_pops):
        s, t = synthetic.poisson(n, rate * (k + 1), lo, hi, RES, rng)
        pops[f"V{k + 1}-23E"] = (s, t, n)
    write_spikes(path, pops, t_sim=t_sim, t_presim=t_presim, resolution=RES, seed=seed)
    return pops


def test_window_is_half_open_in_recorded_time_and_order_follows_the_network(tmp_path):
    path = tmp_path / "spikes.h5"
    pops = make_file(path, t_presim=100.0, t_sim=1900.0)
    info = read_info(path)
    assert info.window_steps(500.0) == (5000, 19000)  # [500, 1900) ms after the warm-up
    assert info.window_steps(0.0, 1000.0) == (0, 10000)
    pop = next(iter_populations(path, t_min=500.0))
    s, t, _ = pops["V1-23E"]
    inside = (t >= 5000) & (t < 19000)
    assert pop.steps.size == inside.sum() and np.array_equal(np.sort(pop.senders), np.sort(s[inside]))
    assert pop.duration_ms == 1400.0
    # network order from the `populations` attribute, not HDF5's alphabetical order
    write_spikes(tmp_path / "o.h5", {"V2-23E": pops["V2-23E"], "V10-23E": pops["V1-23E"]}, t_sim=1900.0)
    assert read_info(tmp_path / "o.h5").populations == ["V2-23E", "V10-23E"]


def test_contract_errors_name_file_and_key(tmp_path):
    path = tmp_path / "spikes.h5"
    make_file(path)
    with pytest.raises(SpikeFileError, match="not a multiple of the resolution"):
        read_info(path).window_steps(500.05)
    with pytest.raises(SpikeFileError, match="exceeds t_sim"):
        read_info(path).window_steps(500.0, 5000.0)
    with pytest.raises(SpikeFileError, match="bin_ms = 0.25"):
        per_simulation.compute(path, per_simulation.AnalysisOptions(bin_ms=0.25))
    with h5py.File(path, "a") as f:  # absolute times (incl. t_presim) would put spikes after t_sim
        f.attrs["t_sim"] = 1000.0
    with pytest.raises(SpikeFileError, match="times must count from the end of t_presim"):
        list(iter_populations(path, t_min=0.0))
    with h5py.File(path, "a") as f:
        del f["V2-23E"].attrs["n_neurons"]
    with pytest.raises(SpikeFileError, match="V2-23E.*n_neurons"):
        read_info(path)
    with pytest.raises(SpikeFileError, match="no such spikes file"):
        read_info(tmp_path / "missing.h5")


def _peak(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_streaming_memory_is_bounded_by_one_population(tmp_path):
    """Peak memory does not grow with the number of populations (8 vs 2 copies of a 1e6-spike population)."""
    one = tmp_path / "one.h5"
    make_file(one, t_sim=5000.0, n_pops=1, n=20000, rate=10.0)  # ~1e6 spikes
    peaks = {}
    for n_pops in (2, 8):
        path = tmp_path / f"spikes{n_pops}.h5"
        with h5py.File(one) as src, h5py.File(path, "w") as f:
            f.attrs.update(src.attrs)
            for k in range(1, n_pops + 1):
                src.copy("V1-23E", f, name=f"V{k}-23E")
        total = []
        read = _peak(lambda path=path, total=total: total.extend(p.steps.size
                                                                 for p in iter_populations(path, t_min=0.0)))
        assert sum(total) == pytest.approx(n_pops * 1.0e6, rel=0.01)
        stats = _peak(lambda path=path: per_simulation.compute(path, per_simulation.AnalysisOptions(
            t_min=0.0, cc_subsample=200)))
        peaks[n_pops] = read, stats
    one_pop_bytes = 2 * 8 * 1.0e6  # senders + steps as int64
    assert peaks[8][0] < 2.5 * one_pop_bytes  # reading: about one population (the file is 8x that)
    assert peaks[8][1] < 7 * one_pop_bytes  # statistics: a few temporaries of one population
    assert peaks[8][1] < 1.15 * peaks[2][1]  # ... independent of the number of populations


def test_summary_and_outputs_round_trip(tmp_path):
    path = tmp_path / "spikes.h5"
    make_file(path, t_sim=20500.0, n_pops=3, n=300, rate=5.0, seed=1)
    opts = per_simulation.AnalysisOptions(cc_subsample=100, cc_pairs_stored=500, seed=3)
    summary, dists, series = per_simulation.compute(path, opts)
    assert list(summary["population"]) == ["V1-23E", "V2-23E", "V3-23E"]
    np.testing.assert_allclose(summary["rate"], [5, 10, 15], rtol=0.01)
    np.testing.assert_allclose(summary["cv_isi"], 1.0, atol=0.03)  # >= 100 ISIs per neuron
    np.testing.assert_allclose(summary["lvr"], 1 + 8e-3 * np.array([5, 10, 15]), atol=0.03)
    assert (summary["n_cc"] == 100).all() and (np.abs(summary["cc"]) < 2e-3).all()
    assert dists["V1-23E"]["cc_pairs"].size == 500 and dists["V1-23E"]["rates"].size == 300
    assert series["rates"].shape == (3, 20000) and series["areas"] == ["V1", "V2", "V3"]
    np.testing.assert_allclose(series["rates"].mean(axis=1), summary["rate"], rtol=1e-6)
    io.write_summary(tmp_path / "summary.csv", summary, opts)
    io.write_distributions(tmp_path / "d.h5", dists, opts)
    io.write_rate_series(tmp_path / "r.h5", series, opts)
    back = io.read_summary(tmp_path / "summary.csv")
    np.testing.assert_allclose(back["lvr"], summary["lvr"], rtol=1e-9)
    assert io.read_rate_series(tmp_path / "r.h5")["bin_ms"] == 1.0
    d = io.read_distributions(tmp_path / "d.h5", ["V2-23E"])
    np.testing.assert_array_equal(d["V2-23E"]["cc_ids"], dists["V2-23E"]["cc_ids"])
    # deterministic: same options -> identical statistics
    again, _, _ = per_simulation.compute(path, opts)
    assert again.equals(summary)
    assert not (tmp_path / ".tmp-summary.csv").exists()


def test_pd14_population_names_and_silent_population(tmp_path):
    path = tmp_path / "spikes.h5"
    rng = np.random.default_rng(0)
    s, t = synthetic.poisson(100, 4.0, 1, 15001, RES, rng)
    write_spikes(path, {"23E": (s, t, 100), "23I": (np.zeros(0, int), np.zeros(0, int), 50)},
                 t_sim=1500.0, t_presim=500.0, resolution=RES)
    summary, _, series = per_simulation.compute(path, per_simulation.AnalysisOptions(t_min=500.0))
    silent = summary.set_index("population").loc["23I"]
    assert silent["rate"] == 0 and silent["fraction_silent"] == 1 and silent["n_cc"] == 0
    assert np.isnan(silent["cv_isi"]) and np.isnan(silent["lvr"]) and np.isnan(silent["synchrony"])
    assert series["areas"] == [""]


def test_the_tests_write_through_the_simulation_writer(tmp_path):
    """tests/support/synthetic.py stores its trains with cortexflow.spikes_file.write_spikes, the writer of rule
    simulate: (time, sender) order, times in steps with their resolution, the file attributes of a run."""
    senders, steps = np.array([5, 1, 3, 0, 2]), np.array([30, 10, 10, 20, 10])
    n = write_spikes(tmp_path / "s.h5", {"23E": (senders, steps, 6)}, t_sim=10.0, t_presim=2.0, seed=7)
    assert n == 5
    with h5py.File(tmp_path / "s.h5") as f:
        g = f["23E"]
        assert g["times"][()].tolist() == [10, 10, 10, 20, 30] and g["senders"][()].tolist() == [1, 2, 3, 0, 5]
        assert g["times"].attrs["resolution"] == 0.1 and g["times"].attrs["unit"] == "steps"
        assert f.attrs["seed"] == 7 and f.attrs["t_presim"] == 2.0 and list(f.attrs["populations"]) == ["23E"]
    pop = next(iter_populations(tmp_path / "s.h5", t_min=1.0))
    assert pop.steps.tolist() == [10, 10, 10, 20, 30] and pop.n_neurons == 6
