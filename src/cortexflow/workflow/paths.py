# SPDX-License-Identifier: GPL-3.0-or-later
"""Every file template of the workflow, in one place (docs/design.md "Layout").

Each constant is a Snakemake pattern (``{net}``, ``{sim}``, ... are wildcards) and at the same time a
``str.format`` template: the rules use the constants as they are, the input functions and targets
(cortexflow.workflow.inputs, .targets) fill them with ``.format(...)``. Figure templates end in ``.{ext}``
(``pdf`` or ``png``; see :func:`ext`).
"""
from __future__ import annotations

# --- raw data (stage 1) ------------------------------------------------------------------------------------
RAW_DIR = "data/raw"
RAW = "data/raw/{name}"
RAW_MANIFEST = "data/raw/sources.yaml"

# --- anatomy, networks, mean field (stages 1-3) --------------------------------------------------------------
PROCESSED = "results/anatomy/processed.json"
DATA_POINTS = "results/anatomy/data_points.json"  # the data behind the fits, the SLN fit's uncertainty
NETWORK = "results/networks/{net}/network.h5"
STABLE_NETWORK = "results/networks/{net}-stable/network.h5"
COMMUNITIES = "results/networks/{net}/communities.json"
FIXED_POINT = "results/theory/{net}/fixed_point.h5"
STABILISATION = "results/theory/{net}/stabilisation.h5"
# mechanism and structure analyses (rules/figures_theory_extra.smk)
CHI_SWEEP = "results/theory/{net}/chi_sweep.h5"
EE_EXAMPLE = "results/theory/ee_example/ee_example.h5"
UNSTABLE_FIXED_POINTS = "results/theory/{net}/unstable_fixed_points.h5"
CONNECTIVITY_ANALYSIS = "results/theory/{net}/connectivity_analysis.h5"
LAMINAR_PATHS = "results/networks/{net}/laminar_paths.json"

# --- simulations and their analysis (stages 4-5); {sim} may be a seed variant {base}/seed{k} -------------------
SIM_NETWORK = "results/sims/{sim}/network.h5"
SPIKES = "results/sims/{sim}/spikes.h5"
RUN = "results/sims/{sim}/run.json"
MEANFIELD_SUBSET = "results/sims/{sim}/meanfield_subset.csv"
STATS = "results/sims/{sim}/stats/{name}"
SUMMARY = "results/sims/{sim}/stats/summary.csv"
DISTRIBUTIONS = "results/sims/{sim}/stats/distributions.h5"
RATE_SERIES = "results/sims/{sim}/stats/rate_series.h5"
SPECTRA = "results/sims/{sim}/stats/spectra.h5"
AREA_SIGNALS = "results/sims/{sim}/stats/area_signals.h5"
FC_COMMUNITIES = "results/sims/{sim}/stats/fc_communities.json"
TEMPORAL_HIERARCHY = "results/sims/{sim}/stats/temporal_hierarchy.csv"
CROSS_CORRELATION = "results/sims/{sim}/stats/cross_correlation.h5"
GRANGER = "results/sims/{sim}/stats/granger.csv"
# simulation options and extra spiking experiments (rules/figures_sim_extra.smk)
VM = "results/sims/{sim}/vm.h5"
STIMULUS_RESPONSE = "results/sims/{sim}/stats/stimulus_response.h5"
LAMINAR_INTERACTIONS = "results/sims/{sim}/stats/laminar_interactions.h5"
V1_STATISTICS = "results/sims/{sim}/stats/v1_statistics.h5"
RATE_SERIES_OF = "results/sims/{sim}/stats/rate_series.h5"
FC_COMMUNITIES = "results/sims/{sim}/stats/fc_communities.json"
FIGURE = "figures/{figure}.{ext}"

# --- the PD14 package's runs of a pd14 simulation (rules/pd14_package.smk) -----------------------------------
PKG_RUN_DIR = "results/sims/{sim}-pkg/seed{seed}"
PKG_SPIKES = PKG_RUN_DIR + "/spikes.h5"
PKG_RUN = PKG_RUN_DIR + "/run.json"
PKG_SUMMARY = PKG_RUN_DIR + "/stats/summary.csv"
PKG_DISTRIBUTIONS = PKG_RUN_DIR + "/stats/distributions.h5"
PKG_RATE_SERIES = PKG_RUN_DIR + "/stats/rate_series.h5"

# --- validation and the scale study ----------------------------------------------------------------------------
VALIDATION_REPORT = "results/validation/{sim}/report.csv"
VALIDATION_DISTANCES = "results/validation/{sim}/distances.csv"
VALIDATION_VERDICT = "results/validation/{sim}/verdict.html"
PACKAGE_COMPARISON = "results/validation/{sim}/package_comparison.csv"
SCALING_SUMMARY = "results/scaling/{study}/summary.csv"
SCALING_POINTS = "results/scaling/{study}/points.csv"
SCALING_AREAS = "results/scaling/{study}/areas.csv"

# --- data dependence (rules/data_dependence.smk): the stages 1-3 per {replicate} -------------------------------
DD_DIR = "results/data_dependence"
DD_REPLICATE = DD_DIR + "/{replicate}"
DD_RAW_DIR = DD_REPLICATE + "/raw"
DD_RAW = DD_RAW_DIR + "/{name}"
DD_MANIFEST = DD_RAW_DIR + "/sources.yaml"
DD_RECORD = DD_REPLICATE + "/resampling.json"
DD_PROCESSED = DD_REPLICATE + "/anatomy/processed.json"
DD_NETWORK = DD_REPLICATE + "/networks/{net}/network.h5"
DD_STABLE_NETWORK = DD_REPLICATE + "/networks/{net}-stable/network.h5"
DD_FIXED_POINT = DD_REPLICATE + "/theory/{net}/fixed_point.h5"
DD_BISTABILITY = DD_REPLICATE + "/theory/{net}/bistability.json"
DD_STABILISATION = DD_REPLICATE + "/theory/{net}/stabilisation.h5"
DD_TABLE = DD_DIR + "/tables/{table}.csv"

# --- figures ---------------------------------------------------------------------------------------------------
FIGURE = "figures/{figure}.{ext}"  # the table-driven figures (cortexflow.workflow.figures): {figure} = dir/name
FIG_S17 = "figures/schuecker2017/{net}_{figure}.{ext}"
FIG_MODEL_VS_REFERENCE = "figures/{paper}/model_vs_reference_{sim}.{ext}"
FIG_VALIDATION = "figures/validation/{sim}.{ext}"
FIG_PACKAGE = "figures/validation/{sim}_package.{ext}"
FIG_SCALING = "figures/scaling/{study}.{ext}"
FIG_DATA_DEPENDENCE = "figures/data_dependence/{figure}.{ext}"
PROVENANCE = "figures/PROVENANCE.csv"

EXTS = ("pdf", "png")


def ext(template: str, extension: str) -> str:
    """A figure template with its extension filled in, the other wildcards kept: ext(FIG_S17, "png")."""
    return template.replace("{ext}", extension)


def stats(sim: str, name: str) -> str:
    """results/sims/<sim>/stats/<name>."""
    return STATS.format(sim=sim, name=name)
