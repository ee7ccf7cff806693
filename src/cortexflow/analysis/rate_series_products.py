"""What the rules after the spike statistics make of a simulation's stats/rate_series.h5: spectra (rule
power_spectra), area signals (synaptic input, BOLD, FC, communities; rule area_signals) and the temporal
hierarchy (rule temporal_hierarchy). Each reads the rate series (cortexflow.analysis.io) and writes one file."""
from __future__ import annotations

import json
import os
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from cortexflow.config import with_defaults

from . import fc as fc_mod
from . import fmri, hierarchy
from .io import read_rate_series
from .spectra import DEFAULT_WELCH, check_segments, welch_spectrum


def _tmp(path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(".tmp-" + path.name)


def _strings(values):
    return np.array(list(values), dtype=h5py.string_dtype())


def welch_options(welch: dict | None) -> dict:
    """``analysis.welch`` with the defaults of cortexflow.analysis.spectra filled in."""
    return {**DEFAULT_WELCH, **{k: v for k, v in (welch or {}).items() if v is not None}}


def write_spectra(series_path, out_path, welch: dict) -> dict:
    """Welch spectra of every population and area rate (centred) with the segmentation of ``welch``
    (``analysis.welch``; too few segments raise). The attributes record what was computed: nperseg,
    noverlap, window, detrend, fs_hz, n_samples, n_segments, frequency_resolution_hz, min_segments."""
    s = read_rate_series(series_path)
    kw = welch_options(welch)
    check_segments(s["rates"].shape[-1], kw["nperseg"], kw["noverlap"], kw["min_segments"], s["bin_ms"],
                   where=str(series_path))
    f, p_pop, info = welch_spectrum(s["rates"], s["bin_ms"], **kw)
    _, p_area, info_area = welch_spectrum(s["area_rates"], s["bin_ms"], **kw)
    assert info == info_area
    tmp = _tmp(out_path)
    with h5py.File(tmp, "w") as h:
        h["frequencies"] = f
        h["populations"] = _strings(s["populations"])
        h["areas"] = _strings(s["areas"])
        h["population_psd"] = p_pop
        h["area_psd"] = p_area
        h.attrs.update(info)
        h.attrs["bin_ms"] = float(s["bin_ms"])
        h.attrs["units"] = "(spikes/s)^2/Hz"
    os.replace(tmp, out_path)
    return info


def area_signals(series_path, network, exp_fc_path, opts: dict) -> dict:
    """Synaptic-input proxy, BOLD, simulated FC of both, experimental FC and Louvain communities.
    ``opts``: ``analysis`` sections ``fmri`` and ``fc`` (missing keys: the schema's defaults)."""
    s = read_rate_series(series_path)
    filled = with_defaults({k: opts.get(k) or {} for k in ("fmri", "fc")}, "properties/analysis")
    fm, fcopt = filled["fmri"], filled["fc"]
    tau_s = float(network.params.get("tau_syn_ex", network.params.get("tau_syn", 0.5)))
    areas, syn = fmri.synaptic_input(s["rates"].astype(float), s["populations"], network.populations,
                                     network.K, network.W, network.N, tau_s=tau_s,
                                     kernel_ms=fm["kernel_ms"], bin_ms=s["bin_ms"],
                                     mode=fm["filter"])
    bold = fmri.bold_from_synaptic_input(syn, s["bin_ms"])
    skip = int(round(fm["bold_discard_ms"] / s["bin_ms"]))
    out = {"areas": areas, "synaptic_input": syn, "bold": bold,
           "fc_synaptic_input": fc_mod.functional_connectivity(syn),
           "bold_discard_bins": skip, "bin_ms": s["bin_ms"], "tau_s": tau_s}
    # the BOLD FC needs samples after the hemodynamic transient
    out["fc_bold"] = (fc_mod.functional_connectivity(bold[:, skip:]) if bold.shape[1] - skip > 2
                      else np.full((len(areas),) * 2, np.nan))
    names, exp = fc_mod.read_experimental_fc(exp_fc_path, fcopt["exp_block"])
    out["fc_experimental"] = fc_mod.restrict(names, exp, areas)
    lou = {"seed": fcopt["louvain_seed"], "resolution": fcopt["louvain_resolution"],
           "negative": fcopt["negative_weights"]}
    out["communities"] = {
        "synaptic_input": fc_mod.louvain(out["fc_synaptic_input"], areas, **lou),
        "experimental": fc_mod.louvain(out["fc_experimental"], areas, **lou),
    }
    out["similarity"] = {"synaptic_input_vs_experimental": fc_mod.fc_similarity(out["fc_synaptic_input"],
                                                                             out["fc_experimental"])}
    if np.all(np.isfinite(out["fc_bold"])):
        out["communities"]["bold"] = fc_mod.louvain(out["fc_bold"], areas, **lou)
        out["similarity"]["bold_vs_experimental"] = fc_mod.fc_similarity(out["fc_bold"], out["fc_experimental"])
    out["louvain"] = lou
    return out


def write_area_signals(result: dict, h5_path, json_path) -> None:
    tmp = _tmp(h5_path)
    with h5py.File(tmp, "w") as h:
        h["areas"] = _strings(result["areas"])
        for key in ("synaptic_input", "bold"):
            h.create_dataset(key, data=result[key].astype(np.float32), compression="gzip")
        for key in ("fc_synaptic_input", "fc_bold", "fc_experimental"):
            h[key] = result[key]
        h.attrs.update({"bin_ms": result["bin_ms"], "tau_s_ms": result["tau_s"],
                        "bold_discard_bins": result["bold_discard_bins"]})
    tmp_json = _tmp(json_path)
    tmp_json.write_text(json.dumps({"communities": result["communities"], "similarity": result["similarity"],
                                    "louvain": result["louvain"]}, indent=1, sort_keys=True))
    os.replace(tmp, h5_path)
    os.replace(tmp_json, json_path)


def write_temporal_hierarchy(series_path, csv_path, h5_path, opts: dict) -> None:
    """Peak lags of the area cross-correlations and the least-squares temporal hierarchy."""
    s = read_rate_series(series_path)
    opts = with_defaults(opts, "properties/analysis/properties/hierarchy")
    max_lag = int(round(opts["max_lag_ms"] / s["bin_ms"]))
    x = s["area_rates"].astype(float)
    lags, C = hierarchy.cross_correlation(x, max_lag)
    tau = hierarchy.peak_lags(lags, C, s["bin_ms"], opts["smooth_sigma_ms"])
    valid = x.std(axis=1) > 0
    tau[~valid] = np.nan
    tau[:, ~valid] = np.nan
    h = hierarchy.temporal_hierarchy(np.nan_to_num(tau), valid)
    tmp = _tmp(h5_path)
    with h5py.File(tmp, "w") as f:
        f["areas"] = _strings(s["areas"])
        f["lags_ms"] = lags * s["bin_ms"]
        f.create_dataset("cross_correlation", data=C.astype(np.float32), compression="gzip")
        f["peak_lag_ms"] = tau
        f["hierarchy"] = h
    tmp_csv = _tmp(csv_path)
    pd.DataFrame({"area": s["areas"], "temporal_hierarchy": h,
                  "mean_peak_lag_ms": np.nanmean(np.where(np.eye(len(h), dtype=bool), np.nan, tau), axis=1)
                  if len(h) > 1 else np.nan}).to_csv(tmp_csv, index=False, float_format="%.6g")
    os.replace(tmp, h5_path)
    os.replace(tmp_csv, csv_path)
