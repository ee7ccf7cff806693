# SPDX-License-Identifier: GPL-3.0-or-later
"""Rules scale_network / simulate: bad simulation configs stop the workflow at parse time (dry runs)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")

pytestmark = pytest.mark.workflow

# pd14 networks carry no initial potentials: a pd14 simulation gives them (checked when the workflow is parsed)
BASE = {"network": "pd14", "N_scaling": 0.05, "K_scaling": 0.05, "t_sim": 1000.0, "threads": 2,
        "V0_mean": -58.0, "V0_sd": 10.0}


def dry_run(tmp_path, sim: dict, target="simulate_all"):
    cfg = tmp_path / "sim.yaml"
    cfg.write_text(yaml.safe_dump({"simulations": {"t1": sim}}))
    return subprocess.run([str(SNAKEMAKE), target, "-n", "--nolock", "--cores", "2", "--configfile", str(cfg)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(autouse=True)
def _need_snakemake():
    if not SNAKEMAKE.exists():
        pytest.skip("snakemake not installed next to this Python")


@pytest.mark.parametrize("change,message", [
    ({"K_scaling": 0.0}, "K_scaling"),
    ({"N_scaling": 1.5}, "N_scaling"),
    ({"t_sim": 400.0}, "t_sim"),
    ({"t_sim": -1.0}, "t_sim"),
    ({"threads": 0}, "threads"),
    ({"seed": 0}, "seed"),
    ({"recorded_fraction": -0.5}, "recorded_fraction"),
    ({"drive": "noise"}, "drive"),
    ({"unknown_key": 1}, "unknown_key"),
])
def test_schema_rejects(change, message):
    """config/schema.yaml: scale <= 0 or > 1, t_sim <= 500 ms, threads < 1, ... (no workflow needed)."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(cfg, str(ROOT / "config/schema.yaml"))
    cfg["simulations"] = {"t1": dict(BASE, **change)}
    with pytest.raises(WorkflowError, match=message):
        validate(cfg, str(ROOT / "config/schema.yaml"))


@pytest.mark.parametrize("change,message", [
    ({"t_sim": 400.0}, "t_sim"),
    ({"network": "nonexistent"}, "unknown network 'nonexistent'"),
    ({"network": "mam-published", "areas_simulated": ["V1", "V99"]}, "unknown area(s) ['V99']"),
    ({"areas_simulated": ["V1"]}, "only mam networks have areas"),
])
def test_bad_simulation_config_rejected(tmp_path, change, message):
    res = dry_run(tmp_path, dict(BASE, **change))
    assert res.returncode != 0
    assert message in res.stdout + res.stderr


def test_dry_run_plans_scale_and_simulate(tmp_path):
    """A valid simulation plans scale_network (reading the mean-field rates) and simulate."""
    res = dry_run(tmp_path, BASE, target="results/sims/t1/run.json")
    out = res.stdout + res.stderr
    if res.returncode != 0 and "MissingRuleException" not in out and "fixed_point.h5" in out:
        pytest.skip("the theory rule (results/theory/{net}/fixed_point.h5) is not in the workflow yet")
    assert res.returncode == 0, out[-3000:]
    assert re.search(r"(rule |Job \d+: )scale_network", out) and re.search(r"(rule |Job \d+: )simulate", out)
    assert "results/theory/pd14/fixed_point.h5" in out


def dry_run_sims(tmp_path, sims: dict, target):
    cfg = tmp_path / "sims.yaml"
    cfg.write_text(yaml.safe_dump({"simulations": sims}))
    return subprocess.run([str(SNAKEMAKE), target, "-n", "--nolock", "--cores", "2", "--configfile", str(cfg)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_dc_rates_from_simulation_is_a_dag_edge(tmp_path):
    """dc_rates: <sim> makes scale_network read that simulation's stats/summary.csv (no mean field)."""
    full = dict(BASE, N_scaling=1.0, K_scaling=1.0)
    res = dry_run_sims(tmp_path, {"full": full, "t1": dict(BASE, dc_rates="full")}, "results/sims/t1/network.h5")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    assert "results/sims/full/stats/summary.csv" in out and re.search(r"(rule |Job \d+: )spike_statistics", out)
    assert "results/theory/pd14/fixed_point.h5" not in out


@pytest.mark.parametrize("dc_rates,message", [
    ("t1", "from itself"),
    ("nonexistent", "'nonexistent' is neither 'meanfield' nor a simulation"),
    ("m", "the rates must come from the same network"),
])
def test_dc_rates_rejected_at_plan_time(tmp_path, dc_rates, message):
    sims = {"t1": dict(BASE, dc_rates=dc_rates), "m": dict(BASE, network="mam-published", K_scaling=1.0)}
    res = dry_run_sims(tmp_path, sims, "results/sims/t1/network.h5")
    assert res.returncode != 0
    assert message in res.stdout + res.stderr
