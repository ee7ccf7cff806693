# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: cortexflow's NEST backend vs a plain inline PyNEST script of the same pd14 network.

Both run in fresh subprocesses, one after the other, on the same down-scaled pd14 network (PD14 rates
for the DC compensation), same seed, threads and durations:

* ours:   python -m cortexflow.simulation.run (reads network.h5, builds, simulates, writes spikes.h5)
* inline: the PyNEST script below (no cortexflow code): the PD14-package way of building the network
          (static_synapse, one spike recorder per population connected the default way).

Reported: wall time and peak RSS of each and their ratios (targets ours/inline <= 1.05 wall, <= 1.0
memory); synaptic events per second per core in the simulation phase (recurrent events = spikes x
outdegree, plus external Poisson events); bytes per synapse = (RSS after build - RSS after
ResetKernel) / connections. Usage:

    python benchmarks/bench_simulation.py [--scale 0.1] [--t-sim 1000] [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PD14_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_SD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]

INLINE = r'''
import json, resource, sys, time
import numpy as np
import psutil
import nest

t_start = time.perf_counter()
d = np.load(sys.argv[1])
cfg = json.loads(sys.argv[2])
N = np.floor(d["N"] + 1e-9).astype(int); n = len(N)
nest.ResetKernel()
nest.verbosity = nest.VerbosityLevel.WARNING
nest.set(resolution=0.1, rng_seed=cfg["seed"], local_num_threads=cfg["threads"])
rss0 = psutil.Process().memory_info().rss
t0 = time.perf_counter()
p = dict(C_m=250.0, tau_m=10.0, tau_syn_ex=0.5, tau_syn_in=0.5, E_L=-65.0, V_th=-50.0, V_reset=-65.0, t_ref=2.0)
pops = []
for i in range(n):
    pop = nest.Create("iaf_psc_exp", N[i], params=dict(p, I_e=float(d["dc"][i])))
    pop.V_m = nest.random.normal(mean=cfg["V0_mean"][i], std=cfg["V0_sd"][i])
    pops.append(pop)
recs = nest.Create("spike_recorder", n)
pg = nest.Create("poisson_generator", n, params=[{"rate": float(r)} for r in d["K"][:, -1] * 8.0])
for i in range(n):
    for j in range(n):
        s = int(np.floor(d["syn"][i, j] + 1e-9))
        if s <= 0:
            continue
        w, wsd = float(d["W"][i, j]), float(d["W_sd"][i, j])
        lo, hi = (0.0, np.inf) if w >= 0 else (-np.inf, 0.0)
        nest.Connect(pops[j], pops[i], {"rule": "fixed_total_number", "N": s},
                     {"synapse_model": "static_synapse",
                      "weight": nest.math.redraw(nest.random.normal(mean=w, std=wsd), min=lo, max=hi),
                      "delay": nest.math.redraw(nest.random.normal(mean=float(d["delay"][i, j]),
                                                                   std=float(d["delay_sd"][i, j])),
                                                min=0.05, max=np.inf)})
    nest.Connect(pg[i], pops[i], "all_to_all", {"weight": float(d["W"][i, -1]), "delay": 1.5})
    nest.Connect(pops[i], recs[i])
nest.Prepare(); nest.Cleanup()
build = time.perf_counter() - t0
rss_build = psutil.Process().memory_info().rss
nest.Simulate(cfg["t_presim"])
t0 = time.perf_counter()
nest.Simulate(cfg["t_sim"])
sim = time.perf_counter() - t0
spikes = [int(np.sum(r.get("events")["times"] > cfg["t_presim"])) for r in recs]
print("RESULT " + json.dumps({"build_time_s": build, "simulate_time_s": sim, "spikes": spikes,
      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
      "bytes_per_synapse": (rss_build - rss0) / nest.num_connections, "n_connections": nest.num_connections,
      "wall_s": time.perf_counter() - t_start}))
'''


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--t-sim", type=float, default=1000.0)
    ap.add_argument("--t-presim", type=float, default=100.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/bench_simulation.json"))
    args = ap.parse_args(argv)

    from cortexflow.structure.network_file import write_network
    from cortexflow.structure.pd14 import build_pd14
    from cortexflow.structure.scaling import downscale

    net = downscale(build_pd14(), PD14_RATES, args.scale, args.scale)
    sim = {"network": "pd14", "N_scaling": args.scale, "K_scaling": args.scale, "t_sim": args.t_sim,
           "t_presim": args.t_presim, "threads": args.threads, "seed": 1, "delay_ext": 1.5,
           "V0_mean": V0_MEAN, "V0_sd": V0_SD}
    res = {"scale": args.scale, "t_sim_ms": args.t_sim, "threads": args.threads}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_network(tmp / "network.h5", net)
        np.savez(tmp / "net.npz", N=net.N, K=net.K, syn=net.synapses, W=net.W, W_sd=net.W_sd, delay=net.delay,
                 delay_sd=net.delay_sd, dc=net.dc_drive)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cortexflow.simulation.run", "--name", "bench",
                        "--network", str(tmp / "network.h5"), "--sim-json", json.dumps(sim),
                        "--spikes", str(tmp / "spikes.h5"), "--run-json", str(tmp / "run.json")],
                       check=True, capture_output=True, text=True)
        ours_wall = time.perf_counter() - t0
        ours = json.loads((tmp / "run.json").read_text())
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", INLINE, str(tmp / "net.npz"), json.dumps(sim)],
                           check=True, capture_output=True, text=True)
        inline_wall = time.perf_counter() - t0
        inline = json.loads(next(line for line in p.stdout.splitlines() if line.startswith("RESULT "))[7:])

        import h5py
        with h5py.File(tmp / "spikes.h5", "r") as f:
            spikes = np.array([f[pop]["times"].shape[0] for pop in net.populations], float)

    N = np.floor(net.N + 1e-9)
    out_degree = np.floor(net.synapses[:, :-1] + 1e-9).sum(axis=0) / N          # per source neuron
    rec_events = float(spikes @ out_degree)
    ext_events = float((N * net.K[:, -1]).sum() * 8.0 * args.t_sim * 1e-3)
    ev_per_s_core = (rec_events + ext_events) / ours["simulate_time_s"] / args.threads
    res.update({
        "ours": {"wall_s": ours_wall, "build_time_s": ours["build_time_s"], "simulate_time_s": ours["simulate_time_s"],
                 "peak_rss_mb": ours["peak_rss_mb"], "synapse_model": ours["synapse_model"],
                 "bytes_per_synapse": (ours["build_rss_mb"] - ours["base_rss_mb"]) * 2**20 / ours["n_connections_nest"],
                 "n_spikes": ours["n_spikes"]},
        "inline": {"wall_s": inline_wall, "build_time_s": inline["build_time_s"],
                   "simulate_time_s": inline["simulate_time_s"], "peak_rss_mb": inline["peak_rss_mb"],
                   "bytes_per_synapse": inline["bytes_per_synapse"], "n_spikes": int(sum(inline["spikes"]))},
        "ratio_wall": ours_wall / inline_wall,
        "ratio_peak_rss": ours["peak_rss_mb"] / inline["peak_rss_mb"],
        "synaptic_events_per_s_per_core": ev_per_s_core,
        "recurrent_events": rec_events, "external_events": ext_events,
    })
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2) + "\n")
    o, i = res["ours"], res["inline"]
    print(f"pd14 scale {args.scale}, {args.t_sim:g} ms, {args.threads} threads")
    print(f"{'':8s} {'wall s':>8s} {'build s':>8s} {'sim s':>8s} {'peak MB':>8s} {'B/syn':>6s} {'spikes':>8s}")
    for k, r in (("ours", o), ("inline", i)):
        print(f"{k:8s} {r['wall_s']:8.2f} {r['build_time_s']:8.2f} {r['simulate_time_s']:8.2f} "
              f"{r['peak_rss_mb']:8.0f} {r['bytes_per_synapse']:6.1f} {r['n_spikes']:8d}")
    print(f"ratio wall {res['ratio_wall']:.3f} (target <= 1.05), peak memory {res['ratio_peak_rss']:.3f} "
          f"(target <= 1.0), synaptic events {ev_per_s_core:.3g} /s/core (target >= 5e6), "
          f"{o['bytes_per_synapse']:.1f} B/synapse (target <= 35)")
    return res


if __name__ == "__main__":
    main()
