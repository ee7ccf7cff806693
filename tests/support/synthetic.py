# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeded synthetic spike trains on a time grid (tests, benchmarks): Poisson, gamma and regular, and
:func:`write_spikes`, which stores them through the simulation's own spikes.h5 writer
(cortexflow.spikes_file.write_spikes), so that the reader's tests exercise the real writer.

The trains are (senders, steps) for ``n`` neurons in the step interval ``[start, stop)``, sorted by time,
with at most one spike per neuron and step (as NEST with refractoriness).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cortexflow import spikes_file


def _finish(senders: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    key = np.unique(steps.astype(np.int64) * (int(senders.max(initial=0)) + 1) + senders)
    n = int(senders.max(initial=0)) + 1
    steps, senders = key // n, key % n  # sorted by time, then sender
    return senders.astype(np.int64), steps.astype(np.int64)


def poisson(n: int, rate_hz: float | np.ndarray, start: int, stop: int, resolution: float,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Homogeneous Poisson trains (per-neuron rates allowed); duplicates within a step are merged."""
    T = (stop - start) * resolution * 1e-3
    counts = rng.poisson(np.broadcast_to(np.asarray(rate_hz, float), (n,)) * T)
    senders = np.repeat(np.arange(n), counts)
    steps = rng.integers(start, stop, senders.size)
    return _finish(senders, steps)


def gamma(n: int, rate_hz: float, shape: float, start: int, stop: int, resolution: float,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Renewal trains with gamma ISIs (CV = 1/sqrt(shape)), random phase; times floored to the grid."""
    T_ms = (stop - start) * resolution
    mean_isi = 1e3 / rate_hz
    k = int(np.ceil(T_ms / mean_isi * 1.5 + 10 * np.sqrt(T_ms / mean_isi) + 10))
    isi = rng.gamma(shape, mean_isi / shape, size=(n, k))
    t = np.cumsum(isi, axis=1) - rng.uniform(0, mean_isi, size=(n, 1)) * 5
    ok = (t >= 0) & (t < T_ms)
    senders = np.broadcast_to(np.arange(n)[:, None], t.shape)[ok]
    steps = start + np.floor(t[ok] / resolution).astype(np.int64)
    return _finish(senders, np.minimum(steps, stop - 1))


def regular(n: int, period_steps: int, start: int, stop: int,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Strictly periodic trains (CV = 0, LvR = 0) with random integer phase."""
    phase = rng.integers(0, period_steps, n)
    k = (stop - start) // period_steps + 1
    t = start + phase[:, None] + period_steps * np.arange(k)[None, :]
    ok = t < stop
    senders = np.broadcast_to(np.arange(n)[:, None], t.shape)[ok]
    return _finish(senders, t[ok])


def write_spikes(path: str | Path, spikes: dict[str, tuple[np.ndarray, np.ndarray, int]], *, t_sim: float,
                 t_presim: float = 0.0, resolution: float = 0.1, seed: int = 0, params: dict | None = None,
                 n_recorded: dict[str, int] | None = None) -> int:
    """A spikes.h5 of synthetic trains, written by the production writer with the attributes of a
    single-process run. ``spikes`` maps population -> (senders, time steps since the end of t_presim,
    n_neurons), in network order."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    attrs = {"t_sim": float(t_sim), "t_presim": float(t_presim), "seed": int(seed), "num_processes": 1,
             "threads": 1, "nest_version": "synthetic", "params": json.dumps(params or {})}
    pops = ((name, senders, steps, n, n if n_recorded is None else n_recorded[name])
            for name, (senders, steps, n) in spikes.items())
    return spikes_file.write_spikes(path, pops, attrs, resolution)
