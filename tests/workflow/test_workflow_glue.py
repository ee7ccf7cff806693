# SPDX-License-Identifier: GPL-3.0-or-later
"""The workflow glue (cortexflow.workflow): rule files hold rules only, include order is free, the input
functions and targets of the default config, and figure jobs that read no raw files."""
from __future__ import annotations

import re
from types import SimpleNamespace as Wildcards

import pytest
import yaml
from snakemake.utils import validate

from cortexflow.config import check_workflow
from cortexflow.workflow import figures, paths, settings, targets
from cortexflow.workflow.inputs import Inputs
from tests.support.workspace import ROOT, copy_project, planned_jobs

RULE_LINE = re.compile(r"^(rule |use rule |wildcard_constraints:|ruleorder:|localrules:|#|$|\s)")


@pytest.fixture(scope="module")
def config():
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(cfg, schema=str(ROOT / "config/schema.yaml"))  # fills the defaults, as rules/common.smk does
    check_workflow(cfg)
    return cfg


@pytest.fixture(scope="module")
def inputs(config):
    return Inputs(config, yaml.safe_load((ROOT / paths.RAW_MANIFEST).read_text())["files"])


def test_rule_files_hold_rules_only():
    """Only rules/common.smk has top-level Python (imports, config checks, the globals of the rules)."""
    for smk in sorted((ROOT / "rules").glob("*.smk")):
        if smk.name == "common.smk":
            continue
        stray = [line for line in smk.read_text().splitlines() if not RULE_LINE.match(line)]
        assert not stray, f"{smk.name}: {stray[:3]}"


def test_targets_of_the_default_config(config):
    figs = targets.figure_targets(config)
    assert len(figs) == len(set(figs))
    # 7 structure figures (pdf, png) and communities.json; 8 dynamics + 4 model-vs-reference figures
    assert len(targets.structure_figures(config)) == 2 * 7 + 1
    assert len(targets.dynamics_figures(config)) == 2 * (8 + 4)
    for part in (targets.structure_figures, targets.dynamics_figures, targets.theory_targets,
                 targets.validation_targets):
        assert set(part(config)) <= set(figs), part.__name__
    assert paths.COMMUNITIES.format(net="mam") in figs
    assert "figures/schmidt2018_pcb/fig5_metastable_state.png" in figs
    assert targets.provenance_inputs(config) == [f for f in figs if f.endswith(".png")]
    # summary + spectra of 3 pd14 and 2 mam sims, + area signals and hierarchy of the mam sims
    assert len(targets.analysis_outputs(config)) == 5 * 2 + 2 * 2


def test_figure_jobs_read_no_raw_files(config, inputs):
    """Figures only draw: processed, network, communities and stats files, never data/raw."""
    for table, func in ((figures.STRUCTURE_FIGURES, inputs.figure_structure),
                        (figures.DYNAMICS_FIGURES, inputs.figure_dynamics)):
        for fig in table.values():
            files = [f for v in func(Wildcards(figure=fig.stem)).values() for f in ([v] if isinstance(v, str) else v)]
            assert files and not [f for f in files if f.startswith(paths.RAW_DIR)], fig.key
    assert inputs.figure_structure(Wildcards(figure="schmidt2018_bsf/fig7_communities")) == {
        "network": "results/networks/mam/network.h5", "communities": "results/networks/mam/communities.json"}
    # PCB18 Fig 8 D: the structural communities are those of the simulated network (stabilised K)
    net = config["simulations"][config["figures"]["dynamics"]["functional_connectivity"]["simulation"]]["network"]
    fig8 = inputs.figure_dynamics(Wildcards(figure="schmidt2018_pcb/fig8_functional_connectivity"))
    assert fig8["structure"] == f"results/networks/{net}/communities.json"
    assert net == "mam-metastable-published"


def test_input_functions_of_simulations(config, inputs):
    assert inputs.simulate(Wildcards(sim="pd14-half/seed2")) == {"network": "results/sims/pd14-half/network.h5"}
    assert inputs.sim_params(Wildcards(sim="pd14-half/seed2"))["seed"] == config["simulations"]["pd14-half"]["seed"] + 2
    assert inputs.scale_network(Wildcards(sim="mam-ground")) == {
        "network": "results/networks/mam-published/network.h5",
        "rates": "results/theory/mam-published/fixed_point.h5"}
    pattern = re.compile(settings.wildcard_constraints(config)["run_sim_seeds"])
    assert pattern.fullmatch("pd14/seed3") and not pattern.fullmatch("nosuchsim")
    assert settings.theory_options(config)["seed"] == config["theory"]["seed"]


@pytest.mark.workflow
def test_include_order_is_free(tmp_path):
    """The rule files share no globals: the reversed include order plans the same jobs."""
    project = copy_project(tmp_path / "project")
    snakefile = project / "Snakefile"
    text = snakefile.read_text()
    includes = re.findall(r'^include: "rules/(?!common)[^"]+"\n', text, flags=re.M)
    before = planned_jobs(project, "--forceall")
    # a `use rule` must follow its rule: data_dependence after data/structure/theory, pd14_package after analysis,
    # figures_sim_extra after simulation
    follow = ("data_dependence", "pd14_package", "figures_sim_extra")
    order = [i for i in reversed(includes) if not any(f in i for f in follow)]
    order += [i for i in includes if any(f in i for f in follow)]
    body = text
    for inc in includes:
        body = body.replace(inc, "", 1)
    common = 'include: "rules/common.smk"\n'
    snakefile.write_text(body.replace(common, common + "".join(order)))
    assert planned_jobs(project, "--forceall") == before
