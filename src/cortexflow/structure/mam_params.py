"""Parameters of the multi-area model (names as in Schmidt et al. 2018 and the upstream code).

The table of defaults, bounds, units and meanings is ``$defs/mam_network`` of config/schema.yaml, the only
place they are written. The defaults are upstream's 2024 defaults (INM-6/multi-area-model after commit
4ba061e) with one deliberate exception: ``K_stable`` is ``None``, i.e. the default network is the
data-derived one (Schmidt et al. 2018 Brain Struct Funct). Set ``K_stable: K_prime_original.npy`` to load
the stabilised indegrees of Schuecker et al. (2017), as upstream does by default. docs/structure.md lists
them with their sources.
"""
from __future__ import annotations

from cortexflow.config import schema_defaults, section_errors

SCHEMA_POINTER = "$defs/mam_network"

# name -> default value, read from the schema. Flat on purpose: a network's config entry overrides any key.
DEFAULTS: dict = {k: v for k, v in schema_defaults(SCHEMA_POINTER).items() if k != "model"}


def resolve_params(overrides: dict | None = None) -> dict:
    """Defaults updated with ``overrides`` (a network's config entry; ``model`` must be 'mam' if given).

    Raises ValueError naming the key for unknown keys, wrong types or out-of-range values (the schema's
    bounds).
    """
    overrides = dict(overrides or {})
    if overrides.get("model", "mam") != "mam":
        raise ValueError(f"mam parameters: model is {overrides['model']!r}, expected 'mam'")
    params = {**DEFAULTS, **{k: v for k, v in overrides.items() if k != "model"}}
    errors = section_errors({"model": "mam", **params}, SCHEMA_POINTER)
    if errors:
        raise ValueError("mam parameters: " + "; ".join(errors))
    return params
