"""Rule data_dependence_collect: one CSV table per quantity over every replicate (docs/data_dependence.md)."""
import logging
import os
from pathlib import Path

from cortexflow.data_dependence.collect import collect
from cortexflow.provenance import tracked


with tracked(snakemake) as prov:
    specs = {name: dict(spec) for name, spec in snakemake.params.replicates.items()}
    inputs = {key: list(snakemake.input[key]) for key in snakemake.params.input_keys}
    tables = collect(specs, inputs)
    for name, path in snakemake.output.items():
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tables[name].to_csv(tmp, index=False, float_format="%.10g")
        os.replace(tmp, path)
    logging.info("%d replicates; wrote %s", len(specs), list(snakemake.output.keys()))
