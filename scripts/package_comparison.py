# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule package_comparison: distributions.h5 of our seed ensemble and of the PD14 package's ->
results/validation/{sim}/package_comparison.csv (cortexflow.analysis.package_comparison)."""
import logging

from cortexflow.analysis.package_comparison import compare_implementations
from cortexflow.analysis.io import read_distributions
from cortexflow.provenance import tracked

with tracked(snakemake):
    ours = [read_distributions(p) for p in snakemake.input.ours]
    package = [read_distributions(p) for p in snakemake.input.package]
    table = compare_implementations(ours, package, statistics=snakemake.params.statistics)
    table.insert(0, "seeds", " ".join(str(s) for s in snakemake.params.seeds))
    with open(snakemake.output.csv, "w") as f:
        f.write("# ours (runs: " + ", ".join(snakemake.params.runs) + ") vs the PD14 package microcircuit 1.0 "
                "(results/sims/{sim}-pkg/seed{k}); passed: mean KS ours-vs-package <= max package seed-to-seed KS\n")
        table.to_csv(f, index=False, float_format="%.6g")
    bad = table.loc[~table["passed"]]
    failed = [f"{p}/{s}" for p, s in zip(bad["population"], bad["statistic"])]
    logging.info("%d of %d population/statistic pairs within the package's seed-to-seed spread; failed: %s",
                 int(table["passed"].sum()), len(table), failed or "none")
