"""The ``network.h5`` contract between stages (see docs/design.md).

Datasets: ``populations`` (str, n), ``N`` (float, n), ``K`` (n x (n+1), last column external),
``synapses`` (same shape), ``W``, ``W_sd`` (pA, same shape), ``delay``, ``delay_sd`` (ms, n x n),
``dc_drive`` (pA, n); optional extra datasets are kept as they are.
Attributes: ``model`` ('mam' | 'pd14'), ``params`` (JSON), ``N_scaling``, ``K_scaling``.
Matrices are target x source.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
from cortexflow.fileio import atomic_path, open_h5

REQUIRED = ("N", "K", "synapses", "W", "W_sd", "delay", "delay_sd", "dc_drive")


@dataclass
class Network:
    model: str
    populations: list[str]
    N: np.ndarray
    K: np.ndarray
    synapses: np.ndarray
    W: np.ndarray
    W_sd: np.ndarray
    delay: np.ndarray
    delay_sd: np.ndarray
    dc_drive: np.ndarray
    params: dict = field(default_factory=dict)
    N_scaling: float = 1.0
    K_scaling: float = 1.0
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.populations)

    def check(self) -> None:
        """Shapes, finiteness and signs that every consumer relies on."""
        n = self.n
        shapes = {"N": (n,), "K": (n, n + 1), "synapses": (n, n + 1), "W": (n, n + 1),
                  "W_sd": (n, n + 1), "delay": (n, n), "delay_sd": (n, n), "dc_drive": (n,)}
        for name, shape in shapes.items():
            arr = getattr(self, name)
            if arr.shape != shape:
                raise ValueError(f"network dataset {name} has shape {arr.shape}, expected {shape}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"network dataset {name} has non-finite entries")
        if np.any(self.K < 0):
            i, j = np.argwhere(self.K < 0)[0]
            raise ValueError(f"negative indegree K[{self.populations[i]}, {j}] = {self.K[i, j]}")
        if np.any(self.N < 0):
            raise ValueError("negative population size")


def write_network(path: str | Path, net: Network) -> None:
    """Write atomically (``fileio.atomic_path``: no half-written file is ever visible)."""
    net.check()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("populations", data=np.array(net.populations, dtype=h5py.string_dtype()))
            for name in REQUIRED:
                f.create_dataset(name, data=np.asarray(getattr(net, name), dtype=float))
            for name, value in net.extra.items():
                f.create_dataset(name, data=value)
            f.attrs["model"] = net.model
            f.attrs["params"] = json.dumps(net.params, sort_keys=True, default=_jsonable)
            f.attrs["N_scaling"] = float(net.N_scaling)
            f.attrs["K_scaling"] = float(net.K_scaling)


def read_network(path: str | Path) -> Network:
    with open_h5(path) as f:
        data = {name: f[name][()] for name in REQUIRED}
        extra = {name: f[name][()] for name in f if name not in REQUIRED and name != "populations"}
        return Network(
            model=str(f.attrs["model"]),
            populations=[p.decode() if isinstance(p, bytes) else str(p) for p in f["populations"][()]],
            params=json.loads(f.attrs["params"]),
            N_scaling=float(f.attrs["N_scaling"]),
            K_scaling=float(f.attrs["K_scaling"]),
            extra=extra,
            **data,
        )


def _jsonable(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot store {type(obj)} in network params")
