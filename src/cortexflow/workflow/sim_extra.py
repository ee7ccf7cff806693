# SPDX-License-Identifier: GPL-3.0-or-later
"""Glue of rules/figures_sim_extra.smk (issue #15): the simulation options (PD14 thalamic input, V_m) and the
extra spiking experiments (S17 Figs 3 and 9 / PCB18 Fig 2; PCB18 Figs 6 and 9). Pure Python on the config dict:
which simulations use which option, the figure inputs, the notes drawn inside the figures and the targets."""
from __future__ import annotations

import re

from cortexflow.workflow import paths

# figure key of figures.extra_dynamics -> output stem (figures/<stem>.{pdf,png}); the S17 ones only with
# config/s17_spiking.yaml (target s17_spiking)
DEFAULT_FIGURES = {
    "thalamic_response": "potjans2014/thalamic_response",
    "membrane_potentials": "potjans2014/membrane_potentials",
    "v1_statistics": "schmidt2018_pcb/fig6_v1_statistics",
    "laminar_interactions": "schmidt2018_pcb/fig9_laminar_interactions",
}
S17_FIGURES = {
    "bistability": "schuecker2017/fig3_bistability_spiking",
    "stabilised": "schuecker2017/fig9_stabilised_spiking",
}
# with config/chi_sweep.yaml (target fc_chi_sweep)
CHI_FIGURES = {"fc_chi": "schmidt2018_pcb/fig8_fc_chi"}


def _sims(config: dict) -> dict:
    return config.get("simulations") or {}


def _opts(config: dict, key: str) -> dict:
    return ((config.get("figures") or {}).get("extra_dynamics") or {}).get(key) or {}


def pattern(names) -> str:
    return "|".join(re.escape(n) for n in names) or "NO_SIMULATION"


def stimulus_simulations(config: dict) -> list[str]:
    return [s for s, e in _sims(config).items() if e.get("thalamic_input")]


def vm_simulations(config: dict) -> list[str]:
    return [s for s, e in _sims(config).items() if e.get("record_vm")]


def figure_simulation(config: dict, key: str) -> str | None:
    """The simulation of figure ``key`` if it is configured (else the figure is not built)."""
    sim = _opts(config, key).get("simulation")
    return sim if sim in _sims(config) else None


def _all_or_none(config: dict, key: str) -> list[str]:
    wanted = _opts(config, key).get("simulations", [])
    sims = [s for s in wanted if s in _sims(config)]
    return sims if sims and len(sims) == len(wanted) else []


def bistability_simulations(config: dict) -> list[str]:
    return _all_or_none(config, "bistability")


def chi_simulations(config: dict) -> list[str]:
    return _all_or_none(config, "fc_chi")


def chi_of(config: dict, sim: str) -> float:
    """chi = cc_weights_factor of the simulation's network."""
    return float((config.get("networks") or {})[_sims(config)[sim]["network"]].get("cc_weights_factor", 1.9))


def network_model(config: dict, net: str) -> str | None:
    """Model of a network of ``networks`` or of the stabilised '{base}-stable' network of rule stabilise."""
    nets = config.get("networks") or {}
    if net in nets:
        return nets[net].get("model")
    stab = ((config.get("theory") or {}).get("stabilisation") or {}).get("networks") or []
    if net.endswith("-stable") and net.removesuffix("-stable") in stab:
        return nets[net.removesuffix("-stable")].get("model")
    return None


def kappa(config: dict, sim: str) -> float:
    """kappa = fac_nu_ext_5E of the simulation's network
    (the stabilised network: theory.stabilisation.kappa_network)."""
    net = _sims(config)[sim]["network"]
    nets = config.get("networks") or {}
    if net not in nets:
        return float(((config.get("theory") or {}).get("stabilisation") or {}).get("kappa_network", 1.125))
    return float(nets[net].get("fac_nu_ext_5E", 1.125))


def footer(config: dict, sims) -> list[str]:
    from cortexflow.workflow.simulations import footer_entry
    return [footer_entry(config, s) for s in sims]


def s17_inputs(config: dict, sims) -> dict:
    return {"summaries": [paths.SUMMARY.format(sim=s) for s in sims],
            "rate_series": [paths.RATE_SERIES_OF.format(sim=s) for s in sims],
            "fixed_points": [f"results/theory/{_sims(config)[s]['network']}/fixed_point.h5" for s in sims]}


def _window_s(config: dict, sim: str) -> float:
    return (float(_sims(config)[sim]["t_sim"]) - float((config.get("analysis") or {}).get("t_min", 500.0))) / 1e3


def s17_note(config: dict, sims) -> str:
    e = _sims(config)[sims[0]]
    return (f"N_scaling {e.get('N_scaling', 1):g}, K_scaling {e.get('K_scaling', 1):g} "
            f"(DC compensation at each network's own mean-field rates), "
            f"{_window_s(config, sims[0]):g} s analysed; S17: full scale, 10.5 s. At K_scaling 0.1 "
            f"the early visual areas fire far below their low-state mean field (docs/simulation.md \"Scale study\").")


def laminar_note(config: dict, sim: str) -> str:
    e = _sims(config)[sim]
    k_min = ((config.get("analysis") or {}).get("granger") or {}).get("k_min", 1.0)
    return (f"Granger causality of {sim} (N_scaling {e.get('N_scaling', 1):g}, K_scaling {e.get('K_scaling', 1):g}, "
            f"{_window_s(config, sim):g} s analysed; PCB18: full scale, 100 s), sources with scaled K > {k_min:g}; "
            f"paths: gain graph of the full-scale network at the simulated rates")


def v1_note(config: dict, sim: str) -> str:
    e = _sims(config)[sim]
    base = (f"{sim}: {_window_s(config, sim):g} s analysed at N_scaling {e.get('N_scaling', 1):g}, "
            f"K_scaling {e.get('K_scaling', 1):g} (PCB18: 100 s at full scale)")
    if _opts(config, "v1_statistics").get("chu2014_dir"):
        return base
    return base + ("; Chu et al. 2014 recordings not configured (figures.extra_dynamics.v1_statistics.chu2014_dir: "
                   "null): data panels omitted")


def _outputs(stems) -> list[str]:
    return [paths.FIGURE.format(figure=stem, ext=ext) for stem in stems for ext in ("pdf", "png")]


def targets(config: dict) -> list[str]:
    """The figures of this group in the default run (target ``all``): those whose simulation is configured."""
    return _outputs(stem for key, stem in DEFAULT_FIGURES.items() if figure_simulation(config, key))


def chi_targets(config: dict) -> list[str]:
    """Target ``fc_chi_sweep``: the FC-across-chi figure when every run of figures.extra_dynamics.fc_chi is
    configured, and PCB18 Fig 9 when it is drawn from one of those runs (config/chi_sweep.yaml: a 12 s run gives
    the Granger analysis 8 times the data of the default run)."""
    chis = chi_simulations(config)
    if not chis:
        return []
    stems = [CHI_FIGURES["fc_chi"]]
    if figure_simulation(config, "laminar_interactions") in chis:
        stems.append(DEFAULT_FIGURES["laminar_interactions"])
    return _outputs(stems)


def s17_targets(config: dict) -> list[str]:
    """Target ``s17_spiking``: the S17 figures whose simulations are configured (config/s17_spiking.yaml)."""
    stems = []
    if bistability_simulations(config):
        stems.append(S17_FIGURES["bistability"])
    if figure_simulation(config, "stabilised"):
        stems.append(S17_FIGURES["stabilised"])
    return _outputs(stems)


# --- the one figure rule (figure_sim_extra, {figure} = stem) ------------------------------------------------------

_STEMS = {**DEFAULT_FIGURES, **S17_FIGURES, **CHI_FIGURES}
_KEY_OF = {stem: key for key, stem in _STEMS.items()}
TITLES = {
    "bistability": ("Unstabilised network (S17): spiking rates against the mean-field low- and high-activity "
                    "fixed points"),
    "stabilised": "Stabilised network (S17): spiking rates against its mean field",
}


def figure_pattern() -> str:
    return "|".join(re.escape(s) for s in _STEMS.values())


def figure_key(stem: str) -> str:
    return _KEY_OF[stem]


def figure_simulations(config: dict, stem: str) -> list[str]:
    key = figure_key(stem)
    if key == "bistability":
        return bistability_simulations(config)
    if key == "fc_chi":
        return chi_simulations(config)
    sim = figure_simulation(config, key)
    return [sim] if sim else []


def figure_inputs(config: dict, stem: str) -> dict:
    key = figure_key(stem)
    sims = figure_simulations(config, stem)
    if not sims:
        raise ValueError(f"figures.extra_dynamics.{key}: its simulation(s) are not in `simulations`")
    sim = sims[0]
    if key == "thalamic_response":
        if not _sims(config)[sim].get("thalamic_input"):
            raise ValueError(f"figures.extra_dynamics.thalamic_response.simulation: {sim!r} has no thalamic_input")
        return {"response": paths.STIMULUS_RESPONSE.format(sim=sim), "spikes": paths.SPIKES.format(sim=sim)}
    if key == "membrane_potentials":
        if not _sims(config)[sim].get("record_vm"):
            raise ValueError(f"figures.extra_dynamics.membrane_potentials.simulation: {sim!r} has no record_vm")
        return {"vm": paths.VM.format(sim=sim)}
    if key == "laminar_interactions":
        return {"laminar": paths.LAMINAR_INTERACTIONS.format(sim=sim)}
    if key == "v1_statistics":
        return {"v1": paths.V1_STATISTICS.format(sim=sim)}
    if key == "fc_chi":
        # structure: communities of the network of the run with chi closest to PCB18's 1.9 for the alluvial panel
        # (the figure shows the best-matching run; chi does not change the outdegrees that Infomap clusters, so
        # every run of the sweep has the same structural partition)
        from cortexflow.analysis.fc_sweep import closest_chi

        shown = sims[closest_chi([chi_of(config, s) for s in sims])]
        return {"fc": [paths.FC_COMMUNITIES.format(sim=s) for s in sims],
                "structure": paths.COMMUNITIES.format(net=_sims(config)[shown]["network"])}
    return s17_inputs(config, sims)


def figure_footer(config: dict, stem: str) -> list[str]:
    return footer(config, figure_simulations(config, stem))


def figure_note(config: dict, stem: str) -> str:
    from cortexflow.analysis.stimulus_note import thalamic_note

    key = figure_key(stem)
    sims = figure_simulations(config, stem)
    if not sims:
        return ""
    if key == "thalamic_response":
        return thalamic_note(_sims(config)[sims[0]], (config.get("analysis") or {}).get("stimulus") or {})
    if key == "laminar_interactions":
        return laminar_note(config, sims[0])
    if key == "v1_statistics":
        return v1_note(config, sims[0])
    if key in ("bistability", "stabilised"):
        return s17_note(config, sims)
    if key == "fc_chi":
        e = _sims(config)[sims[0]]
        return (f"chi sweep at N_scaling {e.get('N_scaling', 1):g}, K_scaling {e.get('K_scaling', 1):g}, "
                f"{_window_s(config, sims[0]):g} s analysed per chi (PCB18: full scale, 100 s at chi = 1.9)")
    return ""


def figure_labels(config: dict, stem: str) -> list[str]:
    key = figure_key(stem)
    if key == "bistability":
        return [f"{s} (kappa {kappa(config, s):g})" for s in figure_simulations(config, stem)]
    if key == "stabilised":
        return [f"{s} (stabilised, kappa {kappa(config, s):g})" for s in figure_simulations(config, stem)]
    if key == "fc_chi":
        return [f"{chi_of(config, s):g}" for s in figure_simulations(config, stem)]
    return []


def figure_title(stem: str) -> str:
    return TITLES.get(figure_key(stem), "")
