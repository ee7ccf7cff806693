# Dynamics figures (docs/analysis.md "Figures"):
#   figure_dynamics:            one figure of cortexflow.workflow.figures.DYNAMICS_FIGURES ({figure}: its file
#                               stem, figures/potjans2014/{raster,statistics}, figures/schmidt2018_pcb/fig{3..8}_*)
#   figure_model_vs_reference:  figures/{paper}/model_vs_reference_{sim}.pdf|png
# Each job's params are its own `figures.dynamics.<key>` options (a change reruns only that figure);
# params.footer: the network, scaling, t_sim and seed(s) stated inside the PNG/PDF (plotting.dynamics.add_footer).
# A figure whose simulation is not in `simulations` is not built. Aggregate: figures_dynamics.
# The multi-seed validation: rules/validation.smk.


rule figure_dynamics:
    """One dynamics figure: PD14 raster or statistics, PCB18 Figs 3-8 (ground and metastable state,
    metastability, spectra, temporal hierarchy, functional connectivity)."""
    input:
        unpack(inputs.figure_dynamics),
    output:
        **figure_outputs(
            paths.FIGURE,
            caption="figure_dynamics",
            category=inputs.dynamics_category,
        ),
    log:
        "logs/figures_dynamics/{figure}.log",
    benchmark:
        "benchmarks/results/figures_dynamics/{figure}.tsv"
    wildcard_constraints:
        figure=figures.stem_pattern(figures.DYNAMICS_FIGURES),
    conda:
        "../envs/analysis.yaml"
    params:
        figure=inputs.dynamics_draw,
        key=inputs.dynamics_key,
        options=inputs.dynamics_options,
        simulations=inputs.dynamics_simulations,
        scale=inputs.dynamics_scale,
        footer=inputs.dynamics_footer,
    script:
        "../scripts/fig_dynamics.py"


rule figure_model_vs_reference:
    """Per-population rates of the seed ensemble of {sim} beside the reference (pd14: published means;
    mam: mean field of the same network)."""
    input:
        summary=inputs.ensemble_summaries,
        fixed_point=inputs.reference_fixed_point,
    output:
        **figure_outputs(
            paths.FIG_MODEL_VS_REFERENCE,
            caption="model_vs_reference",
            category="Model vs reference",
            subcategory="{sim}",
        ),
    log:
        "logs/figures_dynamics/model_vs_reference_{paper}_{sim}.log",
    benchmark:
        "benchmarks/results/figures_dynamics/model_vs_reference_{paper}_{sim}.tsv"
    wildcard_constraints:
        paper="potjans2014|schmidt2018_pcb",
        sim=WC["ensemble_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        figure="model_vs_reference",
        options=config["figures"]["dynamics"]["model_vs_reference"],
        model=inputs.model,
        runs=inputs.seed_ensemble,
        seeds=inputs.seeds,
        scale=inputs.scale_note,
        footer=inputs.ensemble_footer,
    script:
        "../scripts/fig_dynamics.py"


rule figures_dynamics:
    """Every dynamics figure the configured simulations can feed (PD14, PCB18, model vs reference)."""
    input:
        targets.dynamics_figures(config),
