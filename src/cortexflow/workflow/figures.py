# SPDX-License-Identifier: GPL-3.0-or-later
"""The figure tables of the workflow: one row per figure of the table-driven rules ``figure_structure``
(rules/figures_structure.smk) and ``figure_dynamics`` (rules/figures_dynamics.smk).

A row names the figure's file stem under figures/ (the ``{figure}`` wildcard, e.g.
``schmidt2018_bsf/fig2_anatomy``), its config key (``figures.structure.<key>`` / ``figures.dynamics.<key>``:
its options, the rule's params), the drawing function of the rule's script (params.figure) and its report
category. Inputs: cortexflow.workflow.inputs; the report caption of each rule is one file with a section
per key (report/captions/figure_structure.rst, figure_dynamics.rst).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cortexflow.workflow import paths
from cortexflow.workflow.simulations import footer_entry, scale_note, seeds_of, sim_model

BSF_DIR = "schmidt2018_bsf"  # Schmidt et al. 2018, Brain Struct Funct
PD14_DIR = "potjans2014"  # Potjans & Diesmann 2014, Cereb Cortex
PCB_DIR = "schmidt2018_pcb"  # Schmidt et al. 2018, PLoS Comput Biol
PAPER_DIRS = {"pd14": f"figures/{PD14_DIR}", "mam": f"figures/{PCB_DIR}"}  # model -> model_vs_reference dir
VALIDATION_DIR = "figures/validation"


@dataclass(frozen=True)
class Figure:
    key: str  # config key figures.<section>.<key>
    stem: str  # figures/<stem>.pdf|png (the {figure} wildcard)
    draw: str  # the drawing function of the rule's script (params.figure)
    category: str  # report category
    model: str = ""  # structure: the model of its network ("" = none); dynamics: of its simulation(s)
    sim_key: str = "simulation"  # dynamics: the options key naming its simulation(s)
    net: str = ""  # theory_extra: the stabilised base network of a per-network figure


BSF = "Schmidt 2018 BSF: structure"
PD14_STRUCTURE = "Potjans & Diesmann 2014: structure"
STRUCTURE_FIGURES = {f.key: f for f in (
    Figure("anatomy", f"{BSF_DIR}/fig2_anatomy", "anatomy", BSF),
    Figure("construction", f"{BSF_DIR}/fig3_construction", "construction", BSF, "mam"),
    Figure("connectivity", f"{BSF_DIR}/fig4_connectivity", "connectivity", BSF, "mam"),
    Figure("laminar_patterns", f"{BSF_DIR}/fig5_laminar_patterns", "laminar_patterns", BSF, "mam"),
    Figure("connectivity_measures", f"{BSF_DIR}/fig6_connectivity_measures", "connectivity_measures", BSF, "mam"),
    Figure("communities", f"{BSF_DIR}/fig7_communities", "communities", BSF, "mam"),
    Figure("pd14_connectivity", f"{PD14_DIR}/connectivity", "pd14_connectivity", PD14_STRUCTURE, "pd14"),
)}

PD14_DYNAMICS = "Potjans & Diesmann 2014: dynamics"
PCB = "Schmidt 2018 PLoS CB: dynamics"
DYNAMICS_FIGURES = {f.key: f for f in (
    Figure("pd14_raster", f"{PD14_DIR}/raster", "pd14_raster", PD14_DYNAMICS, "pd14"),
    Figure("pd14_statistics", f"{PD14_DIR}/statistics", "pd14_statistics", PD14_DYNAMICS, "pd14"),
    Figure("ground_state", f"{PCB_DIR}/fig3_ground_state", "state", PCB, "mam"),
    Figure("metastability", f"{PCB_DIR}/fig4_metastability", "metastability", PCB, "mam", "simulations"),
    Figure("metastable_state", f"{PCB_DIR}/fig5_metastable_state", "state", PCB, "mam"),
    Figure("spectra", f"{PCB_DIR}/fig6_spectra", "spectra", PCB, "mam", "simulations"),
    Figure("temporal_hierarchy", f"{PCB_DIR}/fig7_temporal_hierarchy", "temporal_hierarchy", PCB, "mam"),
    Figure("functional_connectivity", f"{PCB_DIR}/fig8_functional_connectivity", "functional_connectivity", PCB,
           "mam"),
)}
# figure key -> (model of its simulation(s), name of the options key naming them); other keys: "simulations"
DYNAMICS_SIM_KEYS = {k: (f.model, f.sim_key) for k, f in DYNAMICS_FIGURES.items()}


def by_stem(table: dict) -> dict[str, Figure]:
    return {f.stem: f for f in table.values()}


def stem_pattern(table: dict) -> str:
    """Wildcard constraint of ``{figure}``: exactly the stems of the table."""
    return "|".join(re.escape(f.stem) for f in table.values())


# --- structure figures -------------------------------------------------------------------------------------

def structure_network(config: dict, figure: Figure) -> str | None:
    """The network a structure figure draws (figures.structure.network / pd14_network), None if none."""
    opts = config["figures"]["structure"]
    return {"mam": opts["network"], "pd14": opts["pd14_network"]}.get(figure.model)


# --- dynamics figures ----------------------------------------------------------------------------------------

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


def model_vs_reference_path(config: dict, sim: str, ext: str) -> str:
    return f"{PAPER_DIRS[sim_model(config, sim)]}/model_vs_reference_{sim}.{ext}"


def figure_files(figure: Figure) -> list[str]:
    return [paths.FIGURE.format(figure=figure.stem, ext=e) for e in paths.EXTS]


def template(figure: Figure) -> str:
    """figures/<stem>.{ext} of one figure of a table."""
    return paths.FIGURE.replace("{figure}", figure.stem)


# --- mechanism and structure analyses (rules/figures_theory_extra.smk) ------------------------------------

S17_DIR = "schuecker2017"  # Schuecker, Schmidt et al. 2017, PLoS Comput Biol
S17 = "Schuecker 2017: mean field and stabilisation"
PCB_THEORY = "Schmidt 2018 PLoS CB: mean field"


def theory_extra_figures(config: dict) -> dict[str, Figure]:
    """stem -> Figure of rule figure_theory_extra; its key is the science output it draws
    (``theory_extra_data``). The S17 Figs 6 and 8 exist once per stabilised network."""
    from cortexflow.workflow import settings
    rows = [Figure("chi_sweep", f"{PCB_DIR}/fig4_theory", "chi_sweep", PCB_THEORY, "mam"),
            Figure("ee_example", f"{S17_DIR}/fig2_ee_example", "ee_example", S17),
            Figure("laminar_paths", f"{BSF_DIR}/fig8_laminar_paths", "laminar_paths", BSF, "mam")]
    for net in settings.stabilised_networks(config):
        rows += [Figure("unstable_fixed_points", f"{S17_DIR}/{net}_fig6_unstable_fixed_point", "unstable_fixed_points",
                        S17, "mam", net=net),
                 Figure("connectivity_analysis", f"{S17_DIR}/{net}_fig8_connectivity_analysis",
                        "connectivity_analysis", S17, "mam", net=net)]
    return {f.stem: f for f in rows}


def theory_extra_data(config: dict, figure: Figure) -> str:
    """The result file a figure of ``theory_extra_figures`` draws."""
    from cortexflow.workflow import settings
    if figure.key == "chi_sweep":
        return paths.CHI_SWEEP.format(net=settings.chi_sweep_network(config))
    if figure.key == "ee_example":
        return paths.EE_EXAMPLE
    if figure.key == "laminar_paths":
        return paths.LAMINAR_PATHS.format(net=config["figures"]["structure"]["network"])
    template = {"unstable_fixed_points": paths.UNSTABLE_FIXED_POINTS,
                "connectivity_analysis": paths.CONNECTIVITY_ANALYSIS}[figure.key]
    return template.format(net=figure.net)


def theory_extra_options(config: dict, figure: Figure) -> dict:
    """params.options of a figure of ``theory_extra_figures`` (drawing options only)."""
    if figure.key == "laminar_paths":
        return config["figures"]["structure"]["laminar_paths"]
    return dict(config["theory"].get("figures") or {"dpi": 200})
