"""The analysis rules end to end on synthetic spikes.h5 files (pd14 and a two-area mam simulation)."""
import json
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

import tests.support.synthetic as synthetic
from tests.support.synthetic import write_spikes
from cortexflow.areas import POPULATIONS
from cortexflow.structure.network_file import Network, write_network
from tests.support.workspace import MIRROR, copy_project, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


def fake_mam_network(path, pops, n):
    m = len(pops)
    rng = np.random.default_rng(0)
    K = rng.uniform(0, 50, (m, m + 1))
    W = np.where(np.array(["I" in p for p in pops])[None, :], -351.0, 87.8)
    W = np.concatenate([W.repeat(m, axis=0), np.full((m, 1), 87.8)], axis=1)
    write_network(path, Network(model="mam", populations=pops, N=np.full(m, float(n)), K=K, synapses=K * n,
                                W=W, W_sd=0.1 * np.abs(W), delay=np.ones((m, m)), delay_sd=np.zeros((m, m)),
                                dc_drive=np.zeros(m), params={"tau_syn_ex": 0.5}))


def test_analysis_rules_on_synthetic_simulations(tmp_path):
    if not (MIRROR / "Fig8_exp_func_conn.csv").is_file():
        pytest.skip(f"no raw-data mirror at {MIRROR}")
    proj = copy_project(tmp_path / "proj")
    (proj / "data/raw").mkdir(parents=True, exist_ok=True)
    shutil.copy2(MIRROR / "Fig8_exp_func_conn.csv", proj / "data/raw/Fig8_exp_func_conn.csv")
    rng = np.random.default_rng(0)
    pd14 = {p: (*synthetic.poisson(300, 1 + k, 1, 30001, 0.1, rng), 300) for k, p in enumerate(POPULATIONS)}
    write_spikes(proj / "results/sims/pd14/spikes.h5", pd14, t_sim=3000.0, t_presim=500.0)
    mam_pops = [f"{a}-{p}" for a in ("V1", "V2") for p in POPULATIONS]
    mam = {p: (*synthetic.poisson(200, 3.0, 1, 70001, 0.1, rng), 200) for p in mam_pops}
    fake_mam_network(proj / "results/sims/mamtest/network.h5", mam_pops, 200)  # before the spikes (mtime)
    write_spikes(proj / "results/sims/mamtest/spikes.h5", mam, t_sim=7000.0, t_presim=500.0)
    extra = proj / "extra.yaml"
    extra.write_text(yaml.safe_dump({"simulations": {"mamtest": {"network": "mam", "t_sim": 7000.0,
                                                                 "areas_simulated": ["V1", "V2"]}},
                                     "analysis": {"cc_subsample": 100, "fmri": {"bold_discard_ms": 1000.0}}}))
    targets = [f"results/sims/{s}/stats/{f}" for s in ("pd14", "mamtest") for f in ("summary.csv", "spectra.h5")]
    targets += ["results/sims/mamtest/stats/area_signals.h5", "results/sims/mamtest/stats/temporal_hierarchy.csv"]
    # never simulate here: only the analysis rules may run on the synthetic inputs
    only = ["--allowed-rules", "spike_statistics", "power_spectra", "area_signals", "temporal_hierarchy"]
    snakemake(proj, "--cores", "2", *only, "--configfile", "config/config.yaml", str(extra), "--", *targets)

    s = pd.read_csv(proj / "results/sims/pd14/stats/summary.csv", comment="#")
    assert list(s["population"]) == POPULATIONS
    np.testing.assert_allclose(s["rate"], np.arange(1, 9), rtol=0.06)
    assert (s["n_cc"] == 100).all() and (s["t_start_ms"] == 500).all() and (s["t_stop_ms"] == 3000).all()
    with h5py.File(proj / "results/sims/pd14/stats/spectra.h5") as f:
        # default analysis.welch: Hann, 256/128 on the 2500-sample window: 1 + (2500 - 256) // 128 = 18 segments
        assert f.attrs["window"] == "hann" and f["population_psd"].shape == (8, 129)
        assert f.attrs["n_samples"] == 2500 and f.attrs["n_segments"] == 18 and f.attrs["nperseg"] == 256
    with h5py.File(proj / "results/sims/mamtest/stats/area_signals.h5") as f:
        assert [a.decode() for a in f["areas"][()]] == ["V1", "V2"]
        assert f["synaptic_input"].shape == (2, 6500) and f["fc_experimental"].shape == (2, 2)
        assert f["fc_experimental"][0, 1] == pytest.approx(0.8055261829, abs=1e-9)  # V1-V2, second block
    comm = json.loads((proj / "results/sims/mamtest/stats/fc_communities.json").read_text())
    assert set(comm["communities"]["synaptic_input"]) == {"V1", "V2"}
    h = pd.read_csv(proj / "results/sims/mamtest/stats/temporal_hierarchy.csv")
    assert list(h["area"]) == ["V1", "V2"] and set(h["temporal_hierarchy"]) <= {0.0, 1.0}
    # a changed analysis parameter reruns exactly the statistics of every simulation downstream of it
    extra2 = proj / "extra2.yaml"
    extra2.write_text(extra.read_text().replace("cc_subsample: 100", "cc_subsample: 50"))
    dry = snakemake(proj, "-n", "--quiet", "rules", *only, "--configfile", "config/config.yaml",
                    str(extra2), "--", *targets).stdout
    jobs = {ln.split()[0]: int(ln.split()[1]) for ln in dry.splitlines()
            if len(ln.split()) == 2 and ln.split()[1].isdigit()}
    assert jobs["spike_statistics"] == 2 and jobs["power_spectra"] == 2 and jobs["area_signals"] == 1
