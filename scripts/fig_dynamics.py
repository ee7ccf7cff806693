"""Rules figure_dynamics, figure_model_vs_reference (rules/figures_dynamics.smk) and figure_validation
(rules/validation.smk): one dynamics figure (PD14 raster/statistics, PCB18 Figs 3-8, model vs reference,
validation), chosen by params.figure (params.key: its config key figures.dynamics.<key>, params.simulations:
the simulations it shows). Reads the rule's inputs, calls
cortexflow.plotting.dynamics and saves PDF + PNG with provenance metadata (docs/analysis.md "Figures")."""
import json
import logging
import textwrap

import numpy as np
import pandas as pd

from cortexflow.plotting.figure_rule import run_figure_rule


def _list(x):
    return [x] if isinstance(x, str) else list(x)


def pd14_raster(inp, opts, prov):
    from cortexflow.analysis.io import read_summary
    from cortexflow.plotting import dynamics as dyn
    summary = read_summary(inp.summary)
    data = dyn.raster_data(inp.spikes, list(summary["population"]), opts["window_ms"], opts["fraction"])
    prov.notes["neurons_shown"] = int(sum(d["n_shown"] for d in data))
    return dyn.pd14_raster_figure(data, summary, opts["window_ms"], footer=snakemake.params.footer)


def pd14_statistics(inp, opts, prov):
    from cortexflow.analysis.io import read_distributions, read_summary
    from cortexflow.plotting import dynamics as dyn
    summary = read_summary(inp.summary)
    return dyn.pd14_statistics_figure(summary, read_distributions(inp.distributions, list(summary["population"])),
                                      footer=snakemake.params.footer)


def state(inp, opts, prov):
    from cortexflow.analysis.io import read_summary
    from cortexflow.areas import AREAS
    from cortexflow.plotting import dynamics as dyn
    summary = read_summary(inp.summary)
    present = set(summary["area"])
    areas = [a for a in AREAS if a in present]
    rasters = {}
    for area in opts["areas"]:
        pops = [p for p in summary["population"] if p.startswith(f"{area}-")]
        if not pops:
            raise ValueError(f"figures.dynamics: area {area} is not recorded in {inp.spikes}")
        rasters[area] = dyn.raster_data(inp.spikes, pops, opts["window_ms"], opts["fraction"])
    return dyn.state_figure(rasters, opts["window_ms"], summary, areas,
                            f"{snakemake.params.key.replace('_', ' ').capitalize()}: "
                            f"simulation {snakemake.params.simulations[0]}",
                            footer=snakemake.params.footer)


def metastability(inp, opts, prov):
    from cortexflow.analysis.reference import meanfield_rates
    from cortexflow.analysis.io import read_rate_series, read_summary
    from cortexflow.plotting import dynamics as dyn
    from cortexflow.theory.io import read_fixed_point
    area = opts["area"]
    traces = []
    for label, rs_path, sum_path, fp_path in zip(snakemake.params.simulations, _list(inp.rate_series),
                                                 _list(inp.summary), _list(inp.fixed_point)):
        rs = read_rate_series(rs_path)
        if area not in rs["areas"]:
            raise ValueError(f"figures.dynamics.metastability.area: {area} is not recorded in {rs_path}")
        idx = [i for i, p in enumerate(rs["populations"]) if p.startswith(f"{area}-")]
        pops = [rs["populations"][i] for i in idx]
        w = rs["n_recorded"][idx].astype(float)
        mf = meanfield_rates(read_fixed_point(fp_path), pops)
        summary = read_summary(sum_path).set_index("population")
        t = rs["t_start_ms"] + rs["bin_ms"] * (np.arange(rs["area_rates"].shape[1]) + 0.5)
        traces.append({"label": label, "t_ms": t, "rate": rs["area_rates"][rs["areas"].index(area)],
                       "meanfield": float(np.sum(w * mf) / np.sum(w)), "pops": pops,
                       "pop_sim": summary.loc[pops, "rate"].to_numpy(float), "pop_mf": mf})
        prov.notes[f"{label}_{area}_rate"] = float(np.mean(traces[-1]["rate"]))
        prov.notes[f"{label}_{area}_meanfield"] = traces[-1]["meanfield"]
        logging.info("%s: %s rate %.3f, mean field %.3f spikes/s", label, area, np.mean(traces[-1]["rate"]),
                     traces[-1]["meanfield"])
    return dyn.metastability_figure(traces, area, opts["smooth_ms"], footer=snakemake.params.footer)


def spectra(inp, opts, prov):
    from cortexflow.plotting import dynamics as dyn
    data = [dyn.read_spectra(p) for p in _list(inp.spectra)]
    for lab, d in zip(snakemake.params.simulations, data):
        prov.notes[f"{lab}_welch"] = {k: d[k] for k in ("window", "nperseg", "noverlap", "n_segments")}
    return dyn.spectra_figure(data, list(snakemake.params.simulations), opts["area"], opts["fmax_hz"],
                              footer=snakemake.params.footer)


def temporal_hierarchy(inp, opts, prov):
    from cortexflow.plotting import dynamics as dyn
    cc = dyn.read_h5(inp.cross_correlation, ["areas", "lags_ms", "cross_correlation", "peak_lag_ms", "hierarchy"])
    return dyn.temporal_hierarchy_figure(cc["areas"], cc["peak_lag_ms"], cc["hierarchy"], cc["lags_ms"],
                                         cc["cross_correlation"], opts["reference_area"], opts["partners"],
                                         footer=snakemake.params.footer)


def functional_connectivity(inp, opts, prov):
    from cortexflow.analysis.fc_sweep import partition_agreement
    from cortexflow.plotting import dynamics as dyn
    from cortexflow.plotting.alluvial import as_partition
    sig = dyn.read_h5(inp.signals, ["areas", "fc_synaptic_input", "fc_experimental"])
    comm = json.loads(open(inp.communities).read())
    structure = json.loads(open(inp.structure).read())
    sim = comm["similarity"]["synaptic_input_vs_experimental"]
    prov.notes["fc_similarity"] = sim
    parts = {"structure": as_partition(structure["communities"]),
             "simulated": comm["communities"]["synaptic_input"], "experimental": comm["communities"]["experimental"]}
    prov.notes["community_agreement"] = partition_agreement(parts, list(sig["areas"]))
    return dyn.fc_figure(sig["areas"], sig["fc_synaptic_input"], sig["fc_experimental"],
                         comm["communities"]["synaptic_input"], comm["communities"]["experimental"],
                         float(sim if not isinstance(sim, dict) else sim.get("r", np.nan)), opts["cmap"],
                         snakemake.params.simulations[0], footer=snakemake.params.footer,
                         structure=parts["structure"],
                         structure_label=f"{structure.get('method', '')}, network {structure.get('network', '')}",
                         agreement=prov.notes["community_agreement"])


def model_vs_reference(inp, opts, prov):
    from cortexflow.analysis import reference as ref
    from cortexflow.analysis.io import read_summary
    from cortexflow.plotting import dynamics as dyn
    from cortexflow.theory.io import read_fixed_point
    summaries = [read_summary(p) for p in _list(inp.summary)]
    pops = list(summaries[0]["population"])
    for path, s in zip(_list(inp.summary), summaries):
        if list(s["population"]) != pops:
            raise ValueError(f"{path}: populations differ from {_list(inp.summary)[0]}")
    rates = np.array([s["rate"].to_numpy(float) for s in summaries])
    fp = read_fixed_point(inp.fixed_point)
    model = snakemake.params.model
    reference, label = ref.reference_rates(model, pops, fp)
    extra, cv = {}, None
    if model == "pd14":
        extra = {ref.PD14_NEST2_LABEL: np.array([ref.PD14_NEST2_RATES[p] for p in pops]),
                 "mean field (full scale)": ref.meanfield_rates(fp, pops)}
        cv = np.array([s["cv_isi"].to_numpy(float) for s in summaries])
    prov.notes["relative_deviation"] = dict(zip(pops, ((rates.mean(0) - reference) / reference).round(4).tolist()))
    return dyn.model_vs_reference_figure(pops, rates, reference, label, extra, cv,
                                         summaries[0]["n_neurons"].to_numpy(float), footer=snakemake.params.footer)


def validation(inp, opts, prov):
    from cortexflow.analysis import verdicts
    from cortexflow.plotting import dynamics as dyn
    report = pd.read_csv(inp.report, comment="#")
    distances = pd.read_csv(inp.distances, comment="#")
    runs = ", ".join(f"{r} (seed {s})" for r, s in zip(snakemake.params.runs, snakemake.params.seeds))
    line = verdicts.verdict(report, snakemake.wildcards.sim).line()
    prov.notes["verdict"] = line
    return dyn.validation_figure(report, distances, f"{runs}\n" + textwrap.fill(line, 115),
                                 footer=snakemake.params.footer)


FIGURES = {f.__name__: f for f in (pd14_raster, pd14_statistics, state, metastability, spectra, temporal_hierarchy,
                                   functional_connectivity, model_vs_reference, validation)}

run_figure_rule(snakemake, FIGURES, "figures.dynamics")
