"""Rule data_dependence_bistability: kappa* of one replicate network (docs/data_dependence.md) -> JSON."""
import json
import logging
import os
import time
from pathlib import Path

from cortexflow.data_dependence.stability import kappa_star
from cortexflow.provenance import tracked
from cortexflow.structure.network_file import read_network


with tracked(snakemake) as prov:
    start = time.perf_counter()
    result = kappa_star(read_network(snakemake.input.network), dict(snakemake.params.options),
                        snakemake.params.n_refine)
    logging.info("%s: kappa* %s (found: %s) in %.1f s", snakemake.wildcards.replicate, result["kappa_star"],
                 result["found"], time.perf_counter() - start)
    prov.notes.update({"kappa_star": result["kappa_star"]})
    out = Path(snakemake.output[0])
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, out)
