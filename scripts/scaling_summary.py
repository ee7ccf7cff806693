# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule scaling_summary: every run of one scale study -> results/scaling/{study}/summary.csv (one row per run
and population), areas.csv (per run and area: rate / mean field, / largest point) and points.csv (one row per
run: agreement with mean field and largest point, cost)."""
import logging
from pathlib import Path

import pandas as pd

from cortexflow.analysis import scaling
from cortexflow.analysis.io import read_summary
from cortexflow.provenance import tracked
from cortexflow.simulation import resources
from cortexflow.structure.network_file import read_network
from cortexflow.theory.io import read_fixed_point

with tracked(snakemake):
    inp, runs = snakemake.input, snakemake.params.runs
    fp = read_fixed_point(inp.fixed_point)
    mf = pd.Series(fp["rates"], index=fp["populations"])
    full = read_network(inp.network)
    full_N = pd.Series(full.N, index=full.populations)
    loaded, costs = [], {}
    for run, summary, run_json, net in zip(runs, inp.summaries, inp.runs, inp.networks):
        loaded.append({**run, "summary": read_summary(summary)})
        costs[run["name"]] = scaling.read_costs(Path(run_json).read_text(), resources.request(net, run["entry"]))
    pops = scaling.population_table(loaded, mf, full_N)
    points = scaling.run_table(pops, costs)
    areas = scaling.area_table(pops)
    for df, out in ((pops, snakemake.output.summary), (points, snakemake.output.points),
                    (areas, snakemake.output.areas)):
        tmp = Path(out).with_name(".tmp-" + Path(out).name)
        df.to_csv(tmp, index=False, float_format="%.6g")
        tmp.replace(out)
    logging.info("%d runs, largest point %s:\n%s", len(runs), points.attrs["largest"], points.to_string())
