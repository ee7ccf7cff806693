"""Rules figure_sim_* of rules/figures_sim_extra.smk: figures of the simulation options and of the extra spiking
experiments (PD14 thalamic response and V_m traces; S17 Figs 3 and 9 / PCB18 Fig 2; PCB18 Figs 6 and 9), chosen by
params.figure. Reads the rule's inputs, calls cortexflow.plotting and saves PDF + PNG with provenance."""
import json

from cortexflow.plotting.figure_rule import run_figure_rule


def thalamic_response(inp, opts, prov):
    from cortexflow.analysis.stimulus import read_stimulus_response
    from cortexflow.plotting import stimulus as st
    from cortexflow.plotting.dynamics import raster_data
    resp = read_stimulus_response(inp.response)
    raster = raster_data(inp.spikes, resp["populations"], (resp["t_stim"] - 30.0, resp["t_stim"] + 50.0),
                         opts["fraction"])
    prov.notes["onset_ms"] = dict(zip(resp["populations"], [round(float(x), 2) for x in resp["onset_ms"]]))
    return st.thalamic_response_figure(resp, raster, footer=snakemake.params.footer, note=snakemake.params.note)


def membrane_potentials(inp, opts, prov):

    import h5py

    from cortexflow.plotting import stimulus as st
    from cortexflow.simulation.output import read_vm
    vm = read_vm(inp.vm)
    with h5py.File(inp.vm) as f:
        params = json.loads(f.attrs["params"])
    net, sim = params["network"], params["simulation"]
    stim = None
    if sim.get("thalamic_input"):
        t0 = sim["th_start"] - sim["t_presim"]
        stim = (t0, t0 + sim["th_duration"])
    return st.membrane_potential_figure(vm, list(vm), opts["window_ms"], net["V_th"], net["V_reset"],
                                        footer=snakemake.params.footer, stimulus_ms=stim, n_traces=opts["n_traces"])


def _runs(inp, labels):
    from cortexflow.analysis import meanfield_compare as mc
    from cortexflow.analysis.io import read_rate_series, read_summary
    from cortexflow.theory.io import read_fixed_point
    runs = []
    for summary, fp, series, label in zip(inp.summaries, inp.fixed_points, inp.rate_series, labels):
        table, verdict = mc.compare(read_summary(summary), read_fixed_point(fp))
        runs.append({"label": label, "table": table, "verdict": verdict, "series": read_rate_series(series)})
    return runs


def bistability(inp, opts, prov):
    from cortexflow.plotting import bistability as bi
    runs = _runs(inp, snakemake.params.labels)
    prov.notes["states"] = {r["label"]: r["verdict"] for r in runs}
    return bi.bistability_figure(runs, footer=snakemake.params.footer, title=snakemake.params.title,
                                 note=snakemake.params.note)


stabilised = bistability


def laminar_interactions(inp, opts, prov):
    from cortexflow.analysis.laminar import read_laminar
    from cortexflow.plotting import laminar as lp
    return lp.laminar_figure(read_laminar(inp.laminar), footer=snakemake.params.footer, cmap=opts["cmap"],
                             note=snakemake.params.note)


def v1_statistics(inp, opts, prov):
    from cortexflow.analysis.v1_statistics import read_v1
    from cortexflow.plotting import v1_statistics as vp
    v1 = read_v1(inp.v1)
    prov.notes["chu2014"] = v1["data"] is not None
    return vp.v1_figure(v1, footer=snakemake.params.footer, fmax=opts["fmax_hz"], note=snakemake.params.note)


def fc_chi(inp, opts, prov):
    from cortexflow.analysis.fc_sweep import best_chi, partition_agreement, sweep_table
    from cortexflow.areas import AREAS
    from cortexflow.plotting.alluvial import as_partition
    from cortexflow.plotting.fc_sweep import fc_chi_figure
    sims = [p.split("/")[2] for p in inp.fc]
    chis = [float(c) for c in snakemake.params.labels]
    structure = json.loads(open(inp.structure).read())
    table = sweep_table(list(inp.fc), chis, sims, as_partition(structure["communities"]))
    prov.notes["fc_chi"] = table.to_dict(orient="list")
    k = best_chi(table)
    comm = json.loads(open(list(inp.fc)[k]).read())["communities"]
    parts = {"structure": as_partition(structure["communities"]), "simulated": comm["synaptic_input"],
             "experimental": comm["experimental"]}
    areas = [a for a in AREAS if all(a in p for p in parts.values())]
    agreement = partition_agreement(parts, areas)
    prov.notes["alluvial"] = {"simulation": sims[k], "chi": chis[k], **agreement}
    shown = {"partitions": parts, "areas": areas, "agreement": agreement, "simulation": sims[k], "chi": chis[k],
             "structure_label": f"{structure.get('method', '')}, network {structure.get('network', '')}"}
    return fc_chi_figure(table, footer=snakemake.params.footer, note=snakemake.params.note, alluvial=shown)


FIGURES = {f.__name__: f for f in (thalamic_response, membrane_potentials, bistability, laminar_interactions,
                                   v1_statistics, fc_chi)}
FIGURES["stabilised"] = stabilised

run_figure_rule(snakemake, FIGURES, "figures.extra_dynamics")
