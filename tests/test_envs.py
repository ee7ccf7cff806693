"""Per-rule conda environments: every rule names one, the files parse, and their pins agree with the lock."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_TO_PIP = {"pyyaml": "pyyaml", "nest-simulator": "nest-simulator"}


def lock_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def env_pins(path: Path) -> dict[str, str]:
    spec = yaml.safe_load(path.read_text())
    pins = {}
    for dep in spec["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(==|=)\s*([0-9][^=\s]*)(=.*)?", entry)
            if m:
                pins[m.group(1).lower()] = m.group(3)
    return pins


@pytest.mark.parametrize("env", sorted((ROOT / "envs").glob("*.yaml")), ids=lambda p: p.name)
def test_env_pins_agree_with_lock(env):
    lock = lock_versions()
    pins = env_pins(env)
    assert "numpy" in pins and "python" in pins
    for name, version in pins.items():
        if name == "python":
            assert version == "3.11"
            continue
        key = CONDA_TO_PIP.get(name, name)
        if key in ("openmpi", "mpi4py"):
            continue
        assert key in lock, f"{env.name}: {name} is pinned but not in requirements.lock"
        assert lock[key] == version, f"{env.name}: {name}={version} but the lock has {lock[key]}"


def rule_blocks():
    """(file, rule name, body) for every rule in the Snakefile and rules/*.smk."""
    for path in [ROOT / "Snakefile", *sorted((ROOT / "rules").glob("*.smk"))]:
        text = path.read_text()
        for m in re.finditer(r"^(?:rule|checkpoint) (\w+):\n((?:[ \t]+.*\n|\n)*)", text, re.M):
            yield path.name, m.group(1), m.group(2)


AGGREGATES = {"all"}


def test_every_rule_has_a_conda_env():
    missing, unknown = [], []
    for fname, name, body in rule_blocks():
        if name in AGGREGATES or ("input:" in body and not any(k in body for k in ("script:", "shell:", "run:"))):
            continue  # aggregate rules run nothing
        m = re.search(r"conda:\s*\n\s*\"([^\"]+)\"", body)
        if not m:
            missing.append(f"{fname}:{name}")
        elif not (ROOT / "rules" / m.group(1)).resolve().is_file():
            unknown.append(f"{fname}:{name} -> {m.group(1)}")
    assert not missing, f"rules without conda env: {missing}"
    assert not unknown, f"rules naming a missing env file: {unknown}"


def test_every_rule_that_runs_has_a_benchmark():
    """Runtimes in the report: every rule that runs a script or command names a benchmark file."""
    missing = [f"{fname}:{name}" for fname, name, body in rule_blocks()
               if any(k in body for k in ("script:", "shell:")) and "benchmark:" not in body]
    assert not missing, f"rules without benchmark: {missing}"
