"""Per-rule conda environments: every rule names one, the files parse, and their pins agree with the lock."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
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
        runs = re.search(r"^\s+(script|shell|run|notebook|wrapper):", body, re.M)
        if name in AGGREGATES or ("input:" in body and not runs):
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


# --- conda envs that can solve and run (issue #16): checked here because conda-forge cannot be reached ---
ENVS = sorted((ROOT / "envs").glob("*.yaml"))
# nest-simulator versions the conda-forge feedstock carries (github.com/conda-forge/nest-simulator-feedstock,
# recipe/meta.yaml history: ... 3.8, 3.9, 3.10_rc1, 3.10_rc2), all built WITHOUT MPI (no mpi_* variant since 2021)
CONDA_FORGE_NEST = {"3.6", "3.7_rc1", "3.8", "3.9", "3.10_rc1", "3.10_rc2"}


def conda_and_pip(path: Path) -> tuple[list[str], list[str]]:
    spec = yaml.safe_load(path.read_text())
    conda = [d for d in spec["dependencies"] if isinstance(d, str)]
    pip = [e for d in spec["dependencies"] if isinstance(d, dict) for e in d.get("pip", [])]
    return conda, pip


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_env_can_solve_and_carries_what_its_rules_need(env):
    conda, pip = conda_and_pip(env)
    spec = yaml.safe_load(env.read_text())
    assert spec["channels"] == ["conda-forge", "nodefaults"]
    for entry in pip:  # only pinned PyPI names: no `-e ../` (resolves under .snakemake/conda/), no paths or URLs
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^\s]*", entry), f"{env.name}: pip entry {entry!r}"
    for entry in conda:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+(=[0-9][^=\s]*)?", entry), f"{env.name}: conda entry {entry!r} " \
            "(no build strings: conda-forge's nest-simulator has no mpi_* builds)"
        name, _, version = entry.partition("=")
        if name == "nest-simulator":
            assert version in CONDA_FORGE_NEST, f"{env.name}: conda-forge has no nest-simulator {version}"
        assert name not in ("mpi4py", "openmpi"), f"{env.name}: MPI from conda is useless with a NEST without MPI"
    names = {re.split(r"[=<>]", e)[0].lower() for e in conda + pip}
    # every rule script runs inside cortexflow.provenance.tracked: without these, records would be dropped
    assert {"sumatra", "django", "gitpython"} <= names, f"{env.name}: {sorted(names)}"
    deploy = env.with_suffix(".post-deploy.sh")
    assert deploy.is_file() and deploy.stat().st_mode & 0o111, f"{deploy.name} missing or not executable"
    assert deploy.read_text() == (ROOT / "envs/base.post-deploy.sh").read_text()


def test_simulation_env_has_the_locked_nest():
    _, pip = conda_and_pip(ROOT / "envs/simulation.yaml")
    assert f"nest-simulator=={lock_versions()['nest-simulator']}" in pip


def test_post_deploy_script_puts_the_workflow_source_on_the_env_path(tmp_path):
    import subprocess
    import sys
    env = tmp_path / "env with space"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    proc = subprocess.run(["bash", str(ROOT / "envs/base.post-deploy.sh")], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": f"{env}/bin:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    found = subprocess.run([str(env / "bin/python"), "-c", "import cortexflow; print(cortexflow.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.strip()
    assert Path(found) == ROOT / "src/cortexflow/__init__.py"
    elsewhere = subprocess.run(["bash", str(ROOT / "envs/base.post-deploy.sh")], cwd=tmp_path,
                               capture_output=True, text=True, env={"PATH": f"{env}/bin:/usr/bin:/bin"})
    assert elsewhere.returncode != 0 and "not found" in elsewhere.stderr
