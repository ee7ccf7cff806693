# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulation outputs besides the spikes.h5 writer (cortexflow.spikes_file, the contract's one module):
the per-rank event files of MPI runs and ``run.json``, written atomically.

Under MPI every rank writes its own events to ``<out>.rank<r>.tmp``; rank 0 merges them population by
population (memory bounded by the largest population) into ``<out>.tmp`` and renames it.
"""
from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
from cortexflow.fileio import atomic_path, open_h5, write_population_file


def rank_file(path, rank: int) -> Path:
    path = Path(path)
    return path.with_name(f"{path.name}.rank{rank}.tmp")


def write_rank_file(path, rank: int, populations, stats: dict) -> None:
    """This rank's events: (label, senders, steps) per population, plus its stats as attributes."""
    target = rank_file(path, rank)
    with atomic_path(target) as tmp:
        with h5py.File(tmp, "w") as f:
            f.attrs["stats"] = json.dumps(stats)
            for label, senders, steps in populations:
                g = f.create_group(label)
                g.create_dataset("senders", data=np.asarray(senders, np.int32))
                g.create_dataset("times", data=np.asarray(steps, np.int32))


def merged_from_ranks(path, num_processes: int, meta):
    """Yield (label, senders, steps, n_neurons, n_recorded) merged over the rank files, population by
    population; ``meta`` lists (label, n_neurons, n_recorded) in network order."""
    files = [h5py.File(rank_file(path, r), "r") for r in range(num_processes)]
    try:
        for label, n_neurons, n_recorded in meta:
            s = [f[label]["senders"][()] for f in files]
            t = [f[label]["times"][()] for f in files]
            yield label, np.concatenate(s), np.concatenate(t), n_neurons, n_recorded
    finally:
        for f in files:
            f.close()


def rank_stats(path, num_processes: int) -> list[dict]:
    out = []
    for r in range(num_processes):
        with h5py.File(rank_file(path, r), "r") as f:
            out.append(json.loads(f.attrs["stats"]))
    return out


def remove_rank_files(path, num_processes: int) -> None:
    for r in range(num_processes):
        rank_file(path, r).unlink(missing_ok=True)


def write_json(path, data: dict) -> None:
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


# --- vm.h5: membrane potentials (record_vm) -------------------------------------------------------------------
# One group per recorded population with ``V_m`` (float32, n_vm x n_samples, mV), ``senders`` (int32, n_vm:
# 0-based index within the population, ascending) and ``times`` (float64, n_samples: ms since the end of the
# warm-up t_presim, ascending, every vm_interval ms in (0, t_sim]); group attributes ``n_neurons``, ``n_vm``;
# file attributes ``interval`` (ms), ``t_sim``, ``t_presim``, ``seed``, ``unit`` ('mV'), ``populations``.


def _dense_vm(senders, times, values):
    """Samples (sender, time, V) in any order -> (senders, times, V[sender, time])."""
    senders, times, values = np.asarray(senders), np.asarray(times, float), np.asarray(values, float)
    ids = np.unique(senders)
    grid = np.unique(np.round(times, 6))
    V = np.full((ids.size, grid.size), np.nan, np.float32)
    V[np.searchsorted(ids, senders), np.searchsorted(grid, np.round(times, 6))] = values
    return ids.astype(np.int32), grid, V


def write_vm(path, populations, attrs: dict) -> int:
    """Write ``populations``: (label, senders, times, V_m, n_neurons) samples per population, via ``path.tmp`` +
    rename. Returns the number of samples written."""
    def groups():
        for label, senders, times, values, n_neurons in populations:
            ids, grid, V = _dense_vm(senders, times, values)
            yield (label, {"n_neurons": int(n_neurons), "n_vm": int(ids.size)},
                   [("senders", ids, None), ("times", grid, None), ("V_m", V, None)], int(np.isfinite(V).sum()))

    return write_population_file(path, {**attrs, "unit": "mV"}, groups())


def write_vm_rank_file(path, rank: int, populations) -> None:
    """This rank's V_m samples: (label, senders, times, V_m) per population."""
    target = rank_file(path, rank)
    with atomic_path(target) as tmp:
        with h5py.File(tmp, "w") as f:
            for label, senders, times, values in populations:
                g = f.create_group(label)
                g.create_dataset("senders", data=np.asarray(senders, np.int32))
                g.create_dataset("times", data=np.asarray(times, float))
                g.create_dataset("V_m", data=np.asarray(values, float))


def merged_vm_from_ranks(path, num_processes: int, meta):
    """Yield (label, senders, times, V_m, n_neurons) merged over the rank files; ``meta``: (label, n_neurons)."""
    files = [h5py.File(rank_file(path, r), "r") for r in range(num_processes)]
    try:
        for label, n_neurons in meta:
            parts = [[f[label][k][()] for f in files] for k in ("senders", "times", "V_m")]
            yield (label, *(np.concatenate(p) for p in parts), n_neurons)
    finally:
        for f in files:
            f.close()


def read_vm(path, populations=None) -> dict:
    """{label: {"senders", "times", "V_m"}} of a vm.h5 (all populations unless ``populations``)."""
    out = {}
    with open_h5(path) as f:
        labels = [str(x) for x in f.attrs["populations"]] if populations is None else list(populations)
        for label in labels:
            g = f[label]
            out[label] = {"senders": g["senders"][()], "times": g["times"][()], "V_m": g["V_m"][()]}
    return out
