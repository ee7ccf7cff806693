# Stage 2: network construction -> results/networks/{net}/network.h5 (contract: docs/design.md).
# One rule for every network of config["networks"]; scripts/build_network.py dispatches on `model`
# (mam: cortexflow.structure.mam, docs/structure.md; pd14: cortexflow.structure.pd14).
# communities: the community structure of a mam network's area graph -> results/networks/{net}/communities.json.


rule build_network:
    """N, K, synapses, weights and delays of a network at full scale (mam: Schmidt et al. 2018; pd14)."""
    input:
        unpack(inputs.build_network),
    output:
        paths.NETWORK,
    log:
        "logs/build_network/{net}.log",
    benchmark:
        "benchmarks/results/build_network_{net}.tsv"
    wildcard_constraints:
        net=WC["net"],
    conda:
        "../envs/base.yaml"
    params:
        net=inputs.network_entry,
        raw_dir=paths.RAW_DIR,
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/build_network.py"


rule communities:
    """Communities of the area graph (relative outdegrees; Louvain or greedy modularity, seeded) with the
    modularities of shuffled null models (Schmidt et al. 2018 BSF Fig 7)."""
    input:
        network=paths.NETWORK,
    output:
        paths.COMMUNITIES,
    log:
        "logs/communities/{net}.log",
    benchmark:
        "benchmarks/results/communities_{net}.tsv"
    wildcard_constraints:
        net=WC["mam_net"],
    conda:
        "../envs/base.yaml"
    params:
        options=settings.communities_options(config),
    script:
        "../scripts/communities.py"
