"""Rule figure_data_dependence: one figure of the data-dependence study from the collected tables
(docs/data_dependence.md), chosen by params.figure; PDF + PNG with provenance metadata."""
import logging

import matplotlib
import pandas as pd

from cortexflow.provenance import tracked

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(message)s")

with tracked(snakemake) as prov:
    from cortexflow.plotting import data_dependence as plots

    name = snakemake.params.figure
    try:
        tables = {key: pd.read_csv(path) for key, path in snakemake.input.items()}
        fig = plots.FIGURES[name](tables, **dict(snakemake.params.kwargs))
        matplotlib.rcParams["savefig.dpi"] = snakemake.params.dpi
        prov.save_figure(fig, [snakemake.output.pdf, snakemake.output.png])
    except Exception:
        logging.exception("figure %s failed", name)
        raise
    logging.info("wrote %s, %s", snakemake.output.pdf, snakemake.output.png)
