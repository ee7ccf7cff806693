"""Workflow glue of the mechanism and structure figures (cortexflow.workflow: figures, settings, targets)."""
from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from cortexflow.workflow import figures, settings, targets

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def config():
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(cfg, str(ROOT / "config/schema.yaml"))
    return cfg


def test_targets_and_data_files(config):
    out = targets.theory_extra_targets(config)
    for f in ("figures/schmidt2018_pcb/fig4_theory.png", "figures/schuecker2017/fig2_ee_example.pdf",
              "figures/schuecker2017/mam-s17_fig6_unstable_fixed_point.png",
              "figures/schuecker2017/mam-s17_fig8_connectivity_analysis.png",
              "figures/schmidt2018_bsf/fig8_laminar_paths.png", "results/theory/mam-published/chi_sweep.h5",
              "results/theory/ee_example/ee_example.h5", "results/theory/mam-s17/unstable_fixed_points.h5",
              "results/theory/mam-s17/connectivity_analysis.h5", "results/networks/mam/laminar_paths.json"):
        assert f in out
    assert set(out) <= set(targets.figure_targets(config))   # part of `all`
    table = figures.theory_extra_figures(config)
    assert figures.theory_extra_data(config, table["schuecker2017/mam-s17_fig8_connectivity_analysis"]) == \
        "results/theory/mam-s17/connectivity_analysis.h5"


def test_options_of_the_new_sections_do_not_reach_meanfield(config):
    from cortexflow.theory.pipeline import _opts

    base = settings.theory_options(config)
    assert not set(base) & {"chi_sweep", "ee_example", "connectivity_analysis"}
    # nor the solver options that the stabilised network records (params "stabilisation" of {net}-stable)
    assert set(_opts(None)) == {"dt", "T", "tolerance", "max_shift", "derivatives", "n_initial",
                                "initial_rate_max", "seed"}
    changed = {**config, "theory": {**config["theory"], "chi_sweep": {**config["theory"]["chi_sweep"], "n_initial": 5}}}
    assert settings.theory_options(changed) == base
    opts = settings.chi_sweep_options(changed)
    assert opts["n_initial"] == 5 and opts["dt"] == 0.01 and "network" not in opts
    assert settings.laminar_paths_options(config) == {"g": -4.0}


def test_chi_sweep_network_must_be_mam(config):
    bad = {**config, "theory": {**config["theory"], "chi_sweep": {**config["theory"]["chi_sweep"], "network": "pd14"}}}
    with pytest.raises(ValueError, match="theory.chi_sweep.network"):
        settings.chi_sweep_network(bad)
