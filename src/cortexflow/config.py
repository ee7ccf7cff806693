"""Configuration checks with one clear message per problem, naming the key (JSON Schema, draft 2020-12).

Snakemake's ``validate`` (rules/common.smk) is the gate; this module turns its verdict into messages like
``networks.mam.surface: -1 is less than or equal to the minimum of 0``.
"""
from __future__ import annotations

import copy
import functools
from pathlib import Path

import jsonschema
import yaml

# The one source of defaults and bounds of every config key (repository checkout; the package is installed
# editable from it). Library code reads defaults through schema_defaults() / with_defaults(), never literals.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "config" / "schema.yaml"


class ConfigError(ValueError):
    """The configuration violates config/schema.yaml or a cross-key rule."""


def load_schema(path: str | Path = SCHEMA_PATH) -> dict:
    return copy.deepcopy(_load_schema(str(Path(path).resolve())))


@functools.lru_cache(maxsize=4)
def _load_schema(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text())


def _subschema(schema: dict, pointer: str) -> dict:
    """The schema at a JSON pointer without the leading '#/' (``properties/theory``, ``$defs/mam_network``)."""
    node = schema
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


def _defaults(node: dict) -> dict:
    """Defaults of an object schema, nested objects included (their own ``default`` merged with theirs)."""
    out = {}
    for key, spec in node.get("properties", {}).items():
        nested = _defaults(spec) if "properties" in spec else {}
        if "default" in spec:
            value = copy.deepcopy(spec["default"])
            out[key] = {**nested, **value} if isinstance(value, dict) else value
        elif nested:
            out[key] = nested
    return out


def schema_defaults(pointer: str = "", schema_path: str | Path = SCHEMA_PATH) -> dict:
    """Every default of the object schema at ``pointer`` of config/schema.yaml, e.g.
    ``schema_defaults("properties/theory")`` -> {"dt": 0.01, ..., "stabilisation": {"kappa_target": 1.2, ...}}
    or ``schema_defaults("$defs/mam_network")`` (the mam parameter table)."""
    return _defaults(_subschema(_load_schema(str(Path(schema_path).resolve())), pointer))


def with_defaults(section: dict | None, pointer: str, schema_path: str | Path = SCHEMA_PATH) -> dict:
    """``section`` (a part of the config) with the schema's defaults filled in where keys are missing, at
    every depth; the values given win. What Snakemake's ``validate`` does to the whole config."""
    def merge(defaults, given):
        out = copy.deepcopy(defaults)
        for key, value in (given or {}).items():
            out[key] = merge(defaults[key], value) if isinstance(value, dict) and isinstance(
                defaults.get(key), dict) else copy.deepcopy(value)
        return out
    return merge(schema_defaults(pointer, schema_path), section)


def section_errors(section: dict, pointer: str, schema_path: str | Path = SCHEMA_PATH) -> list[str]:
    """config_errors() of one part of the config against the schema at ``pointer`` ($refs resolved)."""
    schema = _load_schema(str(Path(schema_path).resolve()))
    return config_errors(section, {"$ref": f"#/{pointer}", "$defs": schema.get("$defs", {}),
                                   "properties": schema.get("properties", {})})


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
        from cortexflow.workflow.sim_extra import network_model

        model = network_model(config, sim["network"])   # a network of `networks` or a stabilised '{net}-stable'
        if model is None:
            raise ValueError(f"config simulations.{name}.network: unknown network {sim['network']!r} "
                             f"(networks: {sorted(config['networks'])}, or '<net>-stable' of "
                             f"theory.stabilisation.networks)")
        if sim.get("thalamic_input") and model != "pd14":
            raise ValueError(f"config simulations.{name}.thalamic_input: the thalamic input applies to pd14 "
                             f"networks only, {sim['network']!r} is {model}")
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
