"""Rule power_spectra: stats/rate_series.h5 -> stats/spectra.h5 (Welch, explicit window)."""
import logging

from cortexflow.analysis.rate_series_products import write_spectra
from cortexflow.provenance import tracked

with tracked(snakemake):
    write_spectra(snakemake.input.rate_series, snakemake.output[0], snakemake.params.welch)
    logging.info("spectra of %s with %s", snakemake.input.rate_series, snakemake.params.welch)
