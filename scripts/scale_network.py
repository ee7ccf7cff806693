# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule scale_network: full-scale network.h5 (+ its mean-field rates) -> the simulation's scaled network.h5."""
import logging
import shutil

from cortexflow.structure.network_file import read_network, write_network
from cortexflow.structure.scaling import downscale, read_rates, read_summary_rates
from cortexflow.provenance import tracked

with tracked(snakemake):
    Ns, Ks = snakemake.params.N_scaling, snakemake.params.K_scaling
    out = snakemake.output[0]
    if Ns == 1.0 and Ks == 1.0:
        # full scale: the network itself (copied atomically)
        shutil.copyfile(snakemake.input.network, out + ".tmp")
        shutil.move(out + ".tmp", out)
        logging.info("full scale: copied %s", snakemake.input.network)
    else:
        net = read_network(snakemake.input.network)
        # the rates matter only for K_scaling < 1 (the DC compensation): mean field or a simulation's summary
        if Ks == 1.0:
            rates, source = [0.0] * net.n, "none (K_scaling 1)"
        elif "rates_summary" in snakemake.input.keys():
            rates = read_summary_rates(snakemake.input.rates_summary, net.populations)
            source = f"simulation {snakemake.params.dc_rates}: {snakemake.input.rates_summary}"
        else:
            rates = read_rates(snakemake.input.rates, net.populations)
            source = f"meanfield: {snakemake.input.rates}"
        small = downscale(net, rates, Ns, Ks, rates_source=source)
        write_network(out, small)
        logging.info("scaled %s by N_scaling=%g, K_scaling=%g with rates of %s: %d neurons, %.4g synapses, "
                     "DC %.1f..%.1f pA", snakemake.input.network, Ns, Ks, source,
                     int(small.N.sum()), small.synapses[:, :-1].sum(), small.dc_drive.min(), small.dc_drive.max())
