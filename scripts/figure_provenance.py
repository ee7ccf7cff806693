"""Rule figure_provenance: one row per figure, from the provenance metadata embedded in its PNG."""
import csv
import logging

from cortexflow.provenance import PROVENANCE_COLUMNS, figure_provenance, tracked
from cortexflow.fileio import atomic_path

with tracked(snakemake):
    rows = sorted(figure_provenance(snakemake.input), key=lambda r: r["figure"])
    with atomic_path(snakemake.output[0]) as tmp:
        with open(tmp, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=PROVENANCE_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    logging.info("%d figures", len(rows))
