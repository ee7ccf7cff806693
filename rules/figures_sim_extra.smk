# Simulation options and the extra spiking experiments of issue #15 (docs/figures.md, docs/analysis.md).
#   stimulus_response:   results/sims/{sim}/spikes.h5 (thalamic_input) -> stats/stimulus_response.h5
#   figure_sim_thalamic_response: figures/potjans2014/thalamic_response.pdf|png
#   figure_sim_membrane_potentials: results/sims/{sim}/vm.h5 (record_vm) -> figures/potjans2014/membrane_potentials.pdf|png
# A figure whose simulation is not in `simulations` is not built; aggregate: figures_sim_extra.
from cortexflow.analysis import stimulus as _stim

EXTRA = config["figures"].get("extra_dynamics") or {}
STIM_SIMS = [s for s, e in SIMULATIONS.items() if e.get("thalamic_input")]
EXTRA_CATEGORY = "Potjans & Diesmann 2014: dynamics"


def _extra_sim(key):
    sim = (EXTRA.get(key) or {}).get("simulation")
    return sim if sim in SIMULATIONS else None


rule stimulus_response:
    """Peri-stimulus population rates around the thalamic pulse; onset and peak latency per population."""
    input:
        spikes="results/sims/{sim}/spikes.h5",
    output:
        "results/sims/{sim}/stats/stimulus_response.h5",
    params:
        th_start=lambda w: SIMULATIONS[w.sim]["th_start"],
        th_duration=lambda w: SIMULATIONS[w.sim]["th_duration"],
        options=ANALYSIS.get("stimulus") or {},
    log:
        "logs/analysis/stimulus_response_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/stimulus_response_{sim}.tsv"
    wildcard_constraints:
        sim="|".join(re.escape(s) for s in STIM_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/stimulus_response.py"


rule figure_sim_thalamic_response:
    """PD14: raster and population rates around the thalamic pulse, onset and peak latencies."""
    input:
        response=lambda w: f"results/sims/{_extra_sim('thalamic_response')}/stats/stimulus_response.h5",
        spikes=lambda w: f"results/sims/{_extra_sim('thalamic_response')}/spikes.h5",
    output:
        pdf="figures/potjans2014/thalamic_response.pdf",
        png="figures/potjans2014/thalamic_response.png",
    params:
        figure="thalamic_response",
        options=EXTRA.get("thalamic_response") or {},
        footer=lambda w: [_wf.footer_entry(config, _extra_sim("thalamic_response"))],
        note=lambda w: _stim.thalamic_note(SIMULATIONS[_extra_sim("thalamic_response")], ANALYSIS.get("stimulus") or {}),
    log:
        "logs/figures_sim_extra/thalamic_response.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/thalamic_response.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


rule figure_sim_membrane_potentials:
    """V_m traces of the first recorded neurons per population (record_vm)."""
    input:
        vm=lambda w: f"results/sims/{_extra_sim('membrane_potentials')}/vm.h5",
    output:
        pdf="figures/potjans2014/membrane_potentials.pdf",
        png="figures/potjans2014/membrane_potentials.png",
    params:
        figure="membrane_potentials",
        options=EXTRA.get("membrane_potentials") or {},
        footer=lambda w: [_wf.footer_entry(config, _extra_sim("membrane_potentials"))],
    log:
        "logs/figures_sim_extra/membrane_potentials.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/membrane_potentials.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


rule figures_sim_extra:
    """Every figure of this file whose simulation is configured."""
    input:
        [f"figures/potjans2014/{name}.{ext}" for key, name in
         (("thalamic_response", "thalamic_response"), ("membrane_potentials", "membrane_potentials"))
         if _extra_sim(key) for ext in ("pdf", "png")],
