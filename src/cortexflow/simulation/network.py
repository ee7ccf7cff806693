# SPDX-License-Identifier: GPL-3.0-or-later
"""A ``network.h5`` (see cortexflow.structure.network_file) instantiated in NEST 3.10.

Follows the PyNEST microcircuit package (Potjans & Diesmann 2014; INM-6/microcircuit-PD14-model):
a class with setup / create / connect / simulate steps, parameters kept in ``SimConfig`` and the
network file. Model (Schmidt et al. 2018 PLOS CB, Methods; Potjans & Diesmann 2014):

* ``iaf_psc_exp`` neurons, int(N) per population, V0 ~ N(V0_mean, V0_sd), I_e = dc_drive (+ the
  mean external current 1e-3 K_ext W_ext tau_syn_ex nu_ext with ``drive: dc``);
* ``fixed_total_number`` connections per population pair with int(synapses) synapses (autapses and
  multapses allowed), weights ~ N(W, W_sd) redrawn to keep the sign of W, delays ~ N(d, d_sd)
  redrawn to >= resolution / 2, so that on the time grid the minimum delay is one resolution step
  (NEST docs, "rounding effects when randomizing delays");
* one ``poisson_generator`` per population at rate K_ext nu_ext, connected all-to-all with weight W_ext
  (NEST sends an independent train to every target);
* with ``areas_simulated`` and ``replace_non_simulated_areas``, the input from the areas left out as
  stationary Poisson generators or a DC current (cortexflow.simulation.replacement, upstream
  ``Area.create_additional_input``);
* one in-memory ``spike_recorder`` per recorded population, created *before* the neurons and
  connected with ``static_synapse_hom_w_hpc``: the recorders then have small thread-local indices,
  so the compact 2-byte target index works whatever the network size (platform notes: ~9 KB instead
  of ~33.5 KB per recorded neuron).
"""
from __future__ import annotations

import math
import time

import numpy as np

from cortexflow.areas import area_of
from cortexflow.simulation import replacement, stimulus
from cortexflow.simulation.config import SimConfig
from cortexflow.structure.network_file import Network
from cortexflow.structure.scaling import external_rate, neuron_params

# NEST 3.10 limits (platform notes): thread-local target index of *_hpc synapses (unsigned short,
# minus reserved values) and connections per thread and synapse model (2^27 - 2).
HPC_MAX_NODES_PER_THREAD = 65534
MAX_CONNECTIONS_PER_THREAD_AND_MODEL = 2**27 - 2
# Default delay of NEST static synapses (used by upstream for the Poisson input of the mam).
NEST_DEFAULT_DELAY = 1.0


def _duration(seconds: float) -> str:
    """'42 s', '3 min 20 s' or '2 h 05 min': the remaining time of a progress line."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"


def rss_mb() -> float:
    import psutil
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class NestNetwork:
    """Build and run one network in NEST. ``log`` receives progress lines (rank 0 only)."""

    def __init__(self, net: Network, cfg: SimConfig, log=print, replace_rates=None):
        import nest  # the only place (with the backend helpers) that imports NEST

        self.nest = nest
        net.check()
        cfg.validate(net.populations)
        self.net, self.cfg = net, cfg
        self._log = log
        self.nparams = neuron_params(net)
        self.nu_ext = external_rate(net) if (cfg.drive == "poisson" or np.any(net.K[:, -1] > 0)) else 0.0
        self.N = np.floor(net.N + 1e-9).astype(np.int64)     # int(N) as upstream (guard 0.999999... -> 0)
        self.simulated, self.recorded = self._select_populations()
        self._setup_replacement(replace_rates)
        self.thalamus = stimulus.thalamic_projection(net, cfg) if cfg.thalamic_input else None
        self.n_thalamic_synapses = 0
        for i in self.simulated:                      # fail now, not after the kernel is set up
            self._v0("V0_mean", i), self._v0("V0_sd", i)
        self.timers: dict[str, float] = {}
        self.memory: dict[str, float] = {}

    # ---------------------------------------------------------------- helpers
    def log(self, msg: str) -> None:
        if self.nest.Rank() == 0:
            self._log(msg)

    def _select_populations(self):
        pops, cfg = self.net.populations, self.cfg
        areas = [area_of(p) for p in pops]
        if (cfg.areas_simulated or cfg.areas_recorded) and any(a == "" for a in areas):
            raise ValueError("areas_simulated / areas_recorded apply to multi-area networks only "
                             f"(population labels 'AREA-POP'); this network has labels like {pops[0]!r}")
        sim = [i for i, a in enumerate(areas)
               if self.N[i] > 0 and (cfg.areas_simulated is None or a in cfg.areas_simulated)]
        rec_areas = cfg.areas_recorded if cfg.areas_recorded is not None else cfg.areas_simulated
        if cfg.areas_recorded is not None and cfg.areas_simulated is not None:
            missing = sorted(set(cfg.areas_recorded) - set(cfg.areas_simulated))
            if missing:
                raise ValueError(f"areas_recorded {missing} are not in areas_simulated")
        rec = [i for i in sim if cfg.recorded_fraction > 0 and (rec_areas is None or areas[i] in rec_areas)]
        return sim, rec

    def _setup_replacement(self, replace_rates) -> None:
        """Replacement of the non-simulated areas' input (``replace_rates``: nu_j per population, needed by
        the het_* modes): ``self.replacement`` (Poisson generators) or ``self.I_replace`` (pA)."""
        mode, net = self.cfg.replace_non_simulated_areas, self.net
        self.replacement, self.I_replace = [], np.zeros(net.n)
        self.nu_replace = None
        if mode is None:
            return
        self.nu_replace = replacement.source_rates(net, mode, replace_rates)
        if mode == "het_current_stat":
            self.I_replace = replacement.dc_currents(net, self.simulated, self.nu_replace)
        else:
            self.replacement = replacement.poisson_inputs(net, self.simulated, self.nu_replace,
                                                          self.cfg.resolution)

    def n_recorded(self, i: int) -> int:
        if i not in self.recorded:
            return 0
        return int(min(self.N[i], max(1, round(self.cfg.recorded_fraction * self.N[i]))))

    def expected_connections(self) -> np.ndarray:
        """int(synapses) for the simulated population pairs (target x source), 0 elsewhere."""
        n = self.net.n
        mask = np.zeros((n, n), bool)
        mask[np.ix_(self.simulated, self.simulated)] = True
        return np.where(mask, np.floor(self.net.synapses[:, :n] + 1e-9), 0).astype(np.int64)

    def _v0(self, key: str, i: int) -> float:
        """Initial-potential parameter: the simulation's value, else the network's (mam: -150/50 mV)."""
        v = getattr(self.cfg, key)
        if v is None:
            v = self.net.params.get(key)
        if v is None:
            raise KeyError(f"{key} is set neither in the simulation config nor in the network params")
        return float(v[i]) if isinstance(v, (list, tuple)) else float(v)

    def _delay_ext(self) -> float:
        if self.cfg.delay_ext is not None:
            return float(self.cfg.delay_ext)
        for key in ("delay_ext", "delay_poisson"):
            if key in self.net.params:
                return float(self.net.params[key])
        return NEST_DEFAULT_DELAY

    # ---------------------------------------------------------------- steps
    def setup(self) -> None:
        nest, cfg = self.nest, self.cfg
        nest.ResetKernel()
        nest.verbosity = nest.VerbosityLevel.WARNING
        nest.set(resolution=cfg.resolution, rng_seed=cfg.seed, local_num_threads=cfg.threads,
                 print_time=False)
        self.vps = nest.total_num_virtual_procs
        self.memory["base_rss_mb"] = rss_mb()
        self.log(f"NEST {nest.__version__}: {nest.NumProcesses()} process(es) x {cfg.threads} thread(s), "
                 f"rng_seed {cfg.seed}, resolution {cfg.resolution} ms")

    def _choose_synapse_model(self) -> str:
        """static_synapse_hpc (16 B instead of 32 B per synapse) if every thread holds < 65,534 nodes."""
        choice = self.cfg.synapse_model
        n_nodes = int(self.N[self.simulated].sum()) + (self.thalamus["n_thalamic"] if self.thalamus else 0)
        per_thread = math.ceil(n_nodes / self.vps) + 2 * len(self.simulated) + 16   # + devices, margin
        fits = per_thread < HPC_MAX_NODES_PER_THREAD
        if choice == "auto":
            choice = "static_synapse_hpc" if fits else "static_synapse"
        elif choice == "static_synapse_hpc" and not fits:
            raise ValueError(f"static_synapse_hpc allows < {HPC_MAX_NODES_PER_THREAD} nodes per thread; this run "
                             f"has ~{per_thread} per virtual process ({n_nodes} neurons / {self.vps} VPs): "
                             f"use more threads or synapse_model: static_synapse")
        return choice

    def create(self) -> None:
        nest, cfg, net = self.nest, self.cfg, self.net
        t0 = time.perf_counter()
        # Recorders first: small thread-local indices for the hom_w_hpc recorder connections.
        self.recorders = {}
        if self.recorded:
            recs = nest.Create("spike_recorder", len(self.recorded),
                               params={"record_to": "memory", "start": cfg.t_presim})
            self.recorders = {i: recs[k] for k, i in enumerate(self.recorded)}
        p = self.nparams
        model_params = {k: p[k] for k in ("C_m", "tau_m", "tau_syn_ex", "tau_syn_in", "E_L", "V_th",
                                          "V_reset", "t_ref")}
        I_e = np.asarray(net.dc_drive, float).copy()
        if cfg.drive == "dc":
            I_e += 1e-3 * net.K[:, -1] * net.W[:, -1] * p["tau_syn_ex"] * self.nu_ext
        I_e += self.I_replace
        self.I_e = I_e
        self.pops = {}
        for i in self.simulated:
            pop = nest.Create("iaf_psc_exp", int(self.N[i]), params=dict(model_params, I_e=float(I_e[i])))
            pop.V_m = nest.random.normal(mean=self._v0("V0_mean", i), std=self._v0("V0_sd", i))
            self.pops[i] = pop
        self.first_id = {i: int(pop[0].global_id) for i, pop in self.pops.items()}
        self.voltmeters = {}
        if cfg.record_vm:
            for i in self.recorded:
                self.voltmeters[i] = nest.Create("multimeter", params={
                    "record_from": ["V_m"], "interval": cfg.vm_interval, "start": cfg.t_presim,
                    "record_to": "memory"})
        if self.thalamus is not None:
            th = self.thalamus
            self.thalamic_population = nest.Create("parrot_neuron", th["n_thalamic"])
            self.thalamic_generator = nest.Create("poisson_generator", len(th["starts"]), params=[
                {"rate": th["rate"], "start": a, "stop": b} for a, b in zip(th["starts"], th["stops"])])
        if cfg.drive == "poisson":
            rates = self.nu_ext * net.K[self.simulated, -1]
            gens = nest.Create("poisson_generator", len(self.simulated))
            gens.rate = rates.tolist()
            self.generators = {i: gens[k] for k, i in enumerate(self.simulated)}
        else:
            self.generators = {}
        self.replacement_generators = []
        if self.replacement:
            gens = nest.Create("poisson_generator", len(self.replacement))
            gens.rate = [g["rate"] for g in self.replacement]
            self.replacement_generators = [gens[k] for k in range(len(self.replacement))]
        self.timers["create_s"] = time.perf_counter() - t0
        self.log(f"created {int(self.N[self.simulated].sum())} neurons in {len(self.simulated)} populations "
                 f"({self.timers['create_s']:.1f} s)")

    def connect(self) -> None:
        nest, cfg, net = self.nest, self.cfg, self.net
        t0 = time.perf_counter()
        self.synapse_model = base = self._choose_synapse_model()
        nsyn = self.expected_connections()
        # Split over CopyModel copies where one model would exceed the per-thread connection limit.
        budget = 0.9 * MAX_CONNECTIONS_PER_THREAD_AND_MODEL
        model, used, copies = base, 0.0, 0
        d_min = 0.5 * cfg.resolution
        for i in self.simulated:
            for j in self.simulated:
                n_ij = int(nsyn[i, j])
                if n_ij <= 0:
                    continue
                load = n_ij / self.vps
                if used + load > budget:
                    copies += 1
                    model = f"{base}_cf{copies}"
                    nest.CopyModel(base, model)
                    used = 0.0
                used += load
                w, w_sd = float(net.W[i, j]), float(net.W_sd[i, j])
                if w_sd > 0:
                    lo, hi = (0.0, math.inf) if w >= 0 else (-math.inf, 0.0)
                    weight = nest.math.redraw(nest.random.normal(mean=w, std=w_sd), min=lo, max=hi)
                else:
                    weight = w
                d, d_sd = float(net.delay[i, j]), float(net.delay_sd[i, j])
                if d_sd > 0:
                    delay = nest.math.redraw(nest.random.normal(mean=d, std=d_sd), min=d_min, max=math.inf)
                else:
                    delay = max(d, cfg.resolution)
                nest.Connect(self.pops[j], self.pops[i], {"rule": "fixed_total_number", "N": n_ij},
                             {"synapse_model": model, "weight": weight, "delay": delay})
        for i, gen in self.generators.items():
            nest.Connect(gen, self.pops[i], "all_to_all",
                         {"synapse_model": base, "weight": float(net.W[i, -1]), "delay": self._delay_ext()})
        for g, gen in zip(self.replacement, self.replacement_generators):
            nest.Connect(gen, self.pops[g["target"]], "all_to_all",
                         {"synapse_model": base, "weight": g["weight"], "delay": g["delay"]})
        if self.cfg.replace_non_simulated_areas:
            self.log(f"replaced the non-simulated areas ({self.cfg.replace_non_simulated_areas}): "
                     f"{len(self.replacement)} Poisson generator(s), total rate "
                     f"{sum(g['rate'] for g in self.replacement):.4g} spikes/s; DC up to "
                     f"{float(np.max(np.abs(self.I_replace))):.4g} pA")
        for i, rec in self.recorders.items():
            nest.Connect(self.pops[i][: self.n_recorded(i)], rec, "all_to_all",
                         {"synapse_model": "static_synapse_hom_w_hpc"})
        for i, vm in self.voltmeters.items():
            nest.Connect(vm, self.pops[i][: self.n_vm(i)])
        if self.thalamus is not None:
            self._connect_thalamus(base, d_min)
        self.n_models = copies + 1
        # Build the presynaptic infrastructure now, so that it counts as build time (as the PD14 package).
        nest.Prepare()
        nest.Cleanup()
        self.timers["connect_s"] = time.perf_counter() - t0
        self.memory["build_rss_mb"] = rss_mb()
        self.n_connections = int(nsyn.sum())
        self.log(f"connected {self.n_connections} synapses with {base} ({self.n_models} model(s)), "
                 f"{nest.num_connections} connections in NEST ({self.timers['connect_s']:.1f} s, "
                 f"RSS {self.memory['build_rss_mb']:.0f} MB)")

    def _connect_thalamus(self, model: str, d_min: float) -> None:
        """Poisson generators (one per pulse) -> parrot neurons -> fixed_total_number synapses per target population
        (PD14 package ``__connect_thalamic_stim_input``; numbers: simulation.stimulus.thalamic_projection)."""
        nest, th = self.nest, self.thalamus
        nest.Connect(self.thalamic_generator, self.thalamic_population)
        weight = th["weight"]
        if th["weight_sd"] > 0:
            weight = nest.math.redraw(nest.random.normal(mean=th["weight"], std=th["weight_sd"]), min=0.0, max=math.inf)
        delay = th["delay"]
        if th["delay_sd"] > 0:
            delay = nest.math.redraw(nest.random.normal(mean=th["delay"], std=th["delay_sd"]), min=d_min, max=math.inf)
        n = 0
        for i in self.simulated:
            n_i = int(th["synapses"][i])
            if n_i > 0:
                nest.Connect(self.thalamic_population, self.pops[i], {"rule": "fixed_total_number", "N": n_i},
                             {"synapse_model": model, "weight": weight, "delay": delay})
                n += n_i
        self.n_thalamic_synapses = n
        pulses = ", ".join(f"[{a:g}, {b:g})" for a, b in zip(th["starts"], th["stops"]))
        self.log(f"thalamic input: {th['n_thalamic']} parrot neurons at {th['rate']:g} spikes/s in {pulses} ms, "
                 f"{n} synapses of {th['weight']:.1f} pA")

    def n_vm(self, i: int) -> int:
        """Neurons of population i whose V_m is recorded (the first ones, at most the recorded spikes')."""
        return int(min(self.cfg.vm_neurons, self.N[i])) if i in self.voltmeters else 0

    def local_vm(self, i: int):
        """(senders as 0-based index in the population, times in ms since t_presim, V_m in mV) on this rank."""
        ev = self.voltmeters[i].get("events")
        senders = (np.asarray(ev["senders"], np.int64) - self.first_id[i]).astype(np.int32)
        times = np.asarray(ev["times"], float) - self.cfg.t_presim
        return senders, times, np.asarray(ev["V_m"], float)

    def build(self) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        self.setup()
        self.create()
        self.connect()
        self.timers["build_s"] = time.perf_counter() - t0
        self.timers["build_cpu_s"] = time.process_time() - c0     # all threads: robust to a loaded machine

    def _run(self, t: float, label: str, chunks: int = 10) -> float:
        """Advance the kernel by ``t`` ms in ``chunks`` Run calls (same result as one Simulate), with one
        progress line per chunk instead of NEST's per-step ``print_time`` output."""
        nest, res = self.nest, self.cfg.resolution
        c0 = time.process_time()
        steps = int(round(t / res))
        bounds = np.linspace(0, steps, min(chunks, steps) + 1).round().astype(int)
        t0 = time.perf_counter()
        nest.Prepare()
        for a, b in zip(bounds[:-1], bounds[1:]):
            nest.Run((b - a) * res)
            self.n_spikes_all += int(nest.local_spike_counter)   # the counter restarts with every Run
            wall = time.perf_counter() - t0
            eta = wall * (steps - b) / b   # remaining steps at the mean speed so far
            self.log(f"{label}: model time {nest.biological_time:.1f} ms, {100 * b / steps:3.0f} %, "
                     f"wall {wall:.1f} s, ETA {_duration(eta)}, RTF {wall / (b * res * 1e-3):.2f}, "
                     f"RSS {rss_mb():.0f} MB")
        nest.Cleanup()
        self.timers[f"{label}_cpu_s"] = time.process_time() - c0
        return time.perf_counter() - t0

    def simulate(self) -> None:
        cfg = self.cfg
        self.n_spikes_all = 0     # spikes emitted by all neurons on this rank, presim included
        if cfg.t_presim > 0:
            self.timers["presim_s"] = self._run(cfg.t_presim, "presim", chunks=1)
        self.timers["simulate_s"] = self._run(cfg.t_sim, "simulate")
        self.memory["end_rss_mb"] = rss_mb()

    def local_spikes(self, i: int, clear: bool = True):
        """(senders as 0-based index in the population, times as int32 steps since t_presim) on this rank."""
        rec = self.recorders[i]
        ev = rec.get("events")
        senders = (np.asarray(ev["senders"], np.int64) - self.first_id[i]).astype(np.int32)
        steps = np.rint((np.asarray(ev["times"], float) - self.cfg.t_presim) / self.cfg.resolution)
        if clear:
            rec.n_events = 0
        return senders, steps.astype(np.int32)
