# SPDX-License-Identifier: GPL-3.0-or-later
"""Resource requests (memory, runtime) of rule ``simulate``, from the size of the scaled network.

Fitted to runs measured on this stack (NEST 3.10 PyPI wheel, 2 threads; docs/simulation.md, section
"Resource requests", which lists the measurements):

    mem_MB = base + n_syn B_syn / 2^20 + n_neurons (a + b max_delay_steps) / 2^10
    cpu_s  = c_build n_syn + c_pair n_pairs + T_s ((c_step + c_delay max_delay_steps) n_neurons steps_per_s
                                                  + c_event events_per_s)

The per-neuron memory grows with the maximum delay (ring buffers); ``events_per_s`` counts recurrent
events at the rates stored with the scaled network (else 5 spikes/s) plus the external Poisson events.
Both requests get a safety factor, because SLURM kills jobs that exceed them.
"""
from __future__ import annotations

import json
import math

# numpy and h5py are imported inside the functions that read a network: this module is imported when the
# Snakefile is parsed, which must work in a minimal Snakemake environment (stdlib, yaml, jsonschema).

from cortexflow.areas import area_of
from cortexflow.config import with_defaults

MEM_BASE_MB = 150.0                     # Python + NEST + h5py after ResetKernel
MEM_PER_SYNAPSE_B = {"static_synapse_hpc": 26.5, "static_synapse": 42.0}
MEM_PER_NEURON_KB = 12.6                # neuron, recorder connection, Poisson connection, spike buffers
MEM_PER_NEURON_DELAY_STEP_B = 20.0      # ring buffers: per neuron and time step of the maximum delay
CPU_BUILD_S_PER_SYNAPSE = 3.8e-7
CPU_BUILD_S_PER_PAIR = 2.5e-4           # per non-empty population pair (one Connect call)
CPU_S_PER_NEURON_STEP = 1.12e-7         # update + Poisson draw per neuron and time step ...
CPU_S_PER_NEURON_STEP_DELAY = 8.9e-11   # ... + per step of maximum delay (ring-buffer size, cache misses)
CPU_S_PER_EVENT = 1.5e-7                # delivered recurrent or external event
NOMINAL_RATE = 5.0                      # spikes/s when the network carries no rates
SAFETY = 1.5
HPC_MAX_NODES_PER_THREAD = 65534


def network_size(path, areas=None) -> dict:
    """Neurons, recurrent synapses, maximum delay and synaptic events per second of a scaled network.h5;
    ``areas`` (areas_simulated): only the populations of these areas (replaced inputs, if any, count as
    external events at the nominal rate; they are a few Poisson draws per neuron and step)."""
    import h5py
    import numpy as np

    with h5py.File(path, "r") as f:
        N = np.floor(f["N"][()] + 1e-9)
        n = len(N)
        syn = np.floor(f["synapses"][()][:, :n] + 1e-9)
        K_ext = f["K"][()][:, -1]
        delay, delay_sd = f["delay"][()], f["delay_sd"][()]
        params = json.loads(f.attrs["params"])
        pops = [p.decode() if isinstance(p, bytes) else str(p) for p in f["populations"][()]] \
            if areas is not None else None
    rates = np.asarray((params.get("downscaling") or {}).get("rates_full") or np.full(n, NOMINAL_RATE), float)
    if areas is not None:
        keep = np.array([area_of(p) in set(areas) for p in pops])
        N, rates, K_ext = N[keep], rates[keep], K_ext[keep]
        syn, delay, delay_sd = syn[np.ix_(keep, keep)], delay[np.ix_(keep, keep)], delay_sd[np.ix_(keep, keep)]
    nu_ext = next((float(params[k]) for k in ("rate_ext", "bg_rate", "nu_ext") if k in params), 10.0)
    used = syn > 0
    max_delay = float(np.max((delay + 4.0 * delay_sd)[used])) if used.any() else 1.0
    out_degree = syn.sum(axis=0) / np.maximum(N, 1)
    events = float((rates * N) @ out_degree) + nu_ext * float(K_ext @ N)
    return {"n_neurons": int(N.sum()), "n_synapses": float(syn.sum()), "events_per_s": events,
            "max_delay_ms": max_delay, "n_pairs": int(used.sum())}


def estimate(n_neurons: int, n_synapses: float, events_per_s: float, t_total_ms: float, threads: int,
             max_delay_ms: float = 5.0, resolution: float = 0.1, synapse_model: str = "auto",
             n_pairs: int = 64) -> dict:
    """mem_mb and runtime (minutes) of one simulation; ``threads`` = all threads of all ranks."""
    if synapse_model == "auto":
        fits = math.ceil(n_neurons / max(threads, 1)) < HPC_MAX_NODES_PER_THREAD
        synapse_model = "static_synapse_hpc" if fits else "static_synapse"
    b_syn = MEM_PER_SYNAPSE_B.get(synapse_model, MEM_PER_SYNAPSE_B["static_synapse"])
    delay_steps = max_delay_ms / resolution
    per_neuron_kb = MEM_PER_NEURON_KB + MEM_PER_NEURON_DELAY_STEP_B * delay_steps / 1024
    mem = MEM_BASE_MB + n_synapses * b_syn / 2**20 + n_neurons * per_neuron_kb / 1024
    t_s = t_total_ms * 1e-3
    step_cost = CPU_S_PER_NEURON_STEP + CPU_S_PER_NEURON_STEP_DELAY * delay_steps
    cpu = (CPU_BUILD_S_PER_SYNAPSE * n_synapses + CPU_BUILD_S_PER_PAIR * n_pairs
           + t_s * (step_cost * n_neurons / (resolution * 1e-3) + CPU_S_PER_EVENT * events_per_s))
    wall = cpu / max(threads, 1)
    return {"mem_mb": int(math.ceil(SAFETY * mem / 100.0) * 100),
            "runtime": int(math.ceil(SAFETY * wall / 60.0) + 2), "cpu_s": cpu, "mem_est_mb": mem}


def request(path, sim: dict) -> dict:
    """Requests for a simulation config entry ``sim`` (missing keys: the schema's defaults) on the scaled
    network at ``path``."""
    sim = with_defaults(sim, "$defs/simulation")
    size = network_size(path, sim["areas_simulated"])
    return estimate(size["n_neurons"], size["n_synapses"], size["events_per_s"],
                    sim["t_sim"] + sim["t_presim"], sim["threads"] * sim["mpi_ranks"],
                    size["max_delay_ms"], sim["resolution"], sim["synapse_model"], size["n_pairs"])


# Size of the full-scale networks (network_size of results/networks/<net>/network.h5 built from the raw data of
# data/raw/sources.yaml): used only to plan a job whose networks are not built yet (a dry run, or the first
# job submission of a fresh workspace), so that the requested memory and time are of the right order.
FULL_SCALE_SIZE = {
    "pd14": {"n_neurons": 77169, "n_synapses": 2.9888094e8, "events_per_s": 2.7578863e9,
             "max_delay_ms": 4.5, "n_pairs": 55},
    "mam": {"n_neurons": 4129924, "n_synapses": 2.7690090e10, "events_per_s": 2.7705565e11,
            "max_delay_ms": 53.93, "n_pairs": 11979},
}


def scaled_size(full: dict, N_scaling: float = 1.0, K_scaling: float = 1.0) -> dict:
    """Size of the network down-scaled from ``full`` (van Albada et al. 2015, rule scale_network):
    N -> N N_scaling, K (recurrent and external) -> K K_scaling, hence synapses and events per second
    -> x N_scaling K_scaling; maximum delay and population pairs unchanged."""
    f = N_scaling * K_scaling
    return {"n_neurons": int(math.floor(full["n_neurons"] * N_scaling)), "n_synapses": full["n_synapses"] * f,
            "events_per_s": full["events_per_s"] * f, "max_delay_ms": full["max_delay_ms"],
            "n_pairs": full["n_pairs"]}


def _estimate(size: dict, sim: dict) -> dict:
    return estimate(size["n_neurons"], size["n_synapses"], size["events_per_s"],
                    sim["t_sim"] + sim.get("t_presim", 500.0), sim.get("threads", 1) * sim.get("mpi_ranks", 1),
                    size["max_delay_ms"], sim.get("resolution", 0.1), sim.get("synapse_model", "auto"),
                    size["n_pairs"])


def planned_request(sim: dict, scaled_path, full_path=None, model: str | None = None) -> dict:
    """Requests of a simulation before or after its scaled network exists, from the best source available:

    1. the scaled network ``scaled_path`` (rule scale_network ran): exact sizes and stored rates;
    2. else the full-scale network ``full_path`` (rule build_network ran), scaled by N_scaling / K_scaling;
    3. else the model's full-scale size (FULL_SCALE_SIZE[model]), scaled likewise.

    Snakemake re-evaluates resources when a job becomes ready (all inputs present), so a submitted job always
    gets case 1; cases 2 and 3 make the dry run (and `--profile profiles/slurm -n`) show the real order of
    magnitude instead of a fixed guess. Returns the ``estimate`` dict plus ``source`` (1, 2 or 3)."""
    from pathlib import Path

    Ns, Ks = sim.get("N_scaling", 1.0), sim.get("K_scaling", 1.0)
    areas = sim.get("areas_simulated")
    try:  # reading a network needs h5py/numpy: absent where Snakemake plans from a minimal env
        if scaled_path is not None and Path(scaled_path).is_file():
            return {**request(scaled_path, sim), "source": "scaled network"}
        if full_path is not None and Path(full_path).is_file():
            size = scaled_size(network_size(full_path, areas), Ns, Ks)
            return {**_estimate(size, sim), "source": "full-scale network, scaled"}
    except ImportError:
        pass
    if model not in FULL_SCALE_SIZE:
        raise KeyError(f"no network file and no full-scale size for model {model!r}")
    full = FULL_SCALE_SIZE[model]
    if areas is not None and model == "mam":  # areas of about equal size: a share of the neurons
        from cortexflow.areas import AREAS
        share = len(areas) / len(AREAS)
        full = {**full, "n_neurons": int(full["n_neurons"] * share), "n_synapses": full["n_synapses"] * share,
                "events_per_s": full["events_per_s"] * share}
    return {**_estimate(scaled_size(full, Ns, Ks), sim), "source": "model size, scaled"}
