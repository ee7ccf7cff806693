# SPDX-License-Identifier: GPL-3.0-or-later
"""The body of every figure rule's script (scripts/fig_*.py): draw one figure and save it with its provenance."""
from __future__ import annotations

import logging

from cortexflow.plotting.style import save_figure
from cortexflow.provenance import tracked


def run_figure_rule(smk, figures: dict, section: str, options: dict | None = None) -> None:
    """Draw ``figures[smk.params.figure](smk.input, options, prov)`` with the rule's options
    (``smk.params.options`` unless given) and save it as PDF + PNG (dpi from the options) with the job's
    provenance embedded (cortexflow.provenance.JobRecord.figure_metadata).

    ``section`` names the config section of the options (for the error message of a bad colormap).
    """
    import matplotlib

    with tracked(smk) as prov:
        name = smk.params.figure
        opts = dict(smk.params.options if options is None else options)
        if "cmap" in opts and opts["cmap"] not in matplotlib.colormaps:
            raise ValueError(f"{section}.{name}.cmap: {opts['cmap']!r} is not a matplotlib colormap")
        logging.info("figure %s with %s", name, opts)
        fig = figures[name](smk.input, opts, prov)  # a failure: traceback in the log, one line (tracked)
        matplotlib.rcParams["savefig.dpi"] = opts["dpi"]
        save_figure(fig, [smk.output.pdf, smk.output.png], prov.figure_metadata())
        logging.info("wrote %s, %s", smk.output.pdf, smk.output.png)
