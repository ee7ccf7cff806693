"""Rule build_network: build one network of config["networks"] and write its network.h5 atomically."""
import logging
import time

from cortexflow.structure.network_file import write_network
from cortexflow.provenance import tracked

with tracked(snakemake):
    net_config = dict(snakemake.params.net)
    model = net_config["model"]
    logging.info("building %s (model %s) with %s", snakemake.wildcards.net, model, net_config)
    start = time.perf_counter()
    if model == "mam":
        from cortexflow.structure.mam import build_mam_network

        net = build_mam_network(snakemake.input.processed, snakemake.params.raw_dir, net_config,
                                K_stable_path=snakemake.input.get("K_stable"))
    elif model == "pd14":
        from cortexflow.structure.pd14 import build_pd14

        net = build_pd14(net_config)
    else:
        raise ValueError(f"networks.{snakemake.wildcards.net}.model: unknown model {model!r}")
    write_network(snakemake.output[0], net)
    logging.info("%d populations, %.6g neurons, %.6g synapses in %.2f s", net.n, net.N.sum(),
                 net.synapses[:, :-1].sum(), time.perf_counter() - start)
