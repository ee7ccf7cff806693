"""Per-simulation spike statistics in one streaming pass over the populations of a spikes.h5 file
(rule ``spike_statistics``): the options, and :func:`compute`. The three outputs (written and read by
cortexflow.analysis.io, results/sims/{sim}/stats/):

* ``summary.csv`` — one row per population: rates, CV ISI, LvR, CC, synchrony (population_stats.py);
* ``distributions.h5`` — per population: per-neuron ``rates``, ``cv``, ``lvr`` (NaN where undefined),
  ``cc_ids`` (the correlation subsample) and ``cc_pairs`` (a seeded sample of its off-diagonal r_ij);
* ``rate_series.h5`` — binned population rates (populations x bins, spikes/s) and N-weighted area rates.

Peak memory is one population's spikes plus the (populations x bins) rate array.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from cortexflow.areas import area_of
from cortexflow.config import schema_defaults
from cortexflow.spikes_file import SpikeFileError, iter_populations, read_info

from . import population_stats as st
from . import rates as rates_mod

_DEFAULTS = schema_defaults("properties/analysis")  # config/schema.yaml: meaning, units and bounds


@dataclass(frozen=True)
class AnalysisOptions:
    """The ``analysis`` section of the config that the statistics use (defaults: config/schema.yaml)."""
    t_min: float = _DEFAULTS["t_min"]  # ms of recorded time; the transient discarded
    t_max: float | None = _DEFAULTS["t_max"]  # ms of recorded time; None = t_sim
    bin_ms: float = _DEFAULTS["bin_ms"]  # bins of CC, synchrony and rate series
    cc_subsample: int = _DEFAULTS["cc_subsample"]  # non-silent neurons per population for CC
    cc_pairs_stored: int = _DEFAULTS["cc_pairs_stored"]  # r_ij values stored per population (seeded sample)
    seed: int = _DEFAULTS["seed"]
    lvr_R: float = _DEFAULTS["lvr_R"]  # ms, Shinomoto 2009 refractoriness constant (Schmidt et al. 2018)
    cv_min_isis: int = _DEFAULTS["cv_min_isis"]
    welch_nperseg: int = _DEFAULTS["welch"]["nperseg"]
    welch_noverlap: int = _DEFAULTS["welch"]["noverlap"]
    welch_window: str = _DEFAULTS["welch"]["window"]

    @classmethod
    def from_config(cls, section: dict | None) -> AnalysisOptions:
        """Options from config["analysis"] (flat keys as the dataclass; ``welch: {nperseg, noverlap,
        window}`` nested); unknown keys are ignored here (the schema rejects them)."""
        section = dict(section or {})
        welch = section.pop("welch", {}) or {}
        flat = {f"welch_{k}": v for k, v in welch.items()}
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in {**section, **flat}.items() if k in names})


def population_seed(seed: int, name: str) -> list[int]:
    """Seed of one population's random choices: independent of file order and of other populations."""
    return [int(seed), zlib.crc32(name.encode())]


def compute(spikes_path: str | Path, opts: AnalysisOptions = AnalysisOptions()):
    """(summary DataFrame, {population: per-population arrays}, rate-series dict) of one spikes.h5 file."""
    info = read_info(spikes_path)
    start, stop = info.window_steps(opts.t_min, opts.t_max)
    spb = round(opts.bin_ms / info.resolution)
    if spb < 1 or abs(spb * info.resolution - opts.bin_ms) > 1e-9:
        raise SpikeFileError(f"analysis.bin_ms = {opts.bin_ms} is not a multiple of the resolution "
                             f"{info.resolution} ms of {spikes_path}")
    n_bins = (stop - start) // spb
    series = np.zeros((len(info.populations), n_bins), dtype=np.float32)
    rows, dists = [], {}
    for i, pop in enumerate(iter_populations(spikes_path, opts.t_min, opts.t_max)):
        n, s, t = pop.n_recorded, pop.senders, pop.steps
        T = pop.duration_ms
        nu = st.neuron_rates(s, n, T)
        isi, owner = st.intervals(s, t)
        cv = st.cv_from_intervals(isi, owner, n, opts.cv_min_isis)
        lv = st.lvr_from_intervals(isi, owner, n, pop.resolution, opts.lvr_R)
        del isi, owner
        ids, r, cc = st.correlation_coefficients(s, t, n, start, stop, spb, opts.cc_subsample,
                                                 population_seed(opts.seed, pop.name))
        pairs = st.upper_triangle(r)
        if pairs.size > opts.cc_pairs_stored:
            rng = np.random.default_rng(population_seed(opts.seed + 1, pop.name))
            pairs = pairs[np.sort(rng.choice(pairs.size, opts.cc_pairs_stored, replace=False))]
        series[i] = rates_mod.binned_rate(t, n, start, stop, spb, pop.resolution)
        rows.append({
            "population": pop.name, "area": area_of(pop.name), "n_neurons": pop.n_neurons, "n_recorded": n,
            "n_spikes": int(s.size), "rate": st.population_rate(s.size, n, T),
            "rate_sd": float(nu.std()) if n else np.nan,
            "fraction_silent": float(np.mean(nu == 0)) if n else np.nan,
            "cv_isi": float(np.nanmean(cv)) if np.isfinite(cv).any() else np.nan,
            "n_cv": int(np.isfinite(cv).sum()),
            "lvr": st.population_lvr(lv, pad="exclude"),
            "lvr_upstream": st.population_lvr(lv, pop.n_neurons, pad="upstream"),
            "n_lvr": int(np.isfinite(lv).sum()),
            "cc": cc, "n_cc": int(ids.size),
            "synchrony": st.synchrony(t, start, stop, spb),
            "fano_pop": st.fano_factor_population(t, start, stop, spb),
            "t_start_ms": start * info.resolution, "t_stop_ms": stop * info.resolution,
        })
        dists[pop.name] = {"rates": nu, "cv": cv.astype(np.float32), "lvr": lv.astype(np.float32),
                           "cc_ids": ids.astype(np.int32), "cc_pairs": pairs.astype(np.float32)}
        del pop, s, t, r
    summary = pd.DataFrame(rows)
    n_rec = summary["n_recorded"].to_numpy()
    areas = list(dict.fromkeys(summary["area"]))
    area_series = np.array([rates_mod.area_rate(series[(summary["area"] == a).to_numpy()],
                                                n_rec[(summary["area"] == a).to_numpy()]) for a in areas],
                           dtype=np.float32)
    rate_series = {"populations": list(summary["population"]), "rates": series, "n_recorded": n_rec,
                   "areas": areas, "area_rates": area_series, "bin_ms": opts.bin_ms,
                   "t_start_ms": start * info.resolution}
    return summary, dists, rate_series
