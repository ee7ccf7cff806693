# Validation against the PD14 reference implementation itself (PyPI `microcircuit` 1.0; docs/analysis.md
# "Validation against the PD14 package"). For each pd14 simulation {sim} of `validation.simulations`:
#   simulate_pd14_package:  results/sims/{sim}/network.h5 (its scale and DC-compensation rates)
#                           -> results/sims/{sim}-pkg/seed{seed}/spikes.h5 + run.json (the package's network,
#                              Poisson background, seeds = those of our ensemble)
#   package_statistics:     -> results/sims/{sim}-pkg/seed{seed}/stats/ (the spike_statistics script, unchanged)
#   package_comparison:     both ensembles -> results/validation/{sim}/package_comparison.csv
#   figure_package_comparison:                figures/validation/{sim}_package.pdf|png
# Target validate_package (not in `all`: one more seed ensemble, ~1.3x the cost of rule validate).
# Input functions: cortexflow.workflow.inputs; targets: cortexflow.workflow.targets.package_targets.


rule simulate_pd14_package:
    """The PD14 package's microcircuit at the scale, DC-compensation rates, drive (Poisson), durations and
    threads of {sim}, NEST seed {seed}; spikes converted to our spikes.h5 contract."""
    input:
        network=paths.SIM_NETWORK,
    output:
        spikes=paths.PKG_SPIKES,
        run=paths.PKG_RUN,
    log:
        "logs/pd14_package/simulate_{sim}_seed{seed}.log",
    benchmark:
        "benchmarks/results/pd14_package/simulate_{sim}_seed{seed}.tsv"
    wildcard_constraints:
        sim=WC["package_sim"],
        seed=r"[1-9][0-9]*",
    conda:
        "../envs/simulation.yaml"
    threads: inputs.sim_threads
    resources:
        mem_mb=inputs.sim_mem_mb,
        runtime=inputs.sim_runtime,
    params:
        sim_json=inputs.package_sim_json,
    message:
        "simulate_pd14_package {wildcards.sim} seed {wildcards.seed}: log in logs/pd14_package/simulate_{wildcards.sim}_seed{wildcards.seed}.log"
    shell:
        '"$CORTEXFLOW_SIM_INTERPRETER" -m cortexflow.simulation.pd14_package --name {wildcards.sim}-pkg/seed{wildcards.seed} '
        "--network {input.network:q} --sim-json {params.sim_json:q} "
        "--spikes {output.spikes:q} --run-json {output.run:q} > {log:q} 2>&1"


use rule spike_statistics as package_statistics with:
    input:
        spikes=paths.PKG_SPIKES,
    output:
        summary=paths.PKG_SUMMARY,
        distributions=paths.PKG_DISTRIBUTIONS,
        rate_series=paths.PKG_RATE_SERIES,
    log:
        "logs/pd14_package/spike_statistics_{sim}_seed{seed}.log",
    benchmark:
        "benchmarks/results/pd14_package/spike_statistics_{sim}_seed{seed}.tsv"
    wildcard_constraints:
        sim=WC["package_sim"],
        seed=r"[1-9][0-9]*",


rule package_comparison:
    """KS distances ours-vs-package per population and statistic against the package's seed-to-seed ones."""
    input:
        ours=inputs.ensemble_distributions,
        package=inputs.package_distributions,
    output:
        csv=paths.PACKAGE_COMPARISON,
    log:
        "logs/pd14_package/comparison_{sim}.log",
    benchmark:
        "benchmarks/results/pd14_package/comparison_{sim}.tsv"
    wildcard_constraints:
        sim=WC["package_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        runs=inputs.seed_ensemble,
        seeds=inputs.seeds,
        statistics=["rates", "cv", "cc"],
    script:
        "../scripts/package_comparison.py"


rule figure_package_comparison:
    """Ours-vs-package KS distances against the package's seed-to-seed spread, and the mean rates."""
    input:
        csv=paths.PACKAGE_COMPARISON,
    output:
        **figure_outputs(
            paths.FIG_PACKAGE,
            caption="validation_package",
            category="Validation",
            subcategory="{sim}",
        ),
    log:
        "logs/pd14_package/figure_{sim}.log",
    benchmark:
        "benchmarks/results/pd14_package/figure_{sim}.tsv"
    wildcard_constraints:
        sim=WC["package_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        figure="package_comparison",
        options=config["figures"]["dynamics"]["validation"],
        seeds=inputs.seeds,
        scale=inputs.scale_note,
    script:
        "../scripts/fig_package_comparison.py"


rule validate_package:
    """Our pd14 against the PD14 package for every pd14 simulation of `validation.simulations`."""
    input:
        targets.package_targets(config),
