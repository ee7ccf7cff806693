# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulation outputs besides the spikes.h5 writer (cortexflow.spikes_file, the contract's one module):
the per-rank event files of MPI runs and ``run.json``, written atomically.

Under MPI every rank writes its own events to ``<out>.rank<r>.tmp``; rank 0 merges them population by
population (memory bounded by the largest population) into ``<out>.tmp`` and renames it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import h5py
import numpy as np


def rank_file(path, rank: int) -> Path:
    path = Path(path)
    return path.with_name(f"{path.name}.rank{rank}.tmp")


def write_rank_file(path, rank: int, populations, stats: dict) -> None:
    """This rank's events: (label, senders, steps) per population, plus its stats as attributes."""
    target = rank_file(path, rank)
    tmp = target.with_name(target.name + ".part")
    with h5py.File(tmp, "w") as f:
        f.attrs["stats"] = json.dumps(stats)
        for label, senders, steps in populations:
            g = f.create_group(label)
            g.create_dataset("senders", data=np.asarray(senders, np.int32))
            g.create_dataset("times", data=np.asarray(steps, np.int32))
    os.replace(tmp, target)


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
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)
