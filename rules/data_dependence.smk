# Dependence of the model on its underlying data (docs/data_dependence.md). Per replicate ({replicate}:
# original, boot-NNN, loo-density-<area>, loo-injection-<case>; src/cortexflow/data_dependence/workflow.py):
#   resample_data                  data/raw -> results/data_dependence/{replicate}/raw/ (+ sources.yaml)
#   data_dependence_anatomy        -> {replicate}/anatomy/processed.json      (scripts/process_anatomy.py)
#   data_dependence_network        -> {replicate}/networks/{net}/network.h5   (scripts/build_network.py)
#   data_dependence_meanfield      -> {replicate}/theory/{net}/fixed_point.h5 (scripts/meanfield.py)
#   data_dependence_bistability    -> {replicate}/theory/{net}/bistability.json  (data_dependence.kappa_star)
#   data_dependence_stabilise      -> {replicate}/networks/{net}-stable/ ...     (data_dependence.stabilise)
# then data_dependence_collect (results/data_dependence/tables/*.csv), figure_data_dependence
# (figures/data_dependence/*.pdf|png); aggregate: data_dependence. Not part of `all` (several minutes).
import re

from cortexflow.anatomy.process import INPUT_FILES as _DD_ANATOMY_FILES
from cortexflow.data_dependence import workflow as ddw
from cortexflow.data_dependence.resample import REPLICATE_FILES as _DD_RAW_FILES
from cortexflow.structure.mam_raw import FILES as _DD_MAM_RAW

DD = ddw.options(config.get("data_dependence"))
DD_NET = ddw.check_network(DD, config["networks"])
DD_REPLICATES = ddw.replicates(DD)
DD_NETS = [DD_NET] + ([f"{DD_NET}-stable"] if DD["stabilise"] else [])
DD_INPUTS = ddw.collect_inputs(DD, DD_NET)
DD_CATEGORY = "Data dependence"


wildcard_constraints:
    replicate="|".join(re.escape(r) for r in DD_REPLICATES),


rule resample_data:
    """Resampled copies of the raw files (bootstrap over injections / density measurements, leave-one-out)
    with their own manifest; the replicate 'original' copies every file unchanged."""
    input:
        files=[raw(name) for name in _DD_RAW_FILES],
        manifest=RAW_MANIFEST,
    output:
        files=ddw.raw_files("{replicate}", _DD_RAW_FILES),
        manifest="results/data_dependence/{replicate}/raw/sources.yaml",
        record="results/data_dependence/{replicate}/resampling.json",
    params:
        spec=lambda wildcards: DD_REPLICATES[wildcards.replicate],
        anatomy=config["anatomy"],
    log:
        "logs/data_dependence/{replicate}/resample_data.log",
    benchmark:
        "benchmarks/results/data_dependence/{replicate}/resample_data.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/resample_data.py"


rule data_dependence_anatomy:
    """The anatomy stage on a replicate's raw files (the script of rule process_anatomy)."""
    input:
        ddw.raw_files("{replicate}", _DD_ANATOMY_FILES),
        manifest="results/data_dependence/{replicate}/raw/sources.yaml",
    output:
        "results/data_dependence/{replicate}/anatomy/processed.json",
    params:
        options=config["anatomy"],
    log:
        "logs/data_dependence/{replicate}/process_anatomy.log",
    benchmark:
        "benchmarks/results/data_dependence_anatomy_{replicate}.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/process_anatomy.py"


rule data_dependence_network:
    """The replicate's network (the script of rule build_network, same network parameters)."""
    input:
        processed="results/data_dependence/{replicate}/anatomy/processed.json",
        raw=ddw.raw_files("{replicate}", _DD_MAM_RAW.values()),
    output:
        "results/data_dependence/{replicate}/networks/{net}/network.h5",
    params:
        net=lambda wildcards: config["networks"][wildcards.net],
        raw_dir=lambda wildcards: f"{ddw.DIR}/{wildcards.replicate}/raw",
    wildcard_constraints:
        net=re.escape(DD_NET),
    log:
        "logs/data_dependence/{replicate}/build_network_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_network_{replicate}_{net}.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/build_network.py"


rule data_dependence_meanfield:
    """Fixed point, spectrum and attractors of a replicate network (the script of rule meanfield)."""
    input:
        network="results/data_dependence/{replicate}/networks/{net}/network.h5",
    output:
        "results/data_dependence/{replicate}/theory/{net}/fixed_point.h5",
    params:
        options=THEORY_OPTS,
    wildcard_constraints:
        net="|".join(re.escape(n) for n in DD_NETS),
    log:
        "logs/data_dependence/{replicate}/meanfield_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_meanfield_{replicate}_{net}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/meanfield.py"


rule data_dependence_bistability:
    """kappa*: the 5E drive factor at which the zero-rate start jumps to the high-activity state."""
    input:
        network="results/data_dependence/{replicate}/networks/{net}/network.h5",
    output:
        "results/data_dependence/{replicate}/theory/{net}/bistability.json",
    params:
        options=THEORY_OPTS,
        n_refine=DD["kappa_star_refine"],
    wildcard_constraints:
        net=re.escape(DD_NET),
    log:
        "logs/data_dependence/{replicate}/bistability_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_bistability_{replicate}_{net}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/data_dependence_bistability.py"


rule data_dependence_stabilise:
    """S17 stabilisation of a replicate network (the script of rule stabilise); data_dependence.stabilise."""
    input:
        network="results/data_dependence/{replicate}/networks/{net}/network.h5",
        published=raw("K_prime_original.npy"),
    output:
        network="results/data_dependence/{replicate}/networks/{net}-stable/network.h5",
        record="results/data_dependence/{replicate}/theory/{net}/stabilisation.h5",
    params:
        options=THEORY_OPTS,
        stabilisation={k: v for k, v in THEORY["stabilisation"].items() if k != "networks"},
    wildcard_constraints:
        net=re.escape(DD_NET),
    log:
        "logs/data_dependence/{replicate}/stabilise_{net}.log",
    benchmark:
        "benchmarks/results/data_dependence_stabilise_{replicate}_{net}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/stabilise.py"


rule data_dependence_collect:
    """One table per quantity over every replicate (results/data_dependence/tables/*.csv)."""
    input:
        **DD_INPUTS,
    output:
        **ddw.tables(),
    params:
        replicates=DD_REPLICATES,
        input_keys=list(DD_INPUTS),
    log:
        "logs/data_dependence/collect.log",
    benchmark:
        "benchmarks/results/data_dependence/collect.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/data_dependence_collect.py"


rule figure_data_dependence:
    """One data-dependence figure: fits, indegrees, rates, bistability, sensitivity."""
    input:
        **ddw.tables(),
    output:
        pdf="figures/data_dependence/{figure}.pdf",
        png=report("figures/data_dependence/{figure}.png", caption="../report/captions/data_dependence.rst",
                   category=DD_CATEGORY),
    params:
        figure="{figure}",
        dpi=DD["figures"]["dpi"],
        kwargs=lambda wildcards: ddw.figure_options(DD, THEORY, wildcards.figure),
    wildcard_constraints:
        figure="|".join(ddw.FIGURES),
    log:
        "logs/data_dependence/figure_{figure}.log",
    benchmark:
        "benchmarks/results/data_dependence/figure_{figure}.tsv"
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/fig_data_dependence.py"


rule data_dependence:
    """Every data-dependence table and figure of the configuration."""
    input:
        ddw.tables().values(),
        expand("figures/data_dependence/{figure}.{ext}", figure=ddw.FIGURES, ext=["pdf", "png"]),
