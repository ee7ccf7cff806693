# Stage 4: NEST simulations (docs/simulation.md).
#   scale_network: results/networks/{net}/network.h5 (+ results/theory/{net}/fixed_point.h5)
#                  -> results/sims/{sim}/network.h5   (down-scaling with DC compensation)
#   simulate:      results/sims/{sim}/network.h5 -> results/sims/{sim}/spikes.h5 + run.json
import json
import os
import re
import sys

from snakemake_interface_executor_plugins.settings import DeploymentMethod

from cortexflow.areas import AREAS
from cortexflow.simulation import resources as sim_resources
from cortexflow.simulation.config import SimConfig

SIMULATIONS = config.get("simulations") or {}
# Interpreter of the simulate command: the conda env's `python` under --sdm conda, else the one
# running Snakemake (the project venv), so that .venv/bin/snakemake works without activating the venv.
# $CORTEXFLOW_SIM_PYTHON overrides it, e.g. .venv-mpi/bin/python (NEST with MPI, `make nest-mpi`).
SIM_PYTHON = os.environ.get("CORTEXFLOW_SIM_PYTHON") or (
    "python" if DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method else sys.executable
)
SIM_NAMES = "|".join(re.escape(s) for s in SIMULATIONS) or "NO_SIMULATION"


def _check_simulations():
    """Names, networks and areas of every simulation, checked when the workflow is parsed."""
    for name, sim in SIMULATIONS.items():
        if sim["network"] not in config["networks"]:
            raise ValueError(f"config simulations.{name}.network: unknown network {sim['network']!r} "
                             f"(networks: {sorted(config['networks'])})")
        model = config["networks"][sim["network"]]["model"]
        for key in ("areas_simulated", "areas_recorded"):
            areas = sim.get(key)
            if areas is None:
                continue
            if model != "mam":
                raise ValueError(f"config simulations.{name}.{key}: only mam networks have areas")
            unknown = [a for a in areas if a not in AREAS]
            if unknown:
                raise ValueError(f"config simulations.{name}.{key}: unknown area(s) {unknown}")
        SimConfig.from_dict({k: v for k, v in sim.items() if k not in ("mem_mb", "runtime")})


_check_simulations()


def sim_entry(wildcards):
    return SIMULATIONS[wildcards.sim]


def sim_params(wildcards):
    """The simulation's config entry, without the resource overrides (they change no result)."""
    return {k: v for k, v in SIMULATIONS[wildcards.sim].items() if k not in ("mem_mb", "runtime")}


def scale_network_input(wildcards):
    sim = sim_entry(wildcards)
    net = sim["network"]
    inputs = {"network": f"results/networks/{net}/network.h5"}
    if sim.get("K_scaling", 1.0) != 1.0:
        inputs["rates"] = f"results/theory/{net}/fixed_point.h5"
    return inputs


def _request(wildcards, input):
    """Fitted mem_mb/runtime (cortexflow.simulation.resources), or None before the network exists."""
    try:
        return sim_resources.request(input.network, sim_entry(wildcards))
    except (OSError, KeyError, AttributeError):
        return None


def sim_mem_mb(wildcards, input, attempt):
    sim = sim_entry(wildcards)
    if sim.get("mem_mb"):
        return sim["mem_mb"] * attempt
    req = _request(wildcards, input)
    return (req["mem_mb"] if req else 4000) * attempt


def sim_runtime(wildcards, input, attempt):
    sim = sim_entry(wildcards)
    if sim.get("runtime"):
        return sim["runtime"] * attempt
    req = _request(wildcards, input)
    return (req["runtime"] if req else 60) * attempt


def sim_launcher(wildcards, resources):
    """'' for one process; '{resources.mpi} -n {resources.tasks}' for several MPI ranks."""
    if sim_entry(wildcards).get("mpi_ranks", 1) > 1:
        return f"{resources.mpi} -n {resources.tasks}"
    return ""


rule scale_network:
    """Down-scale a network (van Albada et al. 2015): K*K_scaling, J/sqrt(K_scaling), DC compensation
    at the network's mean-field rates; N*N_scaling. At scale 1 the network is copied."""
    input:
        unpack(scale_network_input),
    output:
        "results/sims/{sim}/network.h5",
    params:
        N_scaling=lambda w: sim_entry(w).get("N_scaling", 1.0),
        K_scaling=lambda w: sim_entry(w).get("K_scaling", 1.0),
    log:
        "logs/scale_network/{sim}.log",
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
        network="results/sims/{sim}/network.h5",
    output:
        spikes="results/sims/{sim}/spikes.h5",
        run="results/sims/{sim}/run.json",
    params:
        sim=sim_params,
        sim_json=lambda w: json.dumps(sim_params(w), sort_keys=True),
        launcher=sim_launcher,
        python=SIM_PYTHON,
    threads: lambda w: SIMULATIONS[w.sim].get("threads", 1)
    resources:
        mem_mb=sim_mem_mb,
        runtime=sim_runtime,
        tasks=lambda w: SIMULATIONS[w.sim].get("mpi_ranks", 1),
        mpi="mpirun",
    log:
        "logs/simulate/{sim}.log",
    benchmark:
        "benchmarks/results/simulate_{sim}.tsv"
    wildcard_constraints:
        sim=SIM_NAMES,
    conda:
        "../envs/simulation.yaml"
    shell:
        "{params.launcher} {params.python} -m cortexflow.simulation.run --name {wildcards.sim} "
        "--network {input.network} --sim-json {params.sim_json:q} "
        "--spikes {output.spikes} --run-json {output.run} > {log} 2>&1"


rule simulate_all:
    """Every simulation of config `simulations`."""
    input:
        expand("results/sims/{sim}/{f}", sim=list(SIMULATIONS), f=["spikes.h5", "run.json"]),
