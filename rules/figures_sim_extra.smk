# Simulation options and the extra spiking experiments of issue #15 (docs/figures.md, docs/analysis.md).
#   stimulus_response:   results/sims/{sim}/spikes.h5 (thalamic_input) -> stats/stimulus_response.h5
#   figure_sim_thalamic_response: figures/potjans2014/thalamic_response.pdf|png
#   figure_sim_membrane_potentials: results/sims/{sim}/vm.h5 (record_vm) -> figures/potjans2014/membrane_potentials.pdf|png
#   laminar_interactions: stats/granger.csv + network + summary + processed anatomy -> stats/laminar_interactions.h5
#   figure_sim_laminar_interactions: figures/schmidt2018_pcb/fig9_laminar_interactions.pdf|png
#   v1_statistics: stats/distributions.h5 + rate_series.h5 (+ Chu 2014 if configured) -> stats/v1_statistics.h5
#   figure_sim_v1_statistics: figures/schmidt2018_pcb/fig6_v1_statistics.pdf|png
#   figure_sim_bistability / figure_sim_stabilised (config/s17_spiking.yaml, target s17_spiking):
#       figures/schuecker2017/fig3_bistability_spiking, fig9_stabilised_spiking, figures/schmidt2018_pcb/fig2_bistability
# A figure whose simulation is not in `simulations` is not built; aggregate: figures_sim_extra.
from cortexflow.analysis import stimulus as _stim

EXTRA = config["figures"].get("extra_dynamics") or {}
STIM_SIMS = [s for s, e in SIMULATIONS.items() if e.get("thalamic_input")]
EXTRA_CATEGORY = "Potjans & Diesmann 2014: dynamics"


def _extra_sim(key):
    sim = (EXTRA.get(key) or {}).get("simulation")
    return sim if sim in SIMULATIONS else None


def _kappa(sim):
    """kappa (fac_nu_ext_5E) of a simulation's network; the stabilised network carries its base's kappa_network."""
    net = SIMULATIONS[sim]["network"]
    entry = config["networks"].get(net) or config["networks"].get(net.removesuffix("-stable"), {})
    if net.endswith("-stable") and net not in config["networks"]:
        return (config.get("theory") or {}).get("stabilisation", {}).get("kappa_network", 1.125)
    return entry.get("fac_nu_ext_5E", 1.125)


def _laminar_note(sim):
    e = SIMULATIONS[sim]
    return (f"Granger causality of {sim} (N_scaling {e.get('N_scaling', 1):g}, K_scaling {e.get('K_scaling', 1):g}, "
            f"{(e['t_sim'] - ANALYSIS.get('t_min', 500.0)) / 1e3:g} s analysed; PCB18: full scale, 100 s): sources with "
            f"scaled K > {ANALYSIS['granger']['k_min']:g}; paths: gain graph of the full-scale network at the simulated rates")


def _v1_note(sim):
    d = (EXTRA.get("v1_statistics") or {}).get("chu2014_dir")
    e = SIMULATIONS[sim]
    base = (f"{sim}: {(e['t_sim'] - ANALYSIS.get('t_min', 500.0)) / 1e3:g} s analysed at N_scaling {e.get('N_scaling', 1):g}, "
            f"K_scaling {e.get('K_scaling', 1):g} (PCB18: 100 s at full scale)")
    return base + ("" if d else "; Chu et al. 2014 recordings not configured "
                   "(figures.extra_dynamics.v1_statistics.chu2014_dir: null): data panels omitted")


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


rule laminar_interactions:
    """Significant Granger channels per architectural-type gradient and the shortest paths of the gain graph."""
    input:
        granger="results/sims/{sim}/stats/granger.csv",
        summary="results/sims/{sim}/stats/summary.csv",
        network=lambda w: f"results/networks/{SIMULATIONS[w.sim]['network']}/network.h5",
        processed="results/anatomy/processed.json",
    output:
        "results/sims/{sim}/stats/laminar_interactions.h5",
    log:
        "logs/analysis/laminar_interactions_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/laminar_interactions_{sim}.tsv"
    wildcard_constraints:
        sim="|".join(re.escape(s) for s in MAM_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/laminar_interactions.py"


rule v1_statistics:
    """V1 rate distributions and spectrogram; the Chu et al. 2014 recordings when configured."""
    input:
        distributions="results/sims/{sim}/stats/distributions.h5",
        rate_series="results/sims/{sim}/stats/rate_series.h5",
    output:
        "results/sims/{sim}/stats/v1_statistics.h5",
    params:
        area=(EXTRA.get("v1_statistics") or {}).get("area", "V1"),
        nperseg=(EXTRA.get("v1_statistics") or {}).get("nperseg", 256),
        noverlap=(EXTRA.get("v1_statistics") or {}).get("noverlap", 192),
        chu2014_dir=(EXTRA.get("v1_statistics") or {}).get("chu2014_dir"),
    log:
        "logs/analysis/v1_statistics_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/v1_statistics_{sim}.tsv"
    wildcard_constraints:
        sim="|".join(re.escape(s) for s in MAM_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/v1_statistics.py"


rule figure_sim_laminar_interactions:
    """PCB18 Fig 9: laminar channels of the significant Granger interactions and of the shortest gain paths."""
    input:
        laminar=lambda w: f"results/sims/{_extra_sim('laminar_interactions')}/stats/laminar_interactions.h5",
    output:
        pdf="figures/schmidt2018_pcb/fig9_laminar_interactions.pdf",
        png="figures/schmidt2018_pcb/fig9_laminar_interactions.png",
    params:
        figure="laminar_interactions",
        options=EXTRA.get("laminar_interactions") or {},
        footer=lambda w: [_wf.footer_entry(config, _extra_sim("laminar_interactions"))],
        note=lambda w: _laminar_note(_extra_sim("laminar_interactions")),
    log:
        "logs/figures_sim_extra/laminar_interactions.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/laminar_interactions.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


rule figure_sim_v1_statistics:
    """PCB18 Fig 6: V1 rate distributions and spectrogram (model; Chu 2014 data panels when configured)."""
    input:
        v1=lambda w: f"results/sims/{_extra_sim('v1_statistics')}/stats/v1_statistics.h5",
    output:
        pdf="figures/schmidt2018_pcb/fig6_v1_statistics.pdf",
        png="figures/schmidt2018_pcb/fig6_v1_statistics.png",
    params:
        figure="v1_statistics",
        options=EXTRA.get("v1_statistics") or {},
        footer=lambda w: [_wf.footer_entry(config, _extra_sim("v1_statistics"))],
        note=lambda w: _v1_note(_extra_sim("v1_statistics")),
    log:
        "logs/figures_sim_extra/v1_statistics.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/v1_statistics.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


def _s17_inputs(sims):
    return {"summaries": [f"results/sims/{s}/stats/summary.csv" for s in sims],
            "rate_series": [f"results/sims/{s}/stats/rate_series.h5" for s in sims],
            "fixed_points": [f"results/theory/{SIMULATIONS[s]['network']}/fixed_point.h5" for s in sims]}


S17_BISTABLE = [s for s in (EXTRA.get("bistability") or {}).get("simulations", []) if s in SIMULATIONS]
S17_STABLE = _extra_sim("stabilised")


rule figure_sim_bistability:
    """S17 Fig 3 / PCB18 Fig 2: the unstabilised network at kappa = 1 and 1.125 against its mean-field attractors."""
    input:
        unpack(lambda w: _s17_inputs(S17_BISTABLE)),
    output:
        pdf="figures/schuecker2017/fig3_bistability_spiking.pdf",
        png="figures/schuecker2017/fig3_bistability_spiking.png",
    params:
        figure="bistability",
        options=EXTRA.get("bistability") or {},
        labels=lambda w: [f"{s} (kappa {_kappa(s)})" for s in S17_BISTABLE],
        title="Unstabilised network: spiking rates against the mean-field low- and high-activity fixed points",
        footer=lambda w: [_wf.footer_entry(config, s) for s in S17_BISTABLE],
    log:
        "logs/figures_sim_extra/bistability.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/bistability.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


rule figure_sim_stabilised:
    """S17 Fig 9: the stabilised network simulated, against its mean field."""
    input:
        unpack(lambda w: _s17_inputs([S17_STABLE])),
    output:
        pdf="figures/schuecker2017/fig9_stabilised_spiking.pdf",
        png="figures/schuecker2017/fig9_stabilised_spiking.png",
    params:
        figure="stabilised",
        options=EXTRA.get("stabilised") or {},
        labels=lambda w: [f"{S17_STABLE} (stabilised, kappa {_kappa(S17_STABLE)})"],
        title="Stabilised network (S17): spiking rates against its mean field",
        footer=lambda w: [_wf.footer_entry(config, S17_STABLE)],
    log:
        "logs/figures_sim_extra/stabilised.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/stabilised.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/fig_sim_extra.py"


rule s17_spiking:
    """Named target (with --configfile config/s17_spiking.yaml): S17 Figs 3 and 9 / PCB18 Fig 2 from spiking runs."""
    input:
        ([] if len(S17_BISTABLE) < 2 else rules.figure_sim_bistability.output)
        + ([] if S17_STABLE is None else rules.figure_sim_stabilised.output),


rule figures_sim_extra:
    """Every figure of this file whose simulation is configured."""
    input:
        [f"figures/{paper}/{name}.{ext}" for key, paper, name in
         (("thalamic_response", "potjans2014", "thalamic_response"),
          ("membrane_potentials", "potjans2014", "membrane_potentials"),
          ("laminar_interactions", "schmidt2018_pcb", "fig9_laminar_interactions"),
          ("v1_statistics", "schmidt2018_pcb", "fig6_v1_statistics"))
         if _extra_sim(key) for ext in ("pdf", "png")],


VM_SIMS = [s for s, e in SIMULATIONS.items() if e.get("record_vm")]


use rule simulate as simulate_vm with:
    output:
        spikes="results/sims/{sim}/spikes.h5",
        run="results/sims/{sim}/run.json",
        vm="results/sims/{sim}/vm.h5",
    wildcard_constraints:
        sim="|".join(re.escape(s) for s in VM_SIMS) or "NO_SIMULATION",


ruleorder: simulate_vm > simulate
