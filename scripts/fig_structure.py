"""Rule figure_structure (rules/figures_structure.smk): one structure figure (Schmidt et al. 2018 BSF Figs 2-7,
PD14 connectivity), chosen by params.figure. Reads processed.json, data_points.json, network.h5 and
communities.json (no raw files), calls cortexflow.plotting.structure and saves PDF + PNG with provenance
metadata (docs/figures.md)."""
import json

import numpy as np

from cortexflow.plotting.figure_rule import run_figure_rule


def load_json(path):
    with open(path) as f:
        return json.load(f)


def anatomy(inp, opts, prov):
    from cortexflow.anatomy.data_points import read_data_points
    from cortexflow.plotting.structure import anatomy_figure
    points = read_data_points(inp.data_points)
    return anatomy_figure(load_json(inp.processed), points["thickness_data_um"], points["relative_thickness_data"])


def construction(inp, opts, prov):
    from cortexflow.plotting.structure import construction_figure
    from cortexflow.structure.measures import indegrees_by_type
    from cortexflow.structure.network_file import read_network
    net = read_network(inp.network)
    deg = indegrees_by_type(net)
    prov.notes["mean_indegree_V1"] = float(deg["I"][0] + deg["III"][0] + deg["ext"][0])
    return construction_figure(net, load_json(inp.processed))


def connectivity(inp, opts, prov):
    from cortexflow.anatomy.data_points import read_data_points
    from cortexflow.plotting.structure import connectivity_figure
    from cortexflow.structure.network_file import read_network
    return connectivity_figure(read_network(inp.network), load_json(inp.processed),
                               read_data_points(inp.data_points)["cocomac_pairs"], cmap=opts["cmap"])


def laminar_patterns(inp, opts, prov):
    from cortexflow.anatomy.data_points import read_data_points
    from cortexflow.plotting.structure import laminar_figure
    from cortexflow.structure.network_file import read_network
    points = read_data_points(inp.data_points)
    band = points["sln_fit"]["band"]
    if band["level"] != opts["band_level"]:
        raise ValueError(f"{inp.data_points}: band at level {band['level']}, figure options ask for "
                         f"{opts['band_level']}")
    prov.notes["sln_se_b0_b1"] = points["sln_fit"]["se_b0_b1"]
    return laminar_figure(read_network(inp.network), load_json(inp.processed), points["sln_observations"],
                          (band["x"], band["lower"], band["upper"]), band["level"], cmap=opts["cmap"])


def connectivity_measures(inp, opts, prov):
    from cortexflow.plotting.structure import connectivity_measures_figure
    from cortexflow.structure.network_file import read_network
    return connectivity_measures_figure(read_network(inp.network), tuple(opts["zoom_areas"]), cmap=opts["cmap"])


def communities(inp, opts, prov):
    from cortexflow.plotting.structure import communities_figure
    from cortexflow.structure import measures
    from cortexflow.structure.network_file import read_network
    net = read_network(inp.network)
    areas = measures.area_names(net)
    weights = measures.relative_outdegrees(
        measures.area_outdegrees(net.synapses, net.N, net.extra["area_of_population"], len(areas)))
    table = load_json(inp.communities)
    labels = np.empty(len(areas), dtype=int)
    for k, members in enumerate(table["communities"]):
        labels[[areas.index(a) for a in members]] = k
    prov.notes["communities"] = len(table["communities"])
    return communities_figure(weights, labels, areas, table["modularity"], np.array(table["null_modularities"]),
                              table["method"], cmap=opts["cmap"])


def pd14_connectivity(inp, opts, prov):
    from cortexflow.plotting.structure import pd14_connectivity_figure
    from cortexflow.structure.network_file import read_network
    return pd14_connectivity_figure(read_network(inp.network), cmap=opts["cmap"])


FIGURES = {f.__name__: f for f in (anatomy, construction, connectivity, laminar_patterns, connectivity_measures,
                                   communities, pd14_connectivity)}

run_figure_rule(snakemake, FIGURES, "figures.structure")
