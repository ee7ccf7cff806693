"""Rules figure_sim_* of rules/figures_sim_extra.smk: figures of the simulation options and of the extra spiking
experiments (PD14 thalamic response and V_m traces; S17 Figs 3 and 9 / PCB18 Fig 2; PCB18 Figs 6 and 9), chosen by
params.figure. Reads the rule's inputs, calls cortexflow.plotting and saves PDF + PNG with provenance."""
import logging

from cortexflow.provenance import run_figure_rule

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(message)s")
logging.getLogger("fontTools").setLevel(logging.WARNING)


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
    import json

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


FIGURES = {f.__name__: f for f in (thalamic_response, membrane_potentials)}

run_figure_rule(snakemake, FIGURES, "figures.extra_dynamics")
