"""Rule connectivity_analysis: S17 Fig 8 clustering of the indegree changes -> connectivity_analysis.h5."""
import json
import logging

from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network
from cortexflow.theory.conn_analysis import analyse, cluster_types
from cortexflow.theory.io import read_stabilisation, write_arrays


with tracked(snakemake) as prov:
    o = dict(snakemake.params.options)
    rec = read_stabilisation(snakemake.input.record)
    types = json.loads(open(snakemake.input.processed).read())["architecture_completed"]
    out = analyse(rec["K0"], rec["K"], read_network(snakemake.input.network).N, rec["populations"], o["threshold"],
                  types)
    logging.info("%d clusters of the intra-area change patterns at distance %g; mean architectural type per "
                 "cluster %s", out["clusters"].max(), o["threshold"], cluster_types(out))
    write_arrays(snakemake.output[0], out, {"connectivity_analysis": o, "network": snakemake.wildcards.net})
