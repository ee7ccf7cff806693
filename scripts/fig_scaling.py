# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule figure_scaling: results/scaling/{study}/{summary,points}.csv -> figures/scaling/{study}.pdf|png."""
import pandas as pd

from cortexflow.plotting.figure_rule import run_figure_rule


def scaling(inp, opts, prov):
    from cortexflow.plotting.scaling import scaling_figure
    return scaling_figure(pd.read_csv(inp.summary), pd.read_csv(inp.points), snakemake.params.study)


run_figure_rule(snakemake, {"scaling": scaling}, "scaling_study")
