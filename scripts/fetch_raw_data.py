"""Rule raw_data: copy or download the raw files and verify their checksums."""
import logging
from pathlib import Path

from cortexflow.rawdata import fetch, load_manifest, resolve_mirror
from cortexflow.provenance import tracked

with tracked(snakemake):
    manifest = load_manifest(snakemake.input.manifest)
    wanted = [manifest[Path(p).name] for p in snakemake.output]
    mirror = resolve_mirror(snakemake.params.mirror)
    logging.info("fetching %d files from %s", len(wanted), mirror or "upstream")
    for path in fetch(wanted, Path(snakemake.output[0]).parent, mirror):
        logging.info("ok %s", path)
