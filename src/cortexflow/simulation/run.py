# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one named simulation: ``network.h5`` (already scaled) -> ``spikes.h5`` + ``run.json``.

Command line (used by rule ``simulate``, also under ``mpirun``/``srun``)::

    python -m cortexflow.simulation.run --network results/sims/S/network.h5 --sim-json '{...}' \
        --spikes results/sims/S/spikes.h5 --run-json results/sims/S/run.json [--name S]

Every check (config values, MPI launch vs NEST's MPI support, network/config consistency) runs before
NEST is imported; outputs are written under temporary names and renamed at the end, so an interrupted
run leaves nothing that looks complete.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from cortexflow.simulation import replacement
from cortexflow.simulation.config import SimConfig
from cortexflow.simulation.mpi import check_launch
from cortexflow.simulation.output import (
    merged_from_ranks,
    merged_vm_from_ranks,
    rank_stats,
    remove_rank_files,
    write_json,
    write_rank_file,
    write_vm,
    write_vm_rank_file,
)
from cortexflow.spikes_file import write_spikes
from cortexflow.structure.network_file import read_network


def _print(msg: str) -> None:
    print(f"[cortexflow.simulation] {msg}", flush=True)


def run_summary(name: str, cfg: SimConfig, nn, all_stats: list[dict], meta: list, n_spikes: int,
                write_time: float, t_start: float, replace_rates_path=None) -> dict:
    """The run.json of a finished simulation: wall-clock and CPU times, memory summed over the ranks,
    sizes, spike counts and the platform (docs/simulation.md)."""
    nest = nn.nest
    P = nest.NumProcesses()
    n_neurons = int(nn.N[nn.simulated].sum())
    n_rec = sum(m[2] for m in meta)
    return {
        "name": name,
        "build_time_s": round(nn.timers["build_s"], 3),
        "presim_time_s": round(nn.timers.get("presim_s", 0.0), 3),
        "simulate_time_s": round(nn.timers["simulate_s"], 3),
        "write_time_s": round(write_time, 3),
        "build_cpu_s": round(nn.timers["build_cpu_s"], 3),
        "simulate_cpu_s": round(nn.timers["simulate_cpu_s"], 3),
        "presim_cpu_s": round(nn.timers.get("presim_cpu_s", 0.0), 3),
        "total_time_s": round(time.perf_counter() - t_start, 3),
        "rtf": round(nn.timers["simulate_s"] / (cfg.t_sim * 1e-3), 3),
        "peak_rss_mb": round(sum(s["peak_rss_mb"] for s in all_stats), 1),
        "peak_rss_mb_max_rank": round(max(s["peak_rss_mb"] for s in all_stats), 1),
        "build_rss_mb": round(sum(s["build_rss_mb"] for s in all_stats), 1),
        "base_rss_mb": round(sum(s["base_rss_mb"] for s in all_stats), 1),
        "n_neurons": n_neurons,
        "n_connections": int(nn.n_connections),
        "n_connections_nest": int(nest.num_connections),
        "n_spikes": int(n_spikes),
        "n_recorded": int(n_rec),
        "n_spikes_all_neurons": int(sum(s["n_spikes_all"] for s in all_stats)),
        "mean_rate_recorded": round(n_spikes / max(n_rec, 1) / (cfg.t_sim * 1e-3), 4),
        "t_sim": cfg.t_sim, "t_presim": cfg.t_presim,
        "threads": cfg.threads, "num_processes": P, "virtual_processes": nn.vps,
        "synapse_model": nn.synapse_model, "nest_version": str(nest.__version__),
        "host": platform.node(),
        "replace_non_simulated_areas": cfg.replace_non_simulated_areas,
        "replace_rates_file": str(replace_rates_path) if replace_rates_path else None,
        "n_replacement_generators": len(nn.replacement),
        "replacement_rate_total": round(float(sum(g["rate"] for g in nn.replacement)), 6),
        "thalamic_input": bool(cfg.thalamic_input),
        "n_thalamic_synapses": int(nn.n_thalamic_synapses),
    }


def vm_path_for(spikes_path) -> Path:
    """Where record_vm writes its membrane potentials: ``vm.h5`` beside ``spikes.h5``."""
    return Path(spikes_path).with_name("vm.h5")


def write_membrane_potentials(nn, cfg: SimConfig, pops, attrs: dict, vm_path) -> int:
    """vm.h5 of a run with record_vm (every rank takes part under MPI; rank 0 merges). Returns the samples written."""
    nest = nn.nest
    rank, P = nest.Rank(), nest.NumProcesses()
    vm_attrs = {k: attrs[k] for k in ("t_sim", "t_presim", "seed", "num_processes", "nest_version", "params")}
    vm_attrs["interval"] = float(cfg.vm_interval)
    if P == 1:
        return write_vm(vm_path, ((pops[i], *nn.local_vm(i), int(nn.N[i])) for i in nn.voltmeters), vm_attrs)
    write_vm_rank_file(vm_path, rank, ((pops[i], *nn.local_vm(i)) for i in nn.voltmeters))
    nest.SyncProcesses()
    if rank != 0:
        return 0
    n = write_vm(vm_path, merged_vm_from_ranks(vm_path, P, [(pops[i], int(nn.N[i])) for i in nn.voltmeters]),
                 vm_attrs)
    remove_rank_files(vm_path, P)
    return n


def run(network_path, sim: dict, spikes_path, run_json_path, name: str = "", log=_print,
        replace_rates_path=None, vm_path=None) -> dict | None:
    """Build, simulate and write. Returns the run summary on rank 0 (None on other ranks).

    With ``record_vm`` the membrane potentials go to ``vm_path`` (default: vm.h5 beside spikes.h5)."""
    t_start = time.perf_counter()
    cfg = SimConfig.from_dict(sim)
    check_launch(cfg.mpi_ranks)                       # before NEST is imported
    net = read_network(network_path)
    for key in ("N_scaling", "K_scaling"):
        if not np.isclose(getattr(net, key), getattr(cfg, key), rtol=1e-12, atol=0):
            raise ValueError(f"{network_path} has {key}={getattr(net, key)}, the simulation config "
                             f"{name or ''} asks for {getattr(cfg, key)} (rerun rule scale_network)")
    cfg.validate(net.populations)
    replace_rates = None
    if replacement.needs_rates(cfg.replace_non_simulated_areas):
        if replace_rates_path is None:
            raise ValueError(f"replace_non_simulated_areas: {cfg.replace_non_simulated_areas} needs the rates "
                             f"of the replaced populations (--replace-rates)")
        replace_rates = replacement.read_source_rates(replace_rates_path, net.populations)

    from cortexflow.simulation.network import NestNetwork, peak_rss_mb

    nn = NestNetwork(net, cfg, log=log, replace_rates=replace_rates)
    nn.build()
    nn.simulate()
    nest = nn.nest
    rank, P = nest.Rank(), nest.NumProcesses()
    pops = net.populations
    meta = [(pops[i], int(nn.N[i]), nn.n_recorded(i)) for i in nn.recorded]
    attrs = {
        "t_sim": float(cfg.t_sim), "t_presim": float(cfg.t_presim), "seed": int(cfg.seed),
        "num_processes": int(P), "threads": int(cfg.threads), "nest_version": str(nest.__version__),
        "params": json.dumps({"simulation": cfg.to_dict(), "name": name, "network": net.params},
                             sort_keys=True, default=str),
        "model": net.model, "N_scaling": float(net.N_scaling), "K_scaling": float(net.K_scaling),
        "synapse_model": nn.synapse_model, "time_origin_ms": float(cfg.t_presim),
        "replace_rates_file": str(replace_rates_path or ""),
    }
    stats = {"rank": rank, "peak_rss_mb": peak_rss_mb(), "n_spikes_all": nn.n_spikes_all,
             **{k: v for k, v in nn.timers.items()}, **nn.memory}
    t0 = time.perf_counter()
    n_vm_samples = 0
    if cfg.record_vm:
        n_vm_samples = write_membrane_potentials(nn, cfg, pops, attrs,
                                                 vm_path if vm_path is not None else vm_path_for(spikes_path))
    if P == 1:
        def gen():
            for i in nn.recorded:
                senders, steps = nn.local_spikes(i)
                yield pops[i], senders, steps, int(nn.N[i]), nn.n_recorded(i)
        n_spikes = write_spikes(spikes_path, gen(), attrs, cfg.resolution)
        all_stats = [stats]
    else:
        write_rank_file(spikes_path, rank, ((pops[i], *nn.local_spikes(i)) for i in nn.recorded), stats)
        nest.SyncProcesses()
        if rank != 0:
            return None
        all_stats = rank_stats(spikes_path, P)
        n_spikes = write_spikes(spikes_path, merged_from_ranks(spikes_path, P, meta), attrs, cfg.resolution)
        remove_rank_files(spikes_path, P)
    write_time = time.perf_counter() - t0

    summary = run_summary(name, cfg, nn, all_stats, meta, n_spikes, write_time, t_start, replace_rates_path)
    summary["n_vm_samples"] = int(n_vm_samples)
    write_json(run_json_path, summary)
    log(f"SUMMARY {name}: build {summary['build_time_s']:.1f} s, simulate {summary['simulate_time_s']:.1f} s "
        f"for {cfg.t_sim:g} ms (RTF {summary['rtf']:.1f}), {summary['n_neurons']} neurons, "
        f"{summary['n_connections']} synapses, "
        f"{n_spikes} spikes recorded ({summary['mean_rate_recorded']:.2f} spikes/s per neuron), "
        f"peak RSS {summary['peak_rss_mb']:.0f} MB")
    return summary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cortexflow.simulation.run", description=__doc__.splitlines()[0])
    ap.add_argument("--network", required=True, help="scaled network.h5")
    ap.add_argument("--sim-json", required=True, help="the simulation's config entry as JSON")
    ap.add_argument("--spikes", required=True, help="output spikes.h5")
    ap.add_argument("--run-json", required=True, help="output run.json")
    ap.add_argument("--replace-rates", default=None,
                    help="fixed_point.h5 or summary.csv with the rates of the replaced populations")
    ap.add_argument("--vm", default=None, help="output vm.h5 (record_vm; default: beside --spikes)")
    ap.add_argument("--name", default="", help="simulation name (for logs and provenance)")
    ap.add_argument("--log", default=None, help="the rule's log file (stored in the provenance record)")
    args = ap.parse_args(argv)
    sim = json.loads(args.sim_json)
    try:
        with _provenance(args, sim):
            run(args.network, sim, args.spikes, args.run_json, name=args.name,
                replace_rates_path=args.replace_rates, vm_path=args.vm)
    except (ValueError, KeyError, RuntimeError, FileNotFoundError) as err:
        print(f"error: simulation {args.name}: {err}", file=sys.stderr, flush=True)
        return 2
    return 0


def _provenance(args, sim: dict):
    """One Sumatra record for the simulate job, written by MPI rank 0 only (cortexflow.provenance)."""
    import contextlib
    import os

    rank = next((int(os.environ[v]) for v in ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID")
                 if os.environ.get(v, "").isdigit()), 0)
    if rank != 0:
        return contextlib.nullcontext()
    from cortexflow.provenance import SOURCE_ROOT, Job, tracked

    job = Job(rule="simulate", params={"sim": sim}, wildcards={"sim": args.name},
              input=[args.network] + ([args.replace_rates] if args.replace_rates else []),
              output=[args.spikes, args.run_json], log=[args.log] if args.log else [], source_root=SOURCE_ROOT)
    return tracked(job, main_file="src/cortexflow/simulation/run.py")


if __name__ == "__main__":
    sys.exit(main())
