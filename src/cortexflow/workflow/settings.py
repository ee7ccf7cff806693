# SPDX-License-Identifier: GPL-3.0-or-later
"""Config sections as the rules pass them on (their params): theory options, the stabilised networks, the
spike-statistics options, the data-dependence section. Plain functions of the validated config."""
from __future__ import annotations

import re

from cortexflow.config import with_defaults
from cortexflow.workflow import replicates

SPIKE_STAT_KEYS = ("t_min", "t_max", "bin_ms", "cc_subsample", "cc_pairs_stored", "seed", "lvr_R", "cv_min_isis")
S17_FIGURES = ("bistability", "rates", "eigenspectrum", "indegree_changes", "published_comparison")


def theory(config: dict) -> dict:
    """config ``theory`` with the schema's defaults filled in (``stabilisation`` and ``figures`` included)."""
    return with_defaults(config.get("theory"), "properties/theory")


THEORY_EXTRA_SECTIONS = ("chi_sweep", "ee_example", "connectivity_analysis")  # rules/figures_theory_extra.smk


def theory_options(config: dict) -> dict:
    """params.options of the mean-field rules: config ``theory`` without stabilisation, figures and the
    sections of the mechanism analyses (their changes rerun only their own rules)."""
    return {k: v for k, v in theory(config).items()
            if k not in ("stabilisation", "figures", *THEORY_EXTRA_SECTIONS)}


def chi_sweep_network(config: dict) -> str:
    """theory.chi_sweep.network, checked to be a mam network of config ``networks``."""
    net = config["theory"]["chi_sweep"]["network"]
    if (config["networks"].get(net) or {}).get("model") != "mam":
        raise ValueError(f"config theory.chi_sweep.network: {net!r} is not a mam network of `networks` "
                         f"({sorted(config['networks'])})")
    return net


def chi_sweep_options(config: dict) -> dict:
    """params.options of rule chi_sweep: theory.chi_sweep (without its network) and the integration keys."""
    th = theory(config)
    out = {k: v for k, v in config["theory"]["chi_sweep"].items() if k != "network"}
    out.update({k: th[k] for k in ("dt", "T", "tolerance", "derivatives")})
    return out


def laminar_paths_options(config: dict) -> dict:
    """params.options of rule laminar_paths (its drawing keys, dpi and cmap, rerun only the figure)."""
    return {"g": config["figures"]["structure"]["laminar_paths"]["g"]}


def stabilisation(config: dict) -> dict:
    """params.stabilisation of the stabilise rules: theory.stabilisation without its network list."""
    return {k: v for k, v in theory(config)["stabilisation"].items() if k != "networks"}


def stabilised_networks(config: dict) -> list[str]:
    """The networks of theory.stabilisation.networks (rule stabilise -> {net}-stable)."""
    return list(theory(config)["stabilisation"]["networks"])


def meanfield_networks(config: dict) -> list[str]:
    """Every network of config ``networks`` and every stabilised one (rule meanfield)."""
    return list(config["networks"]) + [f"{b}-stable" for b in stabilised_networks(config)]


COMMUNITY_KEYS = ("method", "seed", "resolution", "null_models")


def communities_options(config: dict) -> dict:
    """params.options of rule communities: the community-detection keys of figures.structure.communities
    (its drawing keys, dpi and cmap, rerun only the figure)."""
    opts = config["figures"]["structure"]["communities"]
    return {k: opts[k] for k in COMMUNITY_KEYS}


def band_level(config: dict) -> float:
    """Level of the SLN fit's confidence band (rule anatomy_data_points; figures.structure.laminar_patterns)."""
    return config["figures"]["structure"]["laminar_patterns"]["band_level"]


def analysis(config: dict) -> dict:
    """config ``analysis`` with the schema's defaults filled in."""
    return with_defaults(config.get("analysis"), "properties/analysis")


def spike_statistics_options(config: dict) -> dict:
    """params.options of rule spike_statistics (and package_statistics)."""
    an = analysis(config)
    return {k: an[k] for k in SPIKE_STAT_KEYS if k in an}


def validation(config: dict) -> dict:
    return config.get("validation") or {}


def data_dependence(config: dict) -> dict:
    """config ``data_dependence`` with its defaults (cortexflow.workflow.replicates.options)."""
    return replicates.options(config.get("data_dependence"))


def data_dependence_networks(config: dict) -> list[str]:
    """The replicates' network and, with data_dependence.stabilise, its stabilised one."""
    dd = data_dependence(config)
    net = replicates.check_network(dd, config["networks"])
    return [net] + ([f"{net}-stable"] if dd["stabilise"] else [])


def wildcard_constraints(config: dict) -> dict[str, str]:
    """Regexes of the wildcards, by the set of names they admit (rules: ``wildcard_constraints: sim=WC[...]``)."""
    from cortexflow.workflow import scaling, simulations as sims, targets

    configured = sims.simulations(config)
    run = sims.run_simulations(config)
    return {
        "net": sims.name_pattern(config["networks"]),
        "meanfield_net": sims.name_pattern(meanfield_networks(config)),
        "mam_net": sims.name_pattern([n for n in meanfield_networks(config)
                                      if sims.model_of(config, n.removesuffix("-stable")) == "mam"]),
        "stabilised_net": sims.name_pattern(stabilised_networks(config)),
        "chi_sweep_net": re.escape(chi_sweep_network(config)),
        "laminar_paths_net": re.escape(config["figures"]["structure"]["network"]),
        "run_sim": sims.name_pattern(run),  # configured + scale-study runs
        "run_sim_seeds": sims.sim_pattern(run, seed_variants=True),  # ... + seed variants {sim}/seed{k}
        # rule simulate / simulate_protected: the same runs split by `protect` (disjoint, so never ambiguous)
        "unprotected_sim_seeds": sims.sim_pattern([n for n in run if n not in sims.protected_simulations(run)],
                                                  seed_variants=True),
        "protected_sim_seeds": sims.sim_pattern(sims.protected_simulations(run), seed_variants=True),
        "sim": sims.name_pattern(configured),
        "mam_sim": sims.name_pattern(sims.mam_simulations(config)),
        "subset_sim": sims.name_pattern(sims.subset_simulations(config)),
        "ensemble_sim": sims.sim_pattern(configured),  # model vs reference, validation
        "package_sim": sims.sim_pattern(targets.package_simulations(config)),
        "study": "|".join(re.escape(s) for s in scaling.available_studies(config)) or "NO_STUDY",
        "dd_net": re.escape(data_dependence_networks(config)[0]),
        "dd_nets": sims.name_pattern(data_dependence_networks(config)),
        "replicate": sims.name_pattern(replicates.replicates(data_dependence(config))),
    }
