# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the PD14 reference implementation itself (PyPI ``microcircuit`` 1.0, INM-6, GPL-2.0-or-later) and
write its spikes in our ``spikes.h5`` contract (cortexflow.simulation.output), so that rule
spike_statistics and every analysis run on it unchanged (docs/analysis.md "Validation against the PD14
package").

The package is configured to match a scaled cortexflow pd14 network (results/sims/{sim}/network.h5):

* ``N_scaling``, ``K_scaling`` of that network; the package scales like we do (van Albada et al. 2015:
  K_ext and K by K_scaling, J / sqrt(K_scaling), DC I = 1e-3 tau_s (1 - sqrt(K_scaling)) (sum_j W_ij
  K_ij nu_j + W_ext K_ext nu_bg) at the full-scale rates nu, ``helpers.adjust_weights_and_input_to_synapse_scaling``);
* ``bg_input_type = "poisson"`` (the package default is ``"dc"``; its published ``full_mean_rates`` are
  Poisson-driven, and our pd14 simulations are Poisson-driven);
* ``full_mean_rates`` = our network's ``params["downscaling"]["rates_full"]`` (the mean-field or simulated
  rates our DC compensation used, key ``dc_rates``), so that both implementations compensate identically;
* seed, threads, resolution, t_presim and t_sim of the simulation; the package's own ``V0_type:
  optimized`` initial potentials and 1.5 ms Poisson delay (ours are configured to the same values).

What stays the package's own: its neuron counts (``round(N * N_scaling)``), its connection routine
(``fixed_total_number`` with ``static_synapse``) and its random streams. NEST is imported only inside
:func:`run_package` (convention: NEST lives in cortexflow.simulation).
"""
from __future__ import annotations

import copy
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from cortexflow.config import with_defaults
from cortexflow.simulation.output import write_json
from cortexflow.spikes_file import write_spikes

PACKAGE = "microcircuit"
PACKAGE_VERSION = "1.0"
# the package's names of the populations, in our (network) order 23E ... 6I
PACKAGE_POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")


def package_dicts(N_scaling: float, K_scaling: float, full_mean_rates, seed: int, threads: int,
                  t_presim: float, t_sim: float, resolution: float = 0.1, data_path: str | None = None):
    """(sim_dict, net_dict, stim_dict) of the package for one run: its defaults with our overrides."""
    from microcircuit.network_params import default_net_dict
    from microcircuit.sim_params import default_sim_dict
    from microcircuit.stimulus_params import default_stim_dict

    net_dict = copy.deepcopy(default_net_dict)
    sim_dict = copy.deepcopy(default_sim_dict)
    stim_dict = copy.deepcopy(default_stim_dict)
    rates = np.asarray(full_mean_rates, float)
    if rates.shape != (len(PACKAGE_POPULATIONS),):
        raise ValueError(f"full_mean_rates has shape {rates.shape}, expected (8,)")
    net_dict.update({"N_scaling": float(N_scaling), "K_scaling": float(K_scaling), "bg_input_type": "poisson",
                     "full_mean_rates": rates})
    sim_dict.update({"t_presim": float(t_presim), "t_sim": float(t_sim), "sim_resolution": float(resolution),
                     "rng_seed": int(seed), "local_num_threads": int(threads), "print_time": False,
                     "store_metadata": False, "overwrite_files": True, "rec_dev": ["spike_recorder"],
                     "data_path": data_path or tempfile.mkdtemp(prefix="pd14pkg-") + os.sep})
    stim_dict.update({"thalamic_input": False, "dc_transient": False})
    if list(net_dict["populations"]) != list(PACKAGE_POPULATIONS):
        raise ValueError(f"unexpected package populations {net_dict['populations']}")
    return sim_dict, net_dict, stim_dict


def run_package(network_path, sim: dict, spikes_path, run_json_path, name: str = "", log=print) -> dict:
    """Run the package's microcircuit matched to the scaled pd14 network at ``network_path`` (see the module
    docstring) with the simulation entry ``sim`` (seed, threads, t_presim, t_sim, resolution) and write
    ``spikes.h5`` (times in steps since the end of t_presim, senders 0-based within each population)
    and ``run.json``. Returns the run summary."""
    from cortexflow.structure.network_file import read_network

    net = read_network(network_path)
    if net.model != "pd14" or list(net.populations) != [p[1:] for p in PACKAGE_POPULATIONS]:
        raise ValueError(f"{network_path}: the PD14 package runs pd14 networks (23E ... 6I), got {net.model} "
                         f"{net.populations[:8]}")
    rates = (net.params.get("downscaling") or {}).get("rates_full")
    if net.K_scaling != 1.0 and rates is None:
        raise KeyError(f"{network_path}: params['downscaling']['rates_full'] missing (rerun rule scale_network)")
    if rates is None:
        rates = [0.0] * 8        # K_scaling 1: no DC compensation, the rates are not used
    filled = with_defaults(sim, "$defs/simulation")  # ``sim`` itself is stored as given (spikes.h5 params)
    t_presim, t_sim = float(filled["t_presim"]), float(filled["t_sim"])
    resolution = float(filled["resolution"])
    seed, threads = int(filled["seed"]), int(filled["threads"])
    t0 = time.perf_counter()

    import nest
    from microcircuit.network import Network

    with tempfile.TemporaryDirectory(prefix="pd14pkg-") as tmp:
        sim_dict, net_dict, stim_dict = package_dicts(net.N_scaling, net.K_scaling, rates, seed, threads,
                                                      t_presim, t_sim, resolution, data_path=tmp + os.sep)
        nest.verbosity = nest.VerbosityLevel.WARNING
        pkg = Network(sim_dict, net_dict, stim_dict)
        pkg.create()
        # record in memory, and only after the warm-up (our contract: spikes in (0, t_sim] after t_presim)
        pkg.spike_recorders.set(record_to="memory", start=t_presim)
        pkg.connect()
        t_build = time.perf_counter() - t0
        pkg.simulate(t_presim)
        t1 = time.perf_counter()
        pkg.simulate(t_sim)
        t_simulate = time.perf_counter() - t1

        def gen():
            for i, pop in enumerate(pkg.pops):
                ev = pkg.spike_recorders[i].get("events")
                times = np.asarray(ev["times"], float) - t_presim
                keep = (times > 0) & (times <= t_sim + 1e-9)
                steps = np.rint(times[keep] / resolution).astype(np.int64)
                senders = np.asarray(ev["senders"], np.int64)[keep] - int(pop[0].global_id)
                n = len(pop)
                yield net.populations[i], senders, steps, n, n

        attrs = {"t_sim": t_sim, "t_presim": t_presim, "seed": seed, "num_processes": int(nest.NumProcesses()),
                 "threads": threads, "nest_version": str(nest.__version__), "model": "pd14",
                 "N_scaling": float(net.N_scaling), "K_scaling": float(net.K_scaling),
                 "synapse_model": "static_synapse", "time_origin_ms": t_presim,
                 "implementation": f"{PACKAGE} {PACKAGE_VERSION} (PD14 PyNEST package)",
                 "params": json.dumps({"simulation": sim, "name": name,
                                       "implementation": f"{PACKAGE} {PACKAGE_VERSION}",
                                       "package_net_dict": {k: net_dict[k] for k in
                                                            ("N_scaling", "K_scaling", "bg_input_type",
                                                             "full_mean_rates", "V0_type", "delay_poisson")},
                                       "network": net.params}, sort_keys=True, default=_jsonable)}
        n_spikes = write_spikes(spikes_path, gen(), attrs, resolution)
        n_neurons = int(sum(len(p) for p in pkg.pops))
    summary = {"name": name, "implementation": f"{PACKAGE} {PACKAGE_VERSION}", "build_time_s": round(t_build, 3),
               "simulate_time_s": round(t_simulate, 3), "rtf": round(t_simulate / (t_sim * 1e-3), 3),
               "total_time_s": round(time.perf_counter() - t0, 3), "n_neurons": n_neurons,
               "n_connections_nest": int(nest.num_connections), "n_spikes": int(n_spikes),
               "mean_rate_recorded": round(n_spikes / max(n_neurons, 1) / (t_sim * 1e-3), 4),
               "t_sim": t_sim, "t_presim": t_presim, "seed": seed, "threads": threads,
               "full_mean_rates": [float(r) for r in rates], "bg_input_type": "poisson",
               "nest_version": str(nest.__version__)}
    write_json(run_json_path, summary)
    log(f"SUMMARY {name} ({PACKAGE} {PACKAGE_VERSION}): build {t_build:.1f} s, simulate {t_simulate:.1f} s for "
        f"{t_sim:g} ms, {n_neurons} neurons, {n_spikes} spikes ({summary['mean_rate_recorded']:.2f} spikes/s)")
    return summary


def _jsonable(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


def main(argv=None) -> int:
    """CLI of rule simulate_pd14_package (a separate process, as rule simulate: NEST state per run)."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", required=True)
    ap.add_argument("--sim-json", required=True)
    ap.add_argument("--spikes", required=True)
    ap.add_argument("--run-json", required=True)
    ap.add_argument("--name", default="")
    args = ap.parse_args(argv)
    Path(args.spikes).parent.mkdir(parents=True, exist_ok=True)
    run_package(args.network, json.loads(args.sim_json), args.spikes, args.run_json, name=args.name,
                log=lambda m: print(f"[cortexflow.pd14_package] {m}", flush=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
