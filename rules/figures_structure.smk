# Structure figures: Schmidt et al. 2018 (Brain Struct Funct) Figs 2-7 from the processed anatomy and the
# configured mam network, and the PD14 connectivity (docs/figures.md). One rule, figure_structure, for the
# figures of the table cortexflow.workflow.figures.STRUCTURE_FIGURES ({figure}: their file stem under
# figures/); each job's params are its own `figures.structure.<key>` options, so changing one option reruns
# only that figure. The figures only draw: they read processed.json and data_points.json (rules/data.smk),
# network.h5 and communities.json (rules/structure.smk). Aggregate target: figures_structure.


rule figure_structure:
    """One structure figure: BSF18 Fig 2 (anatomy), 3 (construction), 4 (connectivity), 5 (laminar
    patterns), 6 (connectivity measures), 7 (communities) or the PD14 connectivity."""
    input:
        unpack(inputs.figure_structure),
    output:
        **figure_outputs(
            paths.FIGURE,
            caption="figure_structure",
            category=inputs.structure_category,
        ),
    log:
        "logs/figures_structure/{figure}.log",
    benchmark:
        "benchmarks/results/figures_structure/{figure}.tsv"
    wildcard_constraints:
        figure=figures.stem_pattern(figures.STRUCTURE_FIGURES),
    conda:
        "../envs/base.yaml"
    params:
        figure=inputs.structure_key,
        options=inputs.structure_options,
        network=inputs.structure_network,
        network_params=inputs.structure_network_params,
    script:
        "../scripts/fig_structure.py"


rule figures_structure:
    """Every structure figure (BSF18 Figs 2-7 and the PD14 connectivity)."""
    input:
        targets.structure_figures(config),
