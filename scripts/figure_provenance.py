"""Rule figure_provenance: one row per figure, from the provenance metadata embedded in its PNG."""
import csv
import logging

from pathlib import Path

from cortexflow.fileio import atomic_path
from cortexflow.provenance import PROVENANCE_COLUMNS, figure_provenance, merge_records, pending_records, tracked

with tracked(snakemake):
    rows = sorted(figure_provenance(snakemake.input), key=lambda r: r["figure"])
    with atomic_path(snakemake.output[0]) as tmp:
        with open(tmp, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=PROVENANCE_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    logging.info("%d figures", len(rows))
# a local rule at the end of the DAG: store every record that cluster jobs left in .smt/incoming/
merged = merge_records(Path.cwd(), wait_s=300.0)
logging.info("merged %d waiting provenance record(s); %d still waiting", merged, pending_records(Path.cwd()))
