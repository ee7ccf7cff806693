# SPDX-License-Identifier: GPL-3.0-or-later
"""Workflow of issue #15's figures (rules/figures_sim_extra.smk, cortexflow.workflow.sim_extra): the default DAG
builds the thalamic, V_m, V1 and laminar figures; config/s17_spiking.yaml adds the S17 runs; options that are off
leave the params of rule simulate unchanged; bad option use stops the parse."""

import pytest
import yaml
from tests.support.workspace import ROOT, copy_project, planned_jobs, snakemake

from cortexflow.workflow import sim_extra as sx
from cortexflow.workflow.simulations import sim_params


def _config():
    from snakemake.utils import validate
    c = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(c, str(ROOT / "config/schema.yaml"))
    return c


def test_default_targets_and_params():
    c = _config()
    assert sx.targets(c) == [f"figures/{s}.{e}" for s in sx.DEFAULT_FIGURES.values() for e in ("pdf", "png")]
    assert sx.s17_targets(c) == []                       # the S17 runs live in config/s17_spiking.yaml
    # the filled-in option defaults do not reach params.sim of simulations that do not use them
    p = sim_params(c["simulations"]["pd14"])
    assert not any(k.startswith(("th_", "vm_")) or k in ("thalamic_input", "record_vm", "conn_probs_th")
                   for k in p)
    t = sim_params(c["simulations"]["pd14-thalamic"])
    assert t["thalamic_input"] and t["th_start"] == 700.0 and t["record_vm"] and t["vm_neurons"] == 5
    assert sx.figure_inputs(c, "potjans2014/membrane_potentials") == {"vm": "results/sims/pd14-thalamic/vm.h5"}


def test_s17_config_and_stable_network():
    c = _config()
    extra = yaml.safe_load((ROOT / "config/s17_spiking.yaml").read_text())
    c["networks"].update(extra["networks"])
    c["simulations"].update(extra["simulations"])
    assert sx.network_model(c, "mam-s17-stable") == "mam"
    assert sx.network_model(c, "mam-stable") is None       # mam is not stabilised by theory.stabilisation
    assert sx.kappa(c, "s17-kappa1") == 1.0 and sx.kappa(c, "s17-kappa1125") == 1.125
    assert sx.kappa(c, "s17-stable") == 1.125
    assert sx.s17_targets(c) == [f"figures/{s}.{e}" for s in sx.S17_FIGURES.values() for e in ("pdf", "png")]
    inp = sx.figure_inputs(c, "schuecker2017/fig3_bistability_spiking")
    assert inp["fixed_points"] == ["results/theory/mam-s17/fixed_point.h5",
                                   "results/theory/mam-s17-kappa1125/fixed_point.h5"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("sim_extra"))


def test_dag_default_and_s17(project):
    jobs = planned_jobs(project, "figures_sim_extra")
    assert jobs["figure_sim_extra"] == 4 and jobs["simulate_vm"] == 1 and jobs["stimulus_response"] == 1
    assert jobs["laminar_interactions"] == 1 and jobs["v1_statistics"] == 1 and jobs["granger_causality"] == 1
    out = snakemake(project, "-n", "--configfile", "config/s17_spiking.yaml", "--quiet", "rules", "--",
                    "s17_spiking").stdout
    assert "figure_sim_extra" in out and "simulate" in out


def test_thalamic_input_on_mam_rejected(project):
    (project / "bad.yaml").write_text(yaml.safe_dump({"simulations": {"x": {
        "network": "mam", "t_sim": 1000.0, "thalamic_input": True}}}))
    proc = snakemake(project, "-n", "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0 and "pd14 networks only" in proc.stdout + proc.stderr


def test_chi_sweep_config():
    c = _config()
    extra = yaml.safe_load((ROOT / "config/chi_sweep.yaml").read_text())
    assert sx.chi_targets(c) == []
    c["networks"].update(extra["networks"])
    c["simulations"].update(extra["simulations"])
    assert sx.chi_targets(c) == ["figures/schmidt2018_pcb/fig8_fc_chi.pdf", "figures/schmidt2018_pcb/fig8_fc_chi.png"]
    assert sx.figure_labels(c, "schmidt2018_pcb/fig8_fc_chi") == ["1", "1.8", "1.9", "2", "2.1", "2.5"]
    # with the file's figures section, PCB18 Fig 9 is drawn from the 12 s chi = 2.1 run (best FC at this scale)
    c["figures"]["extra_dynamics"]["laminar_interactions"].update(extra["figures"]["extra_dynamics"]["laminar_interactions"])
    assert sx.chi_targets(c)[2:] == ["figures/schmidt2018_pcb/fig9_laminar_interactions.pdf",
                                     "figures/schmidt2018_pcb/fig9_laminar_interactions.png"]
    assert sx.figure_inputs(c, "schmidt2018_pcb/fig9_laminar_interactions") == {
        "laminar": "results/sims/chi-2.1/stats/laminar_interactions.h5"}
    # the alluvial panel: structural communities of the chi = 1.9 run's network
    inp = sx.figure_inputs(c, "schmidt2018_pcb/fig8_fc_chi")
    assert inp["structure"] == "results/networks/mam-chi-1.9/communities.json" and len(inp["fc"]) == 6
    # every run is long enough for the BOLD FC (5 s discarded)
    assert all(e["t_sim"] - 500.0 > 5000.0 for e in extra["simulations"].values())
