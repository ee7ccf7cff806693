"""Rule stabilise: the S17 stabilisation of one mam network -> the {net}-stable network and its record."""
import logging
import time

import numpy as np

from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network, write_network
from cortexflow.theory.io import write_stabilisation
from cortexflow.theory.pipeline import comparison_with_published, stabilise_network


with tracked(snakemake) as prov:
    options = dict(snakemake.params.options)
    stab = dict(snakemake.params.stabilisation)
    net = read_network(snakemake.input.network)
    K_published = np.load(snakemake.input.published)
    if K_published.shape != (net.n, net.n):
        raise ValueError(f"{snakemake.input.published}: shape {K_published.shape}, expected {(net.n, net.n)}")
    start = time.perf_counter()
    stable, result, before, after = stabilise_network(net, options, stab, log=logging.info)
    K0 = net.K[:, :-1]
    comparison = comparison_with_published(result, K0, K_published, net.populations)
    logging.info("stabilised in %.1f s: %d iterations, kappa* %s; vs published K': %s",
                 time.perf_counter() - start, len(result.iterations) - 1,
                 [round(it.kappa_low, 8) for it in result.iterations],
                 {k: v for k, v in comparison.items() if k != "per_iteration"})
    prov.notes.update({"kappa_star": [it.kappa_low for it in result.iterations],
                       "corr_dK": comparison["corr_dK"]})
    # record first, network last: the network is the rule's main product
    write_stabilisation(snakemake.output.record, net.populations, result, K0,
                        {"theory": options, "stabilisation": stab, "network": snakemake.wildcards.net},
                        comparison=comparison, K_published=K_published, rates_before=before,
                        rates_after=after)
    write_network(snakemake.output.network, stable)
