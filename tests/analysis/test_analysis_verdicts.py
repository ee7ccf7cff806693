# SPDX-License-Identifier: GPL-3.0-or-later
"""Validation verdicts that are seen (cortexflow.analysis.verdicts, rule validation_verdict): the verdict
line of a report.csv, the strict switch (fails on a failed population, passes without one) and the lines
printed after `make all`."""
import subprocess
import sys

import pandas as pd
import pytest

from cortexflow.analysis import verdicts
from cortexflow.areas import POPULATIONS
from tests.support.workspace import copy_project, snakemake

HEADER = '# {"simulation": "pd14", "criterion": "median(run-to-reference) <= max(seed-to-seed)"}\n'


def write_report(path, failed: dict[str, list[str]]):
    """report.csv as rule validation_report writes it: rates judged per metric, cv/cc not judged (empty)."""
    rows = []
    for pop in POPULATIONS:
        for stat in ("rates", "cv", "cc"):
            for metric in ("ks", "wasserstein"):
                passed = "" if stat != "rates" else (metric not in failed.get(pop, []))
                rows.append({"population": pop, "statistic": stat, "metric": metric, "n_runs": 3,
                             "ensemble_mean": 1.0, "reference_mean": 1.0 if stat == "rates" else float("nan"),
                             "seed_to_seed_median": 0.01, "seed_to_seed_max": 0.02,
                             "model_to_reference_median": 0.05 if metric in failed.get(pop, []) else 0.01,
                             "passed": passed})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        f.write(HEADER)
        pd.DataFrame(rows).to_csv(f, index=False)
    return path


def test_verdict_line_of_a_report(tmp_path):
    path = write_report(tmp_path / "results/validation/pd14/report.csv", {"23E": ["ks"], "4E": ["ks", "wasserstein"]})
    v = verdicts.read_verdict(path)
    assert v.simulation == "pd14" and v.populations == POPULATIONS and list(v.failed) == ["23E", "4E"]
    assert v.line() == "validation pd14: 6/8 populations pass (failed: 23E rates ks, 4E rates ks+wasserstein)"
    ok = verdicts.read_verdict(write_report(tmp_path / "results/validation/ok/report.csv", {}))
    assert ok.passed and ok.line() == "validation ok: 8/8 populations pass"
    html = verdicts.verdict_html(v, pd.read_csv(path, comment="#"))
    assert v.line() in html and html.count("<td>True</td>") == 13 and html.count("<td>False</td>") == 3  # rates rows


def test_strict_switch_fails_on_a_failed_population_and_passes_without(tmp_path, capsys):
    bad = write_report(tmp_path / "results/validation/pd14/report.csv", {"23E": ["ks"], "6E": ["wasserstein"]})
    good = write_report(tmp_path / "results/validation/pd14-ok/report.csv", {})
    with pytest.raises(verdicts.ValidationFailed, match=r"^validation_strict: failed populations: pd14: 23E, 6E"):
        verdicts.check_strict([verdicts.read_verdict(bad)])
    verdicts.check_strict([verdicts.read_verdict(good)])
    # the command printed after `make all`: never fails unless --strict
    assert verdicts.main([str(bad), str(good)]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["validation pd14: 6/8 populations pass "
                                    "(failed: 23E rates ks, 6E rates wasserstein)",
                                    "validation pd14-ok: 8/8 populations pass"]
    assert verdicts.main(["--strict", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "23E, 6E" in err[0]
    assert verdicts.main(["--strict", str(good)]) == 0


def test_printed_lines_follow_the_config(tmp_path):
    write_report(tmp_path / "results/validation/pd14/report.csv", {"5I": ["ks"]})
    cfg = tmp_path / "c.yaml"
    cfg.write_text("validation:\n  simulations: [pd14, other]\n")
    proc = subprocess.run([sys.executable, "-m", "cortexflow.analysis.verdicts", "--configfile", str(cfg)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["validation pd14: 7/8 populations pass (failed: 5I rates ks)",
                                        "validation other: no report (results/validation/other/report.csv missing)"]


@pytest.mark.workflow
@pytest.mark.slow
def test_rule_validation_verdict_strict(tmp_path):
    """Rule validation_verdict on a given report.csv: the HTML, and a non-zero exit under validation_strict=1."""
    proj = copy_project(tmp_path / "proj")
    write_report(proj / "results/validation/pd14/report.csv", {"23E": ["ks", "wasserstein"]})
    args = ["--cores", "1", "--allowed-rules", "validation_verdict", "--", "results/validation/pd14/verdict.html"]
    snakemake(proj, *args)
    html = (proj / "results/validation/pd14/verdict.html").read_text()
    assert "validation pd14: 7/8 populations pass (failed: 23E rates ks+wasserstein)" in html
    proc = snakemake(proj, "--config", "validation_strict=1", *args, check=False)
    assert proc.returncode != 0
    assert "validation_strict: failed populations: pd14: 23E" in proc.stderr + proc.stdout
    write_report(proj / "results/validation/pd14/report.csv", {})
    snakemake(proj, "--config", "validation_strict=1", *args)
