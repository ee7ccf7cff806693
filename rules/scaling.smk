# Scale study (docs/simulation.md "Scale study"; target scaling_study, not in `all`). Every point of
# config `scaling_study.<study>` is a simulation scaling_<study>_N<N>_K<K>_s<seed> run by the ordinary
# scale_network / simulate / spike_statistics rules (names: cortexflow.workflow.scaling).
#   scaling_summary: every run of a study -> results/scaling/{study}/summary.csv, points.csv, areas.csv
#   figure_scaling:  results/scaling/{study}/*.csv -> figures/scaling/{study}.pdf|png


rule scaling_summary:
    """Per run and population: rate, CV, LvR, CC against the full-scale mean field; per run: area-rate ratios
    against the mean field and the largest point, silent populations, cost and the resource formula.
    """
    input:
        unpack(inputs.scaling_summary),
    output:
        summary=paths.SCALING_SUMMARY,
        points=paths.SCALING_POINTS,
        areas=paths.SCALING_AREAS,
    log:
        "logs/scaling/summary_{study}.log",
    benchmark:
        "benchmarks/results/scaling/summary_{study}.tsv"
    wildcard_constraints:
        study=WC["study"],
    conda:
        "../envs/analysis.yaml"
    params:
        runs=inputs.scaling_runs,
    script:
        "../scripts/scaling_summary.py"


rule figure_scaling:
    """Each statistic against scale, seed spread shaded; cost measured and predicted."""
    input:
        summary=paths.SCALING_SUMMARY,
        points=paths.SCALING_POINTS,
    output:
        pdf=paths.ext(paths.FIG_SCALING, "pdf"),
        png=paths.ext(paths.FIG_SCALING, "png"),
    log:
        "logs/scaling/figure_{study}.log",
    benchmark:
        "benchmarks/results/scaling/figure_{study}.tsv"
    wildcard_constraints:
        study=WC["study"],
    conda:
        "../envs/analysis.yaml"
    params:
        figure="scaling",
        options={"dpi": 200},
        study="{study}",
    script:
        "../scripts/fig_scaling.py"


rule scaling_study:
    """Every scale study of config `scaling_study` (not in `all`)."""
    input:
        targets.scaling_figures(config),
