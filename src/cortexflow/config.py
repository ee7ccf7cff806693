"""Configuration checks with one clear message per problem, naming the key (JSON Schema, draft 2020-12).

Snakemake's ``validate`` (rules/common.smk) is the gate; this module turns its verdict into messages like
``networks.mam.surface: -1 is less than or equal to the minimum of 0``.
"""
from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml


class ConfigError(ValueError):
    """The configuration violates config/schema.yaml or a cross-key rule."""


def load_schema(path: str | Path) -> dict:
    return yaml.safe_load(Path(path).read_text())


def _key(error: jsonschema.ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - allowed)
        parts.append(extra[0] if extra else "?")
        return ".".join(parts) + " (unknown key)"
    return ".".join(parts) or "<top level>"


def config_errors(config: dict, schema: dict) -> list[str]:
    """Every schema violation as 'key.path: message', the deepest (most specific) errors only."""
    validator = jsonschema.Draft202012Validator(schema)
    messages = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        leaves = [error]
        while any(leaf.context for leaf in leaves):  # descend into allOf/if-then to the real cause
            leaves = [c for leaf in leaves for c in (leaf.context or [leaf])]
        for leaf in leaves:
            messages.append(f"{_key(leaf)}: {leaf.message}")
    return list(dict.fromkeys(messages))


def check_config(config: dict, schema_path: str | Path) -> None:
    """Raise ConfigError listing every problem (key path + reason)."""
    errors = config_errors(config, load_schema(schema_path))
    if errors:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(errors))


# --- cross-key checks of the workflow (rules/common.smk calls check_workflow after validate) -----------------

def check_simulations(config: dict) -> None:
    """Names, networks and areas of every simulation (and scale-study run), checked when the workflow is parsed."""
    from cortexflow.areas import AREAS
    from cortexflow.simulation.config import REPLACEMENT_NEEDS_RATES, SimConfig, check_dc_rates
    from cortexflow.workflow.simulations import RESOURCE_KEYS, run_simulations, simulations

    configured = simulations(config)
    for name, sim in run_simulations(config).items():
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
        SimConfig.from_dict({k: v for k, v in sim.items() if k not in RESOURCE_KEYS})
        source = sim.get("replace_rates", "meanfield")
        if sim.get("replace_non_simulated_areas") in REPLACEMENT_NEEDS_RATES and source != "meanfield":
            if source == name or source not in configured:
                raise ValueError(f"config simulations.{name}.replace_rates: {source!r} must be 'meanfield' or "
                                 f"another simulation of `simulations` ({sorted(set(configured) - {name})})")
            if configured[source]["network"] != sim["network"]:
                raise ValueError(f"config simulations.{name}.replace_rates: simulation {source!r} runs network "
                                 f"{configured[source]['network']!r}, not {sim['network']!r}")
        check_dc_rates(name, {**configured, name: sim})


def check_structure_figures(config: dict) -> None:
    """figures.structure: network (a mam network), pd14_network (a pd14 one), connectivity_measures.zoom_areas."""
    from cortexflow.areas import AREAS

    opts = config["figures"]["structure"]
    for key, model in (("network", "mam"), ("pd14_network", "pd14")):
        name = opts[key]
        if name not in config["networks"]:
            raise ValueError(f"figures.structure.{key}: {name!r} is not a network of config `networks`")
        if config["networks"][name]["model"] != model:
            raise ValueError(f"figures.structure.{key}: network {name!r} has model "
                             f"{config['networks'][name]['model']!r}, expected {model!r}")
    unknown = [a for a in opts["connectivity_measures"]["zoom_areas"] if a not in AREAS]
    if unknown:
        raise ValueError(f"figures.structure.connectivity_measures.zoom_areas: unknown areas {unknown}")


def check_dynamics_figures(config: dict) -> None:
    """Stop with one message naming the key if a dynamics figure names a configured simulation of the wrong
    model or an unknown area, or if validation names an unknown simulation."""
    from cortexflow.areas import AREAS
    from cortexflow.workflow.figures import DYNAMICS_SIM_KEYS, PAPER_DIRS, dynamics_simulations
    from cortexflow.workflow.simulations import sim_model

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


def check_stabilisation(config: dict) -> None:
    """theory.stabilisation.networks: mam networks of `networks`, whose '<name>-stable' is not taken."""
    from cortexflow.workflow.settings import stabilised_networks

    for name in stabilised_networks(config):
        if name not in config["networks"] or config["networks"][name]["model"] != "mam":
            raise ValueError(f"theory.stabilisation.networks: {name!r} is not a mam network of config `networks`")
        if f"{name}-stable" in config["networks"]:
            raise ValueError(f"networks.{name}-stable: the name is reserved for the output of rule stabilise")


def check_workflow(config: dict) -> None:
    """Every cross-key check of the workflow, in the order the stages run (after ``validate`` filled defaults)."""
    from cortexflow.workflow.settings import data_dependence_networks

    check_simulations(config)
    check_stabilisation(config)
    check_structure_figures(config)
    check_dynamics_figures(config)
    data_dependence_networks(config)  # data_dependence.network: a mam network with data-derived indegrees
