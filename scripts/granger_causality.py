"""Rule granger_causality: rate series + simulated network -> conditional Granger causality per target."""
import logging

from cortexflow.analysis.granger import write_granger
from cortexflow.provenance import tracked

with tracked(snakemake):
    table = write_granger(snakemake.input.rate_series, snakemake.input.network, snakemake.output[0],
                          snakemake.params.options)
    logging.info("granger causality of %s: %d target-source pairs, %d significant, %d not fitted",
                 snakemake.input.rate_series, len(table), int(table["significant"].sum()),
                 int(table["gc"].isna().sum()))
