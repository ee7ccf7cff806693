"""Rule process_anatomy: raw anatomical data -> results/anatomy/processed.json (docs/anatomy.md)."""
import logging
import time
from pathlib import Path

from cortexflow.anatomy.process import process_anatomy, write_json
from cortexflow.provenance import tracked

with tracked(snakemake) as prov:
    raw_dir = Path(snakemake.input[0]).parent
    options = dict(snakemake.params.options)
    logging.info("processing anatomy from %s with options %s", raw_dir, options)
    start = time.perf_counter()
    result = process_anatomy(raw_dir, options, manifest=raw_dir / "sources.yaml")
    fits = result["fits"]
    logging.info("NeuN->Nissl %.4f x + %.1f; EDR ln FLN = %.4f %+.5f d (n = %d); SLN b0 %.7f b1 %.7f (%s)",
                 fits["neun_to_nissl"]["slope"], fits["neun_to_nissl"]["intercept"], fits["edr"]["intercept"],
                 fits["edr"]["slope"], fits["edr"]["n"], fits["sln"]["b0"], fits["sln"]["b1"],
                 fits["sln"]["optimizer"])
    prov.notes = {"fits": fits}
    write_json(result, snakemake.output[0])
    logging.info("wrote %s in %.2f s", snakemake.output[0], time.perf_counter() - start)
