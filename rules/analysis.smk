# Stage 5: spike analysis (docs/analysis.md). Per simulation of config["simulations"]:
#   spike_statistics:   results/sims/{sim}/spikes.h5 -> stats/summary.csv (one row per population: rates,
#                       CV ISI, LvR, CC, synchrony), stats/distributions.h5, stats/rate_series.h5
#   power_spectra:      stats/rate_series.h5 -> stats/spectra.h5
#   area_signals (mam): + the simulated network.h5 and the experimental FC -> stats/area_signals.h5
#                       (synaptic input, BOLD, FC) and stats/fc_communities.json (Louvain, seeded)
#   temporal_hierarchy (mam): stats/rate_series.h5 -> stats/temporal_hierarchy.csv, stats/cross_correlation.h5
#   granger_causality:  stats/rate_series.h5 + network.h5 -> stats/granger.csv (conditional Granger causality;
#                       optional and heavy: only through granger_all, never in analysis_all or all)
# (settings and input functions of this stage: rules/common.smk; the analysis.welch check:
# cortexflow.analysis.workflow.spectra_input)
from cortexflow.analysis import workflow as _wf


rule spike_statistics:
    """Rates, CV ISI, LvR, spike-count correlations, synchrony and binned rate series, streamed per population."""
    input:
        spikes="results/sims/{sim}/spikes.h5",
    output:
        summary="results/sims/{sim}/stats/summary.csv",
        distributions="results/sims/{sim}/stats/distributions.h5",
        rate_series="results/sims/{sim}/stats/rate_series.h5",
    params:
        options={k: ANALYSIS[k] for k in SPIKE_STAT_KEYS if k in ANALYSIS},
    resources:
        mem_mb=2000,
    log:
        "logs/analysis/spike_statistics_{sim}.log",
    benchmark:
        "benchmarks/results/spike_statistics_{sim}.tsv"
    wildcard_constraints:
        sim=sim_pattern(RUN_SIMS, seed_variants=True),  # + scale-study runs, seed variants {sim}/seed{k} (rule validate)
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/spike_statistics.py"


rule power_spectra:
    """Welch power spectra of the population and area rates (>= analysis.welch.min_segments segments)."""
    input:
        unpack(lambda w: _wf.spectra_input(config, w.sim)),  # checks analysis.welch (plan time)
    output:
        "results/sims/{sim}/stats/spectra.h5",
    params:
        welch=ANALYSIS.get("welch") or {},
    log:
        "logs/analysis/power_spectra_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/power_spectra_{sim}.tsv"
    wildcard_constraints:
        sim=ANALYSIS_SIM_NAMES,
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/power_spectra.py"


rule area_signals:
    """fMRI proxies of Schmidt et al. 2018: synaptic input (causal filter by default), BOLD, FC, communities."""
    input:
        rate_series="results/sims/{sim}/stats/rate_series.h5",
        network="results/sims/{sim}/network.h5",
        exp_fc=raw("Fig8_exp_func_conn.csv"),
    output:
        h5="results/sims/{sim}/stats/area_signals.h5",
        json="results/sims/{sim}/stats/fc_communities.json",
    params:
        options={k: ANALYSIS.get(k) or {} for k in ("fmri", "fc")},
    log:
        "logs/analysis/area_signals_{sim}.log",
    benchmark:
        "benchmarks/results/area_signals_{sim}.tsv"
    wildcard_constraints:
        sim="|".join(_re_analysis.escape(s) for s in MAM_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/area_signals.py"


rule temporal_hierarchy:
    """Inter-area cross-correlation peak lags and the least-squares temporal hierarchy."""
    input:
        rate_series="results/sims/{sim}/stats/rate_series.h5",
    output:
        csv="results/sims/{sim}/stats/temporal_hierarchy.csv",
        h5="results/sims/{sim}/stats/cross_correlation.h5",
    params:
        options=ANALYSIS.get("hierarchy") or {},
    log:
        "logs/analysis/temporal_hierarchy_{sim}.log",
    benchmark:
        "benchmarks/results/analysis/temporal_hierarchy_{sim}.tsv"
    wildcard_constraints:
        sim="|".join(_re_analysis.escape(s) for s in MAM_SIMS) or "NO_SIMULATION",
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/temporal_hierarchy.py"


rule analysis_all:
    """Every analysis output of every simulation in config["simulations"]."""
    input:
        analysis_outputs(),


rule granger_causality:
    """Conditional Granger causality (VAR, Levene test) onto every target population from its sources with K > k_min."""
    input:
        rate_series="results/sims/{sim}/stats/rate_series.h5",
        network="results/sims/{sim}/network.h5",
    output:
        "results/sims/{sim}/stats/granger.csv",
    params:
        options=ANALYSIS.get("granger") or {},
    resources:
        mem_mb=2000,
    log:
        "logs/analysis/granger_causality_{sim}.log",
    benchmark:
        "benchmarks/results/granger_causality_{sim}.tsv"
    wildcard_constraints:
        sim=ANALYSIS_SIM_NAMES,
    conda:
        "../envs/analysis.yaml"
    script:
        "../scripts/granger_causality.py"


rule granger_all:
    """Optional: conditional Granger causality of every simulation in config["simulations"] (not in `all`)."""
    input:
        expand("results/sims/{sim}/stats/granger.csv", sim=list(ANALYSIS_SIMS)),
