# Mechanism and structure analyses of issue #15 (docs/figures.md, docs/analysis.md): science rules that write
# result files, and one figure rule per figure that only draws them.
#   chi_sweep              results/networks/{net}/network.h5 -> results/theory/{net}/chi_sweep.h5     (PCB18 Fig 4)
#   ee_example             -> results/theory/ee_example/ee_example.h5                                  (S17 Fig 2)
#   unstable_fixed_points  stabilisation.h5 -> results/theory/{net}/unstable_fixed_points.h5           (S17 Fig 6)
#   connectivity_analysis  stabilisation.h5 + processed.json -> results/theory/{net}/connectivity_analysis.h5 (S17 Fig 8)
#   laminar_paths          network.h5 + processed.json -> results/networks/{net}/laminar_paths.json    (BSF18 Fig 8)
# Targets: cortexflow.workflow.targets.theory_extra_targets (part of `all`).


rule chi_sweep:
    """PCB18 Fig 4 theory: fixed points and lambda_max against chi (low and high branch by continuation, from
    zero rates at the paper's chi values) and the fixed points reached from seeded random initial rates.
    """
    input:
        network=paths.NETWORK,
    output:
        paths.CHI_SWEEP,
    log:
        "logs/chi_sweep/{net}.log",
    benchmark:
        "benchmarks/results/chi_sweep_{net}.tsv"
    wildcard_constraints:
        net=WC["chi_sweep_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=settings.chi_sweep_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/chi_sweep.py"


rule ee_example:
    """S17 Fig 2: the 1-D and 2-D excitatory networks (fixed points, drive bifurcation, flux, phase plane,
    stabilised indegree) with our transfer function."""
    output:
        paths.EE_EXAMPLE,
    log:
        "logs/ee_example.log",
    benchmark:
        "benchmarks/results/ee_example.tsv"
    conda:
        "../envs/theory.yaml"
    params:
        options=THEORY["ee_example"],
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/ee_example.py"


rule unstable_fixed_points:
    """S17 Fig 6: low-activity, unstable and high-activity fixed point at every transition kappa* of the
    stabilisation."""
    input:
        network=paths.NETWORK,
        record=paths.STABILISATION,
    output:
        paths.UNSTABLE_FIXED_POINTS,
    log:
        "logs/unstable_fixed_points/{net}.log",
    benchmark:
        "benchmarks/results/unstable_fixed_points_{net}.tsv"
    wildcard_constraints:
        net=WC["stabilised_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=settings.theory_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/unstable_fixed_points.py"


rule connectivity_analysis:
    """S17 Fig 8: the indegree changes of the stabilisation clustered hierarchically (population patterns,
    area pairs), FLN and SLN before and after."""
    input:
        network=paths.NETWORK,
        record=paths.STABILISATION,
        processed=paths.PROCESSED,
    output:
        paths.CONNECTIVITY_ANALYSIS,
    log:
        "logs/connectivity_analysis/{net}.log",
    benchmark:
        "benchmarks/results/connectivity_analysis_{net}.tsv"
    wildcard_constraints:
        net=WC["stabilised_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=THEORY["connectivity_analysis"],
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/connectivity_analysis.py"


rule laminar_paths:
    """BSF18 Fig 8: shortest laminar paths between areas in the gain graph, by SLN class and architectural
    gradient."""
    input:
        network=paths.NETWORK,
        processed=paths.PROCESSED,
    output:
        paths.LAMINAR_PATHS,
    log:
        "logs/laminar_paths/{net}.log",
    benchmark:
        "benchmarks/results/laminar_paths_{net}.tsv"
    wildcard_constraints:
        net=WC["laminar_paths_net"],
    conda:
        "../envs/base.yaml"
    params:
        options=settings.laminar_paths_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/laminar_paths.py"


rule figure_theory_extra:
    """One figure of the table cortexflow.workflow.figures.THEORY_EXTRA_FIGURES, drawn from its data file."""
    input:
        data=inputs.theory_extra_data,
    output:
        **figure_outputs(
            paths.FIGURE,
            caption="figure_theory_extra",
            category=inputs.theory_extra_category,
        ),
    log:
        "logs/figures_theory_extra/{figure}.log",
    benchmark:
        "benchmarks/results/figures_theory_extra/{figure}.tsv"
    wildcard_constraints:
        figure=figures.stem_pattern(figures.theory_extra_figures(config)),
    conda:
        "../envs/theory.yaml"
    params:
        figure=inputs.theory_extra_key,
        options=inputs.theory_extra_options,
    script:
        "../scripts/fig_theory_extra.py"


rule figures_theory_extra:
    """Every figure of issue #15's mechanism and structure analyses (PCB18 Fig 4, S17 Figs 2, 6, 8, BSF18 Fig 8)."""
    input:
        targets.theory_extra_targets(config),
