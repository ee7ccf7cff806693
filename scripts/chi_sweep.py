"""Rule chi_sweep: PCB18 Fig 4 theory (fixed points, lambda_max, random starts against chi) -> chi_sweep.h5."""
import logging
import time

from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network
from cortexflow.theory.chi_sweep import sweep_network, write_sweep


with tracked(snakemake) as prov:
    options = dict(snakemake.params.options)
    net = read_network(snakemake.input.network)
    start = time.perf_counter()
    out = sweep_network(net, options, log=logging.info)
    logging.info("chi sweep of %s in %.1f s", snakemake.wildcards.net, time.perf_counter() - start)
    write_sweep(snakemake.output[0], net.populations, out,
                {"chi_sweep": options, "network": snakemake.wildcards.net})
