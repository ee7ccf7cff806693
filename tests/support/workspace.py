"""Helpers for workflow-level tests: run snakemake on a throw-away copy of the project."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# the raw-data mirror of the tests: $CORTEXFLOW_RAW_MIRROR, else ../shared/data/mam_raw beside the checkout
MIRROR = Path(os.environ.get("CORTEXFLOW_RAW_MIRROR") or ROOT.parent / "shared/data/mam_raw")


def project_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout.split("\n")
    return [f for f in out if f and (ROOT / f).is_file()]


def copy_project(dest: Path) -> Path:
    """Copy the project's source files (what a fresh clone has) into ``dest``."""
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return dest


def snakemake(workdir: Path, *args: str, mirror: Path | None = MIRROR, check: bool = True,
              timeout: float = 1200) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if mirror is not None:
        env["CORTEXFLOW_RAW_MIRROR"] = str(mirror)
    else:
        env.pop("CORTEXFLOW_RAW_MIRROR", None)
    proc = subprocess.run([SNAKEMAKE, *args], cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def planned_jobs(workdir: Path, *targets: str, config: list[str] = ()) -> dict[str, int]:
    """{rule: number of jobs} that ``snakemake -n`` would run."""
    args = ["-n", *targets, "--quiet", "rules"]
    if config:
        args += ["--config", *config]
    out = snakemake(workdir, *args).stdout + "\n"
    jobs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in ("total", "job"):
            jobs[parts[0]] = int(parts[1])
    return jobs
