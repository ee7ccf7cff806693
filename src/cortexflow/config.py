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
