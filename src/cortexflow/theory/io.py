# SPDX-License-Identifier: GPL-3.0-or-later
"""Files of the theory stage (contracts in docs/design.md and docs/theory.md), written atomically.

``fixed_point.h5``: datasets ``populations``, ``rates`` (spikes/s), ``residual``, ``converged``,
``eigenvalues`` (complex, of the gain matrix, descending real part), ``max_re_lambda``, plus ``mu``,
``sigma`` (mV), ``gain`` (n x n), ``attractor_rates`` (m x n: distinct fixed points reached from the
seeded random initial rates), ``attractor_max_re_lambda`` (m), ``initial_condition_attractor`` (index
per random initial condition, -1: not converged); attribute ``params`` (JSON).

``stabilisation.h5``: ``populations``, ``K0`` and ``K`` (n x n), ``K_published`` (if given), groups
``iteration_<i>`` with ``kappa_low``/``kappa_high`` (attrs), ``kappas``/``mean_rates`` (the scan),
``eigenvalues``, ``critical_right``/``critical_left``, ``nu_star``, ``saddle`` (when a step was made),
``K`` (after the step); ``rates_before``/``rates_after`` (fixed points at the network kappa);
attributes ``params``, ``comparison`` (JSON statistics vs the published K').
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import h5py
import numpy as np

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from cortexflow.theory.fixedpoint import FixedPoint
    from cortexflow.theory.stabilise import StabilisationResult


def _tmp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(path.name + ".tmp")


def _json(obj) -> str:
    def default(o):
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, complex):
            return [o.real, o.imag]
        raise TypeError(f"cannot store {type(o)} as JSON")
    return json.dumps(obj, sort_keys=True, default=default)


def write_fixed_point(path: str | Path, populations: Sequence[str], fp: FixedPoint, params: dict,
                      attractors: Sequence[FixedPoint] | None = None, labels: np.ndarray | None = None,
                      gain: np.ndarray | None = None) -> None:
    path = Path(path)
    tmp = _tmp(path)
    with h5py.File(tmp, "w") as f:
        f.create_dataset("populations", data=np.array(populations, dtype=h5py.string_dtype()))
        f.create_dataset("rates", data=fp.rates)
        f.create_dataset("residual", data=fp.residual)
        f.create_dataset("converged", data=bool(fp.converged))
        f.create_dataset("eigenvalues", data=np.asarray(fp.eigenvalues, complex))
        f.create_dataset("max_re_lambda", data=fp.max_re_lambda)
        f.create_dataset("mu", data=fp.mu)
        f.create_dataset("sigma", data=fp.sigma)
        if gain is not None:
            f.create_dataset("gain", data=gain)
        if attractors is not None:
            rates = np.array([a.rates for a in attractors]).reshape(len(attractors), len(populations))
            f.create_dataset("attractor_rates", data=rates)
            f.create_dataset("attractor_max_re_lambda", data=np.array([a.max_re_lambda for a in attractors]))
            f.create_dataset("initial_condition_attractor", data=np.asarray(labels, np.int64))
        f.attrs["params"] = _json(params)
    os.replace(tmp, path)


def read_fixed_point(path: str | Path) -> dict:
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in f}
        out["populations"] = [p.decode() if isinstance(p, bytes) else str(p) for p in out["populations"]]
        out["params"] = json.loads(f.attrs["params"])
    return out


def write_stabilisation(path: str | Path, populations: Sequence[str], result: StabilisationResult, K0: np.ndarray,
                        params: dict, comparison: dict | None = None, K_published: np.ndarray | None = None,
                        rates_before: np.ndarray | None = None, rates_after: np.ndarray | None = None) -> None:
    path = Path(path)
    tmp = _tmp(path)
    with h5py.File(tmp, "w") as f:
        f.create_dataset("populations", data=np.array(populations, dtype=h5py.string_dtype()))
        f.create_dataset("K0", data=K0, compression="gzip")
        f.create_dataset("K", data=result.K, compression="gzip")
        if K_published is not None:
            f.create_dataset("K_published", data=K_published, compression="gzip")
        for name, value in (("rates_before", rates_before), ("rates_after", rates_after)):
            if value is not None:
                f.create_dataset(name, data=value)
        for i, it in enumerate(result.iterations, start=1):
            g = f.create_group(f"iteration_{i}")
            g.attrs["kappa_low"] = it.kappa_low
            g.attrs["kappa_high"] = it.kappa_high
            g.attrs["relative_change"] = it.relative_change
            g.attrs["relative_abs_change"] = it.relative_abs_change
            g.create_dataset("kappas", data=it.kappas)
            g.create_dataset("mean_rates", data=it.mean_rates)
            if it.saddle is not None:
                g.attrs["epsilon0"] = [it.epsilon0.real, it.epsilon0.imag]
                g.attrs["rule"] = it.saddle.rule
                g.attrs["step"] = it.saddle.step
                g.attrs["distance_to_saddle"] = it.saddle.distance
                g.create_dataset("eigenvalues", data=np.asarray(it.eigenvalues, complex))
                g.create_dataset("critical_right", data=np.asarray(it.critical_right, complex))
                g.create_dataset("critical_left", data=np.asarray(it.critical_left, complex))
                g.create_dataset("nu_star", data=it.saddle.point)
                g.create_dataset("saddle", data=it.saddle.saddle)
                g.create_dataset("K", data=result.K_history[i], compression="gzip")
        f.attrs["params"] = _json(params)
        f.attrs["comparison"] = _json(comparison or {})
        f.attrs["success"] = bool(result.success)
    os.replace(tmp, path)


def read_stabilisation(path: str | Path) -> dict:
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in f if not k.startswith("iteration_")}
        out["populations"] = [p.decode() if isinstance(p, bytes) else str(p) for p in out["populations"]]
        out["iterations"] = []
        for i in range(1, 100):
            if f"iteration_{i}" not in f:
                break
            g = f[f"iteration_{i}"]
            d = dict(g.attrs)
            d.update({k: g[k][()] for k in g})
            out["iterations"].append(d)
        out["params"] = json.loads(f.attrs["params"])
        out["comparison"] = json.loads(f.attrs["comparison"])
        out["success"] = bool(f.attrs["success"])
    return out


def write_arrays(path, arrays: dict, params: dict) -> None:
    """A flat HDF5 file of named arrays (``ee_example.h5`` and other small theory results), with the
    attribute ``params`` (JSON); written atomically."""
    path = Path(path)
    tmp = _tmp(path)
    with h5py.File(tmp, "w") as f:
        for k, v in arrays.items():
            f.create_dataset(k, data=np.asarray(v))
        f.attrs["params"] = _json(params)
    os.replace(tmp, path)


def read_arrays(path) -> dict:
    with h5py.File(path, "r") as f:
        out = {k: f[k][()] for k in f}
        out["params"] = json.loads(f.attrs["params"])
    return out
