# Simulation options and the extra spiking experiments of issue #15 (docs/figures.md "Simulation options and
# extra spiking experiments", docs/analysis.md, docs/simulation.md). Glue: cortexflow.workflow.sim_extra (sx).
#   simulate_vm:          rule simulate with vm.h5 as a third output, for the simulations with record_vm
#   stimulus_response:    spikes.h5 (thalamic_input) -> stats/stimulus_response.h5
#   laminar_interactions: stats/granger.csv + summary.csv + full-scale network.h5 + processed.json
#                         -> stats/laminar_interactions.h5
#   v1_statistics:        stats/distributions.h5 + rate_series.h5 (+ Chu 2014 if configured) -> stats/v1_statistics.h5
#   figure_sim_extra:     figures/{figure}.pdf|png of sx.DEFAULT_FIGURES and sx.S17_FIGURES, one script
# Aggregates: figures_sim_extra (in `all`), s17_spiking (--configfile config/s17_spiking.yaml), fc_chi_sweep
# (--configfile config/chi_sweep.yaml, target fc_chi_sweep).
use rule simulate as simulate_vm with:
    output:
        spikes=paths.SPIKES,
        run=paths.RUN,
        vm=paths.VM,
    wildcard_constraints:
        sim=sx.pattern(sx.vm_simulations(config)),


ruleorder: simulate_vm > simulate


rule stimulus_response:
    """Peri-stimulus population rates around the thalamic pulse; onset and peak latency per population."""
    input:
        spikes=paths.SPIKES,
    output:
        paths.STIMULUS_RESPONSE,
    log:
        "logs/analysis/stimulus_response_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/stimulus_response_{sim}.tsv"
    wildcard_constraints:
        sim=sx.pattern(sx.stimulus_simulations(config)),
    conda:
        "../envs/analysis.yaml"
    params:
        th_start=lambda w: config["simulations"][w.sim]["th_start"],
        th_duration=lambda w: config["simulations"][w.sim]["th_duration"],
        th_pulses=lambda w: config["simulations"][w.sim]["th_pulses"],
        th_interval=lambda w: config["simulations"][w.sim]["th_interval"],
        options=ANALYSIS.get("stimulus") or {},
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/stimulus_response.py"


rule laminar_interactions:
    """Significant Granger channels per architectural-type gradient and the shortest paths of the gain graph."""
    input:
        granger=paths.GRANGER,
        summary=paths.SUMMARY,
        network=inputs.full_network,
        processed=paths.PROCESSED,
    output:
        paths.LAMINAR_INTERACTIONS,
    log:
        "logs/analysis/laminar_interactions_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/laminar_interactions_{sim}.tsv"
    wildcard_constraints:
        sim=WC["mam_sim"],
    conda:
        "../envs/analysis.yaml"
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/laminar_interactions.py"


rule v1_statistics:
    """V1 rate distributions and spectrogram; the Chu et al. 2014 recordings when configured."""
    input:
        distributions=paths.DISTRIBUTIONS,
        rate_series=paths.RATE_SERIES,
    output:
        paths.V1_STATISTICS,
    log:
        "logs/analysis/v1_statistics_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/v1_statistics_{sim}.tsv"
    wildcard_constraints:
        sim=WC["mam_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        area=EXTRA["v1_statistics"]["area"],
        nperseg=EXTRA["v1_statistics"]["nperseg"],
        noverlap=EXTRA["v1_statistics"]["noverlap"],
        chu2014_dir=EXTRA["v1_statistics"]["chu2014_dir"],
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/v1_statistics.py"


rule figure_sim_extra:
    """One figure of sx.DEFAULT_FIGURES / sx.S17_FIGURES ({figure} = paper directory/file stem)."""
    input:
        unpack(lambda w: sx.figure_inputs(config, w.figure)),
    output:
        pdf=paths.FIGURE.replace("{ext}", "pdf"),
        png=paths.FIGURE.replace("{ext}", "png"),
    log:
        "logs/figures_sim_extra/{figure}.log",
    benchmark:
        "benchmarks/results/figures_sim_extra/{figure}.tsv"
    wildcard_constraints:
        figure=sx.figure_pattern(),
    conda:
        "../envs/analysis.yaml"
    params:
        figure=lambda w: sx.figure_key(w.figure),
        options=lambda w: EXTRA[sx.figure_key(w.figure)],
        footer=lambda w: sx.figure_footer(config, w.figure),
        note=lambda w: sx.figure_note(config, w.figure),
        labels=lambda w: sx.figure_labels(config, w.figure),
        title=lambda w: sx.figure_title(w.figure),
    script:
        "../scripts/fig_sim_extra.py"


rule figures_sim_extra:
    """The figures of this file in the default run: those whose simulation is configured."""
    input:
        sx.targets(config),


rule fc_chi_sweep:
    """Named target (with --configfile config/chi_sweep.yaml): PCB18 Fig 8 across chi (FC vs experiment)."""
    input:
        sx.chi_targets(config),


rule s17_spiking:
    """Named target (with --configfile config/s17_spiking.yaml): S17 Figs 3 and 9 / PCB18 Fig 2 from spiking runs."""
    input:
        sx.s17_targets(config),
