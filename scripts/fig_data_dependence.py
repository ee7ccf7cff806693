"""Rule figure_data_dependence: one figure of the data-dependence study from the collected tables
(docs/data_dependence.md), chosen by params.figure; PDF + PNG with provenance metadata."""
import pandas as pd

from cortexflow.plotting import data_dependence as plots
from cortexflow.plotting.figure_rule import run_figure_rule

KWARGS = dict(snakemake.params.kwargs)


def draw(inp, opts, prov):
    tables = {key: pd.read_csv(path) for key, path in inp.items()}
    return plots.FIGURES[snakemake.params.figure](tables, **KWARGS)


run_figure_rule(snakemake, {snakemake.params.figure: draw}, "data_dependence.figures",
                options={"dpi": snakemake.params.dpi, **KWARGS})
