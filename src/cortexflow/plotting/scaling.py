# SPDX-License-Identifier: GPL-3.0-or-later
"""Scale-study figure (docs/simulation.md "Scale study"): each statistic against the scale of the network, the
spread over seeds shaded, and the cost measured beside the resource formula's prediction. Draws only: the
numbers come from results/scaling/{study}/summary.csv and points.csv (cortexflow.analysis.scaling)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cortexflow.plotting.style import apply_style, panel_label

POP_COLORS = {"23E": "#b2182b", "23I": "#2166ac", "4E": "#d6604d", "4I": "#4393c3", "5E": "#f4a582",
              "5I": "#92c5de", "6E": "#762a83", "6I": "#1b7837"}
AREA_COLORS = {"V1": "#b2182b", "V2": "#ef8a62", "V4": "#67a9cf", "FEF": "#2166ac"}


def _order(points: pd.DataFrame) -> list[tuple[float, float]]:
    pts = points[["N_scaling", "K_scaling"]].drop_duplicates()
    pts = pts.assign(nk=pts["N_scaling"] * pts["K_scaling"]).sort_values(["nk", "K_scaling"])
    return list(zip(pts["N_scaling"], pts["K_scaling"]))


def _band(ax, x, df: pd.DataFrame, col: str, keys, label=None, color=None, logy=False):
    """Seed mean as a line, min..max over seeds shaded; ``keys``: the (N, K) points in x order."""
    g = df.groupby(["N_scaling", "K_scaling"])[col]
    mean = np.array([g.get_group(k).mean() if k in g.groups else np.nan for k in keys])
    lo = np.array([g.get_group(k).min() if k in g.groups else np.nan for k in keys])
    hi = np.array([g.get_group(k).max() if k in g.groups else np.nan for k in keys])
    line, = ax.plot(x, mean, "o-", ms=3, lw=1.2, label=label, color=color)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    if logy:
        ax.set_yscale("log")
    return line


def scaling_figure(summary: pd.DataFrame, points: pd.DataFrame, study: str):
    """Six panels: rates against the mean field and the largest point, CV/LvR, CC, agreement counts, cost."""
    apply_style()
    keys = _order(points)
    x = np.arange(len(keys))
    labels = [f"N {n:g}\nK {k:g}" for n, k in keys]
    is_mam = points["n_areas"].iloc[0] > 1
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.4))
    (a, b, c), (d, e, f) = axes
    big = keys[-1]

    # A: rate / mean field (pd14: per population; mam: key areas + the median over areas)
    if is_mam:
        for area, color in AREA_COLORS.items():
            if f"{area}_ratio_mf" in points:
                _band(a, x, points, f"{area}_ratio_mf", keys, area, color)
        _band(a, x, points, "median_area_ratio_mf", keys, "median area", "k")
        a.set_ylabel("area rate / full-scale mean field")
    else:
        for pop, color in POP_COLORS.items():
            _band(a, x, summary[summary["population"] == pop], "rate_over_mf", keys, pop, color)
        a.set_ylabel("rate / full-scale mean field")
    a.axhline(1, color="0.5", lw=0.8, ls="--")
    a.axhspan(1 / 1.5, 1.5, color="0.9", zorder=0)
    a.set_yscale("log")
    a.set_title("rates against the mean field")
    a.legend(ncol=2, frameon=False)

    # B: rate / largest point
    if is_mam:
        for area, color in AREA_COLORS.items():
            if f"{area}_ratio_largest" in points:
                _band(b, x, points, f"{area}_ratio_largest", keys, area, color)
        b.set_ylabel(f"area rate / rate at (N {big[0]:g}, K {big[1]:g})")
    else:
        ref = summary[(summary["N_scaling"] == big[0]) & (summary["K_scaling"] == big[1])]
        ref = ref.groupby("population")["rate"].mean()
        rel = summary.assign(rel=summary["rate"] / summary["population"].map(ref))
        for pop, color in POP_COLORS.items():
            _band(b, x, rel[rel["population"] == pop], "rel", keys, pop, color)
        b.set_ylabel(f"rate / rate at N = K = {big[0]:g}")
    b.axhline(1, color="0.5", lw=0.8, ls="--")
    b.axhspan(1 / 1.5, 1.5, color="0.9", zorder=0)
    b.set_yscale("log")
    b.set_title("rates against the largest point")

    # C: irregularity
    _band(c, x, points, "mean_cv_isi", keys, "CV ISI", "#4d4d4d")
    _band(c, x, points, "mean_lvr", keys, "LvR", "#1b7837")
    c.set_ylabel("mean over populations")
    c.set_title("irregularity")
    c.legend(frameon=False)

    # D: correlations; pd14 per population against 1/N (correlations grow as N shrinks?)
    if is_mam:
        _band(d, x, points, "mean_cc", keys, "mean CC", "#762a83")
        d.set_xticks(x, labels)
    else:
        for pop, color in POP_COLORS.items():
            sub = summary[summary["population"] == pop]
            g = sub.groupby("n_neurons")["cc"]
            n = np.array(sorted(g.groups))
            d.plot(1 / n, [g.get_group(k).mean() for k in n], "o-", ms=3, color=color, label=pop)
        d.set_xscale("log")
        d.set_xlabel("1 / N (neurons of the population)")
    d.set_ylabel("spike-count CC (1 ms bins)")
    d.set_title("correlations")

    # E: agreement counts
    n_areas = int(points["n_areas"].iloc[0])
    if is_mam:
        _band(e, x, points, "areas_within_mf", keys, "areas within x1.5 of MF", "#2166ac")
        _band(e, x, points, "areas_within_largest", keys, "areas within x1.5 of largest", "#b2182b")
        e.axhline(n_areas, color="0.5", lw=0.8, ls="--")
        e.set_ylabel(f"areas (of {n_areas})")
        e2 = e.twinx()
        _band(e2, x, points, "silent_share_largest", keys, "silent share", "0.4")
        e2.set_ylabel("share silent where largest >= 0.5 /s", color="0.4")
        e2.set_ylim(-0.02, max(0.2, float(points["silent_share_largest"].max()) * 1.1))
        e.legend(frameon=False, loc="lower right")
    else:
        _band(e, x, points, "log_rate_r_mf", keys, "log-rate r vs MF", "#2166ac")
        e.set_ylabel("r of log rates (simulation vs mean field)")
    e.set_title("agreement")

    # F: cost, measured and predicted by the resource formula of rule simulate
    _band(f, x, points, "peak_rss_gb", keys, "peak RSS (GB)", "#b2182b")
    _band(f, x, points, "pred_mem_gb", keys, "formula (GB)", "#f4a582")
    f.set_yscale("log")
    f.set_ylabel("memory (GB)")
    f2 = f.twinx()
    _band(f2, x, points, "rtf", keys, "RTF", "#2166ac")
    f2.set_ylabel("real-time factor", color="#2166ac")
    f2.set_yscale("log")
    f.legend(frameon=False, loc="upper left")
    f.set_title("cost")

    for ax in (a, b, c, e, f) + ((d,) if is_mam else ()):
        ax.set_xticks(x, labels)
    for ax, letter in zip(axes.flat, "ABCDEF"):
        panel_label(ax, letter)
    runs = points.groupby(["N_scaling", "K_scaling"]).size()
    t_sim = points["t_sim_ms"].dropna().unique()
    fig.suptitle(f"Scale study {study}: {len(points)} runs at {len(runs)} points (seeds per point "
                 f"{'/'.join(str(v) for v in runs.to_numpy())}), t_sim {', '.join(f'{t:g}' for t in t_sim)} ms; "
                 "shaded: min..max over seeds", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig
