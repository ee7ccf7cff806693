# Shared set-up: config validation and helpers used by every stage.
import json
import hashlib
from pathlib import Path

import yaml
from snakemake.utils import min_version, validate

min_version("9.0")


from cortexflow.config import check_config

# Clear messages naming the offending key first, then Snakemake's own validation (which also fills defaults).
check_config(config, Path(workflow.basedir, "config/schema.yaml"))
validate(config, schema="../config/schema.yaml")

RAW_MANIFEST = "data/raw/sources.yaml"
RAW_SOURCES = yaml.safe_load(Path(workflow.basedir, RAW_MANIFEST).read_text())["files"]
RAW_FILES = sorted(RAW_SOURCES)


def raw(name):
    """Path of a raw data file under data/raw/ (produced by rule raw_data)."""
    if name not in RAW_SOURCES:
        raise ValueError(f"{name} is not listed in {RAW_MANIFEST}")
    return f"data/raw/{name}"


def config_digest(section):
    """Short content hash of a config section (used in labels and provenance)."""
    blob = json.dumps(section, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


# --- simulations (rules/simulation.smk): settings and input functions --------------------------
import json
import os
import re
import sys

from snakemake_interface_executor_plugins.settings import DeploymentMethod

from cortexflow.areas import AREAS
from cortexflow.simulation import resources as sim_resources
from cortexflow.simulation.config import DC_RATES_MEANFIELD, REPLACEMENT_NEEDS_RATES, SimConfig, check_dc_rates

SIMULATIONS = config.get("simulations") or {}
# the runs of the scale study (config scaling_study, rules/scaling.smk): simulations of their own for the
# scale_network / simulate / spike_statistics rules, but not part of simulate_all, analysis_all or all
from cortexflow.workflow import scaling as _scaling

SCALING_STUDIES = _scaling.available_studies(config)
SCALING_SIMS = _scaling.scaling_simulations(config)
RUN_SIMS = {**SIMULATIONS, **SCALING_SIMS}
SCALING_STUDY_NAMES = "|".join(re.escape(s) for s in SCALING_STUDIES) or "NO_STUDY"
# Interpreter of the simulate command: the conda env's `python` under --sdm conda, else the one
# running Snakemake (the project venv), so that .venv/bin/snakemake works without activating the venv.
# $CORTEXFLOW_SIM_PYTHON overrides it, e.g. .venv-mpi/bin/python (NEST with MPI, `make nest-mpi`).
SIM_PYTHON = os.environ.get("CORTEXFLOW_SIM_PYTHON") or (
    "python" if DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method else sys.executable
)
SIM_NAMES = "|".join(re.escape(s) for s in RUN_SIMS) or "NO_SIMULATION"


def _check_simulations():
    """Names, networks and areas of every simulation, checked when the workflow is parsed."""
    for name, sim in RUN_SIMS.items():
        if sim["network"] not in config["networks"]:
            raise ValueError(f"config simulations.{name}.network: unknown network {sim['network']!r} "
                             f"(networks: {sorted(config['networks'])})")
        model = config["networks"][sim["network"]]["model"]
        for key in ("areas_simulated", "areas_recorded"):
            areas = sim.get(key)
            if areas is None:
                continue
            if model != "mam":
                raise ValueError(f"config simulations.{name}.{key}: only mam networks have areas")
            unknown = [a for a in areas if a not in AREAS]
            if unknown:
                raise ValueError(f"config simulations.{name}.{key}: unknown area(s) {unknown}")
        SimConfig.from_dict({k: v for k, v in sim.items() if k not in ("mem_mb", "runtime")})
        source = sim.get("replace_rates", "meanfield")
        if sim.get("replace_non_simulated_areas") in REPLACEMENT_NEEDS_RATES and source != "meanfield":
            if source == name or source not in SIMULATIONS:
                raise ValueError(f"config simulations.{name}.replace_rates: {source!r} must be 'meanfield' or "
                                 f"another simulation of `simulations` ({sorted(set(SIMULATIONS) - {name})})")
            if SIMULATIONS[source]["network"] != sim["network"]:
                raise ValueError(f"config simulations.{name}.replace_rates: simulation {source!r} runs network "
                                 f"{SIMULATIONS[source]['network']!r}, not {sim['network']!r}")
        check_dc_rates(name, {**SIMULATIONS, name: sim})


_check_simulations()


from cortexflow.analysis.workflow import base_simulation, sim_pattern, simulation_entry


def sim_entry(wildcards):
    """Config entry of {sim}, or of a seed variant {sim}/seed{k} (seed + k; rule validate)."""
    return simulation_entry(RUN_SIMS, wildcards.sim)


def scaling_runs(study):
    """[{name, N_scaling, K_scaling, seed, entry}] of one scale study (params of scaling_summary)."""
    return _scaling.study_runs(config, study)


def scaling_summary_input(wildcards):
    runs = scaling_runs(wildcards.study)
    net = _scaling.study_network(config, wildcards.study)
    return {"summaries": [f"results/sims/{r['name']}/stats/summary.csv" for r in runs],
            "runs": [f"results/sims/{r['name']}/run.json" for r in runs],
            "networks": [f"results/sims/{r['name']}/network.h5" for r in runs],
            "network": f"results/networks/{net}/network.h5",
            "fixed_point": f"results/theory/{net}/fixed_point.h5"}


def sim_params(wildcards):
    """The simulation's config entry, without the resource overrides (they change no result) and without
    dc_rates (it acts through the scaled network.h5, rule scale_network)."""
    return {k: v for k, v in sim_entry(wildcards).items() if k not in ("mem_mb", "runtime", "dc_rates")}


def scale_network_input(wildcards):
    sim = sim_entry(wildcards)
    net = sim["network"]
    inputs = {"network": f"results/networks/{net}/network.h5"}
    if sim.get("K_scaling", 1.0) != 1.0:
        src = sim.get("dc_rates") or DC_RATES_MEANFIELD
        if src == DC_RATES_MEANFIELD:
            inputs["rates"] = f"results/theory/{net}/fixed_point.h5"
        else:
            # rates of another simulation of the same network (checked in _check_simulations): a DAG edge
            inputs["rates_summary"] = f"results/sims/{src}/stats/summary.csv"
    return inputs


def replace_rates_file(sim):
    """The rates file of the replaced areas (a DAG input of the simulate rule), None if not needed;
    the network's fixed_point.h5 (replace_rates: meanfield) or another simulation's stats/summary.csv."""
    if sim.get("replace_non_simulated_areas") not in REPLACEMENT_NEEDS_RATES:
        return None
    source = sim.get("replace_rates", "meanfield")
    if source == "meanfield":
        return f"results/theory/{sim['network']}/fixed_point.h5"
    return f"results/sims/{source}/stats/summary.csv"


def simulate_input(wildcards):
    inputs = {"network": f"results/sims/{base_simulation(wildcards.sim)}/network.h5"}
    rates = replace_rates_file(sim_entry(wildcards))
    if rates:
        inputs["replace_rates"] = rates
    return inputs


SUBSET_SIMS = [s for s, e in SIMULATIONS.items() if e.get("areas_simulated")]


def meanfield_subset_input(wildcards):
    sim = SIMULATIONS[wildcards.sim]
    inputs = {"network": f"results/sims/{wildcards.sim}/network.h5",
              "fixed_point": f"results/theory/{sim['network']}/fixed_point.h5"}
    rates = replace_rates_file(sim)
    if rates:
        inputs["replace_rates"] = rates
    return inputs


def _request(wildcards, input):
    """Fitted mem_mb/runtime (cortexflow.simulation.resources), or None before the network exists."""
    try:
        return sim_resources.request(input.network, sim_entry(wildcards))
    except (OSError, KeyError, AttributeError):
        return None


def sim_mem_mb(wildcards, input, attempt):
    sim = sim_entry(wildcards)
    if sim.get("mem_mb"):
        return sim["mem_mb"] * attempt
    req = _request(wildcards, input)
    return (req["mem_mb"] if req else 4000) * attempt


def sim_runtime(wildcards, input, attempt):
    sim = sim_entry(wildcards)
    if sim.get("runtime"):
        return sim["runtime"] * attempt
    req = _request(wildcards, input)
    return (req["runtime"] if req else 60) * attempt


def sim_launcher(wildcards, resources):
    """'' for one process; '{resources.mpi} -n {resources.tasks}' for several MPI ranks."""
    if sim_entry(wildcards).get("mpi_ranks", 1) > 1:
        return f"{resources.mpi} -n {resources.tasks}"
    return ""


# --- spike analysis (rules/analysis.smk): settings and input functions -------------------------
import re as _re_analysis

ANALYSIS = config.get("analysis") or {}
ANALYSIS_SIMS = config.get("simulations") or {}
ANALYSIS_SIM_NAMES = "|".join(_re_analysis.escape(s) for s in ANALYSIS_SIMS) or "NO_SIMULATION"


def _sim_model(sim):
    net = ANALYSIS_SIMS[sim].get("network")
    return (config.get("networks", {}).get(net) or {}).get("model")


MAM_SIMS = [s for s in ANALYSIS_SIMS if _sim_model(s) == "mam"]
SPIKE_STAT_KEYS = ("t_min", "t_max", "bin_ms", "cc_subsample", "cc_pairs_stored", "seed", "lvr_R", "cv_min_isis")


def analysis_outputs(sims=None):
    """Every analysis output of the given simulations (default: all of config["simulations"])."""
    sims = list(ANALYSIS_SIMS) if sims is None else sims
    out = []
    for sim in sims:
        stats = f"results/sims/{sim}/stats"
        out += [f"{stats}/summary.csv", f"{stats}/spectra.h5"]
        if sim in MAM_SIMS:
            out += [f"{stats}/area_signals.h5", f"{stats}/temporal_hierarchy.csv"]
    return out


# --- structure figures (rules/figures_structure.smk): settings and input functions -------------
from cortexflow.areas import AREAS as _AREAS

FIG_STRUCT = config["figures"]["structure"]
BSF_DIR = "figures/schmidt2018_bsf"
PD14_DIR = "figures/potjans2014"
STRUCTURE_CATEGORY = "Schmidt 2018 BSF: structure"


def _structure_network(key, model):
    """Name of the network that figures.structure.<key> selects, checked before any job runs."""
    name = FIG_STRUCT[key]
    if name not in config["networks"]:
        raise ValueError(f"figures.structure.{key}: {name!r} is not a network of config `networks`")
    if config["networks"][name]["model"] != model:
        raise ValueError(f"figures.structure.{key}: network {name!r} has model "
                         f"{config['networks'][name]['model']!r}, expected {model!r}")
    return name


STRUCT_NET = _structure_network("network", "mam")
PD14_NET = _structure_network("pd14_network", "pd14")
_unknown = [a for a in FIG_STRUCT["connectivity_measures"]["zoom_areas"] if a not in _AREAS]
if _unknown:
    raise ValueError(f"figures.structure.connectivity_measures.zoom_areas: unknown areas {_unknown}")


def _figure_outputs(directory, name, caption=None, category=STRUCTURE_CATEGORY):
    """PDF and PNG; the PNG goes into the Snakemake report with report/captions/<caption or name>.rst."""
    return {"pdf": f"{directory}/{name}.pdf",
            "png": report(f"{directory}/{name}.png", caption=f"../report/captions/{caption or name}.rst",
                          category=category)}
