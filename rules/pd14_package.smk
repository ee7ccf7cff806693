# Validation against the PD14 reference implementation itself (PyPI `microcircuit` 1.0; docs/analysis.md
# "Validation against the PD14 package"). For each pd14 simulation {sim} of `validation.simulations`:
#   simulate_pd14_package:  results/sims/{sim}/network.h5 (its scale and DC-compensation rates)
#                           -> results/sims/{sim}-pkg/seed{seed}/spikes.h5 + run.json (the package's network,
#                              Poisson background, seeds = those of our ensemble)
#   package_statistics:     -> results/sims/{sim}-pkg/seed{seed}/stats/ (the spike_statistics script, unchanged)
#   package_comparison:     both ensembles -> results/validation/{sim}/package_comparison.csv
#   figure_package_comparison:                figures/validation/{sim}_package.pdf|png
# Target validate_package (not in `all`: one more seed ensemble, ~1.3x the cost of rule validate).
# Input functions: cortexflow.analysis.workflow.

PKG_SIMS = _wf.package_simulations(config)


rule simulate_pd14_package:
    """The PD14 package's microcircuit at the scale, DC-compensation rates, drive (Poisson), durations and
    threads of {sim}, NEST seed {seed}; spikes converted to our spikes.h5 contract."""
    input:
        network="results/sims/{sim}/network.h5",
    output:
        spikes="results/sims/{sim}-pkg/seed{seed}/spikes.h5",
        run="results/sims/{sim}-pkg/seed{seed}/run.json",
    params:
        sim_json=lambda w: _wf.package_sim_json(config, w.sim, w.seed),
        python=SIM_PYTHON,
    threads: lambda w: sim_entry(w).get("threads", 1)
    resources:
        mem_mb=sim_mem_mb,
        runtime=sim_runtime,
    log:
        "logs/pd14_package/simulate_{sim}_seed{seed}.log",
    benchmark:
        "benchmarks/results/pd14_package/simulate_{sim}_seed{seed}.tsv"
    wildcard_constraints:
        sim=_wf.sim_pattern(PKG_SIMS),
        seed=r"[1-9][0-9]*",
    conda:
        "../envs/simulation.yaml"
    shell:
        "{params.python} -m cortexflow.simulation.pd14_package --name {wildcards.sim}-pkg/seed{wildcards.seed} "
        "--network {input.network} --sim-json {params.sim_json:q} "
        "--spikes {output.spikes} --run-json {output.run} > {log} 2>&1"


rule package_statistics:
    """Rule spike_statistics for the package's runs (the same script and options)."""
    input:
        spikes="results/sims/{sim}-pkg/seed{seed}/spikes.h5",
    output:
        summary="results/sims/{sim}-pkg/seed{seed}/stats/summary.csv",
        distributions="results/sims/{sim}-pkg/seed{seed}/stats/distributions.h5",
        rate_series="results/sims/{sim}-pkg/seed{seed}/stats/rate_series.h5",
    params:
        options={k: ANALYSIS[k] for k in SPIKE_STAT_KEYS if k in ANALYSIS},
    resources:
        mem_mb=2000,
    log:
        "logs/pd14_package/spike_statistics_{sim}_seed{seed}.log",
    benchmark:
        "benchmarks/results/pd14_package/spike_statistics_{sim}_seed{seed}.tsv"
    wildcard_constraints:
        sim=_wf.sim_pattern(PKG_SIMS),
        seed=r"[1-9][0-9]*",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/spike_statistics.py"


rule package_comparison:
    """KS distances ours-vs-package per population and statistic against the package's seed-to-seed ones."""
    input:
        ours=lambda w: _wf.ensemble_files(config, w.sim, "distributions.h5"),
        package=lambda w: _wf.package_files(config, w.sim, "stats/distributions.h5"),
    output:
        csv="results/validation/{sim}/package_comparison.csv",
    params:
        runs=lambda w: _wf.seed_ensemble(config, w.sim),
        seeds=lambda w: _wf.seeds_of(config, w.sim),
        statistics=["rates", "cv", "cc"],
    wildcard_constraints:
        sim=_wf.sim_pattern(PKG_SIMS),
    log:
        "logs/pd14_package/comparison_{sim}.log",
    benchmark:
        "benchmarks/results/pd14_package/comparison_{sim}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/package_comparison.py"


rule figure_package_comparison:
    """Ours-vs-package KS distances against the package's seed-to-seed spread, and the mean rates."""
    input:
        csv="results/validation/{sim}/package_comparison.csv",
    output:
        pdf="figures/validation/{sim}_package.pdf",
        png=report("figures/validation/{sim}_package.png", caption="../report/captions/validation_package.rst",
                   category="Validation", subcategory="{sim}"),
    params:
        figure="package_comparison",
        options=FIG_DYN["validation"],
        seeds=lambda w: _wf.seeds_of(config, w.sim),
        scale=lambda w: _wf.scale_note(config, w.sim),
    wildcard_constraints:
        sim=_wf.sim_pattern(PKG_SIMS),
    log:
        "logs/pd14_package/figure_{sim}.log",
    benchmark:
        "benchmarks/results/pd14_package/figure_{sim}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_package_comparison.py"


rule validate_package:
    """Our pd14 against the PD14 package for every pd14 simulation of `validation.simulations`."""
    input:
        _wf.package_targets(config),
