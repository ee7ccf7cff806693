"""Rule v1_statistics: stats/distributions.h5 + stats/rate_series.h5 of a mam simulation (and, when configured, the
Chu et al. 2014 pvc-5 rawSpikeTime directory) -> stats/v1_statistics.h5
(PCB18 Fig 6; cortexflow.analysis.v1_statistics)."""
import logging

from cortexflow.analysis import v1_statistics as v1
from cortexflow.analysis.io import read_distributions, read_rate_series
from cortexflow.provenance import tracked

with tracked(snakemake):
    p = snakemake.params
    series = read_rate_series(snakemake.input.rate_series)
    model = v1.model_v1(read_distributions(snakemake.input.distributions), series, p.area, p.nperseg, p.noverlap)
    data = v1.data_v1(v1.read_pvc5(p.chu2014_dir)) if p.chu2014_dir else None
    v1.write_v1(snakemake.output[0], model, data, {"area": p.area, "chu2014_dir": p.chu2014_dir,
                                                     "nperseg": p.nperseg, "noverlap": p.noverlap})
    logging.info("V1 statistics: %d populations, data %s", len(model["populations"]),
                 "absent" if data is None else f"{data['n_neurons']} neurons")
