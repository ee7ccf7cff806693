# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``spikes.h5`` contract (docs/design.md): its one writer (the simulation, cortexflow.simulation.run,
and the tests through it) and its streaming reader (the analysis), one population at a time.

A file holds one group per population (``V1-23E`` for mam, ``23E`` for pd14) with datasets ``senders``
(int32, 0-based index within the population) and ``times`` (int32 steps of ``resolution`` ms, or float ms
with a ``resolution`` attribute), sorted by time. Group attributes ``n_neurons``, ``n_recorded``; file
attributes ``t_sim``, ``t_presim`` (ms), ``seed``, ``params`` (JSON), ...

Written by :func:`write_spikes`: ``senders`` and ``times`` sorted by (time, sender), which makes the file
independent of the thread/rank that recorded a spike; ``times`` carry ``resolution`` and ``unit`` attributes.

Time convention: stored times count from the end of the
unrecorded warm-up ``t_presim``, so recorded spikes lie in ``(0, t_sim]``. The analysis window is the
half-open interval ``[t_min, t_max)`` of that recorded time (``analysis.t_min`` of config/schema.yaml: the
initial transient, as Schmidt et al. 2018; ``t_max`` None = ``t_sim``); the network has then run for
``t_presim + t_min`` before the first analysed spike. All window arithmetic is done on the integer time
grid (exact binning). Population order: the file attribute ``populations`` (network order) if present.

Memory: :func:`iter_populations` holds one population's in-window spikes at a time.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator

import h5py
import numpy as np
from cortexflow.fileio import open_h5, write_population_file


class SpikeFileError(ValueError):
    """A spikes.h5 file violates the contract (names the file, group and key)."""


@dataclass(frozen=True)
class SpikeFileInfo:
    path: Path
    populations: list[str]
    n_neurons: dict[str, int]
    n_recorded: dict[str, int]
    resolution: float  # ms per time step
    t_sim: float
    t_presim: float
    attrs: dict = field(default_factory=dict)

    def window_steps(self, t_min: float, t_max: float | None = None) -> tuple[int, int]:
        """(start, stop) time steps of the half-open analysis window ``[t_min, t_max)`` (recorded time)."""
        t_stop = self.t_sim if t_max is None else float(t_max)
        if t_stop > self.t_sim + 1e-9:
            raise SpikeFileError(f"{self.path}: t_max = {t_stop} ms exceeds t_sim = {self.t_sim} ms")
        start, stop = _to_step(float(t_min), self.resolution, "t_min"), _to_step(t_stop, self.resolution, "t_max")
        if start < 0 or stop <= start:
            raise SpikeFileError(f"{self.path}: empty analysis window [{t_min}, {t_stop}) ms (t_sim = {self.t_sim})")
        return start, stop


@dataclass
class PopulationSpikes:
    """In-window spikes of one population; ``steps`` are absolute time steps in ``[start, stop)``."""
    name: str
    n_neurons: int
    n_recorded: int
    senders: np.ndarray  # int64, 0-based local index < n_recorded
    steps: np.ndarray  # int64, sorted
    resolution: float
    start: int
    stop: int

    @property
    def duration_ms(self) -> float:
        return (self.stop - self.start) * self.resolution

    @property
    def times_ms(self) -> np.ndarray:
        return self.steps * self.resolution


def _to_step(t_ms: float, resolution: float, key: str) -> int:
    step = round(t_ms / resolution)
    if abs(step * resolution - t_ms) > 1e-6 * max(1.0, abs(t_ms)):
        raise SpikeFileError(f"{key} = {t_ms} ms is not a multiple of the resolution {resolution} ms")
    return int(step)


def _attr(obj, key, path, where):
    if key not in obj.attrs:
        raise SpikeFileError(f"{path}: {where} has no attribute '{key}' (spikes.h5 contract)")
    return obj.attrs[key]


def _resolution(f: h5py.File, path) -> float:
    """``resolution`` from the file attributes, else from the first population's group or ``times``."""
    if "resolution" in f.attrs:
        return float(f.attrs["resolution"])
    for name in f:
        for obj in (f[name], f[name].get("times")):
            if obj is not None and "resolution" in obj.attrs:
                return float(obj.attrs["resolution"])
    params = json.loads(f.attrs.get("params", "{}") or "{}")
    if "resolution" in params:
        return float(params["resolution"])
    raise SpikeFileError(f"{path}: no 'resolution' attribute (file, group or times dataset)")


def read_info(path: str | Path) -> SpikeFileInfo:
    """Metadata of a spikes.h5 file (no spike data are read)."""
    path = Path(path)
    if not path.is_file():
        raise SpikeFileError(f"{path}: no such spikes file")
    with open_h5(path) as f:
        groups = [name for name in f if isinstance(f[name], h5py.Group)]
        order = [p.decode() if isinstance(p, bytes) else str(p) for p in f.attrs.get("populations", [])]
        pops = [p for p in order if p in groups] + [p for p in groups if p not in order]
        if not pops:
            raise SpikeFileError(f"{path}: no population groups")
        n_neurons, n_recorded = {}, {}
        for name in pops:
            g = f[name]
            for key in ("senders", "times"):
                if key not in g:
                    raise SpikeFileError(f"{path}: group '{name}' has no dataset '{key}'")
            n_neurons[name] = int(_attr(g, "n_neurons", path, f"group '{name}'"))
            n_recorded[name] = int(g.attrs.get("n_recorded", n_neurons[name]))
            if not 0 <= n_recorded[name] <= n_neurons[name]:
                raise SpikeFileError(f"{path}: group '{name}' has n_recorded = {n_recorded[name]} "
                                     f"outside [0, n_neurons = {n_neurons[name]}]")
        attrs = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in f.attrs.items()}
        return SpikeFileInfo(path=path, populations=pops, n_neurons=n_neurons, n_recorded=n_recorded,
                             resolution=_resolution(f, path),
                             t_sim=float(_attr(f, "t_sim", path, "file")),
                             t_presim=float(f.attrs.get("t_presim", 0.0)), attrs=attrs)


def read_population(f: h5py.File, info: SpikeFileInfo, name: str, start: int, stop: int) -> PopulationSpikes:
    """Read the spikes of ``name`` in ``[start, stop)`` (steps): binary search on ``times``, then a slice."""
    g = f[name]
    times = g["times"][()]
    if np.issubdtype(times.dtype, np.integer):
        steps = times.astype(np.int64)
    else:  # float ms: snap to the grid
        steps = np.rint(times / info.resolution).astype(np.int64)
    del times
    if steps.size and np.any(steps[1:] < steps[:-1]):
        raise SpikeFileError(f"{info.path}: group '{name}': times are not sorted")
    last = round(info.t_sim / info.resolution)
    if steps.size and (steps[-1] > last or steps[0] < 0):
        raise SpikeFileError(f"{info.path}: group '{name}': spike at {steps[-1] * info.resolution} ms outside "
                             f"(0, t_sim = {info.t_sim}] ms (times must count from the end of t_presim)")
    i0, i1 = np.searchsorted(steps, [start, stop], side="left")
    senders = g["senders"][i0:i1].astype(np.int64)
    n_rec = info.n_recorded[name]
    if senders.size and (senders.min() < 0 or senders.max() >= n_rec):
        raise SpikeFileError(f"{info.path}: group '{name}': sender index {senders.max()} outside "
                             f"[0, n_recorded = {n_rec})")
    return PopulationSpikes(name=name, n_neurons=info.n_neurons[name], n_recorded=n_rec, senders=senders,
                            steps=steps[i0:i1].copy(), resolution=info.resolution, start=start, stop=stop)


def iter_populations(path: str | Path, t_min: float, t_max: float | None = None,
                     populations: list[str] | None = None) -> Iterator[PopulationSpikes]:
    """Yield the in-window spikes of each population (file order, or ``populations`` order)."""
    info = read_info(path)
    start, stop = info.window_steps(t_min, t_max)
    names = info.populations if populations is None else list(populations)
    missing = [p for p in names if p not in info.n_neurons]
    if missing:
        raise SpikeFileError(f"{path}: populations {missing} not in the file")
    with open_h5(info.path) as f:
        for name in names:
            yield read_population(f, info, name, start, stop)


def _sorted(senders: np.ndarray, steps: np.ndarray):
    order = np.lexsort((senders, steps))
    return senders[order].astype(np.int32), steps[order].astype(np.int32)


def write_spikes(path, populations, attrs: dict, resolution: float) -> int:
    """Write ``populations``: an iterable of (label, senders, steps, n_neurons, n_recorded), one at a
    time, to ``path`` via ``path.tmp`` + rename. ``attrs``: the file attributes (``t_sim``, ``t_presim``,
    ``seed``, ``num_processes``, ``threads``, ``nest_version``, ``params`` JSON). Returns the number of
    spikes written."""
    def groups():
        for label, senders, steps, n_neurons, n_recorded in populations:
            senders, steps = _sorted(np.asarray(senders), np.asarray(steps))
            yield (label, {"n_neurons": int(n_neurons), "n_recorded": int(n_recorded)},
                   [("senders", senders, None), ("times", steps, {"resolution": float(resolution), "unit": "steps"})],
                   senders.size)

    return write_population_file(path, {**attrs, "resolution": float(resolution)}, groups())
