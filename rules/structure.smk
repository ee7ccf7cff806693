# Stage 2: network construction -> results/networks/{net}/network.h5 (contract: docs/design.md).
# One rule for every network of config["networks"]; scripts/build_network.py dispatches on `model`
# (mam: cortexflow.structure.mam, docs/structure.md; pd14: cortexflow.structure.pd14).
import re

from cortexflow.structure.inputs import network_inputs


rule build_network:
    """N, K, synapses, weights and delays of a network at full scale (mam: Schmidt et al. 2018; pd14)."""
    input:
        unpack(
            lambda wildcards: network_inputs(
                config["networks"][wildcards.net], rules.process_anatomy.output[0], raw
            )
        ),
    output:
        "results/networks/{net}/network.h5",
    params:
        net=lambda wildcards: config["networks"][wildcards.net],
        raw_dir="data/raw",
    wildcard_constraints:
        net="|".join(re.escape(name) for name in config["networks"]),
    log:
        "logs/build_network/{net}.log",
    benchmark:
        "benchmarks/results/build_network_{net}.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/build_network.py"
