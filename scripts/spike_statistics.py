"""Rule spike_statistics: spikes.h5 -> stats/summary.csv, distributions.h5, rate_series.h5."""
import logging
import time

from cortexflow.analysis import io, per_simulation
from cortexflow.provenance import tracked

with tracked(snakemake):
    opts = per_simulation.AnalysisOptions.from_config(snakemake.params.options)
    t0 = time.perf_counter()
    summary, dists, series = per_simulation.compute(snakemake.input.spikes, opts)
    io.write_distributions(snakemake.output.distributions, dists, opts)
    io.write_rate_series(snakemake.output.rate_series, series, opts)
    io.write_summary(snakemake.output.summary, summary, opts)
    logging.info("%s: %d populations, %d spikes in [%g, %g) ms, mean rate %.3f spikes/s, %.1f s",
                 snakemake.input.spikes, len(summary), summary["n_spikes"].sum(), summary["t_start_ms"].iloc[0],
                 summary["t_stop_ms"].iloc[0], summary["rate"].mean(), time.perf_counter() - t0)
