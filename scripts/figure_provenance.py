"""Rule figure_provenance: one row per figure, from the provenance metadata embedded in its PNG."""
import csv
import logging
import os

from cortexflow.provenance import PROVENANCE_COLUMNS, figure_provenance, tracked

with tracked(snakemake):
    rows = sorted(figure_provenance(snakemake.input), key=lambda r: r["figure"])
    tmp = snakemake.output[0] + ".tmp"
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=PROVENANCE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, snakemake.output[0])
    logging.info("%d figures", len(rows))
