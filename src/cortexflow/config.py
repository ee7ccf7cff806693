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
