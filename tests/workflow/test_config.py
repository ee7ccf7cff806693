"""Configuration schema: the default config is valid; unknown keys and wrong types are rejected by name."""
import copy
from pathlib import Path

import pytest
import yaml

from cortexflow.config import ConfigError, check_config, config_errors, load_schema

ROOT = Path(__file__).resolve().parents[2]
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


def test_schema_defaults_and_with_defaults():
    """Library code gets its defaults from the schema: nested sections included, given values win."""
    from cortexflow.config import schema_defaults, with_defaults

    theory = schema_defaults("properties/theory", SCHEMA)
    assert theory["dt"] == 0.01 and theory["seed"] == 123 and theory["stabilisation"]["n_refine"] == 6
    analysis = with_defaults({"t_min": 200.0, "welch": {"nperseg": 64}}, "properties/analysis", SCHEMA)
    assert analysis["t_min"] == 200.0 and analysis["bin_ms"] == 1.0 and analysis["seed"] == 12345
    assert analysis["welch"] == {"nperseg": 64, "noverlap": 128, "window": "hann", "detrend": "constant",
                                 "min_segments": 8}
    assert schema_defaults("$defs/mam_network", SCHEMA)["cc_weights_factor"] == 1.9
