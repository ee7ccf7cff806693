"""Rules figure_structure and figure_bsf_communities (rules/figures_structure.smk): one structure figure
(Schmidt et al. 2018 BSF Figs 2-7, PD14 connectivity), chosen by params.figure. Reads the rule's inputs, calls
cortexflow.plotting.structure and saves PDF + PNG with provenance metadata (docs/figures.md)."""
import json
import logging
import os
from pathlib import Path

import numpy as np

from cortexflow.provenance import run_figure_rule

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(message)s")
logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting chatter


def load_json(path):
    with open(path) as f:
        return json.load(f)


def areas_of(net):
    return [a.decode() if isinstance(a, bytes) else str(a) for a in net.extra["areas"]]


def anatomy(inp, opts, prov):
    from cortexflow.anatomy import readers, thickness
    from cortexflow.areas import AREAS
    from cortexflow.plotting.structure import anatomy_figure
    rel = thickness.relative_thicknesses_from_studies(readers.read_laminar_thicknesses(inp.laminar), AREAS)
    return anatomy_figure(load_json(inp.processed), readers.read_total_thickness(inp.thickness), rel)


def construction(inp, opts, prov):
    from cortexflow.plotting.structure import construction_figure, indegrees_by_type
    from cortexflow.structure.network_file import read_network
    net = read_network(inp.network)
    deg = indegrees_by_type(net)
    prov.notes["mean_indegree_V1"] = float(deg["I"][0] + deg["III"][0] + deg["ext"][0])
    return construction_figure(net, load_json(inp.processed))


def connectivity(inp, opts, prov):
    from cortexflow.anatomy import readers
    from cortexflow.plotting.structure import connectivity_figure
    from cortexflow.structure.network_file import read_network
    return connectivity_figure(read_network(inp.network), load_json(inp.processed),
                               readers.read_cocomac(inp.cocomac), cmap=opts["cmap"])


def laminar_patterns(inp, opts, prov):
    from cortexflow.anatomy import readers, sln
    from cortexflow.plotting.structure import laminar_figure
    from cortexflow.structure.network_file import read_network
    processed = load_json(inp.processed)
    data = readers.read_sln_fit_data(inp.sln_data)
    fit = processed["fits"]["sln"]
    cov = sln.fit_covariance(data, fit)
    x = np.linspace(data["DENS"].min() - 0.4, data["DENS"].max() + 0.4, 300)
    lo, hi = sln.probit_band(x, fit, cov, opts["band_level"])
    prov.notes["sln_se_b0_b1"] = np.sqrt(np.diag(cov)).tolist()
    logging.info("SLN fit b0 = %.6f, b1 = %.6f, SE = %s (n = %d)", fit["b0"], fit["b1"],
                 np.sqrt(np.diag(cov)), len(data))
    return laminar_figure(read_network(inp.network), processed, data, (x, lo, hi), opts["band_level"],
                          cmap=opts["cmap"])


def connectivity_measures(inp, opts, prov):
    from cortexflow.plotting.structure import connectivity_measures_figure
    from cortexflow.structure.network_file import read_network
    return connectivity_measures_figure(read_network(inp.network), tuple(opts["zoom_areas"]), cmap=opts["cmap"])


def communities(inp, opts, prov):
    from cortexflow.plotting.structure import communities_figure
    from cortexflow.structure import communities as cm, measures
    from cortexflow.structure.network_file import read_network
    net = read_network(inp.network)
    areas = areas_of(net)
    weights = measures.relative_outdegrees(
        measures.area_outdegrees(net.synapses, net.N, net.extra["area_of_population"], len(areas)))
    labels = cm.detect_communities(weights, areas, opts["method"], opts["seed"], opts["resolution"])
    q = cm.modularity(weights, labels)
    null_q = cm.null_modularities(weights, areas, opts["null_models"], opts["seed"], opts["method"],
                                  opts["resolution"])
    table = {"network": snakemake.params.network, "method": opts["method"], "seed": opts["seed"],
             "resolution": opts["resolution"], "modularity": q, "null_models": opts["null_models"],
             "null_modularity_mean": float(null_q.mean()), "null_modularity_sd": float(null_q.std()),
             "communities": [[a for a, lab in zip(areas, labels) if lab == k] for k in range(labels.max() + 1)],
             "weights": "relative outdegrees O(A<-B)/sum_B' O(A<-B'), diagonal 0 (docs/figures.md)"}
    tmp = Path(snakemake.output.communities).with_name(".tmp-" + Path(snakemake.output.communities).name)
    tmp.write_text(json.dumps(table, indent=1) + "\n")
    os.replace(tmp, snakemake.output.communities)
    logging.info("%d communities, Q = %.4f, null %.4f +- %.4f", labels.max() + 1, q, null_q.mean(), null_q.std())
    return communities_figure(weights, labels, areas, q, null_q, opts["method"], cmap=opts["cmap"])


def pd14_connectivity(inp, opts, prov):
    from cortexflow.plotting.structure import pd14_connectivity_figure
    from cortexflow.structure.network_file import read_network
    return pd14_connectivity_figure(read_network(inp.network), cmap=opts["cmap"])


FIGURES = {f.__name__: f for f in (anatomy, construction, connectivity, laminar_patterns, connectivity_measures,
                                   communities, pd14_connectivity)}

run_figure_rule(snakemake, FIGURES, "figures.structure")
