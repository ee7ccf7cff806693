# Stage 4: NEST simulations (docs/simulation.md).
#   scale_network: results/networks/{net}/network.h5 (+ results/theory/{net}/fixed_point.h5, or with
#                  dc_rates: <sim> results/sims/<sim>/stats/summary.csv)
#                  -> results/sims/{sim}/network.h5   (down-scaling with DC compensation)
#   simulate:      results/sims/{sim}/network.h5 -> results/sims/{sim}/spikes.h5 + run.json
# (input, params and resource functions: cortexflow.workflow.inputs; paths: cortexflow.workflow.paths)


rule scale_network:
    """Down-scale a network (van Albada et al. 2015): K*K_scaling, J/sqrt(K_scaling), DC compensation
    at the network's mean-field rates or (dc_rates: <simulation>) at that simulation's rates from its
    stats/summary.csv; N*N_scaling. At scale 1 the network is copied."""
    input:
        unpack(inputs.scale_network),
    output:
        paths.SIM_NETWORK,
    log:
        "logs/scale_network/{sim}.log",
    benchmark:
        "benchmarks/results/scale_network/{sim}.tsv"
    wildcard_constraints:
        sim=WC["run_sim"],
    conda:
        "../envs/base.yaml"
    params:
        N_scaling=inputs.N_scaling,
        K_scaling=inputs.K_scaling,
        dc_rates=inputs.dc_rates,
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/scale_network.py"


rule simulate:
    """Build the scaled network in NEST and simulate it; spikes per population as int32 (sender index,
    time step) in HDF5, timers and memory in run.json. MPI ranks via {resources.mpi_launcher} -n {resources.tasks}.
    The interpreter (SIM_PYTHON, $CORTEXFLOW_SIM_PYTHON) and the launcher (resources.mpi_launcher) are not params:
    switching them (venv -> .venv-mpi, mpirun -> srun) reruns nothing. Under profiles/slurm (`retries: 2`) a job
    killed for memory or time is resubmitted with attempt x the fitted mem_mb and runtime; local runs do not retry.
    """
    input:
        # a seed variant {sim}/seed{k} (rule validate) runs the scaled network of {sim}; with
        # replace_non_simulated_areas het_*: + replace_rates (fixed_point.h5 or a simulation's summary.csv)
        unpack(inputs.simulate),
    output:
        spikes=paths.SPIKES,
        run=paths.RUN,
    log:
        "logs/simulate/{sim}.log",
    benchmark:
        "benchmarks/results/simulate_{sim}.tsv"
    wildcard_constraints:
        sim=WC["unprotected_sim_seeds"],
    conda:
        "../envs/simulation.yaml"
    threads: inputs.sim_threads
    resources:
        mem_mb=inputs.sim_mem_mb,
        mem_mb_per_cpu=inputs.sim_mem_mb_per_cpu,
        runtime=inputs.sim_runtime,
        tasks=inputs.sim_tasks,
        # SLURM --cpus-per-task = the simulation's threads, whatever --cores caps `threads` to (a dry run: 1)
        cpus_per_task=inputs.sim_threads,
        # the MPI launcher (profiles/slurm: "srun --mpi=pmix"); `mpi` is set only for several ranks, because
        # the SLURM executor plugin treats every job with `mpi` as an MPI job and refuses it with tasks = 1
        mpi_launcher="mpirun",
        mpi=inputs.sim_mpi,
    params:
        sim=inputs.sim_params,
        sim_json=inputs.sim_json,
        replace=inputs.replace_option,
    message:
        "{rule} {wildcards.sim} ({resources.cpus_per_task} threads x {resources.tasks} ranks, {resources.mem_mb} MB, "
        "{resources.runtime} min): progress and ETA in {log}"
    shell:
        "launch=(); if [ {resources.tasks} -gt 1 ]; then launch=({resources.mpi_launcher} -n {resources.tasks}); fi; "
        '"${{launch[@]}}" "$CORTEXFLOW_SIM_INTERPRETER" -m cortexflow.simulation.run --name {wildcards.sim:q} '
        "--network {input.network:q} --sim-json {params.sim_json:q} "
        "--spikes {output.spikes:q} --run-json {output.run:q} {params.replace} --log {log:q} > {log:q} 2>&1 "
        # the job's one error line (or, for a killed process, one of its own) on the terminal
        "|| {{ s=$?; grep '^error:' {log:q} | tail -n 1 >&2 || echo 'error: rule simulate (sim={wildcards.sim}): the "
        "simulation process stopped with exit status '$s' (killed?); see {log}' >&2; exit 1; }}"


use rule simulate as simulate_protected with:
    output:
        # simulations with `protect: true` (config/full_scale.yaml): hours of cluster time, write-protected
        spikes=protected(paths.SPIKES),
        run=protected(paths.RUN),
    wildcard_constraints:
        sim=WC["protected_sim_seeds"],


rule simulate_all:
    """Every simulation of config `simulations`."""
    input:
        targets.simulation_outputs(config),


rule meanfield_subset:
    """Mean-field prediction for an area subset (simulations with areas_simulated; docs/simulation.md,
    "Area subsets with replaced inputs"): the fixed point of the simulated populations of the scaled
    network with the non-simulated input replaced as configured, and with it dropped, beside the full
    network's fixed point."""
    input:
        unpack(inputs.meanfield_subset),
    output:
        paths.MEANFIELD_SUBSET,
    log:
        "logs/meanfield_subset/{sim}.log",
    benchmark:
        "benchmarks/results/meanfield_subset/{sim}.tsv"
    wildcard_constraints:
        sim=WC["subset_sim"],
    conda:
        "../envs/base.yaml"
    params:
        sim=inputs.subset_entry,
        options=settings.theory_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/meanfield_subset.py"


rule mam_v1:
    """V1 of mam-published alone at full density with het_poisson_stat replacement (config/mam_v1.yaml,
    not in `all`): spikes, statistics and its mean-field prediction."""
    input:
        targets.mam_v1_outputs(config),
