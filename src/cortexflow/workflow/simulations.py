# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulation names of the workflow: the configured simulations, the runs of the scale study, seed variants,
their config entries and the caption/footer lines that describe them. Pure Python on the config dict.

**Seed variants.** ``{sim}/seed{k}`` (k ≥ 1) is simulation ``sim`` of ``config["simulations"]`` with
``seed = seed_sim + k`` and every other key unchanged; its outputs live in ``results/sims/{sim}/seed{k}/``
and it uses the scaled network of ``sim`` (the connectivity is drawn by NEST from the seed, so a seed
variant is a new network realisation with new initial conditions and Poisson input). The seed ensemble
of ``sim`` with n seeds is ``[sim, sim/seed1, ..., sim/seed{n-1}]``: the configured run is its first member.
"""
from __future__ import annotations

import math
import re

from cortexflow.config import with_defaults
from cortexflow.simulation.config import REPLACEMENT_NEEDS_RATES
from cortexflow.workflow import paths, scaling

SEED_VARIANT = re.compile(r"^(?P<base>[^/]+)/seed(?P<k>[1-9][0-9]*)$")
RESOURCE_KEYS = ("mem_mb", "runtime", "protect")  # keys of a simulation entry that change no result


# --- simulation names ------------------------------------------------------------------------------------

def split_seed_variant(sim: str) -> tuple[str, int]:
    """'pd14/seed2' -> ('pd14', 2); 'pd14' -> ('pd14', 0)."""
    m = SEED_VARIANT.match(sim)
    return (m["base"], int(m["k"])) if m else (sim, 0)


def base_simulation(sim: str) -> str:
    return split_seed_variant(sim)[0]


def simulation_entry(simulations: dict, sim: str) -> dict:
    """Config entry of a simulation or of a seed variant (its seed = the base seed + k)."""
    base, k = split_seed_variant(sim)
    if base not in simulations:
        raise KeyError(f"simulation {sim!r}: {base!r} is not in config `simulations` ({sorted(simulations)})")
    entry = dict(simulations[base])
    if k:
        entry["seed"] = int(entry.get("seed", 1)) + k
    return entry


def sim_pattern(names, seed_variants: bool = False) -> str:
    """Regex of the ``sim`` wildcard: the configured names (optionally with ``/seed{k}``)."""
    names = list(names)
    if not names:
        return "NO_SIMULATION"
    alt = "|".join(re.escape(n) for n in names)
    return f"(?:{alt})(?:/seed[1-9][0-9]*)?" if seed_variants else f"(?:{alt})"


def sim_model(config: dict, sim: str) -> str | None:
    """'pd14' or 'mam' (the model of the simulation's network), None if unknown."""
    sims = config.get("simulations") or {}
    base = base_simulation(sim)
    if base not in sims:
        return None
    return model_of(config, sims[base].get("network"))


def seed_ensemble(config: dict, sim: str) -> list[str]:
    """The runs of ``sim`` that give its seed-to-seed spread: ``validation.n_seeds`` of them if ``sim`` is
    listed in ``validation.simulations``, else the configured run alone."""
    val = config.get("validation") or {}
    n = int(val.get("n_seeds", 3)) if sim in (val.get("simulations") or []) else 1
    return [sim] + [f"{sim}/seed{k}" for k in range(1, n)]


def seeds_of(config: dict, sim: str) -> list[int]:
    sims = config.get("simulations") or {}
    return [int(simulation_entry(sims, s).get("seed", 1)) for s in seed_ensemble(config, sim)]


# --- the simulations of a config -------------------------------------------------------------------------

def simulations(config: dict) -> dict[str, dict]:
    """config ``simulations``: the runs of simulate_all, analysis_all and the figures."""
    return config.get("simulations") or {}


def run_simulations(config: dict) -> dict[str, dict]:
    """Every simulation the scale_network / simulate / spike_statistics rules accept: config ``simulations``
    and the runs of the scale study (cortexflow.workflow.scaling; not part of simulate_all or all)."""
    return {**simulations(config), **scaling.scaling_simulations(config)}


def name_pattern(names) -> str:
    """Regex alternative of exact names for a wildcard constraint ('NO_SIMULATION' if there are none)."""
    return "|".join(re.escape(n) for n in names) or "NO_SIMULATION"


def model_of(config: dict, net: str) -> str | None:
    """Model of a network of ``networks`` or of a stabilised '{base}-stable' network (rule stabilise)."""
    from cortexflow.workflow.sim_extra import network_model

    return network_model(config, net)


def mam_simulations(config: dict) -> list[str]:
    """The simulations of config ``simulations`` whose network is a mam network."""
    return [s for s, e in simulations(config).items() if model_of(config, e.get("network")) == "mam"]


def subset_simulations(config: dict) -> list[str]:
    """The simulations with ``areas_simulated`` (rule meanfield_subset)."""
    return [s for s, e in simulations(config).items() if e.get("areas_simulated")]


def sim_params(entry: dict) -> dict:
    """A simulation's config entry without the resource overrides (they change no result), without
    dc_rates (it acts through the scaled network.h5, rule scale_network) and without the keys of the options
    that are off (thalamic input, V_m recording: cortexflow.simulation.stimulus.active_entry): params.sim of
    rule simulate."""
    from cortexflow.simulation.stimulus import active_entry

    return active_entry({k: v for k, v in entry.items() if k not in (*RESOURCE_KEYS, "dc_rates")})


def replace_rates_file(entry: dict) -> str | None:
    """The rates file of the replaced areas (a DAG input of the simulate rule), None if not needed;
    the network's fixed_point.h5 (replace_rates: meanfield) or another simulation's stats/summary.csv."""
    if entry.get("replace_non_simulated_areas") not in REPLACEMENT_NEEDS_RATES:
        return None
    source = entry.get("replace_rates", "meanfield")
    if source == "meanfield":
        return paths.FIXED_POINT.format(net=entry["network"])
    return paths.SUMMARY.format(sim=source)


# --- captions ------------------------------------------------------------------------------------------------

def _analysis(config: dict) -> dict:
    """config ``analysis`` with the schema's defaults (t_min, t_max, bin_ms, welch, ...) filled in."""
    return with_defaults(config.get("analysis"), "properties/analysis")


def scale_note(config: dict, sim: str) -> str:
    """One line for captions: network, scale, durations and the analysis window of a simulation."""
    entry = simulation_entry(config.get("simulations") or {}, sim)
    an = _analysis(config)
    t_sim = float(entry.get("t_sim", 0.0))
    t_max = an["t_max"] or t_sim
    nsc, ksc = float(entry.get("N_scaling", 1.0)), float(entry.get("K_scaling", 1.0))
    scale = "full scale" if nsc == ksc == 1.0 else "down-scaled"
    return (f"simulation `{sim}` of network `{entry.get('network')}` ({scale}: N_scaling = {nsc:g}, "
            f"K_scaling = {ksc:g}); {t_sim:g} ms recorded after {float(entry.get('t_presim', 0.0)):g} ms warm-up, "
            f"analysed [{float(an['t_min']):g}, {float(t_max):g}) ms; seed {entry.get('seed', 1)}")


def footer_entry(config: dict, sim: str, seeds=None) -> str:
    """Footer entry of a simulation inside a figure: 'mam-ground: network mam-published, N_scaling 0.01,
    K_scaling 0.1, t_sim 1700 ms, seed 1' (``seeds``: the seeds of an ensemble, 'seeds 1, 2, 3')."""
    entry = simulation_entry(config.get("simulations") or {}, sim)
    seeds = [int(entry.get("seed", 1))] if seeds is None else [int(s) for s in seeds]
    seed_text = f"seed {seeds[0]}" if len(seeds) == 1 else "seeds " + ", ".join(str(s) for s in seeds)
    return (f"{sim}: network {entry.get('network')}, N_scaling {float(entry.get('N_scaling', 1.0)):g}, "
            f"K_scaling {float(entry.get('K_scaling', 1.0)):g}, t_sim {float(entry.get('t_sim', 0.0)):g} ms, "
            f"{seed_text}")


def analysis_window_s(config: dict, sim: str) -> float:
    """Length (s) of the analysis window [t_min, t_max or t_sim) of a simulation."""
    entry = simulation_entry(config.get("simulations") or {}, sim)
    an = _analysis(config)
    t_max = an["t_max"] or float(entry.get("t_sim", 0.0))
    return (float(t_max) - float(an["t_min"])) / 1000.0


def analysis_window_samples(config: dict, sim: str) -> int:
    """Bins of the analysis window [t_min, t_max or t_sim) of a simulation: ⌊(t_max − t_min)/bin_ms⌋, as
    the rate series of rule spike_statistics."""
    bin_ms = float(_analysis(config)["bin_ms"])
    return max(int(math.floor(analysis_window_s(config, sim) * 1000.0 / bin_ms + 1e-9)), 0)


def check_welch(config: dict, sim: str) -> int:
    """Welch segments of the spectra of ``sim`` (plan time, input function of rule power_spectra): raises
    the ``analysis.welch`` message of cortexflow.analysis.spectra.check_segments if they are too few."""
    from cortexflow.analysis.spectra import check_segments

    an = _analysis(config)
    w = an["welch"]
    entry = simulation_entry(config.get("simulations") or {}, sim)
    bin_ms, t_min = float(an["bin_ms"]), float(an["t_min"])
    try:
        where = (f"simulation {sim!r}: t_sim {float(entry.get('t_sim', 0.0)):g} ms, analysis "
                 f"[{t_min:g}, {float(an['t_max'] or entry.get('t_sim', 0.0)):g}) ms")
        return check_segments(analysis_window_samples(config, sim), w["nperseg"], w["noverlap"], w["min_segments"],
                              bin_ms, where=where)
    except ValueError as err:
        need = int(w["nperseg"]) + (max(int(w["min_segments"]), 1) - 1) * (int(w["nperseg"]) - int(w["noverlap"]))
        if an["t_max"]:
            raise
        raise ValueError(f"{err}: t_sim >= {t_min + need * bin_ms:g} ms") from None


def protected_simulations(run: dict) -> list[str]:
    """Simulations whose spikes.h5/run.json are write-protected (``protect: true``, config/full_scale.yaml):
    rule simulate_protected makes them, so no rerun or clean can delete hours of cluster time by accident."""
    return [name for name, entry in run.items() if entry.get("protect")]
