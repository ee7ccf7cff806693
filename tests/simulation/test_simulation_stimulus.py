# SPDX-License-Identifier: GPL-3.0-or-later
"""PD14 thalamic input and V_m recording (cortexflow.simulation.stimulus, analysis.stimulus): synapse numbers
against PD14 Eq. 1, config checks, and real (small) NEST runs: the response onset after th_start, the
reset of V_m after every recorded spike."""
import h5py
import numpy as np
import pytest

from cortexflow.simulation.config import SimConfig
from cortexflow.simulation.stimulus import active_entry, thalamic_projection
from cortexflow.structure.scaling import downscale

PD14_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
PD14_V0 = {"V0_mean": [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43],
           "V0_sd": [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48], "delay_ext": 1.5}


def pd14_scaled(N, K):
    from cortexflow.structure.pd14 import build_pd14
    return downscale(build_pd14(), PD14_RATES, N, K)


def test_thalamic_numbers_pd14_eq1():
    """K_th = K_scaling ln(1 - C)/ln(1 - 1/(902 N)) / N: 4E ~ 902 * -ln(1 - 0.0983) = 93.3 at full scale, the
    same at every N_scaling; the weight 87.81 pA (0.15 mV) grows as 1/sqrt(K_scaling)."""
    cfg = SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "thalamic_input": True})
    full = thalamic_projection(pd14_scaled(1.0, 1.0), cfg)
    assert full["K_th"][2] == pytest.approx(-902 * np.log1p(-0.0983), rel=1e-4)
    assert full["K_th"][2] == pytest.approx(93.34, abs=0.01)
    assert full["K_th"][[0, 1, 4, 5]].tolist() == [0, 0, 0, 0]
    assert full["synapses"][2] == round(full["K_th"][2] * 21915)
    assert full["weight"] == pytest.approx(87.81, abs=0.01)
    half = thalamic_projection(pd14_scaled(0.5, 0.25), cfg)
    np.testing.assert_allclose(half["K_th"], 0.25 * full["K_th"], rtol=1e-9)
    assert half["weight"] == pytest.approx(2 * full["weight"])
    assert half["synapses"][2] == round(0.25 * full["K_th"][2] * np.floor(0.5 * 21915))
    assert full["starts"] == [700.0] and full["stops"] == [710.0]
    train = thalamic_projection(pd14_scaled(1.0, 1.0), SimConfig.from_dict(
        {"network": "x", "t_sim": 2000.0, "thalamic_input": True, "th_pulses": 3, "th_interval": 250.0}))
    assert train["starts"] == [700.0, 950.0, 1200.0] and train["stops"] == [710.0, 960.0, 1210.0]


def test_thalamic_config_checks():
    with pytest.raises(ValueError, match="conn_probs_th"):
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "thalamic_input": True, "conn_probs_th": [1.0] * 8})
    with pytest.raises(ValueError, match="th_duration"):
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "thalamic_input": True, "th_duration": 0.0})
    with pytest.raises(ValueError, match="vm_interval"):
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "record_vm": True, "vm_interval": 0.25,
                             "resolution": 0.1 * 1.5})
    with pytest.raises(ValueError, match="after the end of the run"):   # 700 + 2 x 200 + 10 > 100 + 1000
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "t_presim": 100.0, "thalamic_input": True,
                             "th_pulses": 3, "th_interval": 200.0})
    with pytest.raises(ValueError, match="must exceed th_duration"):
        SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "thalamic_input": True, "th_pulses": 2,
                             "th_interval": 5.0})
    mam_like = pd14_scaled(1.0, 1.0)
    mam_like.model = "mam"
    with pytest.raises(ValueError, match="pd14 networks only"):
        thalamic_projection(mam_like, SimConfig.from_dict({"network": "x", "t_sim": 1000.0, "thalamic_input": True}))


def test_active_entry_drops_options_that_are_off():
    entry = {"network": "pd14", "t_sim": 1000.0, "thalamic_input": False, "th_start": 700.0, "th_rate": 120.0,
             "record_vm": False, "vm_neurons": 5, "vm_interval": 1.0}
    assert active_entry(entry) == {"network": "pd14", "t_sim": 1000.0}
    on = dict(entry, thalamic_input=True)
    assert active_entry(on) == {"network": "pd14", "t_sim": 1000.0, "thalamic_input": True, "th_start": 700.0,
                                "th_rate": 120.0}


# --- real NEST runs -------------------------------------------------------------------------------------------

def _run(tmp_path, net, tag, **kw):
    pytest.importorskip("nest")
    from cortexflow.simulation.run import run
    from cortexflow.structure.network_file import write_network
    write_network(tmp_path / f"net_{tag}.h5", net)
    sim = {"network": "pd14", "N_scaling": net.N_scaling, "K_scaling": net.K_scaling, "t_sim": 520.0,
           "t_presim": 100.0, "threads": 2, "seed": 3, **PD14_V0, **kw}
    (tmp_path / tag).mkdir()
    spikes = tmp_path / tag / "spikes.h5"
    summary = run(tmp_path / f"net_{tag}.h5", sim, spikes, tmp_path / tag / "run.json", name=tag, log=lambda m: None)
    return spikes, summary


@pytest.mark.nest
def test_thalamic_response_onset(tmp_path):
    """pd14 at 10 % scale, pulse at 400 ms of model time (300 ms recorded): layer 4E responds 1-8 ms after
    th_start (1 ms generator -> parrot, delay 1.5 +- 0.75 ms, then integration; the uncompensated thalamic drive
    is sqrt(K_scaling) of full scale, so the rise is slower than at full scale: measured 6.5 ms at 10 %, 3.5 ms
    at 50 %), with a peak > 5x its baseline; without the pulse nothing crosses the threshold there."""
    from cortexflow.analysis.stimulus import write_stimulus_response
    net = pd14_scaled(0.1, 0.1)
    spikes, summary = _run(tmp_path, net, "th", thalamic_input=True, th_start=400.0)
    assert summary["n_thalamic_synapses"] == int(thalamic_projection(net, SimConfig.from_dict(
        {"network": "x", "t_sim": 600.0, "thalamic_input": True}))["synapses"].sum())
    resp = write_stimulus_response(spikes, tmp_path / "resp.h5", th_start=400.0, th_duration=10.0, pre_ms=100.0,
                                   post_ms=50.0, bin_ms=0.5)
    i4e = resp["populations"].index("4E")
    assert resp["t_stim"] == pytest.approx(300.0)
    assert 1.0 <= resp["onset_ms"][i4e] <= 8.0
    assert resp["peak_rate"][i4e] > 5 * max(resp["baseline_rate"][i4e], 1.0)
    assert resp["peak_latency_ms"][i4e] < 15.0
    # 2/3E has no thalamic synapses: it follows layer 4
    i23 = resp["populations"].index("23E")
    assert not resp["onset_ms"][i23] < resp["onset_ms"][i4e]
    # control: the same network and seed without the pulse
    spikes0, _ = _run(tmp_path, net, "ctl")
    ctl = write_stimulus_response(spikes0, tmp_path / "ctl.h5", th_start=400.0, th_duration=10.0, pre_ms=100.0,
                                  post_ms=50.0, bin_ms=0.5)
    assert ctl["peak_rate"][i4e] < 0.5 * resp["peak_rate"][i4e]
    assert not ctl["onset_ms"][i4e] <= 8.0


@pytest.mark.nest
def test_pulse_train_every_pulse_drives_layer_4(tmp_path):
    """4 pulses every 100 ms from 200 ms of model time (100, 200, 300, 400 ms recorded): 4E responds to each of
    them (one poisson_generator per pulse), and the pulse-averaged response has the single-pulse onset (1-8 ms)."""
    from cortexflow.analysis.stimulus import peri_stimulus_rates, response_onsets, write_stimulus_response
    net = pd14_scaled(0.1, 0.1)
    spikes, _ = _run(tmp_path, net, "train", thalamic_input=True, th_start=200.0, th_pulses=4, th_interval=100.0)
    resp = write_stimulus_response(spikes, tmp_path / "resp.h5", th_start=200.0, th_duration=10.0, th_pulses=4,
                                   th_interval=100.0, pre_ms=40.0, post_ms=50.0, bin_ms=0.5)
    i4e = resp["populations"].index("4E")
    assert 1.0 <= resp["onset_ms"][i4e] <= 8.0
    assert resp["edges"][0] == -40.0 and resp["edges"][-1] == 50.0
    for t in (100.0, 200.0, 300.0, 400.0):
        one = peri_stimulus_rates(spikes, t, 40.0, 50.0, 0.5)
        on = response_onsets(one["edges"], one["rates"], 10.0, 50.0, k_sd=3.0, min_rise=5.0)
        assert on["peak_rate"][i4e] > 3 * max(on["baseline_rate"][i4e], 1.0), t
    # the average of the 4 single-pulse histograms
    mean = np.mean([peri_stimulus_rates(spikes, t, 40.0, 50.0, 0.5)["rates"] for t in (100.0, 200.0, 300.0, 400.0)],
                   axis=0)
    np.testing.assert_allclose(resp["rates"], mean)


@pytest.mark.nest
def test_record_vm_file_and_reset(tmp_path):
    """vm.h5 beside spikes.h5: vm_neurons x samples every vm_interval ms; V_m <= V_th everywhere, and at the first
    sample after each recorded spike of those neurons V_m sits at V_reset (-65 mV, refractory 2 ms)."""
    net = pd14_scaled(0.02, 0.02)
    spikes, summary = _run(tmp_path, net, "vm", record_vm=True, vm_neurons=3, vm_interval=0.5)
    vm_path = spikes.with_name("vm.h5")
    assert vm_path.is_file()
    from cortexflow.simulation.output import read_vm
    vm = read_vm(vm_path)
    with h5py.File(vm_path) as f:
        assert f.attrs["interval"] == 0.5 and f.attrs["unit"] == "mV"
        assert list(f.attrs["populations"]) == net.populations
    n_checked = 0
    with h5py.File(spikes) as f:
        for pop, d in vm.items():
            assert d["V_m"].shape == (3, d["times"].size)
            assert d["senders"].tolist() == [0, 1, 2]
            np.testing.assert_allclose(np.diff(d["times"]), 0.5)
            assert d["times"][0] == pytest.approx(0.5)
            assert np.all(np.isfinite(d["V_m"])) and d["V_m"].max() < -50.0
            s, t = f[pop]["senders"][()], f[pop]["times"][()] * 0.1
            for k in range(3):
                for ts in t[s == k]:
                    j = np.searchsorted(d["times"], ts + 1e-9)
                    if j < d["times"].size and d["times"][j] - ts <= 1.5:
                        assert d["V_m"][k, j] == pytest.approx(-65.0, abs=1e-6)
                        n_checked += 1
    assert n_checked >= 5
    assert summary["n_vm_samples"] == sum(d["V_m"].size for d in vm.values())
