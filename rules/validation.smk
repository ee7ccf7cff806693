# Multi-seed validation (docs/analysis.md "Validation"). For each simulation {sim} of `validation.simulations`:
#   validation_report:  the seed ensemble of {sim} ({sim}, {sim}/seed1, ...) -> results/validation/{sim}/report.csv
#   figure_validation:  figures/validation/{sim}.pdf|png
#   validation_verdict: report.csv -> results/validation/{sim}/verdict.html (report item; fails under
#                       validation_strict when a population failed)
# Aggregate: validate.


rule validation_report:
    """KS and Wasserstein distances per population and statistic between the seeds of {sim} and between
    the runs and the reference samples; pass = within the seed-to-seed spread."""
    input:
        distributions=inputs.ensemble_distributions,
        fixed_point=inputs.reference_fixed_point,
    output:
        report=paths.VALIDATION_REPORT,
        distances=paths.VALIDATION_DISTANCES,
    log:
        "logs/validation/{sim}.log",
    benchmark:
        "benchmarks/results/validation/{sim}.tsv"
    wildcard_constraints:
        sim=WC["ensemble_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        model=inputs.model,
        runs=inputs.seed_ensemble,
        seeds=inputs.seeds,
        statistics=settings.validation(config).get("statistics"),
        metrics=settings.validation(config).get("metrics"),
        window_s=inputs.analysis_window_s,
        seed=ANALYSIS["seed"],
    script:
        "../scripts/validate.py"


rule figure_validation:
    """Seed-to-seed and run-to-reference distances of {sim}, with the pass/fail of each population."""
    input:
        report=paths.VALIDATION_REPORT,
        distances=paths.VALIDATION_DISTANCES,
    output:
        **figure_outputs(
            paths.FIG_VALIDATION,
            caption="validation",
            category="Validation",
            subcategory="{sim}",
        ),
    log:
        "logs/figures_dynamics/validation_{sim}.log",
    benchmark:
        "benchmarks/results/figures_dynamics/validation_{sim}.tsv"
    wildcard_constraints:
        sim=WC["ensemble_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        figure="validation",
        options=config["figures"]["dynamics"]["validation"],
        runs=inputs.seed_ensemble,
        seeds=inputs.seeds,
        scale=inputs.scale_note,
        footer=inputs.ensemble_footer,
    script:
        "../scripts/fig_dynamics.py"


rule validation_verdict:
    """The verdict of {sim} for the Snakemake report (verdict.html); with `validation_strict` any failed
    population fails this job, and so `snakemake validate`, with one line naming the failed populations.
    """
    input:
        report=paths.VALIDATION_REPORT,
    output:
        html=report(
            paths.VALIDATION_VERDICT,
            caption="../report/captions/validation_verdict.rst",
            category="Validation",
            subcategory="{sim}",
        ),
    log:
        "logs/validation/verdict_{sim}.log",
    benchmark:
        "benchmarks/results/validation/verdict_{sim}.tsv"
    wildcard_constraints:
        sim=WC["ensemble_sim"],
    localrule: True
    conda:
        "../envs/analysis.yaml"
    params:
        strict=bool(config.get("validation_strict", False)),
    script:
        "../scripts/validation_verdict.py"


rule validate:
    """Multi-seed validation of every simulation in `validation.simulations` (report, verdict, figure)."""
    input:
        targets.validation_targets(config),
