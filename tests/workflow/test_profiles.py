# SPDX-License-Identifier: GPL-3.0-or-later
"""Snakemake profiles: the settings that a run really uses, and how many sbatch jobs the slurm profile submits.

Snakemake applies the workflow profile profiles/default LAST, after every --profile of the command line, so an
entry there would silently override profiles/slurm (observed: keep-going False, latency-wait 5, cores 2 under
--profile profiles/slurm). These tests resolve the settings with Snakemake's own argument parser."""
import json
import re
import subprocess
import sys

import pytest
import yaml

from tests.support.workspace import ROOT, copy_project, snakemake

RESOLVE = """
import json, sys
from snakemake.cli import parse_args
parser, a = parse_args(sys.argv[1:])
print(json.dumps({k: getattr(a, k) for k in ("cores", "keep_going", "latency_wait", "executor", "jobs",
                  "rerun_incomplete", "printshellcmds", "groups", "group_components", "default_resources")},
                 default=str))
"""


def resolved(*argv: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", RESOLVE, *argv], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def profile(name: str) -> dict:
    return yaml.safe_load((ROOT / "profiles" / name / "config.yaml").read_text())


def test_default_profile_shadows_no_setting_of_another_profile():
    default = profile("default")
    for other in ("slurm", "local", "slurm-2x64"):
        for key, value in profile(other).items():
            assert key not in default or default[key] == value, f"profiles/default sets {key}={default[key]!r}, " \
                f"which would override {key}={value!r} of profiles/{other}"


def test_slurm_profile_settings_are_the_ones_used():
    s = resolved("--profile", "profiles/slurm", "-n")
    assert s["executor"] == "slurm" and s["jobs"] == 50
    assert s["keep_going"] is True and s["latency_wait"] == 60 and s["rerun_incomplete"] is True
    assert s["cores"] is None  # no local core cap: threads of a job become its --cpus-per-task
    assert "simulate" not in s["groups"] and s["groups"]["figure_s17"] == "figures"
    assert s["group_components"]["figures"] == 100


def test_local_profile_and_plain_run():
    s = resolved("--profile", "profiles/local", "-n")
    assert (s["cores"], s["keep_going"], s["latency_wait"], s["executor"]) == (2, False, 5, None)
    plain = resolved("-n")  # profiles/default alone
    assert plain["printshellcmds"] is True and plain["rerun_incomplete"] is True and not plain["groups"]


def sbatch_jobs(dry_run: str, localrules: set[str]) -> tuple[int, dict[str, int]]:
    """Number of sbatch submissions in the output of `snakemake --profile profiles/slurm -n`: one per group job
    and one per job outside a group, except local rules and rules without an action."""
    n_groups = len(re.findall(r"^\[.*\] Group job \w+", dry_run, re.M))
    alone = {}
    # a job prints "rule <name>:" or, with a message: (which starts with the rule name), "Job <n>: <message>";
    # jobs inside a group are indented
    for rule in re.findall(r"^(?:rule (\w+):|Job \d+: (\w+))", dry_run, re.M):
        rule = rule[0] or rule[1]
        if rule not in localrules:
            alone[rule] = alone.get(rule, 0) + 1
    return n_groups + sum(alone.values()), alone


def local_rules() -> set[str]:
    """Rules with `localrule: True` and rules that run nothing (aggregates like all, simulate_all)."""
    out = set()
    for path in [ROOT / "Snakefile", *sorted((ROOT / "rules").glob("*.smk"))]:
        for m in re.finditer(r"^rule (\w+):\n((?:[ \t]+.*\n|\n)*)", path.read_text(), re.M):
            body = m.group(2)
            if "localrule: True" in body or not any(k in body for k in ("script:", "shell:", "run:")):
                out.add(m.group(1))
    return out


@pytest.mark.slow
def test_slurm_profile_packs_short_jobs_into_few_sbatch_jobs(tmp_path):
    """Default DAG on a fresh workspace: 87 sbatch jobs without the groups of profiles/slurm, 11 with them
    (docs/benchmarks.md "SLURM jobs")."""
    project = copy_project(tmp_path / "p")
    grouped = snakemake(project, "--profile", "profiles/slurm", "-n").stdout
    no_groups = tmp_path / "nogroups"
    no_groups.mkdir()
    spec = {k: v for k, v in profile("slurm").items() if k not in ("groups", "group-components")}
    (no_groups / "config.yaml").write_text(yaml.safe_dump(spec))
    plain = snakemake(project, "--profile", str(no_groups), "-n").stdout
    local = local_rules()
    n_plain, alone_plain = sbatch_jobs(plain, local)
    n_grouped, alone_grouped = sbatch_jobs(grouped, local)
    print(f"sbatch jobs of the default DAG: {n_plain} without groups, {n_grouped} with the groups")
    print(f"jobs outside a group: {alone_grouped}")
    # every job of the rules listed in the profile's groups is packed; simulations stay one job each
    grouped_rules = set(profile("slurm")["groups"] and [g.split("=")[0] for g in profile("slurm")["groups"]])
    assert not grouped_rules & set(alone_grouped), alone_grouped
    assert alone_grouped["simulate"] == alone_plain["simulate"]
    assert n_plain >= 50 and n_plain == sum(alone_plain.values())
    assert n_plain - n_grouped >= 40
    assert n_grouped - sum(alone_grouped.values()) == 4   # one job each: prepare, theory_extra, analysis, figures
