# SPDX-License-Identifier: GPL-3.0-or-later
"""Scale study: how far a down-scaled network's spiking statistics are from the full-scale theory and from the
largest scale measured (van Albada, Helias & Diesmann 2015, PLOS CB 11:e1004490; Schmidt et al. 2018 PLOS CB).

Down-scaling with DC compensation (cortexflow.structure.scaling) preserves mean and variance of every
population's input *at the full-scale mean-field rates*, so the mean field is the same at every scale; what
changes is what the theory leaves out (finite indegrees, correlations, synchrony). Per run and population the
study records the simulated rate, CV ISI, LvR and spike-count CC beside the full-scale mean-field rate; per run:

* area rate ratio r_a = nu_a^sim / nu_a^MF, with nu_a = sum_i N_i nu_i / sum_i N_i over the populations of area a
  (full-scale N as weights; pd14 is one area);
* the same ratio against the largest point measured (the most synapses; its seed mean), and the number of
  areas within a factor ``factor`` (default 1.5) of the mean field and of the largest point;
* the share of populations *silent* (rate < ``silent_rate``) among those that fire >= ``active_rate`` in the
  reference (mean field, or the largest point);
* r of log10(rate + 0.01) against the mean field (the log-rate correlation);
* cost: build time, real-time factor, peak RSS, and the resource formula's prediction (rule simulate,
  cortexflow.simulation.resources) beside the measurement.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cortexflow.areas import area_of

SILENT_RATE = 0.1      # spikes/s: a population below this counts as silent
ACTIVE_RATE = 0.5      # spikes/s: ... when its reference rate is at least this
FACTOR = 1.5           # an area "agrees" when its rate ratio is within [1/FACTOR, FACTOR]
KEY_AREAS = ("V1", "V2", "V4", "FEF")


def area_rates(rates: pd.Series, weights: pd.Series) -> pd.Series:
    """Neuron-weighted area rates sum_i N_i nu_i / sum_i N_i, indexed by area (input indexed by population)."""
    df = pd.DataFrame({"area": [area_of(p) for p in rates.index], "w": weights.reindex(rates.index).to_numpy(),
                       "wr": rates.to_numpy() * weights.reindex(rates.index).to_numpy()})
    g = df.groupby("area", sort=False)[["w", "wr"]].sum()
    return g["wr"] / g["w"]


def population_table(runs: list[dict], mf_rates: pd.Series, full_N: pd.Series) -> pd.DataFrame:
    """One row per run and population. ``runs``: dicts with name, N_scaling, K_scaling, seed and the run's
    ``summary`` DataFrame (stats/summary.csv)."""
    rows = []
    for run in runs:
        s = run["summary"].set_index("population")
        df = pd.DataFrame({
            "run": run["name"], "N_scaling": run["N_scaling"], "K_scaling": run["K_scaling"], "seed": run["seed"],
            "population": s.index, "area": [area_of(p) for p in s.index],
            "n_neurons": s["n_neurons"].to_numpy(), "full_N": full_N.reindex(s.index).to_numpy(),
            "rate": s["rate"].to_numpy(), "mf_rate": mf_rates.reindex(s.index).to_numpy(),
            "cv_isi": s["cv_isi"].to_numpy(), "lvr": s["lvr"].to_numpy(), "cc": s["cc"].to_numpy(),
            "fraction_silent": s["fraction_silent"].to_numpy(),
        })
        rows.append(df)
    out = pd.concat(rows, ignore_index=True)
    out["rate_over_mf"] = out["rate"] / out["mf_rate"].where(out["mf_rate"] > 0)
    return out


def largest_point(points: pd.DataFrame) -> tuple[float, float]:
    """(N_scaling, K_scaling) of the point with the most synapses (N_scaling * K_scaling; ties: larger K)."""
    key = points.assign(nk=points["N_scaling"] * points["K_scaling"]).sort_values(["nk", "K_scaling"])
    last = key.iloc[-1]
    return float(last["N_scaling"]), float(last["K_scaling"])


def _within(ratio: pd.Series, factor: float) -> int:
    r = ratio.replace([np.inf, -np.inf], np.nan).dropna()
    return int(((r >= 1.0 / factor) & (r <= factor)).sum())


def _silent_share(rates: pd.Series, reference: pd.Series, silent_rate: float, active_rate: float) -> float:
    active = reference[reference >= active_rate].index
    if len(active) == 0:
        return float("nan")
    return float((rates.reindex(active) < silent_rate).mean())


def run_table(pops: pd.DataFrame, costs: dict[str, dict], factor: float = FACTOR,
              silent_rate: float = SILENT_RATE, active_rate: float = ACTIVE_RATE) -> pd.DataFrame:
    """One row per run: agreement with the mean field and with the largest point, statistics, cost.

    ``costs``: run name -> {run.json entries, plus ``pred_mem_mb`` and ``pred_cpu_s`` of the resource formula}."""
    pts = pops[["N_scaling", "K_scaling"]].drop_duplicates()
    N_big, K_big = largest_point(pts)
    big = pops[(pops["N_scaling"] == N_big) & (pops["K_scaling"] == K_big)]
    big_rates = big.groupby("population", sort=False)["rate"].mean()
    weights = pops.drop_duplicates("population").set_index("population")["full_N"]
    mf = pops.drop_duplicates("population").set_index("population")["mf_rate"]
    mf_area = area_rates(mf, weights)
    big_area = area_rates(big_rates, weights)
    rows = []
    for name, run in pops.groupby("run", sort=False):
        r = run.set_index("population")
        a = area_rates(r["rate"], weights)
        ratio_mf = a / mf_area.reindex(a.index)
        ratio_big = a / big_area.reindex(a.index)
        lr = np.log10(r["rate"] + 0.01), np.log10(mf.reindex(r.index) + 0.01)
        cost = costs.get(name, {})
        measured_cpu = sum(cost.get(k, 0.0) for k in ("build_cpu_s", "presim_cpu_s", "simulate_cpu_s"))
        row = {
            "run": name, "N_scaling": run["N_scaling"].iloc[0], "K_scaling": run["K_scaling"].iloc[0],
            "seed": run["seed"].iloc[0], "n_areas": len(a),
            "mean_rate": float(np.average(r["rate"], weights=weights.reindex(r.index))),
            "mean_rate_mf": float(np.average(mf.reindex(r.index), weights=weights.reindex(r.index))),
            "median_area_ratio_mf": float(ratio_mf.median()),
            "areas_within_mf": _within(ratio_mf, factor),
            "areas_within_largest": _within(ratio_big, factor),
            "silent_share_mf": _silent_share(r["rate"], mf.reindex(r.index), silent_rate, active_rate),
            "silent_share_largest": _silent_share(r["rate"], big_rates, silent_rate, active_rate),
            "log_rate_r_mf": float(np.corrcoef(*lr)[0, 1]),
            "mean_cv_isi": float(r["cv_isi"].mean()), "mean_lvr": float(r["lvr"].mean()),
            "mean_cc": float(r["cc"].mean()),
            "n_neurons": cost.get("n_neurons"), "n_synapses": cost.get("n_connections"),
            "threads": cost.get("threads"), "synapse_model": cost.get("synapse_model"),
            "t_sim_ms": cost.get("t_sim"), "build_s": cost.get("build_time_s"), "rtf": cost.get("rtf"),
            "peak_rss_gb": (cost.get("peak_rss_mb") or np.nan) / 1024,
            "pred_mem_gb": (cost.get("pred_mem_mb") or np.nan) / 1024,
            "cpu_s": measured_cpu, "pred_cpu_s": cost.get("pred_cpu_s"),
        }
        for area in KEY_AREAS if len(a) > 1 else ():
            row[f"{area}_ratio_mf"] = float(ratio_mf.get(area, np.nan))
            row[f"{area}_ratio_largest"] = float(ratio_big.get(area, np.nan))
        if len(a) > 1:
            worst = ratio_big.replace([np.inf, -np.inf], np.nan).dropna()
            off = worst[(worst < 1 / factor) | (worst > factor)]
            row["areas_off_largest"] = " ".join(f"{k}:{v:.2f}" for k, v in off.items())
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["largest"] = (N_big, K_big)
    return out


def area_table(pops: pd.DataFrame) -> pd.DataFrame:
    """One row per run and area: simulated and full-scale mean-field area rate, their ratio, and the ratio to the
    largest point's (seed-mean) area rate: the gap to the mean field per area at every scale."""
    N_big, K_big = largest_point(pops[["N_scaling", "K_scaling"]].drop_duplicates())
    weights = pops.drop_duplicates("population").set_index("population")["full_N"]
    mf_area = area_rates(pops.drop_duplicates("population").set_index("population")["mf_rate"], weights)
    big = pops[(pops["N_scaling"] == N_big) & (pops["K_scaling"] == K_big)]
    big_area = area_rates(big.groupby("population", sort=False)["rate"].mean(), weights)
    rows = []
    for name, run in pops.groupby("run", sort=False):
        a = area_rates(run.set_index("population")["rate"], weights)
        rows.append(pd.DataFrame({"run": name, "N_scaling": run["N_scaling"].iloc[0],
                                  "K_scaling": run["K_scaling"].iloc[0], "seed": run["seed"].iloc[0],
                                  "area": a.index, "rate": a.to_numpy(), "mf_rate": mf_area.reindex(a.index).to_numpy(),
                                  "ratio_mf": (a / mf_area.reindex(a.index)).to_numpy(),
                                  "ratio_largest": (a / big_area.reindex(a.index)).to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def meets_criterion(points: pd.DataFrame, n_areas: int) -> pd.Series:
    """Per run: True when no population active (>= 0.5 spikes/s) at the largest point is silent here and every
    area is within the factor of the largest point (issue criterion for the default scale)."""
    return (points["silent_share_largest"].fillna(0) == 0) & (points["areas_within_largest"] == n_areas)


def read_costs(run_json_text: str, prediction: dict) -> dict:
    cost = json.loads(run_json_text)
    cost["pred_mem_mb"] = prediction.get("mem_est_mb")
    cost["pred_cpu_s"] = prediction.get("cpu_s")
    return cost
