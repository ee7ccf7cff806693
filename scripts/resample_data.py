"""Rule resample_data: the raw files of one data-dependence replicate (docs/data_dependence.md) ->
results/data_dependence/{replicate}/raw/ (same formats, own sources.yaml) + resampling.json."""
import json
import logging
import os
from pathlib import Path

from cortexflow.data_dependence.resample import make_replicate
from cortexflow.provenance import tracked


with tracked(snakemake) as prov:
    spec = dict(snakemake.params.spec)
    record = make_replicate(Path(snakemake.input.manifest).parent, Path(snakemake.output.manifest).parent,
                            spec, dict(snakemake.params.anatomy), manifest=snakemake.input.manifest,
                            name=snakemake.wildcards.replicate)
    logging.info("replicate %s (%s): resampled %s; SLN rows without FLN removed: %s",
                 snakemake.wildcards.replicate, spec, record["resampled_files"], record["sln_rows_without_fln"])
    prov.notes.update({"resampled_files": record["resampled_files"]})
    tmp = Path(snakemake.output.record).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, snakemake.output.record)
