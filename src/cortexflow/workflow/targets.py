# SPDX-License-Identifier: GPL-3.0-or-later
"""Target lists of the aggregate rules (all, analysis_all, figures_*, validate, ...), each a plain function
of the validated config, so that no rule file reads another's globals and include order does not matter."""
from __future__ import annotations

from cortexflow.workflow import figures as fig, paths, replicates, scaling, settings, sim_extra, simulations as sims


def _figure(template: str, **wildcards) -> list[str]:
    return [template.format(ext=e, **wildcards) for e in paths.EXTS]


def analysis_outputs(config: dict, names=None) -> list[str]:
    """Every analysis output of the given simulations (default: all of config ``simulations``)."""
    names = list(sims.simulations(config)) if names is None else names
    mam = sims.mam_simulations(config)
    out = []
    for sim in names:
        out += [paths.SUMMARY.format(sim=sim), paths.SPECTRA.format(sim=sim)]
        if sim in mam:
            out += [paths.AREA_SIGNALS.format(sim=sim), paths.TEMPORAL_HIERARCHY.format(sim=sim)]
    return out


def granger_outputs(config: dict) -> list[str]:
    return [paths.GRANGER.format(sim=s) for s in sims.simulations(config)]


def simulation_outputs(config: dict) -> list[str]:
    return [p.format(sim=s) for s in sims.simulations(config) for p in (paths.SPIKES, paths.RUN)]


def mam_v1_outputs(config: dict) -> list[str]:
    """Spikes, statistics and mean field of the mam-v1* runs, and PCB18 Fig 6 when it is drawn from one of them
    (config/mam_v1.yaml sets figures.extra_dynamics.v1_statistics.simulation: mam-v1)."""
    out = [p.format(sim=s) for s in sims.simulations(config) if s.startswith("mam-v1")
           for p in (paths.SPIKES, paths.RUN, paths.SUMMARY, paths.MEANFIELD_SUBSET)]
    if (sim_extra.figure_simulation(config, "v1_statistics") or "").startswith("mam-v1"):
        out += [paths.FIGURE.format(figure=sim_extra.DEFAULT_FIGURES["v1_statistics"], ext=e) for e in ("pdf", "png")]
    return out


def structure_figures(config: dict) -> list[str]:
    """Every structure figure (BSF18 Figs 2-7, PD14 connectivity) and the community partition of Fig 7."""
    out = []
    for figure in fig.STRUCTURE_FIGURES.values():
        out += fig.figure_files(figure)
    out.append(paths.COMMUNITIES.format(net=config["figures"]["structure"]["network"]))
    return out


def theory_targets(config: dict) -> list[str]:
    """Every fixed point and every S17 figure of the configuration."""
    out = [paths.FIXED_POINT.format(net=n) for n in settings.meanfield_networks(config)]
    for net in settings.stabilised_networks(config):
        for figure in settings.S17_FIGURES:
            out += _figure(paths.FIG_S17, net=net, figure=figure)
    return out


def theory_extra_targets(config: dict) -> list[str]:
    """PCB18 Fig 4 theory, S17 Figs 2, 6, 8 (per stabilised network), BSF18 Fig 8, and their data files."""
    out = []
    for figure in fig.theory_extra_figures(config).values():
        out += [*fig.figure_files(figure), fig.theory_extra_data(config, figure)]
    return out


def dynamics_figures(config: dict) -> list[str]:
    """Every dynamics figure that the configured simulations can feed (PD14, PCB18, model vs reference)."""
    out = []
    for key, figure in fig.DYNAMICS_FIGURES.items():
        if fig.dynamics_enabled(config, key):
            out += fig.figure_files(figure)
    for sim in fig.dynamics_simulations(config, "model_vs_reference"):
        if sim in sims.simulations(config) and sims.sim_model(config, sim) in fig.PAPER_DIRS:
            out += [fig.model_vs_reference_path(config, sim, e) for e in paths.EXTS]
    return out


def validation_targets(config: dict) -> list[str]:
    out = []
    for sim in settings.validation(config).get("simulations") or []:
        out += [paths.VALIDATION_REPORT.format(sim=sim), paths.VALIDATION_VERDICT.format(sim=sim),
                *_figure(paths.FIG_VALIDATION, sim=sim)]
    return out


def package_simulations(config: dict) -> list[str]:
    """The pd14 simulations of ``validation.simulations``: those validated against the PD14 package."""
    return [s for s in settings.validation(config).get("simulations") or [] if sims.sim_model(config, s) == "pd14"]


def package_targets(config: dict) -> list[str]:
    out = []
    for sim in package_simulations(config):
        out += [paths.PACKAGE_COMPARISON.format(sim=sim), *_figure(paths.FIG_PACKAGE, sim=sim)]
    return out


def figure_targets(config: dict) -> list[str]:
    """Every figure of the default run (and, for theory, the fixed points it shows): target ``all``."""
    from cortexflow.workflow import sim_extra

    return [*structure_figures(config), *theory_targets(config), *theory_extra_targets(config),
            *dynamics_figures(config), *validation_targets(config), *sim_extra.targets(config)]


def provenance_inputs(config: dict) -> list[str]:
    """The PNGs of figure_targets (rule figure_provenance reads their embedded metadata)."""
    return [f for f in figure_targets(config) if f.endswith(".png")]


def scaling_figures(config: dict) -> list[str]:
    return [paths.FIG_SCALING.format(study=s, ext="png") for s in scaling.available_studies(config)]


def data_dependence_targets(config: dict) -> list[str]:
    out = list(replicates.tables().values())
    for figure in replicates.FIGURES:
        out += _figure(paths.FIG_DATA_DEPENDENCE, figure=figure)
    return out
