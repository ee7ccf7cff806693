# SPDX-License-Identifier: GPL-3.0-or-later
"""Population response to a transient input (the PD14 thalamic pulse; Potjans & Diesmann 2014, Fig. 10).

Per population, the peri-stimulus rate (spikes/s per recorded neuron) in bins of ``bin_ms`` over
[t_stim - pre_ms, t_stim + post_ms) of recorded time, with t_stim = th_start - t_presim, averaged over the pulses
t_stim + k th_interval (k < th_pulses; one pulse: the PD14 package's protocol) and clipped to the recorded window
common to all pulses. The baseline is the
mean and SD of the rate in the ``pre_ms`` before the stimulus; the response onset is the left edge of the first
bin at or after t_stim whose rate exceeds

    baseline mean + k_sd * baseline SD   and   baseline mean + min_rise (spikes/s),

reported as the latency onset - t_stim (ms, NaN without a response); the peak is the maximum rate in
[t_stim, t_stim + th_duration + post_ms) and its latency. The second floor keeps a silent baseline (SD 0) from
calling a single spike a response.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

from cortexflow.analysis.stimulus_note import thalamic_note  # noqa: F401 (re-export)

from cortexflow.simulation.stimulus import pulse_starts
from cortexflow.spikes_file import iter_populations, read_info
from cortexflow.fileio import atomic_path, open_h5


def stimulus_window(spikes_path, th_start: float) -> float:
    """Stimulus time in recorded time (ms since the end of the warm-up) of a spikes.h5."""
    info = read_info(spikes_path)
    t = float(th_start) - info.t_presim
    if not 0.0 <= t < info.t_sim:
        raise ValueError(f"{spikes_path}: th_start {th_start} ms is outside the recorded window "
                         f"[{info.t_presim}, {info.t_presim + info.t_sim}) ms of model time")
    return t


def peri_stimulus_rates(spikes_path, t_stim, pre_ms: float = 100.0, post_ms: float = 100.0,
                        bin_ms: float = 0.5) -> dict:
    """{"populations", "edges" (ms relative to the stimulus), "rates" (n_pop x n_bins, spikes/s per recorded neuron,
    averaged over the stimuli)}; ``t_stim``: one stimulus time or a list of them (recorded time, ms)."""
    info = read_info(spikes_path)
    t_stims = np.atleast_1d(np.asarray(t_stim, float))
    pre = min(pre_ms, float(t_stims.min()))
    post = min(post_ms, info.t_sim - float(t_stims.max()))
    rel = np.arange(-pre, post + 1e-9, bin_ms)
    rates, pops = [], []
    for ps in iter_populations(spikes_path, t_min=round((t_stims.min() - pre) / info.resolution) * info.resolution,
                               t_max=round((t_stims.max() + rel[-1]) / info.resolution) * info.resolution):
        rel_t = [ps.times_ms - t for t in t_stims]     # half-open bins: a spike on the last edge is left out
        counts = sum(np.histogram(x[x < rel[-1]], bins=rel)[0] for x in rel_t)
        rates.append(counts / len(t_stims) / max(ps.n_recorded, 1) / (bin_ms * 1e-3))
        pops.append(ps.name)
    return {"populations": pops, "edges": rel, "rates": np.array(rates)}


def response_onsets(edges: np.ndarray, rates: np.ndarray, duration_ms: float, post_ms: float = 100.0,
                    k_sd: float = 5.0, min_rise: float = 5.0) -> dict:
    """Baseline, onset latency, peak rate and peak latency per population (module docstring); ``edges`` relative
    to the stimulus, ``rates`` n_pop x (len(edges) - 1)."""
    left = edges[:-1]
    pre = left < 0
    after = left >= 0
    base_mean = rates[:, pre].mean(1) if pre.any() else np.zeros(len(rates))
    base_sd = rates[:, pre].std(1) if pre.any() else np.zeros(len(rates))
    threshold = np.maximum(base_mean + k_sd * base_sd, base_mean + min_rise)
    above = (rates > threshold[:, None]) & after[None, :]
    has = above.any(1)
    onset = np.where(has, left[np.argmax(above, axis=1)], np.nan)
    win = after & (left < duration_ms + post_ms)
    r_win = np.where(win[None, :], rates, -np.inf)
    peak_idx = np.argmax(r_win, axis=1)
    return {"baseline_rate": base_mean, "baseline_sd": base_sd, "threshold": threshold, "onset_ms": onset,
            "peak_rate": rates[np.arange(len(rates)), peak_idx], "peak_latency_ms": left[peak_idx]}


def write_stimulus_response(spikes_path, out_path, th_start: float, th_duration: float, th_pulses: int = 1,
                            th_interval: float = 200.0, pre_ms: float = 100.0, post_ms: float = 100.0,
                            bin_ms: float = 0.5, k_sd: float = 5.0, min_rise: float = 5.0) -> dict:
    """stats/stimulus_response.h5: ``populations``, ``edges`` (ms from the stimulus), ``rates`` (pulse-averaged)
    and the per-population ``baseline_rate``, ``baseline_sd``, ``threshold``, ``onset_ms``, ``peak_rate``,
    ``peak_latency_ms``; attributes th_start (model time), t_stim (recorded time of the first pulse), th_duration,
    th_pulses, th_interval, bin_ms, k_sd, min_rise."""
    t_stims = [stimulus_window(spikes_path, s) for s in pulse_starts(th_start, th_pulses, th_interval)]
    t_stim = t_stims[0]
    psth = peri_stimulus_rates(spikes_path, t_stims, pre_ms, post_ms, bin_ms)
    onsets = response_onsets(psth["edges"], psth["rates"], th_duration, post_ms, k_sd, min_rise)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("populations", data=np.array(psth["populations"], dtype=h5py.string_dtype()))
            f.create_dataset("edges", data=psth["edges"])
            f.create_dataset("rates", data=psth["rates"])
            for k, v in onsets.items():
                f.create_dataset(k, data=v)
            for k, v in {"th_start": th_start, "t_stim": t_stim, "th_duration": th_duration, "th_pulses": th_pulses,
                         "th_interval": th_interval, "bin_ms": bin_ms,
                         "pre_ms": pre_ms, "post_ms": post_ms, "k_sd": k_sd, "min_rise": min_rise}.items():
                f.attrs[k] = float(v)
    return {**psth, **onsets, "t_stim": t_stim}


def read_stimulus_response(path) -> dict:
    with open_h5(path) as f:
        out = {k: f[k][()] for k in f}
        out["populations"] = [p.decode() if isinstance(p, bytes) else str(p) for p in out["populations"]]
        out.update({k: float(v) for k, v in f.attrs.items()})
    return out


# thalamic_note lives in cortexflow.analysis.stimulus_note (no numpy/h5py: used when the workflow is planned)
