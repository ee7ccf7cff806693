"""Rules figure_s17_*: one figure of Schuecker, Schmidt et al. 2017 (PLoS CB) from the stabilisation record
(rules/theory.smk, docs/theory.md), chosen by params.figure; PDF + PNG with provenance metadata."""
import logging

import matplotlib

from cortexflow.provenance import tracked

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(message)s")

with tracked(snakemake) as prov:
    from cortexflow.plotting import theory as plots
    from cortexflow.structure.network_file import read_network
    from cortexflow.theory.io import read_stabilisation

    name = snakemake.params.figure
    opts = dict(snakemake.params.options)
    kappa_network = float(snakemake.params.kappa_network)
    try:
        rec = read_stabilisation(snakemake.input.record)
        if name == "bistability":
            fig = plots.bistability_figure(rec, kappa_network)
        elif name == "rates":
            fig = plots.rates_figure(rec["populations"], rec["rates_before"], rec["rates_after"], kappa_network)
        elif name == "eigenspectrum":
            fig = plots.eigenspectrum_figure(rec["populations"], rec["iterations"][0])
        elif name == "indegree_changes":
            fig = plots.indegree_changes_figure(rec, read_network(snakemake.input.network).N)
        elif name == "published_comparison":
            fig = plots.published_comparison_figure(rec)
        else:
            raise ValueError(f"unknown theory figure {name!r}")
        matplotlib.rcParams["savefig.dpi"] = opts["dpi"]
        prov.save_figure(fig, [snakemake.output.pdf, snakemake.output.png])
    except Exception:
        logging.exception("figure %s failed", name)
        raise
    logging.info("wrote %s, %s", snakemake.output.pdf, snakemake.output.png)
