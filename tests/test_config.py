"""Configuration schema: the default config is valid; unknown keys and wrong types are rejected by name."""
import copy
from pathlib import Path

import pytest
import yaml

from cortexflow.config import ConfigError, check_config, config_errors, load_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "config/schema.yaml"


@pytest.fixture(scope="module")
def default_config():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_default_config_is_valid(default_config):
    assert config_errors(default_config, load_schema(SCHEMA)) == []


def test_unknown_key_is_named(default_config):
    cfg = copy.deepcopy(default_config)
    cfg["anatomy"]["injection_avg"] = "zero_pad"
    with pytest.raises(ConfigError, match=r"anatomy\.injection_avg \(unknown key\)"):
        check_config(cfg, SCHEMA)
    cfg = copy.deepcopy(default_config)
    cfg["networks"]["mam"]["not_a_parameter"] = 1.0
    with pytest.raises(ConfigError, match=r"networks\.mam\.not_a_parameter \(unknown key\)"):
        check_config(cfg, SCHEMA)


def test_wrong_type_and_value_are_named(default_config):
    cfg = copy.deepcopy(default_config)
    cfg["anatomy"]["sln_fit"] = 3
    with pytest.raises(ConfigError, match=r"anatomy\.sln_fit: 3 is not of type 'object'"):
        check_config(cfg, SCHEMA)
    cfg = copy.deepcopy(default_config)
    cfg["networks"]["mam"]["model"] = "brunel"
    with pytest.raises(ConfigError, match=r"networks\.mam\.model: 'brunel' is not one of"):
        check_config(cfg, SCHEMA)


def test_theory_defaults_of_schema_and_package_agree():
    """The package's defaults (used by scripts and the data-dependence rules) and the schema's defaults
    (filled in by Snakemake's validate) are one set of numbers."""
    from cortexflow.theory.pipeline import DEFAULTS, STAB_DEFAULTS

    theory = load_schema(SCHEMA)["properties"]["theory"]["properties"]
    assert {k: theory[k].get("default") for k in DEFAULTS} == DEFAULTS
    stab = theory["stabilisation"]["properties"]
    assert {k: stab[k].get("default") for k in STAB_DEFAULTS} == STAB_DEFAULTS
