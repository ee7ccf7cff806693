# Provenance table of every figure and the HTML report (make report -> snakemake --report report.html).


rule figure_provenance:
    """figures/PROVENANCE.csv: figure -> rule, Sumatra record, commit, config digest, params, inputs (read
    back from the metadata embedded in each PNG)."""
    input:
        targets.provenance_inputs(config),
    output:
        report(
            paths.PROVENANCE,
            caption="../report/captions/provenance.rst",
            category="Provenance",
        ),
    log:
        "logs/figure_provenance.log",
    benchmark:
        "benchmarks/results/figure_provenance.tsv"
    localrule: True
    conda:
        "../envs/base.yaml"
    script:
        "../scripts/figure_provenance.py"
