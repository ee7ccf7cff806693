# Stage 1: raw anatomical data (fetched or mirrored, checksummed) and their processing.


rule raw_data:
    """Fetch every raw file of data/raw/sources.yaml (mirror or pinned upstream URL), verify sha256."""
    input:
        manifest=paths.RAW_MANIFEST,
    output:
        # update(): Snakemake neither deletes these before the job nor after a failure (it restores them),
        # so a failed fetch leaves data/raw/ as it was; rawdata.fetch replaces them only as a verified set.
        [update(paths.RAW.format(name=name)) for name in RAW_FILES],
    log:
        "logs/raw_data.log",
    benchmark:
        "benchmarks/results/raw_data.tsv"
    localrule: True
    conda:
        "../envs/base.yaml"
    params:
        mirror=config["raw_data"]["mirror"],
    script:
        "../scripts/fetch_raw_data.py"


rule process_anatomy:
    """Densities, thicknesses, neuron numbers, FLN/EDR, SLN fit and CoCoMac (Schmidt et al. 2018)."""
    input:
        [raw(name) for name in RAW_FILES if RAW_SOURCES[name]["needed"]],
        raw("hierarchy_Reid.csv"),  # only for hierarchy_completed (kept for parity; unused by the model)
    output:
        paths.PROCESSED,
    log:
        "logs/process_anatomy.log",
    benchmark:
        "benchmarks/results/process_anatomy.tsv"
    conda:
        "../envs/base.yaml"
    params:
        options=config["anatomy"],
    script:
        "../scripts/process_anatomy.py"


rule anatomy_data_points:
    """The data points behind the fits of processed.json (thicknesses, CoCoMac pairs, SLN observations) and
    the covariance and confidence band of the SLN fit (cortexflow.anatomy.data_points).
    """
    input:
        processed=paths.PROCESSED,
        thickness=raw("CorticalThickness.csv"),
        laminar=raw("laminar_thicknesses_macaque.csv"),
        cocomac=raw("CoCoMac_complete_81.json"),
        sln_data=raw("RData_prepared_logdensities.txt"),
    output:
        paths.DATA_POINTS,
    log:
        "logs/anatomy_data_points.log",
    benchmark:
        "benchmarks/results/anatomy_data_points.tsv"
    conda:
        "../envs/base.yaml"
    params:
        band_level=settings.band_level(config),
    script:
        "../scripts/anatomy_data_points.py"
