"""Fraction of labelled neurons (FLN) of Markov et al. (2014, Cereb Cortex 24:17) in the FV91 scheme, the
exponential distance rule (EDR) and the completion of the cortico-cortical connectivity (Schmidt et al.
2018, Brain Struct Funct 223:1409, section "Connectivity: FLN").

1. Targets: each injection is assigned the FV91 area of its injection site (``Markov2014_InjectionSites``);
   FLN(T, s) of an FV91 target T and M132 source s is the average over T's injections (see
   :func:`average_over_injections` for the two averaging modes).
2. Sources: FLN(T, s') = Σ_s ov(s, s')/100 · FLN(T, s), with ov the % overlap of M132 area s with FV91
   area s' (``overlap.json``); only model areas s' are kept and T -> T is dropped.
3. EDR: ln FLN = intercept + slope·d over the pairs of model areas with FLN > 0, d the median inter-areal
   distance (mm).
4. Completion: targets with data keep their values and get EDR values for the CoCoMac sources without data;
   targets without data get EDR values for all their CoCoMac sources. Sources outside the model (but in the
   81-area distance table) are summed into ``'external'``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

# Names of the FLN/SLN tables that differ from the M132 keys of overlap.json.
M132_RENAMES = {
    "ENTO": "Entorhinal", "POLE": "Temporal-pole", "Parainsula": "Insula", "SUB": "Subiculum",
    "PIRI": "Piriform", "PERI": "Perirhinal", "Pro.St.": "Prostriate", "INSULA": "Insula", "CORE": "Aud-core",
    "29/30": "29_30", "TEa/mp": "TEam-p", "TH/TF": "TH_TF", "TEa/ma": "TEam-a", "9/46v": "9_46v",
    "9/46d": "9_46d", "SII": "S2",
}

AVERAGING_MODES = ("zero_pad", "present_only")


def fln_injections(fln_raw: pd.DataFrame, sites: pd.DataFrame, areas) -> pd.DataFrame:
    """FLN rows of the injections whose site lies in a model area: columns injection (case), target (FV91),
    source (M132), value (FLN). Injections are matched by case number; the monkey must agree."""
    merged = fln_raw.merge(sites[["case", "monkey", "fv91"]], on="case", how="left", suffixes=("", "_site"))
    bad = merged[merged["fv91"].isna() | (merged["monkey"] != merged["monkey_site"])]
    if len(bad):
        row = bad.iloc[0]
        raise ValueError(f"Markov2014_FLN_rawdata.csv: case {row['case']} (monkey {row['monkey']}) has no matching "
                         f"injection in Markov2014_InjectionSites.csv")
    merged = merged[merged["fv91"].isin(list(areas))]
    return pd.DataFrame({"injection": merged["case"].astype(str), "target": merged["fv91"],
                         "source": merged["source"], "value": merged["FLN"].astype(float)})


def average_over_injections(obs: pd.DataFrame, mode: str) -> dict[str, dict[str, float]]:
    """{target: {source: mean value over the target's injections}}.

    ``zero_pad`` (upstream): an injection that does not report a source counts as 0, i.e. Σ value / n_max with
    n_max the largest number of injections reporting any one source of that target.
    ``present_only``: Σ value / n over the n injections that report the source.
    """
    if mode not in AVERAGING_MODES:
        raise ValueError(f"anatomy.injection_averaging: {mode!r} is not one of {AVERAGING_MODES}")
    g = obs.groupby(["target", "source"], sort=True)["value"].agg(["sum", "count"]).reset_index()
    if mode == "zero_pad":
        g["n"] = g.groupby("target")["count"].transform("max")
    else:
        g["n"] = g["count"]
    g["mean"] = g["sum"] / g["n"]
    out: dict[str, dict[str, float]] = {}
    for t, s, m in zip(g["target"], g["source"], g["mean"]):
        out.setdefault(t, {})[s] = float(m)
    return out


def overlap_of(source: str, overlap: dict[str, dict[str, float]]) -> dict[str, float]:
    """{FV91 area: % overlap} of an M132 source area (after :data:`M132_RENAMES`)."""
    key = M132_RENAMES.get(source, source)
    if key not in overlap:
        raise ValueError(f"overlap.json: no entry for M132 area {key!r} (source {source!r} of the FLN/SLN data)")
    return overlap[key]


def map_sources(values: dict[str, dict[str, float]], overlap: dict, areas) -> dict[str, dict[str, float]]:
    """FLN(T, s') = Σ_s ov(s, s')/100·FLN(T, s) over model areas s' ≠ T."""
    area_set = set(areas)
    out = {}
    for target, by_source in values.items():
        acc: dict[str, float] = {}
        for source, v in by_source.items():
            for fv, pct in overlap_of(source, overlap).items():
                if fv in area_set:
                    acc[fv] = acc.get(fv, 0.0) + pct / 100.0 * v
        acc.pop(target, None)
        out[target] = acc
    return out


def edr(d, intercept: float, slope: float):
    """Exponential distance rule FLN(d) = exp(intercept + slope·d), d in mm (Markov et al. 2013; Schmidt et al.
    2018 BSF, Eq. 8): the FLN that rule complete_fln gives a connection without data."""
    return np.exp(intercept + slope * d)


def edr_fit(mapped: dict[str, dict[str, float]], distances: pd.DataFrame, members) -> dict:
    """ln FLN = intercept + slope·d (linear regression) over (T, s) with both areas in ``members`` (the
    32-area Thom table, used only as a filter, as upstream) and FLN ≠ 0; d from ``distances`` (median, mm)."""
    members = set(members)
    pairs = [(t, s, v) for t in sorted(mapped) for s, v in sorted(mapped[t].items())
             if t in members and s in members and v]
    d = np.array([distances.loc[t, s] for t, s, _ in pairs])
    fit = stats.linregress(d, np.log([v for *_, v in pairs]))
    return {"intercept": float(fit.intercept), "slope": float(fit.slope), "r": float(fit.rvalue), "n": len(pairs)}


def complete_fln(mapped: dict[str, dict[str, float]], cocomac: dict[str, dict], distances: pd.DataFrame,
                 fit: dict, areas) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """({target: {source: FLN, ..., 'external': Σ FLN of non-model sources}}, counts of data/EDR entries)."""
    area_set = set(areas)
    known = set(distances.index)
    out, n_data, n_edr = {}, 0, 0
    for t in areas:
        data = mapped.get(t, {})
        fln = dict(data)
        for s in cocomac[t]:
            if s != t and s not in data and s in known:
                fln[s] = float(edr(distances.loc[t, s], fit["intercept"], fit["slope"]))
                n_edr += s in area_set
        n_data += sum(s in area_set for s in data)
        external = sum(v for s, v in fln.items() if s not in area_set)
        fln = {s: v for s, v in fln.items() if s in area_set}
        fln["external"] = float(external)
        out[t] = fln
    return out, {"data": n_data, "edr": n_edr}
