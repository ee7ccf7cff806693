"""Rule validate: pass/fail logic on synthetic seed ensembles, seed variants of the simulations, the config
checks and the DAG (dry runs on a copy of the project)."""
import re

import numpy as np
import pytest
import yaml

from cortexflow.analysis import validation
from cortexflow.config import check_dynamics_figures
from cortexflow.workflow import simulations as wf, targets as wf_targets
from cortexflow.analysis.reference import PD14_REFERENCE_RATES, reference_rates
from tests.support.workspace import ROOT, copy_project, planned_jobs, snakemake

T_S = 1.5  # s of analysis window


def ensemble(rng, n_runs=3, n=1000, mean=4.0, shape=2.0):
    """Per-neuron rates of n_runs seeds: gamma-distributed intrinsic rates, Poisson counts over T_S."""
    return [rng.poisson(rng.gamma(shape, mean / shape, n) * T_S) / T_S for _ in range(n_runs)]


def test_reference_sample_wasserstein_is_the_mean_difference():
    x = np.random.default_rng(0).gamma(2.0, 2.0, 500)
    for ref in (3.0, 4.0, 5.5):
        y = validation.reference_sample(x, ref)
        assert y.mean() == pytest.approx(ref) and np.all(y[x == 0] == 0)
        assert validation.distance(x, y, "wasserstein") == pytest.approx(abs(ref - x.mean()), rel=1e-12)
    assert np.isnan(validation.reference_sample(np.zeros(5), 1.0)).all()


def test_jitter_makes_ks_continuous_and_keeps_counts():
    rng = np.random.default_rng(1)
    x = rng.poisson(3.0 * T_S, 2000) / T_S
    # on the count lattice, a 1 % rescaling moves every atom: KS jumps to about the largest atom mass (~0.22)
    assert validation.distance(x, 1.01 * x, "ks") > 0.15
    j = validation.jitter_rates(x, T_S, np.random.default_rng(2))
    assert np.array_equal(np.floor(j * T_S + 1e-9), np.rint(x * T_S))  # same counts
    assert validation.distance(j, 1.01 * j, "ks") < 0.02
    assert j.mean() - x.mean() == pytest.approx(0.5 / T_S, abs=0.02)


@pytest.mark.parametrize("metric", validation.METRICS)
def test_identical_reference_passes_shifted_reference_fails(metric):
    rng = np.random.default_rng(3)
    passes = {1.0: 0, 1.2: 0}
    for _ in range(20):
        runs = ensemble(rng)
        truth = 4.0 + 0.5 / T_S  # the jittered scale
        runs = [validation.jitter_rates(r, T_S, rng) for r in runs]
        for shift in passes:
            (res,) = validation.validate_statistic(runs, truth * shift, [metric])
            assert res["seed_to_seed"].size == 3 and res["model_to_reference"].size == 3
            passes[shift] += res["passed"]
    assert passes[1.0] >= 19  # the true mean as the reference: passes (19-20 of 20)
    assert passes[1.2] == 0  # 20 % off: fails every time (1000 neurons per population)


def test_validation_report_table():
    rng = np.random.default_rng(4)
    pops = ["23E", "4E"]
    runs = []
    for _ in range(3):
        e = {}
        for p, m in zip(pops, (1.0, 4.0)):
            r = ensemble(rng, 1, 800, m)[0]
            e[p] = {"rates": r, "cv": rng.normal(0.8, 0.1, 800), "lvr": rng.normal(1, 0.1, 800),
                    "cc_pairs": rng.normal(0, 0.01, 500)}
        runs.append(e)
    report, dist = validation.validation_report(runs, {"23E": 1.0, "4E": 5.0}, run_names=["s", "s/seed1", "s/seed2"],
                                                window_s=T_S, seed=9)
    assert len(report) == 2 * 4 * 2 and set(report["statistic"]) == {"rates", "cv", "lvr", "cc"}
    rates = report[report["statistic"] == "rates"].set_index(["population", "metric"])
    assert rates.loc[("23E", "ks"), "passed"] is True and rates.loc[("23E", "wasserstein"), "passed"] is True
    assert rates.loc[("4E", "ks"), "passed"] is False and rates.loc[("4E", "wasserstein"), "passed"] is False
    assert rates.loc[("4E", "wasserstein"), "ensemble_mean"] == pytest.approx(4.0, rel=0.03)
    # run-to-reference Wasserstein >= |reference - run mean| on the jittered scale (here ~ 1 spike/s)
    assert rates.loc[("4E", "wasserstein"), "model_to_reference_median"] == pytest.approx(1.0, abs=0.1)
    assert (report[report["statistic"] != "rates"]["passed"] == "").all()  # no reference: no verdict
    assert len(dist[dist["kind"] == "seed_to_seed"]) == 2 * 4 * 2 * 3
    assert set(dist[dist["kind"] == "model_to_reference"]["run_b"]) == {"s", "s/seed1", "s/seed2"}
    again, _ = validation.validation_report(runs, {"23E": 1.0, "4E": 5.0}, window_s=T_S, seed=9)
    assert again.equals(report)  # seeded jitter: deterministic


def test_seed_variants_and_references():
    sims = {"pd14": {"network": "pd14", "seed": 5, "t_sim": 2000.0}}
    assert wf.split_seed_variant("pd14/seed2") == ("pd14", 2) and wf.split_seed_variant("pd14") == ("pd14", 0)
    assert wf.simulation_entry(sims, "pd14/seed2")["seed"] == 7 and wf.simulation_entry(sims, "pd14")["seed"] == 5
    assert sims["pd14"]["seed"] == 5  # not modified
    with pytest.raises(KeyError, match="'mam' is not in config"):
        wf.simulation_entry(sims, "mam/seed1")
    pat = re.compile(wf.sim_pattern(["pd14", "mam-ground"], seed_variants=True))
    assert all(pat.fullmatch(s) for s in ("pd14", "pd14/seed1", "mam-ground/seed12"))
    assert not any(pat.fullmatch(s) for s in ("pd14/seed0", "pd14/seed", "pd14x", "pd14/seed1/seed2"))
    cfg = {"simulations": sims, "networks": {"pd14": {"model": "pd14"}},
           "validation": {"simulations": ["pd14"], "n_seeds": 3}, "analysis": {"t_min": 500.0}}
    assert wf.seed_ensemble(cfg, "pd14") == ["pd14", "pd14/seed1", "pd14/seed2"]
    assert wf.seeds_of(cfg, "pd14") == [5, 6, 7]
    assert wf.analysis_window_s(cfg, "pd14/seed1") == 1.5
    assert "N_scaling = 1" in wf.scale_note(cfg, "pd14") and "full scale" in wf.scale_note(cfg, "pd14")
    rates, label = reference_rates("pd14", ["23E", "6I"])
    assert rates.tolist() == [0.903, 7.829] and PD14_REFERENCE_RATES["5E"] == 7.569 and "reference" in label


def test_config_checks():
    base = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    check_dynamics_figures(base)
    bad = yaml.safe_load(yaml.safe_dump(base))
    bad["figures"]["dynamics"]["ground_state"]["simulation"] = "pd14"
    with pytest.raises(ValueError,
                       match=r"figures.dynamics.ground_state.simulation: simulation 'pd14' has model 'pd14'"):
        check_dynamics_figures(bad)
    bad = yaml.safe_load(yaml.safe_dump(base))
    bad["figures"]["dynamics"]["temporal_hierarchy"]["partners"] = ["V2", "V99"]
    with pytest.raises(ValueError, match=r"temporal_hierarchy.partners: unknown area\(s\) \['V99'\]"):
        check_dynamics_figures(bad)
    bad = yaml.safe_load(yaml.safe_dump(base))
    bad["validation"]["simulations"] = ["nosuchsim"]
    with pytest.raises(ValueError, match="validation.simulations: 'nosuchsim' is not a simulation"):
        check_dynamics_figures(bad)
    # a config without the mam simulations has no mam figures (and no error)
    small = yaml.safe_load(yaml.safe_dump(base))
    small["simulations"] = {k: small["simulations"][k] for k in ("pd14", "pd14-half")}
    check_dynamics_figures(small)
    targets = wf_targets.dynamics_figures(small)
    assert "figures/potjans2014/raster.png" in targets and not any("schmidt2018_pcb" in t for t in targets)
    assert "figures/potjans2014/model_vs_reference_pd14.pdf" in targets and len(targets) == 8


@pytest.mark.workflow
def test_dag_of_validate_and_figures(tmp_path):
    """Dry runs on a fresh copy: the seed variants share the scaled network; n_seeds sets the runs."""
    proj = copy_project(tmp_path / "proj")
    jobs = planned_jobs(proj, "validate")
    assert jobs["simulate"] == 3 and jobs["scale_network"] == 1 and jobs["spike_statistics"] == 3
    assert jobs["validation_report"] == 1 and jobs["figure_validation"] == 1 and jobs["validate"] == 1
    (proj / "two.yaml").write_text("validation: {n_seeds: 2}\n")
    jobs = planned_jobs(proj, "validate", "--configfile", "config/config.yaml", "two.yaml")
    assert jobs["simulate"] == 2 and jobs["spike_statistics"] == 2
    out = snakemake(proj, "-n", "-p", "results/sims/pd14-half/seed2/spikes.h5").stdout
    assert "--name pd14-half/seed2 --network results/sims/pd14-half/network.h5" in out and '"seed": 3' in out
    jobs = planned_jobs(proj, "figures_dynamics")
    assert jobs["simulate"] == 6  # 4 default simulations + 2 pd14-half seeds (model-vs-reference spread)
    assert jobs["figure_model_vs_reference"] == 4 and jobs["figure_dynamics"] == 8  # PD14 x 2, PCB18 Figs 3-8
    assert "validation_report" not in jobs
