"""Rule area_signals (mam): rate series + simulated network + experimental FC -> synaptic input, BOLD,
FC and Louvain communities (stats/area_signals.h5, stats/fc_communities.json)."""
import logging

from cortexflow.analysis.rate_series_products import area_signals, write_area_signals
from cortexflow.structure.network_file import read_network
from cortexflow.provenance import tracked

with tracked(snakemake):
    result = area_signals(snakemake.input.rate_series, read_network(snakemake.input.network),
                          snakemake.input.exp_fc, snakemake.params.options)
    write_area_signals(result, snakemake.output.h5, snakemake.output.json)
    logging.info("FC similarity to experiment: %s", result["similarity"])
