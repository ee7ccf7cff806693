# SPDX-License-Identifier: GPL-3.0-or-later
"""One table per quantity over the data-dependence replicates (rule data_dependence_collect).

Tables (CSV, one row per replicate unless stated; ``replicate``, ``kind`` first):

* ``replicates``: summary (label, seed, resampled files, totals, mean rate, stability, fits).
* ``edr``: intercept, slope, r, n of ln FLN = a + b d.  ``sln_fit``: b0, b1, phi, -ln L, n of the SLN fit.
* ``population_N``: neurons per population (254 columns).  ``rates``: zero-start fixed-point rates.
* ``area_indegrees`` (long): K(A <- B) = sum_{i in A, j in B} N_i K_ij / sum_{i in A} N_i, the mean
  number of synapses a neuron of area A receives from area B (B = 'external': the Poisson drive).
* ``stability``: max Re lambda, number of distinct fixed points from zero and random starts, bistable
  (>= 2 of them), rate of the highest one, kappa* of the drive scan (and the stabilisation, if run).
* ``sensitivity`` (leave-one-out replicates only): change of the rates against ``original``, ranked by
  the root mean square over populations.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cortexflow.areas import AREAS, area_of
from cortexflow.structure.measures import area_synapses
from cortexflow.structure.network_file import read_network
from cortexflow.theory.io import read_fixed_point, read_stabilisation


def _read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def area_indegrees(net) -> np.ndarray:
    """(32, 33) area-level indegrees K(A <- B), last column external (see module docstring)."""
    area_idx = np.array([AREAS.index(area_of(p)) for p in net.populations])
    N = np.asarray(net.N, float)
    N_area = np.bincount(area_idx, weights=N, minlength=len(AREAS))
    syn = np.asarray(net.K, float) * N[:, None]
    cc = area_synapses(syn, area_idx, len(AREAS))
    ext = np.bincount(area_idx, weights=syn[:, -1], minlength=len(AREAS))
    return np.column_stack([cc, ext]) / N_area[:, None]


def distinct_states(fp: dict, rtol: float = 1e-6) -> list[np.ndarray]:
    """Distinct fixed points among the zero-start state and the random-start attractors."""
    states = [np.asarray(fp["rates"], float)]
    for r in np.atleast_2d(fp.get("attractor_rates", np.zeros((0, len(states[0]))))):
        if r.size and not any(np.allclose(r, s, rtol=rtol, atol=1e-9) for s in states):
            states.append(np.asarray(r, float))
    return states


def collect(specs: dict[str, dict], inputs: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Every table from the per-replicate files; ``specs`` = workflow.replicates(...), ``inputs`` = lists of
    paths in the order of ``specs`` (workflow.collect_inputs)."""
    names = list(specs)
    for key, paths in inputs.items():
        if len(paths) != len(names):
            raise ValueError(f"data_dependence_collect: {len(paths)} {key} files for {len(names)} replicates")
    if "original" not in specs:
        raise ValueError("data_dependence_collect: the replicate 'original' is missing")
    base = [{"replicate": n, "kind": specs[n]["kind"]} for n in names]
    summary, edr, sln, N_rows, rate_rows, stab, ind = [], [], [], [], [], [], []
    populations = None
    for k, name in enumerate(names):
        spec = specs[name]
        rec = _read_json(inputs["record"][k])
        fits = _read_json(inputs["processed"][k])["fits"]
        net = read_network(inputs["network"][k])
        fp = read_fixed_point(inputs["fixed_point"][k])
        if populations is None:
            populations = list(net.populations)
        elif list(net.populations) != populations:
            raise ValueError(f"{inputs['network'][k]}: populations differ from the other replicates")
        edr.append({**base[k], **{f: fits["edr"][f] for f in ("intercept", "slope", "r", "n")}})
        s = fits["sln"]
        sln.append({**base[k], "b0": s["b0"], "b1": s["b1"], "phi": s["phi"],
                    "neg_log_likelihood": s["neg_log_likelihood"], "n_observations": s["n_observations"],
                    "converged": s["converged"]})
        N_rows.append(np.asarray(net.N, float))
        rates = np.asarray(fp["rates"], float)
        rate_rows.append(rates)
        states = distinct_states(fp)
        st = {**base[k], "converged": bool(fp["converged"]), "mean_rate": float(rates.mean()),
              "max_re_lambda": float(fp["max_re_lambda"]), "n_states": len(states), "bistable": len(states) > 1,
              "highest_state_mean_rate": float(max(x.mean() for x in states))}
        if "bistability" in inputs:
            b = _read_json(inputs["bistability"][k])
            st.update({"kappa_star": b["kappa_star"], "kappa_star_found": b["found"]})
        if "stabilisation" in inputs:
            sr = read_stabilisation(inputs["stabilisation"][k])
            kappas = [float(it["kappa_low"]) for it in sr["iterations"]]
            sfp = read_fixed_point(inputs["stable_fixed_point"][k])
            K0, K1 = sr["K0"], sr["K"]
            st.update({"stabilised": sr["success"], "stabilisation_iterations": len(kappas) - 1,
                       "kappa_star_stabilised": kappas[-1],
                       "stabilisation_rel_change": float(np.linalg.norm(K1 - K0) / np.linalg.norm(K0)),
                       "stable_mean_rate": float(np.mean(sfp["rates"]))})
        stab.append(st)
        K_area = area_indegrees(net)
        sources = AREAS + ["external"]
        for a, target in enumerate(AREAS):
            for b, source in enumerate(sources):
                ind.append((name, spec["kind"], target, source, float(K_area[a, b])))
        summary.append({**base[k], "label": spec["label"], "item": spec["item"], "seed": spec["seed"],
                        "resampled_files": len(rec["resampled_files"]),
                        "sln_rows_without_fln": len(rec["sln_rows_without_fln"]),
                        "N_total": float(np.sum(net.N)),
                        "synapses_total": float(np.sum(net.synapses[:, :-1])),
                        "edr_slope": edr[-1]["slope"], "sln_b1": s["b1"],
                        **{key: st[key] for key in st if key not in ("replicate", "kind")}})
    tables = {
        "replicates": pd.DataFrame(summary),
        "edr": pd.DataFrame(edr),
        "sln_fit": pd.DataFrame(sln),
        "population_N": pd.concat([pd.DataFrame(base), pd.DataFrame(np.array(N_rows), columns=populations)], axis=1),
        "rates": pd.concat([pd.DataFrame(base), pd.DataFrame(np.array(rate_rows), columns=populations)], axis=1),
        "area_indegrees": pd.DataFrame(ind, columns=["replicate", "kind", "target", "source", "K"]),
        "stability": pd.DataFrame(stab),
    }
    tables["sensitivity"] = sensitivity(specs, tables["rates"], tables["stability"])
    return tables


def sensitivity(specs: dict[str, dict], rates: pd.DataFrame, stability: pd.DataFrame) -> pd.DataFrame:
    """Leave-one-out replicates ranked by the change of the fixed-point rates against ``original``:
    rms = sqrt(mean_i (nu_i - nu0_i)^2), max |nu_i - nu0_i| (with its population), change of the mean rate
    and of kappa* (where computed)."""
    cols = [c for c in rates.columns if c not in ("replicate", "kind")]
    r = rates.set_index("replicate")[cols]
    st = stability.set_index("replicate")
    nu0 = r.loc["original"].to_numpy(float)
    rows = []
    for name, spec in specs.items():
        if not spec["kind"].startswith("loo-"):
            continue
        d = r.loc[name].to_numpy(float) - nu0
        i = int(np.argmax(np.abs(d)))
        row = {"replicate": name, "kind": spec["kind"], "item": spec["item"], "label": spec["label"],
               "rms_change": float(np.sqrt(np.mean(d**2))), "max_abs_change": float(abs(d[i])),
               "max_change_population": cols[i], "mean_rate_change": float(d.mean()),
               "relative_rms_change": float(np.sqrt(np.mean(d**2)) / np.sqrt(np.mean(nu0**2)))}
        if "kappa_star" in st.columns:
            row["kappa_star_change"] = float(st.loc[name, "kappa_star"] - st.loc["original", "kappa_star"])
        rows.append(row)
    columns = ["replicate", "kind", "item", "label", "rms_change", "max_abs_change", "max_change_population",
               "mean_rate_change", "relative_rms_change"] + (
                   ["kappa_star_change"] if "kappa_star" in st.columns else [])
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values("rms_change", ascending=False, kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out
