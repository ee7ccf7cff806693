"""Rule temporal_hierarchy (mam): area rates -> cross-correlation peak lags and the temporal hierarchy."""
import logging

from cortexflow.analysis.rate_series_products import write_temporal_hierarchy
from cortexflow.provenance import tracked

with tracked(snakemake):
    write_temporal_hierarchy(snakemake.input.rate_series, snakemake.output.csv, snakemake.output.h5,
                             snakemake.params.options)
    logging.info("temporal hierarchy of %s", snakemake.input.rate_series)
