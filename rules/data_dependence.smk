# Dependence of the model on its underlying data (docs/data_dependence.md). Per replicate ({replicate}:
# original, boot-NNN, loo-density-<area>, loo-injection-<case>; cortexflow.workflow.replicates):
#   resample_data                  data/raw -> results/data_dependence/{replicate}/raw/ (+ sources.yaml)
#   data_dependence_anatomy        -> {replicate}/anatomy/processed.json      (scripts/process_anatomy.py)
#   data_dependence_network        -> {replicate}/networks/{net}/network.h5   (scripts/build_network.py)
#   data_dependence_meanfield      -> {replicate}/theory/{net}/fixed_point.h5 (scripts/meanfield.py)
#   data_dependence_bistability    -> {replicate}/theory/{net}/bistability.json  (data_dependence.kappa_star)
#   data_dependence_stabilise      -> {replicate}/networks/{net}-stable/ ...     (data_dependence.stabilise)
# then data_dependence_collect (results/data_dependence/tables/*.csv), figure_data_dependence
# (figures/data_dependence/*.pdf|png); aggregate: data_dependence. Not part of `all` (several minutes).
# The anatomy, network, mean-field and stabilisation rules are those of stages 1-3 (`use rule ... with:`), on the
# replicate's files.


wildcard_constraints:
    replicate=WC["replicate"],


rule resample_data:
    """Resampled copies of the raw files (bootstrap over injections / density measurements, leave-one-out)
    with their own manifest; the replicate 'original' copies every file unchanged."""
    input:
        files=[raw(name) for name in replicates.resampled_files()],
        manifest=paths.RAW_MANIFEST,
    output:
        files=replicates.raw_files("{replicate}", replicates.resampled_files()),
        manifest=paths.DD_MANIFEST,
        record=paths.DD_RECORD,
    log:
        "logs/data_dependence/{replicate}/resample_data.log",
    benchmark:
        "benchmarks/results/data_dependence/{replicate}/resample_data.tsv"
    conda:
        "../envs/base.yaml"
    params:
        spec=inputs.replicate_spec,
        anatomy=config["anatomy"],
    script:
        "../scripts/resample_data.py"


use rule process_anatomy as data_dependence_anatomy with:
    input:
        replicates.raw_files("{replicate}", replicates.anatomy_files()),
        manifest=paths.DD_MANIFEST,
    output:
        paths.DD_PROCESSED,
    log:
        "logs/data_dependence/{replicate}/process_anatomy.log",
    benchmark:
        "benchmarks/results/data_dependence_anatomy_{replicate}.tsv"


use rule build_network as data_dependence_network with:
    input:
        processed=paths.DD_PROCESSED,
        raw=replicates.raw_files("{replicate}", replicates.network_files()),
    output:
        paths.DD_NETWORK,
    log:
        "logs/data_dependence/{replicate}/build_network_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_network_{replicate}_{net}.tsv"
    wildcard_constraints:
        net=WC["dd_net"],
    params:
        net=inputs.network_entry,
        raw_dir=inputs.replicate_raw_dir,


use rule meanfield as data_dependence_meanfield with:
    input:
        network=paths.DD_NETWORK,
    output:
        paths.DD_FIXED_POINT,
    log:
        "logs/data_dependence/{replicate}/meanfield_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_meanfield_{replicate}_{net}.tsv"
    wildcard_constraints:
        net=WC["dd_nets"],


rule data_dependence_bistability:
    """kappa*: the 5E drive factor at which the zero-rate start jumps to the high-activity state."""
    input:
        network=paths.DD_NETWORK,
    output:
        paths.DD_BISTABILITY,
    log:
        "logs/data_dependence/{replicate}/bistability_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_bistability_{replicate}_{net}.tsv"
    wildcard_constraints:
        net=WC["dd_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=settings.theory_options(config),
        n_refine=DD["kappa_star_refine"],
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/data_dependence_bistability.py"


use rule stabilise as data_dependence_stabilise with:
    input:
        network=paths.DD_NETWORK,
        published=raw("K_prime_original.npy"),
    output:
        network=paths.DD_STABLE_NETWORK,
        record=paths.DD_STABILISATION,
    log:
        "logs/data_dependence/{replicate}/stabilise_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_stabilise_{replicate}_{net}.tsv"
    wildcard_constraints:
        net=WC["dd_net"],


rule data_dependence_collect:
    """One table per quantity over every replicate (results/data_dependence/tables/*.csv)."""
    input:
        **inputs.data_dependence_collect(),
    output:
        **replicates.tables(),
    log:
        "logs/data_dependence/collect.log",
    benchmark:
        "benchmarks/results/data_dependence/collect.tsv"
    conda:
        "../envs/base.yaml"
    params:
        replicates=inputs.replicates,
        input_keys=list(inputs.data_dependence_collect()),
    script:
        "../scripts/data_dependence_collect.py"


rule figure_data_dependence:
    """One data-dependence figure: fits, indegrees, rates, bistability, sensitivity."""
    input:
        **replicates.tables(),
    output:
        **figure_outputs(
            paths.FIG_DATA_DEPENDENCE,
            caption="data_dependence",
            category="Data dependence",
        ),
    log:
        "logs/data_dependence/figure_{figure}.log",
    benchmark:
        "benchmarks/results/data_dependence/figure_{figure}.tsv"
    wildcard_constraints:
        figure="|".join(replicates.FIGURES),
    conda:
        "../envs/base.yaml"
    params:
        figure="{figure}",
        dpi=DD["figures"]["dpi"],
        kwargs=inputs.data_dependence_figure_options,
    script:
        "../scripts/fig_data_dependence.py"


rule data_dependence:
    """Every data-dependence table and figure of the configuration."""
    input:
        targets.data_dependence_targets(config),
