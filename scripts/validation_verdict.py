# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule validation_verdict: results/validation/{sim}/report.csv -> verdict.html (the verdict line and the
judged rows, shown in the Snakemake report). With ``validation_strict`` (``--config validation_strict=1``) a
failed population ends the job (and snakemake) with a one-line message naming the failed populations
(docs/analysis.md "Verdicts")."""
import logging
import sys
from pathlib import Path

import pandas as pd

from cortexflow.analysis import verdicts
from cortexflow.provenance import tracked

with tracked(snakemake) as prov:
    sim = snakemake.wildcards.sim
    report = pd.read_csv(snakemake.input.report, comment="#")
    v = verdicts.verdict(report, sim)
    out = Path(snakemake.output.html)
    tmp = out.with_name(".tmp-" + out.name)
    tmp.write_text(verdicts.verdict_html(v, report))
    tmp.replace(out)
    logging.info("%s", v.line())
    prov.notes["verdict"] = v.line()
    message = verdicts.strict_message([v])
    if snakemake.params.strict and message:
        logging.error("%s", message)
        print(message, file=sys.stderr)
        raise verdicts.ValidationFailed(message)
