"""Rule unstable_fixed_points: low, unstable and high fixed point at each S17 transition -> unstable_fixed_points.h5."""
import logging

import numpy as np

from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network
from cortexflow.theory.io import read_stabilisation, write_arrays
from cortexflow.theory.unstable_fp import network_states


with tracked(snakemake) as prov:
    o = dict(snakemake.params.options)
    net = read_network(snakemake.input.network)
    out = network_states(net, read_stabilisation(snakemake.input.record), dt=o["dt"], T=o["T"],
                         tol=o["tolerance"], method=o["derivatives"])
    logging.info("kappa* %s: mean rates low %s, saddle %s, high %s", out["kappa_low"], out["low"].mean(1),
                 out["saddle"].mean(1), out["high"].mean(1))
    write_arrays(snakemake.output[0], {**out, "populations": np.array(net.populations, dtype="S")},
                 {"theory": o, "network": snakemake.wildcards.net})
