# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule figure_package_comparison: package_comparison.csv -> figures/validation/{sim}_package.pdf|png."""
import pandas as pd

from cortexflow.plotting.figure_rule import run_figure_rule


def package_comparison(inp, opts, prov):
    from cortexflow.plotting.package import package_comparison_figure
    table = pd.read_csv(inp.csv, comment="#")
    prov.notes["passed"] = int(table["passed"].sum())
    prov.notes["compared"] = int(len(table))
    return package_comparison_figure(table, f"{snakemake.wildcards.sim} vs the PD14 package (microcircuit 1.0), seeds "
                                            f"{', '.join(map(str, snakemake.params.seeds))} each\n"
                                            f"{snakemake.params.scale}")


run_figure_rule(snakemake, {"package_comparison": package_comparison}, "figures.dynamics")
