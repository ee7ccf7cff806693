"""Workflow helpers of the analysis, figure and validation rules (rules/analysis.smk,
rules/figures_dynamics.smk, rules/simulation.smk): simulation names, seed variants, input lists and the
checks of the ``figures.dynamics`` and ``validation`` config sections. Pure Python, no Snakemake import,
so the .smk files hold rules only (``snakemake --lint``).

**Seed variants.** ``{sim}/seed{k}`` (k ≥ 1) is simulation ``sim`` of ``config["simulations"]`` with
``seed = seed_sim + k`` and every other key unchanged; its outputs live in ``results/sims/{sim}/seed{k}/``
and it uses the scaled network of ``sim`` (the connectivity is drawn by NEST from the seed, so a seed
variant is a new network realisation with new initial conditions and Poisson input). The seed ensemble
of ``sim`` with n seeds is ``[sim, sim/seed1, ..., sim/seed{n-1}]``: the configured run is its first member.
"""
from __future__ import annotations

import math
import re

SEED_VARIANT = re.compile(r"^(?P<base>[^/]+)/seed(?P<k>[1-9][0-9]*)$")
PAPER_DIRS = {"pd14": "figures/potjans2014", "mam": "figures/schmidt2018_pcb"}
VALIDATION_DIR = "figures/validation"


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
    return ((config.get("networks") or {}).get(sims[base].get("network")) or {}).get("model")


def seed_ensemble(config: dict, sim: str) -> list[str]:
    """The runs of ``sim`` that give its seed-to-seed spread: ``validation.n_seeds`` of them if ``sim`` is
    listed in ``validation.simulations``, else the configured run alone."""
    val = config.get("validation") or {}
    n = int(val.get("n_seeds", 3)) if sim in (val.get("simulations") or []) else 1
    return [sim] + [f"{sim}/seed{k}" for k in range(1, n)]


def seeds_of(config: dict, sim: str) -> list[int]:
    sims = config.get("simulations") or {}
    return [int(simulation_entry(sims, s).get("seed", 1)) for s in seed_ensemble(config, sim)]


# --- captions ------------------------------------------------------------------------------------------------

def scale_note(config: dict, sim: str) -> str:
    """One line for captions: network, scale, durations and the analysis window of a simulation."""
    entry = simulation_entry(config.get("simulations") or {}, sim)
    an = config.get("analysis") or {}
    t_sim = float(entry.get("t_sim", 0.0))
    t_max = an.get("t_max") or t_sim
    nsc, ksc = float(entry.get("N_scaling", 1.0)), float(entry.get("K_scaling", 1.0))
    scale = "full scale" if nsc == ksc == 1.0 else "down-scaled"
    return (f"simulation `{sim}` of network `{entry.get('network')}` ({scale}: N_scaling = {nsc:g}, "
            f"K_scaling = {ksc:g}); {t_sim:g} ms recorded after {float(entry.get('t_presim', 0.0)):g} ms warm-up, "
            f"analysed [{float(an.get('t_min', 500.0)):g}, {float(t_max):g}) ms; seed {entry.get('seed', 1)}")


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
    an = config.get("analysis") or {}
    t_max = an.get("t_max") or float(entry.get("t_sim", 0.0))
    return (float(t_max) - float(an.get("t_min", 500.0))) / 1000.0


def analysis_window_samples(config: dict, sim: str) -> int:
    """Bins of the analysis window [t_min, t_max or t_sim) of a simulation: ⌊(t_max − t_min)/bin_ms⌋, as
    the rate series of rule spike_statistics."""
    an = config.get("analysis") or {}
    bin_ms = float(an.get("bin_ms", 1.0))
    return max(int(math.floor(analysis_window_s(config, sim) * 1000.0 / bin_ms + 1e-9)), 0)


def check_welch(config: dict, sim: str) -> int:
    """Welch segments of the spectra of ``sim`` (plan time, input function of rule power_spectra): raises
    the ``analysis.welch`` message of cortexflow.analysis.spectra.check_segments if they are too few."""
    from cortexflow.analysis.spectra import DEFAULT_WELCH, check_segments

    an = config.get("analysis") or {}
    w = {**DEFAULT_WELCH, **{k: v for k, v in (an.get("welch") or {}).items() if v is not None}}
    entry = simulation_entry(config.get("simulations") or {}, sim)
    bin_ms, t_min = float(an.get("bin_ms", 1.0)), float(an.get("t_min", 500.0))
    try:
        return check_segments(analysis_window_samples(config, sim), w["nperseg"], w["noverlap"], w["min_segments"],
                              bin_ms, where=f"simulation {sim!r}: t_sim {float(entry.get('t_sim', 0.0)):g} ms, analysis "
                                            f"[{t_min:g}, {float(an.get('t_max') or entry.get('t_sim', 0.0)):g}) ms")
    except ValueError as err:
        need = int(w["nperseg"]) + (max(int(w["min_segments"]), 1) - 1) * (int(w["nperseg"]) - int(w["noverlap"]))
        if an.get("t_max"):
            raise
        raise ValueError(f"{err}: t_sim >= {t_min + need * bin_ms:g} ms") from None


def spectra_input(config: dict, sim: str) -> dict:
    """Input of rule power_spectra after the plan-time check of ``analysis.welch``."""
    check_welch(config, sim)
    return {"rate_series": stats(sim, "rate_series.h5")}


# --- figure and validation config -------------------------------------------------------------------------

# figure key -> (model of its simulation(s), name of the simulation key)
DYNAMICS_SIM_KEYS = {
    "pd14_raster": ("pd14", "simulation"), "pd14_statistics": ("pd14", "simulation"),
    "ground_state": ("mam", "simulation"), "metastable_state": ("mam", "simulation"),
    "metastability": ("mam", "simulations"), "spectra": ("mam", "simulations"),
    "temporal_hierarchy": ("mam", "simulation"), "functional_connectivity": ("mam", "simulation"),
}


def dynamics_simulations(config: dict, key: str) -> list[str]:
    """Simulation names that ``figures.dynamics.<key>`` selects (a string or a list)."""
    opts = ((config.get("figures") or {}).get("dynamics") or {}).get(key) or {}
    sim_key = DYNAMICS_SIM_KEYS[key][1] if key in DYNAMICS_SIM_KEYS else "simulations"
    names = opts.get(sim_key)
    return [names] if isinstance(names, str) else list(names or [])


def dynamics_enabled(config: dict, key: str) -> bool:
    """A figure is built when every simulation it names is configured (a config without, e.g., the mam
    simulations simply has no mam figures)."""
    names = dynamics_simulations(config, key)
    return bool(names) and all(n in (config.get("simulations") or {}) for n in names)


def check_dynamics_config(config: dict) -> None:
    """Stop with one message naming the key if a figure names a configured simulation of the wrong model
    or an unknown area, or if validation names an unknown simulation."""
    from cortexflow.areas import AREAS

    figs = (config.get("figures") or {}).get("dynamics") or {}
    sims = config.get("simulations") or {}
    for key, (model, sim_key) in DYNAMICS_SIM_KEYS.items():
        for name in dynamics_simulations(config, key):
            if name in sims and sim_model(config, name) != model:
                raise ValueError(f"figures.dynamics.{key}.{sim_key}: simulation {name!r} has model "
                                 f"{sim_model(config, name)!r}, expected {model!r}")
        opts = figs.get(key) or {}
        for akey in ("areas", "area", "reference_area", "partners"):
            areas = opts.get(akey)
            areas = [areas] if isinstance(areas, str) else list(areas or [])
            bad = [a for a in areas if a not in AREAS]
            if bad:
                raise ValueError(f"figures.dynamics.{key}.{akey}: unknown area(s) {bad}")
    for name in (config.get("validation") or {}).get("simulations") or []:
        if name not in sims:
            raise ValueError(f"validation.simulations: {name!r} is not a simulation of config `simulations` "
                             f"({sorted(sims)})")
        if sim_model(config, name) not in PAPER_DIRS:
            raise ValueError(f"validation.simulations: {name!r} is neither a pd14 nor a mam simulation")


def model_vs_reference_path(config: dict, sim: str, ext: str) -> str:
    return f"{PAPER_DIRS[sim_model(config, sim)]}/model_vs_reference_{sim}.{ext}"


FIGURE_FILES = {  # figure key -> (directory, file name)
    "pd14_raster": (PAPER_DIRS["pd14"], "raster"), "pd14_statistics": (PAPER_DIRS["pd14"], "statistics"),
    "ground_state": (PAPER_DIRS["mam"], "fig3_ground_state"),
    "metastability": (PAPER_DIRS["mam"], "fig4_metastability"),
    "metastable_state": (PAPER_DIRS["mam"], "fig5_metastable_state"),
    "spectra": (PAPER_DIRS["mam"], "fig6_spectra"),
    "temporal_hierarchy": (PAPER_DIRS["mam"], "fig7_temporal_hierarchy"),
    "functional_connectivity": (PAPER_DIRS["mam"], "fig8_functional_connectivity"),
}


def dynamics_figure_targets(config: dict) -> list[str]:
    """Every figure of rules/figures_dynamics.smk that the configured simulations can feed."""
    out = []
    for key, (directory, name) in FIGURE_FILES.items():
        if dynamics_enabled(config, key):
            out += [f"{directory}/{name}.{ext}" for ext in ("pdf", "png")]
    for sim in dynamics_simulations(config, "model_vs_reference"):
        if sim in (config.get("simulations") or {}) and sim_model(config, sim) in PAPER_DIRS:
            out += [model_vs_reference_path(config, sim, ext) for ext in ("pdf", "png")]
    return out


def stats(sim: str, name: str) -> str:
    return f"results/sims/{sim}/stats/{name}"


def dynamics_inputs(config: dict, key: str) -> dict:
    """Named inputs of the figure ``figures.dynamics.<key>`` (lists for the multi-simulation figures)."""
    sims = dynamics_simulations(config, key)
    if key in ("pd14_raster", "ground_state", "metastable_state"):
        return {"spikes": f"results/sims/{sims[0]}/spikes.h5", "summary": stats(sims[0], "summary.csv")}
    if key == "pd14_statistics":
        return {"summary": stats(sims[0], "summary.csv"), "distributions": stats(sims[0], "distributions.h5")}
    if key == "metastability":
        entries = config.get("simulations") or {}
        return {"rate_series": [stats(s, "rate_series.h5") for s in sims],
                "summary": [stats(s, "summary.csv") for s in sims],
                "fixed_point": [f"results/theory/{entries[s]['network']}/fixed_point.h5" for s in sims]}
    if key == "spectra":
        return {"spectra": [stats(s, "spectra.h5") for s in sims]}
    if key == "temporal_hierarchy":
        return {"hierarchy": stats(sims[0], "temporal_hierarchy.csv"),
                "cross_correlation": stats(sims[0], "cross_correlation.h5")}
    if key == "functional_connectivity":
        return {"signals": stats(sims[0], "area_signals.h5"), "communities": stats(sims[0], "fc_communities.json")}
    raise KeyError(f"figures.dynamics.{key}: no such figure")


def dynamics_scale(config: dict, key: str) -> str:
    """Caption line(s) with the scale of every simulation a figure shows."""
    return "; ".join(scale_note(config, s) for s in dynamics_simulations(config, key)
                     if s in (config.get("simulations") or {}))


def dynamics_footer(config: dict, key: str) -> list[str]:
    """Footer lines of the figure ``figures.dynamics.<key>``: one entry per simulation it shows."""
    return [footer_entry(config, s) for s in dynamics_simulations(config, key)
            if s in (config.get("simulations") or {})]


def ensemble_footer(config: dict, sim: str) -> list[str]:
    """Footer line of a seed-ensemble figure (model vs reference, validation): the seeds of ``sim``."""
    return [footer_entry(config, sim, seeds_of(config, sim))]


def validation_targets(config: dict) -> list[str]:
    out = []
    for sim in (config.get("validation") or {}).get("simulations") or []:
        out += [f"results/validation/{sim}/report.csv", f"results/validation/{sim}/verdict.html",
                f"{VALIDATION_DIR}/{sim}.pdf", f"{VALIDATION_DIR}/{sim}.png"]
    return out


def reference_inputs(config: dict, sim: str) -> dict:
    """Mean-field rates of the simulation's (full-scale) network: the mam reference and a pd14 marker."""
    entry = simulation_entry(config.get("simulations") or {}, sim)
    return {"fixed_point": f"results/theory/{entry['network']}/fixed_point.h5"}


def ensemble_files(config: dict, sim: str, name: str) -> list[str]:
    """``stats/<name>`` of every run of the seed ensemble of ``sim``."""
    return [f"results/sims/{s}/stats/{name}" for s in seed_ensemble(config, sim)]


# --- validation against the PD14 package (rules/pd14_package.smk) -------------------------------------------

def package_simulations(config: dict) -> list[str]:
    """The pd14 simulations of ``validation.simulations``: those validated against the PD14 package."""
    return [s for s in (config.get("validation") or {}).get("simulations") or [] if sim_model(config, s) == "pd14"]


def package_files(config: dict, sim: str, name: str) -> list[str]:
    """``<name>`` of every package run of ``sim``: results/sims/{sim}-pkg/seed{s}/, s = the seeds of our ensemble."""
    return [f"results/sims/{sim}-pkg/seed{s}/{name}" for s in seeds_of(config, sim)]


def package_sim_json(config: dict, sim: str, seed) -> str:
    """The simulation entry of ``sim`` with NEST seed ``seed`` (JSON), without the keys that change no result
    of the package run (resources; dc_rates acts through the scaled network's rates_full)."""
    import json

    entry = {k: v for k, v in simulation_entry(config.get("simulations") or {}, sim).items()
             if k not in ("mem_mb", "runtime", "dc_rates")}
    entry["seed"] = int(seed)
    return json.dumps(entry, sort_keys=True)


def package_targets(config: dict) -> list[str]:
    out = []
    for sim in package_simulations(config):
        out += [f"results/validation/{sim}/package_comparison.csv", f"{VALIDATION_DIR}/{sim}_package.pdf",
                f"{VALIDATION_DIR}/{sim}_package.png"]
    return out
