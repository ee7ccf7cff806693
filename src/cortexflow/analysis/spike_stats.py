"""Per-simulation spike statistics in one streaming pass over the populations of a spikes.h5 file.

Outputs (rule ``spike_statistics``, results/sims/{sim}/stats/):

* ``summary.csv`` — one row per population: rates, CV ISI, LvR, CC, synchrony (see statistics.py);
* ``distributions.h5`` — per population: per-neuron ``rates``, ``cv``, ``lvr`` (NaN where undefined),
  ``cc_ids`` (the correlation subsample) and ``cc_pairs`` (a seeded sample of its off-diagonal r_ij);
* ``rate_series.h5`` — binned population rates (populations x bins, spikes/s) and N-weighted area rates.

Peak memory is one population's spikes plus the (populations x bins) rate array.
"""
from __future__ import annotations

import json
import os
import zlib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from . import rates as rates_mod
from . import statistics as st
from .spikes_io import SpikeFileError, iter_populations, read_info


@dataclass(frozen=True)
class AnalysisOptions:
    t_min: float = 500.0  # ms from network start; the transient discarded
    t_max: float | None = None  # ms of recorded time; None = t_sim
    bin_ms: float = 1.0  # bins of CC, synchrony and rate series
    cc_subsample: int = 2000  # non-silent neurons per population for CC
    cc_pairs_stored: int = 10000  # r_ij values stored per population (seeded sample)
    seed: int = 12345
    lvr_R: float = 2.0  # ms, Shinomoto 2009 refractoriness constant (Schmidt et al. 2018)
    cv_min_isis: int = 2
    welch_nperseg: int = 256
    welch_noverlap: int = 128
    welch_window: str = "hann"

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


def area_of(name: str) -> str:
    """'V1-23E' -> 'V1'; pd14 populations ('23E') belong to one unnamed area ''."""
    return name.rsplit("-", 1)[0] if "-" in name else ""


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


def _tmp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(".tmp-" + path.name)


def write_summary(path, summary: pd.DataFrame, opts: AnalysisOptions) -> None:
    path = Path(path)
    tmp = _tmp(path)
    with open(tmp, "w") as f:
        f.write(f"# cortexflow spike statistics; options: {json.dumps(asdict(opts), sort_keys=True)}\n")
        summary.to_csv(f, index=False, float_format="%.10g")
    os.replace(tmp, path)


def read_summary(path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", keep_default_na=False, na_values=["", "NaN", "nan"])


def write_distributions(path, dists: dict, opts: AnalysisOptions) -> None:
    path = Path(path)
    tmp = _tmp(path)
    with h5py.File(tmp, "w") as f:
        f.attrs["options"] = json.dumps(asdict(opts), sort_keys=True)
        for name, arrays in dists.items():
            g = f.create_group(name)
            for key, value in arrays.items():
                g.create_dataset(key, data=value, compression="gzip" if value.size > 4096 else None)
    os.replace(tmp, path)


def read_distributions(path, populations: list[str] | None = None) -> dict:
    with h5py.File(path, "r") as f:
        names = list(f) if populations is None else populations
        return {name: {k: f[name][k][()] for k in f[name]} for name in names}


def write_rate_series(path, series: dict, opts: AnalysisOptions) -> None:
    path = Path(path)
    tmp = _tmp(path)
    with h5py.File(tmp, "w") as f:
        f.create_dataset("populations", data=np.array(series["populations"], dtype=h5py.string_dtype()))
        f.create_dataset("areas", data=np.array(series["areas"], dtype=h5py.string_dtype()))
        f.create_dataset("rates", data=series["rates"], compression="gzip")
        f.create_dataset("area_rates", data=series["area_rates"], compression="gzip")
        f.create_dataset("n_recorded", data=series["n_recorded"])
        f.attrs.update({"bin_ms": series["bin_ms"], "t_start_ms": series["t_start_ms"], "units": "spikes/s",
                        "options": json.dumps(asdict(opts), sort_keys=True)})
    os.replace(tmp, path)


def read_rate_series(path) -> dict:
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in ("rates", "area_rates", "n_recorded")}
        out["populations"] = [p.decode() for p in f["populations"][()]]
        out["areas"] = [a.decode() for a in f["areas"][()]]
        out.update({k: f.attrs[k] for k in ("bin_ms", "t_start_ms")})
        return out
