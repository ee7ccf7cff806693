"""Rule meanfield: the mean-field fixed point of one network (docs/theory.md) -> fixed_point.h5."""
import logging
import time

from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network
from cortexflow.theory.io import write_fixed_point
from cortexflow.theory.pipeline import meanfield


with tracked(snakemake) as prov:
    options = dict(snakemake.params.options)
    net = read_network(snakemake.input.network)
    start = time.perf_counter()
    fp, found, labels, gain = meanfield(net, options)
    elapsed = time.perf_counter() - start
    logging.info("%s: mean rate %.6g spikes/s, residual %.3g, max Re lambda %.6g, %d attractor(s) from %d "
                 "random initial conditions (%d not converged), %.2f s", snakemake.wildcards.net,
                 fp.rates.mean(), fp.residual, fp.max_re_lambda, len(found), len(labels),
                 int((labels < 0).sum()), elapsed)
    prov.notes.update({"mean_rate": float(fp.rates.mean()), "max_re_lambda": fp.max_re_lambda})
    write_fixed_point(snakemake.output[0], net.populations, fp,
                      {"theory": options, "network": snakemake.wildcards.net, "network_params": net.params},
                      attractors=found, labels=labels, gain=gain)
