"""Rules figure_s17_*: one figure of Schuecker, Schmidt et al. 2017 (PLoS CB) from the stabilisation record
(rules/theory.smk, docs/theory.md), chosen by params.figure; PDF + PNG with provenance metadata."""
from cortexflow.plotting import theory as plots
from cortexflow.plotting.figure_rule import run_figure_rule
from cortexflow.structure.network_file import read_network
from cortexflow.theory.io import read_stabilisation

KAPPA = float(snakemake.params.kappa_network)


def bistability(inp, opts, prov):
    return plots.bistability_figure(read_stabilisation(inp.record), KAPPA)


def rates(inp, opts, prov):
    rec = read_stabilisation(inp.record)
    return plots.rates_figure(rec["populations"], rec["rates_before"], rec["rates_after"], KAPPA)


def eigenspectrum(inp, opts, prov):
    rec = read_stabilisation(inp.record)
    return plots.eigenspectrum_figure(rec["populations"], rec["iterations"][0])


def indegree_changes(inp, opts, prov):
    return plots.indegree_changes_figure(read_stabilisation(inp.record), read_network(inp.network).N)


def published_comparison(inp, opts, prov):
    return plots.published_comparison_figure(read_stabilisation(inp.record))


FIGURES = {f.__name__: f for f in (bistability, rates, eigenspectrum, indegree_changes, published_comparison)}
run_figure_rule(snakemake, FIGURES, "theory.figures")
