# SPDX-License-Identifier: GPL-3.0-or-later
"""NEST backend (cortexflow.simulation): counts, determinism, spikes.h5 format, input checks, pd14 rates."""
import json
import os

import h5py
import numpy as np
import pytest

pytest.importorskip("nest")

from cortexflow.simulation import mpi                                        # noqa: E402
from cortexflow.simulation.config import SimConfig                           # noqa: E402
from cortexflow.simulation.output import merged_from_ranks, remove_rank_files, write_rank_file  # noqa: E402
from cortexflow.simulation.run import run                                    # noqa: E402
from cortexflow.spikes_file import write_spikes                              # noqa: E402
from cortexflow.structure.network_file import Network, write_network         # noqa: E402
from cortexflow.structure.scaling import downscale                           # noqa: E402

pytestmark = pytest.mark.nest

PD14_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
PD14_V0 = {"V0_mean": [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43],
           "V0_sd": [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48], "delay_ext": 1.5}


def pd14_scaled(scale):
    pd14 = pytest.importorskip("cortexflow.structure.pd14")
    return downscale(pd14.build_pd14(), PD14_RATES, scale, scale)


def two_area_network():
    """A small synthetic multi-area network (2 areas x 2 populations) with mam-style params."""
    pops = ["V1-23E", "V1-23I", "V2-23E", "V2-23I"]
    N = np.array([300.4, 80.9, 250.0, 60.2])
    K = np.array([[40, 20, 10, 0, 100], [50, 20, 5, 0, 100], [15, 0, 40, 20, 100], [10, 0, 50, 20, 100.]])
    W = np.tile([80.0, -500.0, 120.0, -500.0, 80.0], (4, 1))
    W[[0, 1], 3] = W[[2, 3], 1] = 0.0
    delay = np.where(np.arange(4) % 2 == 0, 1.5, 0.75)[None, :].repeat(4, 0)
    delay[:2, 2:] = delay[2:, :2] = 5.0
    return Network(model="mam", populations=pops, N=N, K=K, synapses=K * N[:, None], W=W, W_sd=0.1 * np.abs(W),
                   delay=delay, delay_sd=0.5 * delay, dc_drive=np.full(4, 350.0),
                   params={"C_m": 250.0, "tau_m": 10.0, "tau_syn_ex": 0.5, "tau_syn_in": 0.5, "t_ref": 2.0,
                           "E_L": -65.0, "V_th": -50.0, "V_reset": -65.0, "rate_ext": 10.0,
                           "V0_mean": -150.0, "V0_sd": 50.0})


def sim_dict(net, **kw):
    d = {"network": "test", "N_scaling": net.N_scaling, "K_scaling": net.K_scaling, "t_sim": 600.0,
         "t_presim": 100.0, "threads": 2, "seed": 1}
    d.update(kw)
    return d


def run_file(tmp_path, net, tag="a", **kw):
    write_network(tmp_path / "net.h5", net)
    out = tmp_path / f"spikes_{tag}.h5"
    summary = run(tmp_path / "net.h5", sim_dict(net, **kw), out, tmp_path / f"run_{tag}.json", name=tag,
                  log=lambda m: None)
    return out, summary


def read_spikes(path):
    with h5py.File(path, "r") as f:
        return {p: (f[p]["senders"][()], f[p]["times"][()]) for p in f.attrs["populations"]}


# ------------------------------------------------------------------ structure in NEST
def test_neuron_and_connection_counts():
    """NEST holds sum int(N) neurons and int(synapses) connections for every population pair."""
    import nest
    from cortexflow.simulation.network import NestNetwork

    net = pd14_scaled(0.01)
    nn = NestNetwork(net, SimConfig.from_dict(sim_dict(net, **PD14_V0)), log=lambda m: None)
    nn.build()
    expected_N = np.floor(net.N).astype(int)
    assert [len(nn.pops[i]) for i in range(8)] == list(expected_N)
    assert len(nest.GetNodes({"model": "iaf_psc_exp"})) == expected_N.sum() == 767
    expected = np.floor(net.synapses[:, :8]).astype(int)
    for i in range(8):
        for j in range(8):
            conns = nest.GetConnections(source=nn.pops[j], target=nn.pops[i])
            assert len(conns) == expected[i, j], (i, j)
    assert nn.n_connections == expected.sum() == 29864
    # external input: one generator connection per neuron; recorders: one per recorded neuron
    assert nest.num_connections == expected.sum() + 2 * expected_N.sum()
    # sign-preserving weights, delays >= resolution
    w = np.array(nest.GetConnections(source=nn.pops[1], target=nn.pops[0]).weight)
    d = np.array(nest.GetConnections(source=nn.pops[0], target=nn.pops[0]).delay)
    assert w.max() < 0 and abs(w.mean() / net.W[0, 1] - 1) < 0.05
    assert d.min() >= 0.1 and abs(d.mean() - 1.5) < 0.15


def test_areas_simulated_subset(tmp_path):
    """areas_simulated drops the other areas' neurons and every connection to or from them."""
    import nest
    from cortexflow.simulation.network import NestNetwork

    net = two_area_network()
    nn = NestNetwork(net, SimConfig.from_dict(sim_dict(net, areas_simulated=["V2"])), log=lambda m: None)
    nn.build()
    assert sorted(nn.pops) == [2, 3]
    assert len(nest.GetNodes({"model": "iaf_psc_exp"})) == 250 + 60
    assert nn.n_connections == int(40 * 250) + int(20 * 250) + int(50 * 60.2) + int(20 * 60.2)
    with pytest.raises(ValueError, match="not in areas_simulated"):
        NestNetwork(net, SimConfig.from_dict(sim_dict(net, areas_simulated=["V2"], areas_recorded=["V1"])))


# ------------------------------------------------------------------ dynamics and determinism
def test_same_seed_same_spikes_and_format(tmp_path):
    net = pd14_scaled(0.02)
    a, sa = run_file(tmp_path, net, "a", **PD14_V0)
    b, _ = run_file(tmp_path, net, "b", **PD14_V0)
    c, _ = run_file(tmp_path, net, "c", seed=2, **PD14_V0)
    A, B, C = read_spikes(a), read_spikes(b), read_spikes(c)
    for p in A:
        np.testing.assert_array_equal(A[p][0], B[p][0])
        np.testing.assert_array_equal(A[p][1], B[p][1])
    assert any(len(A[p][1]) != len(C[p][1]) or np.any(A[p][1] != C[p][1]) for p in A)
    # format (docs/design.md contract)
    with h5py.File(a, "r") as f:
        assert list(f.attrs["populations"]) == ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
        for key in ("t_sim", "t_presim", "seed", "num_processes", "threads", "nest_version", "params"):
            assert key in f.attrs
        assert f.attrs["t_sim"] == 600.0 and f.attrs["num_processes"] == 1 and f.attrs["threads"] == 2
        assert json.loads(f.attrs["params"])["simulation"]["seed"] == 1
        for p in f.attrs["populations"]:
            g = f[p]
            s, t = g["senders"][()], g["times"][()]
            assert s.dtype == np.int32 and t.dtype == np.int32
            assert g["times"].attrs["resolution"] == 0.1
            assert g.attrs["n_neurons"] == g.attrs["n_recorded"] == int(np.floor(net.N[list(f).index(p)]))
            assert np.all(np.diff(t) >= 0) and t.min() >= 1 and t.max() <= 6000
            same_t = np.diff(t) == 0
            assert np.all(np.diff(s)[same_t] > 0)          # (time, sender) order, no duplicates
            assert s.min() >= 0 and s.max() < g.attrs["n_recorded"]
    summary = json.loads((tmp_path / "run_a.json").read_text())
    for key in ("build_time_s", "simulate_time_s", "rtf", "peak_rss_mb", "n_neurons", "n_connections",
                "n_spikes"):
        assert key in summary
    assert summary["n_neurons"] == 1539 and summary["n_spikes"] == sum(len(v[1]) for v in A.values())
    assert summary["n_spikes_all_neurons"] >= summary["n_spikes"]
    # plausible pd14 rates at 2 % scale, 0.6 s. Full scale: 0.9 ... 8.6 spikes/s; at 2 % (J x 7) measured
    # 0.03 0.17 1.6 1.27 2.03 4.13 0.12 4.08 (seed 1): L2/3 and L6 E fall silent, the rest stays asynchronous
    rates = np.array([len(A[p][1]) / (np.floor(n)) / 0.6 for p, n in zip(A, net.N)])
    assert 0.5 < summary["mean_rate_recorded"] < 3.0
    assert np.all(rates < 15.0) and np.all(rates[2:6] > 0.5) and rates[[5, 7]].min() > 2.0
    assert rates[5] > rates[0] and rates[7] > rates[6]     # 5I > 23E, 6I > 6E as in PD14


def test_hpc_synapse_gives_identical_spikes(tmp_path):
    """static_synapse_hpc (auto) changes memory, not results."""
    net = pd14_scaled(0.02)
    a, sa = run_file(tmp_path, net, "hpc", synapse_model="static_synapse_hpc", **PD14_V0)
    b, sb = run_file(tmp_path, net, "plain", synapse_model="static_synapse", **PD14_V0)
    assert sa["synapse_model"] == "static_synapse_hpc" and sb["synapse_model"] == "static_synapse"
    A, B = read_spikes(a), read_spikes(b)
    assert sum(len(v[1]) for v in A.values()) > 500
    for p in A:
        np.testing.assert_array_equal(A[p][1], B[p][1])
        np.testing.assert_array_equal(A[p][0], B[p][0])


def test_dc_drive_and_recorded_fraction(tmp_path):
    net = two_area_network()
    out, s = run_file(tmp_path, net, "dc", drive="dc", recorded_fraction=0.1, areas_recorded=["V1"],
                      threads=1)
    with h5py.File(out, "r") as f:
        assert list(f.attrs["populations"]) == ["V1-23E", "V1-23I"]
        assert [f[p].attrs["n_recorded"] for p in f.attrs["populations"]] == [30, 8]
        assert [f[p].attrs["n_neurons"] for p in f.attrs["populations"]] == [300, 80]
        senders = f["V1-23E"]["senders"][()]
        assert senders.size > 0 and senders.max() < 30
    assert s["n_recorded"] == 38 and s["n_neurons"] == 690
    # I_e = 350 pA + K_ext W_ext tau_s nu_ext = 350 + 1e-3 * 100 * 80 * 0.5 * 10 = 390 pA > rheobase 375 pA
    import nest
    assert sorted(set(np.round(nest.GetNodes({"model": "iaf_psc_exp"}).I_e, 6))) == [390.0]
    assert len(nest.GetNodes({"model": "poisson_generator"})) == 0


# ------------------------------------------------------------------ MPI merge and launch checks
def test_rank_merge_equals_single_file(tmp_path):
    rng = np.random.default_rng(0)
    meta = [("A", 100, 100), ("B", 50, 20)]
    ranks = []
    for _ in range(3):
        ranks.append([(lab, rng.integers(0, nr, 40).astype(np.int32), rng.integers(1, 6000, 40).astype(np.int32))
                      for lab, _, nr in meta])
    out = tmp_path / "spikes.h5"
    for r, pops in enumerate(ranks):
        write_rank_file(out, r, pops, {"peak_rss_mb": 1.0})
    n = write_spikes(out, merged_from_ranks(out, 3, meta), {"seed": 1}, 0.1)
    remove_rank_files(out, 3)
    assert n == 240 and sorted(os.listdir(tmp_path)) == ["spikes.h5"]
    direct = tmp_path / "direct.h5"
    write_spikes(direct, [(lab, np.concatenate([ranks[r][k][1] for r in (2, 0, 1)]),
                           np.concatenate([ranks[r][k][2] for r in (2, 0, 1)]), nn, nr)
                          for k, (lab, nn, nr) in enumerate(meta)], {"seed": 1}, 0.1)
    X, Y = read_spikes(out), read_spikes(direct)
    for p in X:
        np.testing.assert_array_equal(X[p][0], Y[p][0])
        np.testing.assert_array_equal(X[p][1], Y[p][1])


def test_launcher_detection():
    assert mpi.launched_ranks({}) == 1
    assert mpi.launched_ranks({"OMPI_COMM_WORLD_SIZE": "4"}) == 4
    assert mpi.launched_ranks({"PMI_SIZE": "2"}) == 2
    assert mpi.launched_ranks({"SLURM_NTASKS": "8"}) == 1            # batch script, not a step
    assert mpi.launched_ranks({"SLURM_NTASKS": "8", "SLURM_STEP_ID": "0"}) == 8


def test_mpi_launch_without_mpi_nest_is_rejected():
    import nest
    if nest.build_info["have_mpi"]:
        pytest.skip("this NEST has MPI")
    with pytest.raises(mpi.MPIError, match="no MPI support"):
        mpi.check_launch(2, env={"OMPI_COMM_WORLD_SIZE": "2"})
    with pytest.raises(mpi.MPIError, match="mpi_ranks=2"):
        mpi.check_launch(2, env={})


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("key,value,match", [
    ("N_scaling", 0.0, "N_scaling must be in"), ("K_scaling", 1.5, "K_scaling must be in"),
    ("t_sim", 0.0, "t_sim must exceed"), ("t_sim", 400.0, "t_sim must exceed"),
    ("threads", 0, "threads must be"), ("areas_simulated", ["V1", "XX"], "unknown area"),
    ("drive", "noise", "drive must be"), ("recorded_fraction", 1.2, "recorded_fraction"),
])
def test_bad_config_rejected(key, value, match):
    with pytest.raises(ValueError, match=match):
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, key: value})


def test_run_rejects_before_nest(tmp_path, monkeypatch):
    net = two_area_network()
    write_network(tmp_path / "net.h5", net)
    with pytest.raises(ValueError, match="K_scaling"):
        run(tmp_path / "net.h5", sim_dict(net, K_scaling=0.5), tmp_path / "s.h5", tmp_path / "r.json")
    with pytest.raises(ValueError, match="V0_mean has 3 values"):
        run(tmp_path / "net.h5", sim_dict(net, V0_mean=[1, 2, 3]), tmp_path / "s.h5", tmp_path / "r.json")
    with pytest.raises(ValueError, match="only to multi-area|multi-area networks only"):
        run_file(tmp_path, pd14_scaled(0.01), "x", areas_simulated=["V1"], **PD14_V0)
    assert not (tmp_path / "s.h5").exists() and not (tmp_path / "r.json").exists()
