# Stage 5: spike analysis (docs/analysis.md). Per simulation of config["simulations"]:
#   spike_statistics:   results/sims/{sim}/spikes.h5 -> stats/summary.csv (one row per population: rates,
#                       CV ISI, LvR, CC, synchrony), stats/distributions.h5, stats/rate_series.h5
#   power_spectra:      stats/rate_series.h5 -> stats/spectra.h5
#   area_signals (mam): + the simulated network.h5 and the experimental FC -> stats/area_signals.h5
#                       (synaptic input, BOLD, FC) and stats/fc_communities.json (Louvain, seeded)
#   temporal_hierarchy (mam): stats/rate_series.h5 -> stats/temporal_hierarchy.csv, stats/cross_correlation.h5
#   granger_causality:  stats/rate_series.h5 + network.h5 -> stats/granger.csv (conditional Granger causality;
#                       optional and heavy: only through granger_all, never in analysis_all or all)
# (input functions: cortexflow.workflow.inputs, the analysis.welch check in inputs.power_spectra)


rule spike_statistics:
    """Rates, CV ISI, LvR, spike-count correlations, synchrony and binned rate series, streamed per population."""
    input:
        spikes=paths.SPIKES,
    output:
        summary=paths.SUMMARY,
        distributions=paths.DISTRIBUTIONS,
        rate_series=paths.RATE_SERIES,
    log:
        "logs/analysis/spike_statistics_{sim}.log",
    benchmark:
        "benchmarks/results/spike_statistics_{sim}.tsv"
    wildcard_constraints:
        sim=WC["run_sim_seeds"],  # + scale-study runs, seed variants {sim}/seed{k} (rule validate)
    conda:
        "../envs/analysis.yaml"
    resources:
        mem_mb=2000,
    params:
        options=settings.spike_statistics_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/spike_statistics.py"


rule power_spectra:
    """Welch power spectra of the population and area rates (>= analysis.welch.min_segments segments)."""
    input:
        unpack(inputs.power_spectra),  # checks analysis.welch (plan time)
    output:
        paths.SPECTRA,
    log:
        "logs/analysis/power_spectra_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/power_spectra_{sim}.tsv"
    wildcard_constraints:
        sim=WC["sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        welch=ANALYSIS.get("welch") or {},
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/power_spectra.py"


rule area_signals:
    """fMRI proxies of Schmidt et al. 2018: synaptic input (causal filter by default), BOLD, FC, communities."""
    input:
        rate_series=paths.RATE_SERIES,
        network=paths.SIM_NETWORK,
        exp_fc=raw("Fig8_exp_func_conn.csv"),
    output:
        h5=paths.AREA_SIGNALS,
        json=paths.FC_COMMUNITIES,
    log:
        "logs/analysis/area_signals_{sim}.log",
    benchmark:
        "benchmarks/results/area_signals_{sim}.tsv"
    wildcard_constraints:
        sim=WC["mam_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        options={k: ANALYSIS.get(k) or {} for k in ("fmri", "fc")},
    script:
        "../scripts/area_signals.py"


rule temporal_hierarchy:
    """Inter-area cross-correlation peak lags and the least-squares temporal hierarchy."""
    input:
        rate_series=paths.RATE_SERIES,
    output:
        csv=paths.TEMPORAL_HIERARCHY,
        h5=paths.CROSS_CORRELATION,
    log:
        "logs/analysis/temporal_hierarchy_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/temporal_hierarchy_{sim}.tsv"
    wildcard_constraints:
        sim=WC["mam_sim"],
    conda:
        "../envs/analysis.yaml"
    params:
        options=ANALYSIS.get("hierarchy") or {},
    script:
        "../scripts/temporal_hierarchy.py"


rule analysis_all:
    """Every analysis output of every simulation in config["simulations"]."""
    input:
        targets.analysis_outputs(config),


rule granger_causality:
    """Conditional Granger causality (VAR, Levene test) onto every target population from its sources with K > k_min."""
    input:
        rate_series=paths.RATE_SERIES,
        network=paths.SIM_NETWORK,
    output:
        paths.GRANGER,
    log:
        "logs/analysis/granger_causality_{sim}.log",
    benchmark:
        "benchmarks/results/granger_causality_{sim}.tsv"
    wildcard_constraints:
        sim=WC["sim"],
    conda:
        "../envs/analysis.yaml"
    resources:
        mem_mb=2000,
    params:
        options=ANALYSIS.get("granger") or {},
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/granger_causality.py"


rule granger_all:
    """Optional: conditional Granger causality of every simulation in config["simulations"] (not in `all`)."""
    input:
        targets.granger_outputs(config),
