# SPDX-License-Identifier: GPL-3.0-or-later
"""Verdicts of the multi-seed validation (results/validation/{sim}/report.csv of rule validation_report),
read back so that they are seen: one line per simulation, a strict switch and an HTML summary.

A population **passes** when every judged row of it (``passed`` True/False: the statistics with a
reference, i.e. the rates, per metric) passes, i.e. median(run-to-reference) ≤ max(seed-to-seed)
(docs/analysis.md "Validation"). Rows without a reference (``passed`` empty) are not judged.

Used by rule validation_verdict (strict switch ``validation_strict``, ``--config validation_strict=1``: fail on
any failed population), by the validation figure (its title) and, after ``make all``, as

    python -m cortexflow.analysis.verdicts [--strict] [--configfile config/config.yaml] [report.csv ...]

which prints ``validation pd14: 5/8 populations pass (failed: 23E rates ks+wasserstein, ...)`` per report.
"""
from __future__ import annotations

import argparse
import glob
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class Verdict:
    simulation: str
    populations: list[str]
    failed: dict[str, list[str]] = field(default_factory=dict)  # population -> ["rates ks", ...]

    @property
    def n_passed(self) -> int:
        return len(self.populations) - len(self.failed)

    @property
    def passed(self) -> bool:
        return not self.failed

    def failed_text(self) -> str:
        """'23E rates ks+wasserstein, 4E rates ks' (statistic, then the failed metrics)."""
        out = []
        for pop, tests in self.failed.items():
            by_stat: dict[str, list[str]] = {}
            for t in tests:
                stat, metric = t.split(" ", 1)
                by_stat.setdefault(stat, []).append(metric)
            out.append(f"{pop} " + " ".join(f"{s} {'+'.join(m)}" for s, m in by_stat.items()))
        return ", ".join(out)

    def line(self) -> str:
        head = f"validation {self.simulation}: {self.n_passed}/{len(self.populations)} populations pass"
        return head + (f" (failed: {self.failed_text()})" if self.failed else "")


def _judged(value):
    """True/False for a judged row (bool or the strings 'True'/'False' of the CSV), None otherwise."""
    s = str(value).strip()
    return {"True": True, "False": False}.get(s)


def verdict(report: pd.DataFrame, simulation: str) -> Verdict:
    """Verdict of one report table (columns population, statistic, metric, passed)."""
    pops = [p for p in dict.fromkeys(report["population"].astype(str))]
    judged = [p for p in pops
              if any(_judged(v) is not None for v in report.loc[report["population"].astype(str) == p, "passed"])]
    failed: dict[str, list[str]] = {}
    for _, r in report.iterrows():
        if _judged(r["passed"]) is False:
            failed.setdefault(str(r["population"]), []).append(f"{r['statistic']} {r['metric']}")
    return Verdict(simulation, judged, failed)


def read_verdict(path, simulation: str | None = None) -> Verdict:
    """Verdict of ``results/validation/{sim}/report.csv`` (simulation name: the folder below results/validation)."""
    path = Path(path)
    if simulation is None:
        parts = path.parent.parts
        simulation = "/".join(parts[parts.index("validation") + 1:]) if "validation" in parts else path.parent.name
    return verdict(pd.read_csv(path, comment="#"), simulation)


def strict_message(verdicts: list[Verdict]) -> str | None:
    """One line naming every failed population, or None when all pass."""
    bad = [v for v in verdicts if v.failed]
    if not bad:
        return None
    return ("validation_strict: failed populations: "
            + "; ".join(f"{v.simulation}: {', '.join(v.failed)}" for v in bad)
            + " (" + ", ".join(f"results/validation/{v.simulation}/report.csv" for v in bad) + ")")


def check_strict(verdicts: list[Verdict]) -> None:
    """Raise ``ValidationFailed`` (one line) if any population of any verdict failed."""
    msg = strict_message(verdicts)
    if msg:
        raise ValidationFailed(msg)


class ValidationFailed(RuntimeError):
    """A population failed the validation under ``validation_strict``."""


def verdict_html(v: Verdict, report: pd.DataFrame | None = None) -> str:
    """Small HTML page for the Snakemake report: the verdict line and the judged rows."""
    colour = "#1b7837" if v.passed else "#b2182b"
    rows = ""
    if report is not None:
        judged = report[[(_judged(x) is not None) for x in report["passed"]]]
        cols = [c for c in ("population", "statistic", "metric", "ensemble_mean", "reference_mean",
                            "model_to_reference_median", "seed_to_seed_max", "passed") if c in judged.columns]
        rows = judged[cols].to_html(index=False, float_format=lambda x: f"{x:.4g}", border=0)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(v.simulation)}</title></head>"
            f"<body style='font-family:sans-serif;font-size:13px'>"
            f"<p style='color:{colour};font-weight:bold'>{html.escape(v.line())}</p>{rows}</body></html>\n")


def _configured_reports(configfiles: list[str]) -> list[tuple[str, Path]]:
    import yaml

    config: dict = {}
    for cf in configfiles:
        with open(cf) as f:
            part = yaml.safe_load(f) or {}
        for k, val in part.items():
            config[k] = {**config[k], **val} if isinstance(val, dict) and isinstance(config.get(k), dict) else val
    sims = (config.get("validation") or {}).get("simulations") or []
    return [(s, Path("results/validation") / s / "report.csv") for s in sims]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cortexflow.analysis.verdicts",
                                 description="print one validation verdict line per report.csv")
    ap.add_argument("reports", nargs="*", help="report.csv files (default: those of --configfile, else "
                                               "results/validation/*/report.csv)")
    ap.add_argument("--configfile", action="append", default=[],
                    help="config file(s): report the simulations of validation.simulations")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any population failed")
    args = ap.parse_args(argv)
    if args.reports:
        items = [(None, Path(p)) for p in args.reports]
    elif args.configfile:
        items = _configured_reports(args.configfile)
    else:
        items = [(None, Path(p)) for p in sorted(glob.glob("results/validation/*/report.csv"))]
    if not items:
        print("validation: no report (results/validation/*/report.csv)")
    verdicts = []
    for sim, path in items:
        if not path.is_file():
            print(f"validation {sim or path.parent.name}: no report ({path} missing)")
            continue
        v = read_verdict(path, sim)
        verdicts.append(v)
        print(v.line())
    msg = strict_message(verdicts)
    if args.strict and msg:
        print(msg, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
