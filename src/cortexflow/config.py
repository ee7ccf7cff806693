"""Configuration checks with one clear message per problem, naming the key (JSON Schema, draft 2020-12).

Snakemake's ``validate`` (rules/common.smk) is the gate; this module turns its verdict into messages like
``networks.mam.surface: -1 is less than or equal to the minimum of 0``.
"""
from __future__ import annotations

import contextlib
import sys
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


def check_config(config: dict, schema_path: str | Path, manifest: str | Path | None = None) -> None:
    """Raise ConfigError listing every problem (key path + reason): schema violations, then the cross-key
    rules (``cross_key_errors``) of a schema-valid config. ``manifest``: the raw-data manifest (default
    ``data/raw/sources.yaml`` of the workflow that holds ``config/schema.yaml``)."""
    schema = load_schema(schema_path)
    errors = config_errors(config, schema)
    if not errors:
        if manifest is None:
            manifest = Path(schema_path).resolve().parents[1] / "data/raw/sources.yaml"
        errors = cross_key_errors(config, schema, manifest)
    if errors:
        raise ConfigError("\n".join(f"error: config {e}" for e in errors))


# --- cross-key checks at parse time (issue 17): errors the plan can find, for every target ------------------

def _filled(config: dict, schema: dict) -> dict:
    """A deep copy of ``config`` with the schema's defaults filled in (as Snakemake's ``validate`` does)."""
    import copy

    def fill(value, node):
        if not isinstance(node, dict):
            return value
        if isinstance(value, dict):
            for key, sub in (node.get("properties") or {}).items():
                if key not in value and isinstance(sub, dict) and "default" in sub:
                    value[key] = copy.deepcopy(sub["default"])
                if key in value:
                    value[key] = fill(value[key], sub)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                for key in value:
                    if key not in (node.get("properties") or {}):
                        value[key] = fill(value[key], extra)
        return value

    return fill(copy.deepcopy(config), schema)


def _manifest_files(manifest: Path) -> set[str] | None:
    if not manifest.is_file():
        return None
    return set((yaml.safe_load(manifest.read_text()) or {}).get("files") or {})


def raw_file_errors(config: dict, manifest: Path, root: str | Path = ".") -> list[str]:
    """Data file names in config that are neither in the raw manifest nor declared user files
    (``raw_data.user_files``, in data/user/ with their sha256), e.g. ``networks.<net>.K_stable``; and declared
    user files that are missing or differ from their sha256."""
    from cortexflow.rawdata import user_file_error

    files = _manifest_files(manifest)
    if files is None:
        return []
    user = (config.get("raw_data") or {}).get("user_files") or {}
    errors = []
    clash = sorted(set(user) & files)
    if clash:
        errors.append(f"raw_data.user_files: {clash} are names of upstream raw files; give modified data a new name")
    for net, entry in (config.get("networks") or {}).items():
        name = (entry or {}).get("K_stable")
        if name and name not in files and name not in user:
            errors.append(f"networks.{net}.K_stable: {name!r} is neither a raw-data file of {manifest.name} "
                          f"(data/raw/; e.g. K_prime_original.npy) nor declared in raw_data.user_files; or null "
                          f"for the data-derived indegrees")
    for name, sha in user.items():
        line = user_file_error(name, sha, root)
        if line:
            errors.append(line.removeprefix("error: "))
    return errors


def _sim_params_defaults(model: str) -> dict:
    if model == "mam":
        from cortexflow.structure.mam_params import DEFAULTS
        return DEFAULTS
    if model == "pd14":
        from cortexflow.structure.pd14_params import pd14_params
        return pd14_params()
    return {}


def simulation_errors(config: dict) -> list[str]:
    """Simulation settings that would fail only after NEST has started: recorded areas outside the simulated
    ones, initial potentials that neither the simulation nor the network's model gives."""
    errors = []
    networks = config.get("networks") or {}
    for name, sim in (config.get("simulations") or {}).items():
        simulated, recorded = sim.get("areas_simulated"), sim.get("areas_recorded")
        if simulated and recorded:
            outside = [a for a in recorded if a not in simulated]
            if outside:
                errors.append(f"simulations.{name}.areas_recorded: {outside} not among areas_simulated "
                              f"{list(simulated)}; record only simulated areas")
        net = networks.get(sim.get("network"))
        if net is None:
            continue
        params = {**_sim_params_defaults(net.get("model")), **net}
        for key in ("V0_mean", "V0_sd"):
            if sim.get(key) is None and params.get(key) is None:
                errors.append(f"simulations.{name}.{key}: not set, and network {sim['network']!r} "
                              f"(model {net.get('model')}) has no default; give the initial membrane potential "
                              f"{'mean' if key == 'V0_mean' else 'SD'} in mV (scalar or one per population)")
    return errors


def window_errors(config: dict) -> list[str]:
    """Analysis and figure time windows that would be empty for the simulations they apply to."""
    errors = []
    sims = config.get("simulations") or {}
    analysis = config.get("analysis") or {}
    t_min, t_max = analysis.get("t_min", 500.0), analysis.get("t_max")
    if t_max is not None and t_max <= t_min:
        errors.append(f"analysis.t_max: {t_max} ms is not after analysis.t_min ({t_min} ms)")
    for name, sim in sims.items():
        t_sim = sim.get("t_sim")
        if t_sim is None:
            continue
        if t_min >= t_sim:
            errors.append(f"analysis.t_min: {t_min} ms is not before the end of simulation {name} "
                          f"(simulations.{name}.t_sim = {t_sim} ms); lower analysis.t_min or raise t_sim")
    dynamics = ((config.get("figures") or {}).get("dynamics") or {})
    for fig, opts in dynamics.items():
        if not isinstance(opts, dict) or "window_ms" not in opts:
            continue
        t0, t1 = opts["window_ms"]
        if t0 >= t1:
            errors.append(f"figures.dynamics.{fig}.window_ms: [{t0}, {t1}] is empty or reversed; "
                          f"give [t0, t1] with t0 < t1 (ms of recorded time)")
            continue
        sim = sims.get(opts.get("simulation"))
        if sim and sim.get("t_sim") is not None and t0 >= sim["t_sim"]:
            errors.append(f"figures.dynamics.{fig}.window_ms: starts at {t0} ms, after the end of simulation "
                          f"{opts['simulation']} (t_sim = {sim['t_sim']} ms)")
    return errors


def cross_key_errors(config: dict, schema: dict, manifest: str | Path | None = None) -> list[str]:
    """Every cross-key problem of a schema-valid config (defaults filled in), as 'key.path: message'."""
    full = _filled(config, schema)
    errors = []
    if manifest is not None:
        errors += raw_file_errors(full, Path(manifest))
    errors += simulation_errors(full)
    errors += window_errors(full)
    return errors


# --- one line per error at parse time -------------------------------------------------------------------------

def error_lines(err: BaseException) -> list[str]:
    """The ``error: ...`` lines of a parse-time error (a ConfigError holds one per problem)."""
    text = str(err).strip() or type(err).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if all(line.startswith("error:") for line in lines):
        return lines
    return ["error: " + "; ".join(lines).removeprefix("error: ")]


@contextlib.contextmanager
def one_line_errors():
    """Wrap the parse-time checks of the workflow (rules/common.smk): a failed check prints its ``error:``
    lines to stderr and stops with exit status 1, without Snakemake's traceback-like report."""
    try:
        yield
    except Exception as err:  # ConfigError, ValueError of a cross-key check, Snakemake's WorkflowError
        for line in error_lines(err):
            print(line, file=sys.stderr, flush=True)
        raise SystemExit(1) from None


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
        if sim.get("thalamic_input") and sim.get("th_pulses", 1) > 1:
            stim = config["analysis"]["stimulus"]
            if sim["th_interval"] < stim["pre_ms"] + stim["post_ms"]:
                raise ValueError(f"config simulations.{name}.th_interval: {sim['th_interval']:g} ms is shorter than "
                                 f"analysis.stimulus.pre_ms + post_ms = {stim['pre_ms'] + stim['post_ms']:g} ms, so "
                                 f"the response window of one pulse would overlap the next; lengthen th_interval or "
                                 f"shorten the windows")
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
