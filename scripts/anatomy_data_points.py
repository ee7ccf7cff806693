# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule anatomy_data_points: the data points behind the fits of processed.json and the SLN fit's covariance and
confidence band -> results/anatomy/data_points.json (cortexflow.anatomy.data_points, docs/anatomy.md)."""
import json
import logging
from pathlib import Path

from cortexflow.anatomy.data_points import data_points
from cortexflow.anatomy.process import write_json
from cortexflow.provenance import tracked

with tracked(snakemake) as prov:
    processed = json.loads(Path(snakemake.input.processed).read_text())
    result = data_points(Path(snakemake.input.sln_data).parent, processed, snakemake.params.band_level)
    se = result["sln_fit"]["se_b0_b1"]
    prov.notes = {"sln_se_b0_b1": se}
    logging.info("SLN fit b0 = %.6f, b1 = %.6f, SE = %s (n = %d)", processed["fits"]["sln"]["b0"],
                 processed["fits"]["sln"]["b1"], se, len(result["sln_observations"]["DENS"]))
    write_json(result, snakemake.output[0])
