# SPDX-License-Identifier: GPL-3.0-or-later
"""Rule meanfield_subset: mean-field prediction of an area subset (cortexflow.theory.subset) -> CSV."""
import json
import logging
import os

from cortexflow.provenance import tracked
from cortexflow.simulation.replacement import read_source_rates
from cortexflow.structure.network_file import read_network
from cortexflow.structure.scaling import read_rates
from cortexflow.theory.subset import subset_table


with tracked(snakemake) as prov:
    sim = snakemake.params.sim
    net = read_network(snakemake.input.network)
    mode = sim.get("replace_non_simulated_areas")
    nu_full = read_rates(snakemake.input.fixed_point, net.populations)
    nu_src = read_source_rates(snakemake.input.replace_rates, net.populations) \
        if "replace_rates" in snakemake.input.keys() else None
    table, fp = subset_table(net, sim["areas_simulated"], mode, nu_src, nu_full, dict(snakemake.params.options),
                             log=logging.info)
    logging.info("%s: %s, residual %.3g, max Re lambda %.4f\n%s", snakemake.wildcards.sim, mode, fp.residual,
                 fp.max_re_lambda, table.to_string())
    prov.notes.update({"max_re_lambda": fp.max_re_lambda, "replace_non_simulated_areas": mode})
    out = snakemake.output[0]
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"# cortexflow meanfield_subset; areas {json.dumps(sim['areas_simulated'])}; replacement {mode}; "
                f"rates {snakemake.input.get('replace_rates', '-')}; max_re_lambda {fp.max_re_lambda:.6g}\n")
        table.to_csv(f, index=False, float_format="%.10g")
    os.replace(tmp, out)
