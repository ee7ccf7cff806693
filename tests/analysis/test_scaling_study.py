"""Scale study (config scaling_study, rules/scaling.smk): run names, the per-run agreement measures on
synthetic statistics, and the DAG (its runs are not part of `all`)."""
import numpy as np
import pandas as pd
import pytest

from cortexflow.analysis import scaling
from cortexflow.workflow.scaling import run_name, scaling_simulations, study_runs
from tests.support.workspace import copy_project, planned_jobs

CONFIG = {
    "simulations": {"base": {"network": "net", "N_scaling": 0.1, "K_scaling": 0.1, "t_sim": 2000.0, "seed": 5,
                             "threads": 2, "mem_mb": 9}},
    "scaling_study": {"s": {"template": "base", "t_sim": 1500.0, "points": [
        {"N_scaling": 0.1, "K_scaling": 0.1, "seeds": 2},
        {"N_scaling": 1.0, "K_scaling": 1.0, "threads": 8, "t_sim": 1000.0}]}},
}


def test_study_runs_take_the_template_and_override_scale_seed_threads_t_sim():
    runs = study_runs(CONFIG, "s")
    assert [r["name"] for r in runs] == ["scaling_s_N0.1_K0.1_s5", "scaling_s_N0.1_K0.1_s6", "scaling_s_N1_K1_s5"]
    assert [r["entry"]["seed"] for r in runs] == [5, 6, 5]
    assert [r["entry"]["t_sim"] for r in runs] == [1500.0, 1500.0, 1000.0]
    assert [r["entry"]["threads"] for r in runs] == [2, 2, 8]
    assert all("mem_mb" not in r["entry"] for r in runs)       # resource overrides are the template's only
    assert set(scaling_simulations(CONFIG)) == {r["name"] for r in runs}
    # a config without the template (e.g. its own `simulations`) has no study runs, and no parse error
    assert scaling_simulations({**CONFIG, "simulations": {"other": CONFIG["simulations"]["base"]}}) == {}
    assert run_name("mam", 0.03, 0.1, 1) == "scaling_mam_N0.03_K0.1_s1"


@pytest.mark.parametrize("change, message", [
    ({"template": "nope"}, "template: 'nope' is not a simulation"),
    ({"points": [{"N_scaling": 0.1, "K_scaling": 0.1}, {"N_scaling": 0.1, "K_scaling": 0.1}]}, "listed twice"),
])
def test_bad_study_is_refused_naming_the_key(change, message):
    cfg = {**CONFIG, "scaling_study": {"s": {**CONFIG["scaling_study"]["s"], **change}}}
    with pytest.raises(ValueError, match=message):
        study_runs(cfg, "s")


def _runs():
    """Two areas V1 (A), V2 (B) of two populations; the large point fires at the mean field, the small one has area A at
    a third of it and population A-E silent, area B at 1.2x."""
    pops = ["V1-E", "V1-I", "V2-E", "V2-I"]
    mf = pd.Series([1.0, 4.0, 2.0, 5.0], index=pops)
    N = pd.Series([300.0, 100.0, 400.0, 100.0], index=pops)

    def summary(rates):
        return pd.DataFrame({"population": pops, "n_neurons": N.to_numpy() / 10, "rate": rates,
                             "cv_isi": 0.8, "lvr": 0.7, "cc": [0.01, 0.02, 0.01, 0.02], "fraction_silent": 0.0})
    runs = [{"name": "big", "N_scaling": 1.0, "K_scaling": 1.0, "seed": 1, "summary": summary(mf.to_numpy())},
            {"name": "small", "N_scaling": 0.1, "K_scaling": 0.1, "seed": 1,
             "summary": summary([0.0, 7.0 / 3.0, 2.4, 6.0])}]
    return runs, mf, N


def test_run_table_measures_area_ratios_agreement_and_silence():
    runs, mf, N = _runs()
    pops = scaling.population_table(runs, mf, N)
    assert pops.loc[pops["run"] == "small", "rate_over_mf"].round(3).tolist() == [0.0, 0.583, 1.2, 1.2]
    costs = {"big": {"n_neurons": 900, "peak_rss_mb": 2048, "rtf": 10.0, "build_cpu_s": 1.0, "simulate_cpu_s": 9.0,
                     "pred_mem_mb": 1024, "pred_cpu_s": 12.0},
             "small": {"n_neurons": 90, "peak_rss_mb": 512, "rtf": 1.0}}
    pts = scaling.run_table(pops, costs).set_index("run")
    # area A: (300 * 0 + 100 * 7/3) / 400 = 0.583 against the mean field's (300 + 400) / 400 = 1.75
    a_sim, a_mf = (100 * 7 / 3) / 400, (300 * 1.0 + 100 * 4.0) / 400
    assert pts.loc["small", "areas_within_mf"] == 1 and pts.loc["big", "areas_within_mf"] == 2
    assert pts.loc["small", "areas_within_largest"] == 1
    assert pts.loc["small", "median_area_ratio_mf"] == pytest.approx(np.median([a_sim / a_mf, 1.2]))
    assert pts.loc["small", "silent_share_mf"] == pytest.approx(1 / 4)      # A-E of the four >= 0.5 spikes/s
    assert pts.loc["big", "silent_share_largest"] == 0.0
    assert pts.loc["big", "log_rate_r_mf"] == pytest.approx(1.0)
    assert pts.loc["big", "peak_rss_gb"] == 2.0 and pts.loc["big", "cpu_s"] == 10.0
    assert scaling.meets_criterion(pts, 2).to_dict() == {"big": True, "small": False}
    areas = scaling.area_table(pops).set_index(["run", "area"])
    assert areas.loc[("small", "V1"), "ratio_mf"] == pytest.approx(a_sim / a_mf)
    assert areas.loc[("small", "V2"), "ratio_largest"] == pytest.approx(1.2)


def test_scaling_study_is_a_target_of_its_own_not_part_of_all(tmp_path):
    project = copy_project(tmp_path / "p")
    study = planned_jobs(project, "scaling_study")
    # 3 + 3 + 3 + 1 pd14 runs and 2 + 1 + 1 + 1 + 1 mam runs (config/config.yaml), one summary and figure each
    assert study["simulate"] == 16 and study["scaling_summary"] == 2 and study["figure_scaling"] == 2
    assert "scaling_summary" not in planned_jobs(project, "all")


def test_scaling_figure_draws_every_point_against_N_scaling():
    from cortexflow.plotting.scaling import scaling_figure
    runs, mf, N = _runs()
    pops = scaling.population_table(runs, mf, N)
    costs = {r["name"]: {"peak_rss_mb": 1024.0, "rtf": 2.0, "pred_mem_mb": 900.0, "t_sim": 1500.0} for r in runs}
    fig = scaling_figure(pops, scaling.run_table(pops, costs), "toy")
    rates = fig.axes[0]
    assert rates.get_xscale() == "log" and "N_scaling" in rates.get_xlabel()
    # an N = K ladder is one line through both points
    v1 = [line for line in rates.get_lines() if line.get_color() == rates.get_lines()[0].get_color()]
    assert [len(line.get_xdata()) for line in v1] == [2]
    assert "2 runs at 2 points" in fig._suptitle.get_text() and "N_scaling = K_scaling" in fig._suptitle.get_text()
    # points that differ in K at equal N: one line (style) per K, each through its own point
    runs[1]["N_scaling"] = 1.0
    pops = scaling.population_table(runs, mf, N)
    fig = scaling_figure(pops, scaling.run_table(pops, costs), "toy")
    v1 = [line for line in fig.axes[0].get_lines() if line.get_color() == fig.axes[0].get_lines()[0].get_color()]
    assert [len(line.get_xdata()) for line in v1] == [1, 1] and [line.get_linestyle() for line in v1] == ["-", "--"]
    assert "K_scaling 0.1 dashed" in fig._suptitle.get_text()
