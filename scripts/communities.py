# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule communities: community structure of the area graph of a mam network (Schmidt et al. 2018 BSF Fig 7;
cortexflow.structure.communities) -> results/networks/{net}/communities.json: the partition, its modularity
and the modularities of the shuffled null models (docs/figures.md)."""
import json
import logging
import os
from pathlib import Path

from cortexflow.provenance import tracked
from cortexflow.structure import communities as cm, measures
from cortexflow.structure.network_file import read_network

with tracked(snakemake) as prov:
    opts = snakemake.params.options
    net = read_network(snakemake.input.network)
    areas = measures.area_names(net)
    weights = measures.relative_outdegrees(
        measures.area_outdegrees(net.synapses, net.N, net.extra["area_of_population"], len(areas)))
    labels = cm.detect_communities(weights, areas, opts["method"], opts["seed"], opts["resolution"])
    q = cm.modularity(weights, labels)
    null_q = cm.null_modularities(weights, areas, opts["null_models"], opts["seed"], opts["method"],
                                  opts["resolution"])
    table = {"network": snakemake.wildcards.net, "method": opts["method"], "seed": opts["seed"],
             "resolution": opts["resolution"], "modularity": q, "null_models": opts["null_models"],
             "null_modularity_mean": float(null_q.mean()), "null_modularity_sd": float(null_q.std()),
             "communities": [[a for a, lab in zip(areas, labels) if lab == k] for k in range(labels.max() + 1)],
             "weights": "relative outdegrees O(A<-B)/sum_B' O(A<-B'), diagonal 0 (docs/figures.md)",
             "null_modularities": null_q.tolist()}
    out = Path(snakemake.output[0])
    tmp = out.with_name(".tmp-" + out.name)
    tmp.write_text(json.dumps(table, indent=1) + "\n")
    os.replace(tmp, out)
    prov.notes = {"communities": len(table["communities"]), "modularity": q}
    logging.info("%d communities, Q = %.4f, null %.4f +- %.4f", labels.max() + 1, q, null_q.mean(), null_q.std())
