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


LINESTYLES = ("-", "--", ":", "-.")


def _band(ax, df: pd.DataFrame, col: str, label=None, color=None):
    """Against N_scaling (log axis), one line per K_scaling (solid: the largest K; dashed, dotted: smaller):
    the seed mean as a line, min..max over seeds shaded."""
    line = None
    n_eq_k = bool((df["N_scaling"] == df["K_scaling"]).all())    # an N = K ladder (pd14) is one line
    Ks = [None] if n_eq_k else sorted(df["K_scaling"].unique(), reverse=True)
    for k, K in enumerate(Ks):
        g = (df if K is None else df[df["K_scaling"] == K]).groupby("N_scaling")[col]
        x = np.array(sorted(g.groups))
        mean, lo, hi = (np.array([getattr(g.get_group(n), f)() for n in x]) for f in ("mean", "min", "max"))
        line, = ax.plot(x, mean, marker="o", ms=3, lw=1.2, ls=LINESTYLES[k % len(LINESTYLES)],
                        label=label if k == 0 else None, color=color if line is None else line.get_color())
        ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xscale("log")
    ax.set_xlabel("N_scaling")
    return line


def scaling_figure(summary: pd.DataFrame, points: pd.DataFrame, study: str) -> plt.Figure:
    """Six panels against N_scaling, one line style per K_scaling: rates against the mean field and the largest
    point, CV/LvR, CC, agreement counts, cost (measured beside the resource formula)."""
    apply_style()
    is_mam = points["n_areas"].iloc[0] > 1
    pts = points.assign(nk=points["N_scaling"] * points["K_scaling"]).sort_values(["nk", "K_scaling"])
    big = float(pts["N_scaling"].iloc[-1]), float(pts["K_scaling"].iloc[-1])
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.4))
    (a, b, c), (d, e, f) = axes

    # A: rate / mean field (pd14: per population; mam: key areas + the median over areas)
    if is_mam:
        for area, color in AREA_COLORS.items():
            if f"{area}_ratio_mf" in points:
                _band(a, points, f"{area}_ratio_mf", area, color)
        _band(a, points, "median_area_ratio_mf", "median area", "k")
        a.set_ylabel("area rate / full-scale mean field")
    else:
        for pop, color in POP_COLORS.items():
            _band(a, summary[summary["population"] == pop], "rate_over_mf", pop, color)
        a.set_ylabel("rate / full-scale mean field")
    a.set_title("rates against the mean field")
    a.legend(ncol=2, frameon=False, fontsize=6)

    # B: rate / largest point
    if is_mam:
        for area, color in AREA_COLORS.items():
            if f"{area}_ratio_largest" in points:
                _band(b, points, f"{area}_ratio_largest", area, color)
        b.set_ylabel(f"area rate / rate at (N {big[0]:g}, K {big[1]:g})")
    else:
        ref = summary[(summary["N_scaling"] == big[0]) & (summary["K_scaling"] == big[1])]
        ref = ref.groupby("population")["rate"].mean()
        rel = summary.assign(rel=summary["rate"] / summary["population"].map(ref))
        for pop, color in POP_COLORS.items():
            _band(b, rel[rel["population"] == pop], "rel", pop, color)
        b.set_ylabel(f"rate / rate at N = K = {big[0]:g}")
    b.set_title("rates against the largest point")
    for ax in (a, b):
        ax.axhline(1, color="0.5", lw=0.8, ls="--")
        ax.axhspan(1 / 1.5, 1.5, color="0.9", zorder=0)
        ax.set_yscale("log")

    # C: irregularity
    _band(c, points, "mean_cv_isi", "CV ISI", "#4d4d4d")
    _band(c, points, "mean_lvr", "LvR", "#1b7837")
    c.set_ylabel("mean over populations")
    c.set_title("irregularity")
    c.legend(frameon=False)

    # D: correlations against 1/N (do they grow as N shrinks?)
    if is_mam:
        _band(d, points, "mean_cc", "mean CC", "#762a83")
        d.set_yscale("log")
        d.set_ylabel("mean spike-count CC (1 ms bins)")
    else:
        for pop, color in POP_COLORS.items():
            sub = summary[summary["population"] == pop]
            g = sub.groupby("n_neurons")["cc"]
            n = np.array(sorted(g.groups))
            d.plot(1 / n, [g.get_group(k).mean() for k in n], "o-", ms=3, color=color, label=pop)
        d.set_xscale("log")
        d.set_yscale("log")
        d.set_xlabel("1 / N (neurons of the population)")
        d.set_ylabel("spike-count CC (1 ms bins)")
    d.set_title("correlations")

    # E: agreement
    n_areas = int(points["n_areas"].iloc[0])
    if is_mam:
        _band(e, points, "areas_within_mf", "within x1.5 of MF", "#2166ac")
        _band(e, points, "areas_within_largest", "within x1.5 of largest", "#b2182b")
        e.axhline(n_areas, color="0.5", lw=0.8, ls="--")
        e.set_ylabel(f"areas (of {n_areas})")
        e.legend(frameon=False, loc="lower right")
    else:
        _band(e, points, "log_rate_r_mf", "log-rate r vs MF", "#2166ac")
        e.set_ylabel("r of log rates (simulation vs mean field)")
    e.set_title("agreement")

    # F: cost, measured and predicted by the resource formula of rule simulate
    _band(f, points, "peak_rss_gb", "peak RSS", "#b2182b")
    f.set_xlabel("N_scaling")
    _band(f, points, "pred_mem_gb", "formula", "#f4a582")
    f.set_yscale("log")
    f.set_ylabel("memory (GB)")
    f.set_title("cost (RTF at each point in the labels)")
    for _, r in points.drop_duplicates(["N_scaling", "K_scaling"]).iterrows():
        f.annotate(f"RTF {r['rtf']:.0f}", (r["N_scaling"], r["peak_rss_gb"]), fontsize=6,
                   xytext=(3, -9), textcoords="offset points")
    f.legend(frameon=False, loc="upper left")

    for ax, letter in zip(axes.flat, "ABCDEF"):
        panel_label(ax, letter)
    runs = points.groupby(["N_scaling", "K_scaling"]).size()
    t_sim = points["t_sim_ms"].dropna().unique()
    Ks = sorted(points["K_scaling"].unique(), reverse=True)
    if (points["N_scaling"] == points["K_scaling"]).all():
        styles = "N_scaling = K_scaling"
    else:
        styles = ", ".join(f"K_scaling {K:g} {'solid dashed dotted dashdot'.split()[k % 4]}" for k, K in enumerate(Ks))
    fig.suptitle(f"Scale study {study}: {len(points)} runs at {len(runs)} points, t_sim "
                 f"{', '.join(f'{t:g}' for t in t_sim)} ms; lines: {styles}; shaded: min..max over seeds",
                 fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig
