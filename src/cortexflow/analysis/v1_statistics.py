# SPDX-License-Identifier: GPL-3.0-or-later
"""V1 statistics of a multi-area simulation and the Chu et al. (2014) recordings (Schmidt et al. 2018 PLoS CB
Fig 6; upstream ``process_chu2014_data.py``, ``Fig6_comparison_exp_spiking_data.py``).

Model: per-neuron rates of every V1 population (stats/distributions.h5) and the spectrogram of the V1 area rate
(stats/rate_series.h5, 1 ms bins) minus its mean (upstream ``centralize(units=True)``; power in (spikes/s)^2/Hz),
``scipy.signal.spectrogram`` with the configured ``nperseg``/``noverlap`` (upstream: 4096 / 0 of 100 s; the
default run's 1.5 s allows 256 / 192).

Data (optional; CRCNS pvc-5, Chu, Chien & Hung 2014, needs a registration, so the workflow never downloads it):
the directory ``crcns-pvc5/rawSpikeTime`` of the data set, i.e. one MATLAB file per electrode channel named
``*_ch<channel>.mat`` holding ``cluster_class``: an n x 2 array of (unit id, spike time in ms). As upstream, every
unit id of a channel is one neuron, only channels <= 112 (the electrodes within 1 mm) are used, the population
rate is the mean over neurons in 1 ms bins, and its spectrogram (4096-sample boxcar segments, no overlap) splits
the recording into low- and high-fluctuation phases: segments whose power (density, (spikes/s)^2/Hz) summed over
the frequencies f <= 40 Hz is at most 125 are "low". Per phase: per-neuron rates (mean over the phase's bins ± 5 s around each segment centre) and the
Welch spectrum of the population rate (1024 / 1000 boxcar, as upstream).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

PVC5_MAX_CHANNEL = 112
PHASE_F_CRIT = 40.0
PHASE_THRESHOLD = 125.0


def centralize(x: np.ndarray) -> np.ndarray:
    """x - mean (upstream ``centralize(units=True)``, which subtracts the mean and does not rescale)."""
    x = np.asarray(x, float)
    return x - x.mean()


def spectrogram(rate: np.ndarray, bin_ms: float, nperseg: int, noverlap: int, window: str = "boxcar"):
    """(f Hz, t s, Sxx) of a centred rate series (scipy.signal.spectrogram)."""
    from scipy.signal import spectrogram as sp
    if rate.size < nperseg:
        raise ValueError(f"spectrogram: {rate.size} samples are fewer than nperseg = {nperseg}")
    return sp(centralize(rate), fs=1e3 / bin_ms, nperseg=nperseg, noverlap=noverlap, window=window)


def model_v1(distributions: dict, series: dict, area: str, nperseg: int, noverlap: int) -> dict:
    """Per-population neuron rates of ``area`` and the spectrogram of its area rate."""
    pops = [p for p in series["populations"] if p.startswith(f"{area}-")]
    if not pops:
        raise ValueError(f"V1 statistics: area {area} is not in the rate series")
    a = series["areas"].index(area)
    f, t, S = spectrogram(series["area_rates"][a], float(series["bin_ms"]), nperseg, noverlap, "hann")
    return {"populations": pops, "rates": {p: np.asarray(distributions[p]["rates"], float) for p in pops},
            "f": f, "t": t + float(series["t_start_ms"]) * 1e-3, "Sxx": S}


# --- Chu et al. 2014 (CRCNS pvc-5) ------------------------------------------------------------------------------

_CHANNEL = re.compile(r"_ch(\d+)\.mat$")


def read_pvc5(directory) -> dict:
    """Spike trains of the pvc-5 ``rawSpikeTime`` directory: {"times": [array ms per neuron], "channel": [...]}
    for channels <= 112, neurons in (file name, unit id) order. Raises naming the directory if no file matches."""
    from scipy.io import loadmat

    directory = Path(directory)
    files = sorted(p for p in directory.glob("*.mat") if _CHANNEL.search(p.name))
    if not files:
        raise FileNotFoundError(f"{directory}: no '*_ch<channel>.mat' files of CRCNS pvc-5 rawSpikeTime")
    times, channels = [], []
    for p in files:
        ch = int(_CHANNEL.search(p.name).group(1))
        if ch > PVC5_MAX_CHANNEL:
            continue
        cc = np.atleast_2d(np.asarray(loadmat(p)["cluster_class"], float))
        if cc.shape[1] != 2:
            raise ValueError(f"{p}: cluster_class must be n x 2 (unit id, time ms), got shape {cc.shape}")
        for unit in np.unique(cc[:, 0]):
            times.append(np.sort(cc[cc[:, 0] == unit, 1]))
            channels.append(ch)
    return {"times": times, "channel": np.array(channels, int)}


def data_v1(trains: dict, bin_ms: float = 1.0, nperseg: int = 4096, welch_nperseg: int = 1024,
            welch_noverlap: int = 1000) -> dict:
    """Population rate, spectrogram, low/high-fluctuation phases, per-neuron rates and Welch spectra per phase."""
    from scipy.signal import welch

    times = trains["times"]
    t0 = min(float(t.min()) for t in times if t.size)
    t1 = max(float(t.max()) for t in times if t.size)
    edges = np.arange(t0, t1 + bin_ms, bin_ms)
    binned = np.array([np.histogram(t, edges)[0] for t in times], float) * (1e3 / bin_ms)
    pop_rate = binned.mean(0)
    f, t, S = spectrogram(pop_rate, bin_ms, nperseg, 0)
    low_power = S[f <= PHASE_F_CRIT].sum(0)
    low = low_power <= PHASE_THRESHOLD
    centres = edges[:-1] - t0
    out = {"f": f, "t": t, "Sxx": S, "low_segments": low, "n_neurons": len(times),
           "duration_s": (t1 - t0) * 1e-3}
    for phase, mask in (("low", low), ("high", ~low), ("full", None)):
        if mask is None:
            keep = np.ones(centres.size, bool)
        else:
            keep = np.zeros(centres.size, bool)
            for tc in t[mask]:
                keep |= (centres > 1e3 * (tc - 5.0)) & (centres <= 1e3 * (tc + 5.0))
        out[f"rates_{phase}"] = binned[:, keep].mean(1) if keep.any() else np.full(len(times), np.nan)
        if keep.sum() >= welch_nperseg:
            fw, p = welch(centralize(pop_rate[keep]), fs=1e3 / bin_ms, nperseg=welch_nperseg,
                          noverlap=welch_noverlap, window="boxcar")
            out[f"welch_{phase}"] = p
            out["welch_f"] = fw
    return out


def write_v1(path, model: dict, data: dict | None, meta: dict) -> None:
    """stats/v1_statistics.h5: group ``model`` (rates/<pop>, f, t, Sxx) and, with recordings, group ``data``."""
    import json
    import os

    import h5py

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(tmp, "w") as f:
        g = f.create_group("model")
        g.create_dataset("populations", data=np.array(model["populations"], dtype=h5py.string_dtype()))
        for p, r in model["rates"].items():
            g.create_dataset(f"rates/{p}", data=r)
        for k in ("f", "t", "Sxx"):
            g.create_dataset(k, data=model[k])
        if data is not None:
            d = f.create_group("data")
            for k, v in data.items():
                d.create_dataset(k, data=np.asarray(v))
        f.attrs["meta"] = json.dumps(meta, sort_keys=True, default=str)
        f.attrs["has_data"] = data is not None
    os.replace(tmp, path)


def read_v1(path) -> dict:
    import json

    import h5py
    with h5py.File(path, "r") as f:
        m = f["model"]
        model = {"populations": [p.decode() if isinstance(p, bytes) else str(p) for p in m["populations"][()]],
                 "rates": {p: m["rates"][p][()] for p in m["rates"]}, **{k: m[k][()] for k in ("f", "t", "Sxx")}}
        data = {k: f["data"][k][()] for k in f["data"]} if "data" in f else None
        return {"model": model, "data": data, "meta": json.loads(f.attrs["meta"])}
