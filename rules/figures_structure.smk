# Structure figures: Schmidt et al. 2018 (Brain Struct Funct) Figs 2-7 from the processed anatomy and the
# configured mam network, and the PD14 connectivity (docs/figures.md). One rule per figure; each rule's params
# are its own `figures.structure.<figure>` options, so changing one option reruns only that figure.
# Aggregate target: figures_structure.
# (settings and input functions of this stage: rules/common.smk)


rule figure_bsf_anatomy:
    """BSF18 Fig 2: neuron densities, total and laminar thicknesses."""
    input:
        processed=rules.process_anatomy.output[0],
        thickness=raw("CorticalThickness.csv"),
        laminar=raw("laminar_thicknesses_macaque.csv"),
    output:
        **_figure_outputs(BSF_DIR, "fig2_anatomy"),
    params:
        figure="anatomy",
        options=FIG_STRUCT["anatomy"],
    log:
        "logs/figures_structure/anatomy.log",
    benchmark:
        "benchmarks/results/figures_structure/anatomy.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_bsf_construction:
    """BSF18 Fig 3: average indegree per area by synapse type."""
    input:
        processed=rules.process_anatomy.output[0],
        network=f"results/networks/{STRUCT_NET}/network.h5",
    output:
        **_figure_outputs(BSF_DIR, "fig3_construction"),
    params:
        figure="construction",
        options=FIG_STRUCT["construction"],
        network=STRUCT_NET,
        network_params=config["networks"][STRUCT_NET],
    log:
        "logs/figures_structure/construction.log",
    benchmark:
        "benchmarks/results/figures_structure/construction.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_bsf_connectivity:
    """BSF18 Fig 4: binary connectivity, FLN data, exponential distance rule, area-level indegrees."""
    input:
        processed=rules.process_anatomy.output[0],
        network=f"results/networks/{STRUCT_NET}/network.h5",
        cocomac=raw("CoCoMac_complete_81.json"),
    output:
        **_figure_outputs(BSF_DIR, "fig4_connectivity"),
    params:
        figure="connectivity",
        options=FIG_STRUCT["connectivity"],
        network=STRUCT_NET,
        network_params=config["networks"][STRUCT_NET],
    log:
        "logs/figures_structure/connectivity.log",
    benchmark:
        "benchmarks/results/figures_structure/connectivity.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_bsf_laminar_patterns:
    """BSF18 Fig 5: SLN vs log density ratio with the beta-binomial probit fit and its confidence band,
    target-layer patterns, resulting laminar patterns of cortico-cortical indegrees."""
    input:
        processed=rules.process_anatomy.output[0],
        network=f"results/networks/{STRUCT_NET}/network.h5",
        sln_data=raw("RData_prepared_logdensities.txt"),
    output:
        **_figure_outputs(BSF_DIR, "fig5_laminar_patterns"),
    params:
        figure="laminar_patterns",
        options=FIG_STRUCT["laminar_patterns"],
        network=STRUCT_NET,
        network_params=config["networks"][STRUCT_NET],
        sln_optimizer=config["anatomy"]["sln_fit"]["optimizer"],
    log:
        "logs/figures_structure/laminar_patterns.log",
    benchmark:
        "benchmarks/results/figures_structure/laminar_patterns.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_bsf_connectivity_measures:
    """BSF18 Fig 6: population-level indegrees and connection probabilities."""
    input:
        network=f"results/networks/{STRUCT_NET}/network.h5",
    output:
        **_figure_outputs(BSF_DIR, "fig6_connectivity_measures"),
    params:
        figure="connectivity_measures",
        options=FIG_STRUCT["connectivity_measures"],
        network=STRUCT_NET,
        network_params=config["networks"][STRUCT_NET],
    log:
        "logs/figures_structure/connectivity_measures.log",
    benchmark:
        "benchmarks/results/figures_structure/connectivity_measures.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_bsf_communities:
    """BSF18 Fig 7: community structure of the area graph (seeded, deterministic), with its partition as JSON."""
    input:
        network=f"results/networks/{STRUCT_NET}/network.h5",
    output:
        **_figure_outputs(BSF_DIR, "fig7_communities"),
        communities=f"results/networks/{STRUCT_NET}/communities.json",
    params:
        figure="communities",
        options=FIG_STRUCT["communities"],
        network=STRUCT_NET,
        network_params=config["networks"][STRUCT_NET],
    log:
        "logs/figures_structure/communities.log",
    benchmark:
        "benchmarks/results/figures_structure/communities.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figure_pd14_connectivity:
    """Potjans & Diesmann 2014: connection probabilities, indegrees and population sizes."""
    input:
        network=f"results/networks/{PD14_NET}/network.h5",
    output:
        **_figure_outputs(PD14_DIR, "connectivity", caption="pd14_connectivity",
                                   category="Potjans & Diesmann 2014: structure"),
    params:
        figure="pd14_connectivity",
        options=FIG_STRUCT["pd14_connectivity"],
        network=PD14_NET,
        network_params=config["networks"][PD14_NET],
    log:
        "logs/figures_structure/pd14_connectivity.log",
    benchmark:
        "benchmarks/results/figures_structure/pd14_connectivity.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_structure.py"


rule figures_structure:
    """Every structure figure (BSF18 Figs 2-7 and the PD14 connectivity)."""
    input:
        rules.figure_bsf_anatomy.output,
        rules.figure_bsf_construction.output,
        rules.figure_bsf_connectivity.output,
        rules.figure_bsf_laminar_patterns.output,
        rules.figure_bsf_connectivity_measures.output,
        rules.figure_bsf_communities.output,
        rules.figure_pd14_connectivity.output,
