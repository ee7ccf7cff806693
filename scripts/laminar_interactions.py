"""Rule laminar_interactions: stats/granger.csv (+ the full-scale network.h5, the simulation's summary.csv and the
processed anatomy for the architectural types) -> stats/laminar_interactions.h5 (PCB18 Fig 9;
cortexflow.analysis.laminar)."""
import json
import logging

import pandas as pd

from cortexflow.analysis import laminar as lam
from cortexflow.analysis.io import read_summary
from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network

with tracked(snakemake):
    inp = snakemake.input
    with open(inp.processed) as f:
        types = json.load(f)["architecture_completed"]
    granger = pd.read_csv(inp.granger, comment="#")
    channels = lam.significant_channels(granger, types)
    net = read_network(inp.network)
    rates = read_summary(inp.summary).set_index("population").reindex(net.populations)["rate"].to_numpy(float)
    paths = lam.path_channels(lam.absolute_gain(net, rates), net.populations, types)
    lam.write_laminar(snakemake.output[0], channels, paths, {"simulation": snakemake.wildcards.sim,
                                                             "network": inp.network, "rates": inp.summary})
    for c in lam.CLASSES:
        logging.info("%s: %d significant of %d tested", c, channels[c]["significant"].sum(),
                     channels[c]["tested"].sum())
