# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulated rates against the mean-field fixed points of the simulated network (Schuecker, Schmidt et al.
2017 Figs 3 and 9; Schmidt et al. 2018 PLoS CB Fig 2).

A network may have several attractors (``fixed_point.h5``: ``rates`` from zero initial rates, and
``attractor_rates``, one row per distinct attractor found from the seeded random initial conditions). Each is
labelled by its population-mean rate: the lowest "low", the highest "high" (one attractor: "high" above a
population-mean rate of 20 spikes/s, else "low"). Per
population the simulated rate is compared with every attractor; the state of the run is the attractor at the
smallest log-rate distance

    d_a = mean_i | log10((nu_i^sim + eps) / (nu_i^a + eps)) |,   eps = 0.1 spikes/s,

(eps keeps silent populations finite), and the deviation of the run from it is stated per population as the
ratio nu^sim / nu^a and per area as the N-weighted area rates (full-scale N) of both.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

EPS = 0.1


HIGH_ACTIVITY_MEAN = 20.0   # spikes/s: a lone attractor above this population-mean rate is "high", else "low"


def attractors(fp: dict) -> dict[str, np.ndarray]:
    """{'low': rates, 'high': rates} from a read fixed_point.h5 (cortexflow.theory.io); a network with one
    attractor gets the label of its population-mean rate (S17: the low-activity state fires a few spikes/s,
    the high-activity state > 100; threshold HIGH_ACTIVITY_MEAN)."""
    rows = [np.asarray(fp["rates"], float)]
    if "attractor_rates" in fp:
        rows += [np.asarray(r, float) for r in np.atleast_2d(fp["attractor_rates"])]
    distinct: list[np.ndarray] = []
    for r in rows:
        if not any(np.allclose(r, d, rtol=1e-3, atol=1e-3) for d in distinct):
            distinct.append(r)
    distinct.sort(key=lambda r: r.mean())
    if len(distinct) == 1:
        return {"high" if distinct[0].mean() > HIGH_ACTIVITY_MEAN else "low": distinct[0]}
    out = {"low": distinct[0], "high": distinct[-1]}
    for k, r in enumerate(distinct[1:-1], start=1):
        out[f"other{k}"] = r
    return out


def log_distance(sim: np.ndarray, mf: np.ndarray) -> float:
    return float(np.mean(np.abs(np.log10((sim + EPS) / (mf + EPS)))))


def compare(summary: pd.DataFrame, fp: dict) -> tuple[pd.DataFrame, dict]:
    """Per-population table (population, area, n_neurons, rate, rate_<attractor>, ratio_<attractor>) in the
    fixed point's order and the verdict {state, distances, mean rates} of one simulation."""
    pops = list(fp["populations"])
    s = summary.set_index("population").reindex(pops)
    if s["rate"].isna().any():
        missing = [p for p, r in zip(pops, s["rate"]) if np.isnan(r)]
        raise ValueError(f"populations {missing[:5]} of the fixed point are not in the simulation's summary")
    sim = s["rate"].to_numpy(float)
    att = attractors(fp)
    table = pd.DataFrame({"population": pops, "area": [p.rsplit("-", 1)[0] for p in pops],
                          "n_neurons": s["n_neurons"].to_numpy(float), "rate": sim})
    dist = {}
    for name, r in att.items():
        table[f"rate_{name}"] = r
        table[f"ratio_{name}"] = (sim + EPS) / (r + EPS)
        dist[name] = log_distance(sim, r)
    state = min(dist, key=dist.get)
    verdict = {"state": state, "distances": dist, "mean_rate": float(sim.mean()),
               "mean_rate_mf": {k: float(v.mean()) for k, v in att.items()},
               "within_2x": float(np.mean((table[f"ratio_{state}"] > 0.5) & (table[f"ratio_{state}"] < 2.0)))}
    return table, verdict


def area_rates(table: pd.DataFrame, column: str) -> pd.Series:
    """N-weighted area rates of one rate column (area order of the table)."""
    w = table["n_neurons"].to_numpy(float)
    g = table.assign(_w=w, _x=table[column].to_numpy(float) * w).groupby("area", sort=False)
    return g["_x"].sum() / g["_w"].sum()
