"""Rule laminar_paths: BSF18 Fig 8 shortest laminar paths between areas -> laminar_paths.json."""
import json
import logging
from pathlib import Path

from cortexflow.provenance import tracked
from cortexflow.structure.laminar_paths import laminar_paths, to_json
from cortexflow.structure.network_file import read_network
from cortexflow.fileio import atomic_path


with tracked(snakemake) as prov:
    o = dict(snakemake.params.options)
    net = read_network(snakemake.input.network)
    proc = json.loads(Path(snakemake.input.processed).read_text())
    out = laminar_paths(net.K[:, :-1], net.W[:, :-1], net.populations, proc["SLN_completed"],
                        proc["architecture_completed"], float(net.params["g"]), o["g"])
    table = {"network": snakemake.wildcards.net, "g": o["g"], **to_json(out)}
    logging.info("%d area pairs; FF %d, lateral %d, FB %d", len(out["pairs"]), out["FF"]["n"],
                 out["lateral"]["n"], out["FB"]["n"])
    dest = Path(snakemake.output[0])
    with atomic_path(dest) as tmp:
        tmp.write_text(json.dumps(table, indent=1) + "\n")
