# Stage 4: NEST simulations (docs/simulation.md).
#   scale_network: results/networks/{net}/network.h5 (+ results/theory/{net}/fixed_point.h5, or with
#                  dc_rates: <sim> results/sims/<sim>/stats/summary.csv)
#                  -> results/sims/{sim}/network.h5   (down-scaling with DC compensation)
#   simulate:      results/sims/{sim}/network.h5 -> results/sims/{sim}/spikes.h5 + run.json
# (settings and input functions of this stage: rules/common.smk)


rule scale_network:
    """Down-scale a network (van Albada et al. 2015): K*K_scaling, J/sqrt(K_scaling), DC compensation
    at the network's mean-field rates or (dc_rates: <simulation>) at that simulation's rates from its
    stats/summary.csv; N*N_scaling. At scale 1 the network is copied."""
    input:
        unpack(scale_network_input),
    output:
        "results/sims/{sim}/network.h5",
    params:
        N_scaling=lambda w: sim_entry(w).get("N_scaling", 1.0),
        K_scaling=lambda w: sim_entry(w).get("K_scaling", 1.0),
        dc_rates=lambda w: sim_entry(w).get("dc_rates") or "meanfield",
    log:
        "logs/scale_network/{sim}.log",
    benchmark:
        "benchmarks/results/scale_network/{sim}.tsv"
    wildcard_constraints:
        sim=SIM_NAMES,
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/scale_network.py"


rule simulate:
    """Build the scaled network in NEST and simulate it; spikes per population as int32 (sender index,
    time step) in HDF5, timers and memory in run.json. MPI ranks via {resources.mpi} -n {resources.tasks}."""
    input:
        # a seed variant {sim}/seed{k} (rule validate) runs the scaled network of {sim}; with
        # replace_non_simulated_areas het_*: + replace_rates (fixed_point.h5 or a simulation's summary.csv)
        unpack(simulate_input),
    output:
        spikes="results/sims/{sim}/spikes.h5",
        run="results/sims/{sim}/run.json",
    params:
        sim=sim_params,
        sim_json=lambda w: json.dumps(sim_params(w), sort_keys=True),
        launcher=sim_launcher,
        python=SIM_PYTHON,
        replace=lambda w, input: f"--replace-rates {input.replace_rates}" if "replace_rates" in input.keys() else "",
    threads: lambda w: sim_entry(w).get("threads", 1)
    resources:
        mem_mb=sim_mem_mb,
        runtime=sim_runtime,
        tasks=lambda w: sim_entry(w).get("mpi_ranks", 1),
        mpi="mpirun",
    log:
        "logs/simulate/{sim}.log",
    benchmark:
        "benchmarks/results/simulate_{sim}.tsv"
    wildcard_constraints:
        sim=sim_pattern(RUN_SIMS, seed_variants=True),
    conda:
        "../envs/simulation.yaml"
    shell:
        "{params.launcher} {params.python} -m cortexflow.simulation.run --name {wildcards.sim} "
        "--network {input.network} --sim-json {params.sim_json:q} "
        "--spikes {output.spikes} --run-json {output.run} {params.replace} --log {log} > {log} 2>&1"


rule simulate_all:
    """Every simulation of config `simulations`."""
    input:
        expand("results/sims/{sim}/{f}", sim=list(SIMULATIONS), f=["spikes.h5", "run.json"]),


rule meanfield_subset:
    """Mean-field prediction for an area subset (simulations with areas_simulated; docs/simulation.md,
    "Area subsets with replaced inputs"): the fixed point of the simulated populations of the scaled
    network with the non-simulated input replaced as configured, and with it dropped, beside the full
    network's fixed point."""
    input:
        unpack(meanfield_subset_input),
    output:
        "results/sims/{sim}/meanfield_subset.csv",
    params:
        sim=lambda w: SIMULATIONS[w.sim],
        options=THEORY_OPTS,
    log:
        "logs/meanfield_subset/{sim}.log",
    benchmark:
        "benchmarks/results/meanfield_subset/{sim}.tsv"
    wildcard_constraints:
        sim="|".join(re.escape(s) for s in SUBSET_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/meanfield_subset.py"


rule mam_v1:
    """V1 of mam-published alone at full density with het_poisson_stat replacement (config/mam_v1.yaml,
    not in `all`): spikes, statistics and its mean-field prediction."""
    input:
        [f"results/sims/{s}/{f}" for s in SIMULATIONS if s.startswith("mam-v1")
         for f in ("spikes.h5", "run.json", "stats/summary.csv", "meanfield_subset.csv")],
