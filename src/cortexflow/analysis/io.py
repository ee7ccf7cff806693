# SPDX-License-Identifier: GPL-3.0-or-later
"""Files of the per-simulation statistics (results/sims/{sim}/stats/), written and read here only:
``summary.csv``, ``distributions.h5`` and ``rate_series.h5`` (contents: cortexflow.analysis.per_simulation).
Each carries the analysis options it was computed with."""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from .per_simulation import AnalysisOptions


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
