# Dynamics figures and the multi-seed validation (docs/analysis.md "Figures", "Validation").
#   figure_pd14_raster, figure_pd14_statistics:   figures/potjans2014/{raster,statistics}.pdf|png
#   figure_pcb_<key>:                              figures/schmidt2018_pcb/fig{3..8}_<name>.pdf|png
#   figure_model_vs_reference:                     figures/{paper}/model_vs_reference_{sim}.pdf|png
#   validation_report:  the seed ensemble of {sim} ({sim}, {sim}/seed1, ...) -> results/validation/{sim}/report.csv
#   figure_validation:                             figures/validation/{sim}.pdf|png
#   validation_verdict: report.csv -> results/validation/{sim}/verdict.html (report item; fails under
#                       validation_strict when a population failed)
# Each figure rule's params are its own `figures.dynamics.<key>` options (a change reruns only that figure);
# params.footer: the network, scaling, t_sim and seed(s) stated inside the PNG/PDF (plotting.dynamics.add_footer).
# A figure whose simulation is not in `simulations` is not built. Aggregates: figures_dynamics, validate.
# Input functions: cortexflow.analysis.workflow.
from cortexflow.analysis import workflow as _wf

FIG_DYN = config["figures"]["dynamics"]
VALIDATION = config.get("validation") or {}
_wf.check_dynamics_config(config)
PD14_DYN_CATEGORY = "Potjans & Diesmann 2014: dynamics"
PCB_CATEGORY = "Schmidt 2018 PLoS CB: dynamics"


rule figure_pd14_raster:
    """PD14: raster of a fraction of the neurons and the population rates."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "pd14_raster")),
    output:
        pdf="figures/potjans2014/raster.pdf",
        png=report("figures/potjans2014/raster.png", caption="../report/captions/pd14_raster.rst",
                   category=PD14_DYN_CATEGORY),
    params:
        figure="pd14_raster",
        options=FIG_DYN["pd14_raster"],
        scale=lambda w: _wf.dynamics_scale(config, "pd14_raster"),
        footer=lambda w: _wf.dynamics_footer(config, "pd14_raster"),
    log:
        "logs/figures_dynamics/pd14_raster.log",
    benchmark:
        "benchmarks/results/figures_dynamics/pd14_raster.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pd14_statistics:
    """PD14: per-neuron rates, CV ISI and synchrony per population."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "pd14_statistics")),
    output:
        pdf="figures/potjans2014/statistics.pdf",
        png=report("figures/potjans2014/statistics.png", caption="../report/captions/pd14_statistics.rst",
                   category=PD14_DYN_CATEGORY),
    params:
        figure="pd14_statistics",
        options=FIG_DYN["pd14_statistics"],
        scale=lambda w: _wf.dynamics_scale(config, "pd14_statistics"),
        footer=lambda w: _wf.dynamics_footer(config, "pd14_statistics"),
    log:
        "logs/figures_dynamics/pd14_statistics.log",
    benchmark:
        "benchmarks/results/figures_dynamics/pd14_statistics.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_ground_state:
    """PCB18 Fig 3: rasters of V1, V2, FEF; rates, LvR and CC per population and area (ground state)."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "ground_state")),
    output:
        pdf="figures/schmidt2018_pcb/fig3_ground_state.pdf",
        png=report("figures/schmidt2018_pcb/fig3_ground_state.png", caption="../report/captions/pcb_state.rst",
                   category=PCB_CATEGORY),
    params:
        figure="state",
        state="ground state",
        sim=lambda w: _wf.dynamics_simulations(config, "ground_state")[0],
        options=FIG_DYN["ground_state"],
        scale=lambda w: _wf.dynamics_scale(config, "ground_state"),
        footer=lambda w: _wf.dynamics_footer(config, "ground_state"),
    log:
        "logs/figures_dynamics/ground_state.log",
    benchmark:
        "benchmarks/results/figures_dynamics/ground_state.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_metastable_state:
    """PCB18 Fig 5: the same statistics for the metastable state."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "metastable_state")),
    output:
        pdf="figures/schmidt2018_pcb/fig5_metastable_state.pdf",
        png=report("figures/schmidt2018_pcb/fig5_metastable_state.png", caption="../report/captions/pcb_state.rst",
                   category=PCB_CATEGORY),
    params:
        figure="state",
        state="metastable state",
        sim=lambda w: _wf.dynamics_simulations(config, "metastable_state")[0],
        options=FIG_DYN["metastable_state"],
        scale=lambda w: _wf.dynamics_scale(config, "metastable_state"),
        footer=lambda w: _wf.dynamics_footer(config, "metastable_state"),
    log:
        "logs/figures_dynamics/metastable_state.log",
    benchmark:
        "benchmarks/results/figures_dynamics/metastable_state.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_metastability:
    """PCB18 Fig 4: V1 rate time series of the ground and metastable simulations with the mean field."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "metastability")),
    output:
        pdf="figures/schmidt2018_pcb/fig4_metastability.pdf",
        png=report("figures/schmidt2018_pcb/fig4_metastability.png",
                   caption="../report/captions/pcb_metastability.rst", category=PCB_CATEGORY),
    params:
        figure="metastability",
        options=FIG_DYN["metastability"],
        labels=lambda w: _wf.dynamics_simulations(config, "metastability"),
        scale=lambda w: _wf.dynamics_scale(config, "metastability"),
        footer=lambda w: _wf.dynamics_footer(config, "metastability"),
    log:
        "logs/figures_dynamics/metastability.log",
    benchmark:
        "benchmarks/results/figures_dynamics/metastability.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_spectra:
    """PCB18 Fig 6 (simulation part): Welch spectra of the area rates."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "spectra")),
    output:
        pdf="figures/schmidt2018_pcb/fig6_spectra.pdf",
        png=report("figures/schmidt2018_pcb/fig6_spectra.png", caption="../report/captions/pcb_spectra.rst",
                   category=PCB_CATEGORY),
    params:
        figure="spectra",
        options=FIG_DYN["spectra"],
        labels=lambda w: _wf.dynamics_simulations(config, "spectra"),
        scale=lambda w: _wf.dynamics_scale(config, "spectra"),
        footer=lambda w: _wf.dynamics_footer(config, "spectra"),
    log:
        "logs/figures_dynamics/spectra.log",
    benchmark:
        "benchmarks/results/figures_dynamics/spectra.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_temporal_hierarchy:
    """PCB18 Fig 7 (simulation part): cross-correlations, peak lags and the temporal hierarchy."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "temporal_hierarchy")),
    output:
        pdf="figures/schmidt2018_pcb/fig7_temporal_hierarchy.pdf",
        png=report("figures/schmidt2018_pcb/fig7_temporal_hierarchy.png",
                   caption="../report/captions/pcb_temporal_hierarchy.rst", category=PCB_CATEGORY),
    params:
        figure="temporal_hierarchy",
        options=FIG_DYN["temporal_hierarchy"],
        scale=lambda w: _wf.dynamics_scale(config, "temporal_hierarchy"),
        footer=lambda w: _wf.dynamics_footer(config, "temporal_hierarchy"),
    log:
        "logs/figures_dynamics/temporal_hierarchy.log",
    benchmark:
        "benchmarks/results/figures_dynamics/temporal_hierarchy.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_pcb_functional_connectivity:
    """PCB18 Fig 8 (A-C): simulated vs experimental FC with Louvain communities."""
    input:
        unpack(lambda w: _wf.dynamics_inputs(config, "functional_connectivity")),
    output:
        pdf="figures/schmidt2018_pcb/fig8_functional_connectivity.pdf",
        png=report("figures/schmidt2018_pcb/fig8_functional_connectivity.png",
                   caption="../report/captions/pcb_functional_connectivity.rst", category=PCB_CATEGORY),
    params:
        figure="functional_connectivity",
        options=FIG_DYN["functional_connectivity"],
        sim=lambda w: _wf.dynamics_simulations(config, "functional_connectivity")[0],
        scale=lambda w: _wf.dynamics_scale(config, "functional_connectivity"),
        footer=lambda w: _wf.dynamics_footer(config, "functional_connectivity"),
    log:
        "logs/figures_dynamics/functional_connectivity.log",
    benchmark:
        "benchmarks/results/figures_dynamics/functional_connectivity.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule figure_model_vs_reference:
    """Per-population rates of the seed ensemble of {sim} beside the reference (pd14: published means;
    mam: mean field of the same network)."""
    input:
        summary=lambda w: _wf.ensemble_files(config, w.sim, "summary.csv"),
        fixed_point=lambda w: _wf.reference_inputs(config, w.sim)["fixed_point"],
    output:
        pdf="figures/{paper}/model_vs_reference_{sim}.pdf",
        png=report("figures/{paper}/model_vs_reference_{sim}.png",
                   caption="../report/captions/model_vs_reference.rst", category="Model vs reference",
                   subcategory="{sim}"),
    params:
        figure="model_vs_reference",
        options=FIG_DYN["model_vs_reference"],
        model=lambda w: _wf.sim_model(config, w.sim),
        runs=lambda w: _wf.seed_ensemble(config, w.sim),
        seeds=lambda w: _wf.seeds_of(config, w.sim),
        scale=lambda w: _wf.scale_note(config, w.sim),
        footer=lambda w: _wf.ensemble_footer(config, w.sim),
    wildcard_constraints:
        paper="potjans2014|schmidt2018_pcb",
        sim=_wf.sim_pattern(config.get("simulations") or {}),
    log:
        "logs/figures_dynamics/model_vs_reference_{paper}_{sim}.log",
    benchmark:
        "benchmarks/results/figures_dynamics/model_vs_reference_{paper}_{sim}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule validation_report:
    """KS and Wasserstein distances per population and statistic between the seeds of {sim} and between
    the runs and the reference samples; pass = within the seed-to-seed spread."""
    input:
        distributions=lambda w: _wf.ensemble_files(config, w.sim, "distributions.h5"),
        fixed_point=lambda w: _wf.reference_inputs(config, w.sim)["fixed_point"],
    output:
        report="results/validation/{sim}/report.csv",
        distances="results/validation/{sim}/distances.csv",
    params:
        model=lambda w: _wf.sim_model(config, w.sim),
        runs=lambda w: _wf.seed_ensemble(config, w.sim),
        seeds=lambda w: _wf.seeds_of(config, w.sim),
        statistics=VALIDATION.get("statistics"),
        metrics=VALIDATION.get("metrics"),
        window_s=lambda w: _wf.analysis_window_s(config, w.sim),
        seed=(config.get("analysis") or {}).get("seed", 12345),
    wildcard_constraints:
        sim=_wf.sim_pattern(config.get("simulations") or {}),
    log:
        "logs/validation/{sim}.log",
    benchmark:
        "benchmarks/results/validation/{sim}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/validate.py"


rule figure_validation:
    """Seed-to-seed and run-to-reference distances of {sim}, with the pass/fail of each population."""
    input:
        report="results/validation/{sim}/report.csv",
        distances="results/validation/{sim}/distances.csv",
    output:
        pdf="figures/validation/{sim}.pdf",
        png=report("figures/validation/{sim}.png", caption="../report/captions/validation.rst",
                   category="Validation", subcategory="{sim}"),
    params:
        figure="validation",
        options=FIG_DYN["validation"],
        runs=lambda w: _wf.seed_ensemble(config, w.sim),
        seeds=lambda w: _wf.seeds_of(config, w.sim),
        scale=lambda w: _wf.scale_note(config, w.sim),
        footer=lambda w: _wf.ensemble_footer(config, w.sim),
    wildcard_constraints:
        sim=_wf.sim_pattern(config.get("simulations") or {}),
    log:
        "logs/figures_dynamics/validation_{sim}.log",
    benchmark:
        "benchmarks/results/figures_dynamics/validation_{sim}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_dynamics.py"


rule validation_verdict:
    """The verdict of {sim} for the Snakemake report (verdict.html); with `validation_strict` any failed
    population fails this job, and so `snakemake validate`, with one line naming the failed populations."""
    input:
        report="results/validation/{sim}/report.csv",
    output:
        html=report("results/validation/{sim}/verdict.html", caption="../report/captions/validation_verdict.rst",
                    category="Validation", subcategory="{sim}"),
    params:
        strict=bool(config.get("validation_strict", False)),
    wildcard_constraints:
        sim=_wf.sim_pattern(config.get("simulations") or {}),
    log:
        "logs/validation/verdict_{sim}.log",
    benchmark:
        "benchmarks/results/validation/verdict_{sim}.tsv"
    localrule: True
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/validation_verdict.py"


rule validate:
    """Multi-seed validation of every simulation in `validation.simulations` (report, verdict, figure)."""
    input:
        _wf.validation_targets(config),


rule figures_dynamics:
    """Every dynamics figure the configured simulations can feed (PD14, PCB18, model vs reference)."""
    input:
        _wf.dynamics_figure_targets(config),
