# SPDX-License-Identifier: GPL-3.0-or-later
"""Mean-field figures drawn from the result files of rules chi_sweep, ee_example and stabilise:
Schmidt et al. 2018 PLoS CB Fig. 4 (theory panels), Schuecker, Schmidt et al. 2017 PLoS CB Figs. 2, 6
and 8. Figures only draw; every number comes from the files."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.plotting.style import E_COLOR, I_COLOR, apply_style, panel_label

LOW_C, HIGH_C, SAD_C = "#2166ac", "#b2182b", "0.45"


def chi_sweep_figure(sw: dict):
    """PCB18 Fig. 4B,C: (A) population-mean fixed-point rate vs chi on the low and high branch and from
    zero rates; (B) lambda_max vs chi; (C) distribution of the mean rate at s = T from random starts."""
    apply_style()
    fig = plt.figure(figsize=(7.0, 4.0), constrained_layout=True)
    values = sw["chi_values"]
    gs = fig.add_gridspec(len(values), 3, width_ratios=[1.3, 1.3, 1.0])
    ax_r = fig.add_subplot(gs[: len(values) // 2, :2])
    ax_l = fig.add_subplot(gs[len(values) // 2:, :2], sharex=ax_r)
    chi = sw["chi"]
    grid = chi > chi[0]   # chi_I jumps from 1 to chi_I after the first grid point (the paper's rule)
    both = np.isfinite(sw["low_lambda"]) & np.isfinite(sw["high_lambda"])
    for ax in (ax_r, ax_l):
        if both.any():
            ax.axvspan(chi[both].min(), chi[both].max(), color="0.9", lw=0)
    ax_r.plot(chi[grid], np.nanmean(sw["low_rates"][grid], axis=1), color=LOW_C, label="low-activity branch")
    ax_r.plot(chi[grid], np.nanmean(sw["high_rates"][grid], axis=1), color=HIGH_C, label="high-activity branch")
    zr = np.nanmean(sw["zero_rates"], axis=1)
    ax_r.plot(values, zr, "ko", ms=3, mfc="none", label="from zero rates")
    ax_r.set_yscale("log")
    ax_r.set_ylabel("mean rate (spikes/s)")
    ax_r.legend(frameon=False, loc="upper left", fontsize=6)
    ax_r.set_title(rf"fixed points vs $\chi$ ($\chi_I$ = {sw['chi_I_values'][-1]:g} for $\chi$ > 1; grey: bistable)")
    ax_r.tick_params(labelbottom=False)
    ax_l.plot(chi[grid], sw["low_lambda"][grid], color=LOW_C)
    ax_l.plot(chi[grid], sw["high_lambda"][grid], color=HIGH_C)
    ax_l.plot(values, sw["zero_lambda"], "ko", ms=3, mfc="none")
    ax_l.axhline(1.0, color="k", lw=0.6, ls="--")
    ax_l.set_ylim(0, 1.1)
    ax_l.set_xlabel(r"cortico-cortical weight factor $\chi$")
    ax_l.set_ylabel(r"max Re $\lambda$(G)")
    panel_label(ax_r, "A")
    panel_label(ax_l, "B")
    top = max(float(np.max(r["final_mean"])) for r in sw["random"])
    bins = np.linspace(0, np.ceil(top / 10) * 10, 61)
    for k, (c, r) in enumerate(zip(values, sw["random"])):
        ax = fig.add_subplot(gs[k, 2])
        fm, lab = r["final_mean"], r["label"]
        ax.hist(fm[lab >= 0], bins=bins, color="k", lw=0)
        if np.any(lab < 0):
            ax.hist(fm[lab < 0], bins=bins, color="0.6", lw=0)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.text(0.6, 0.9, rf"$\chi$ = {c:g}", transform=ax.transAxes, ha="center", va="top", fontsize=6)
        if k < len(values) - 1:
            ax.tick_params(labelbottom=False)
        else:
            ax.set_xlabel("mean rate at $s = T$ (spikes/s)")
        if k == 0:
            ax.set_title(f"{len(fm)} random starts\n(grey: no fixed point at $s = T$)", fontsize=7)
            panel_label(ax, "C")
    return fig


def _fp_markers(ax, x, y, lam, color, size=4):
    """Stable fixed points filled, unstable ones open."""
    for xi, yi, li in zip(np.atleast_1d(x), np.atleast_1d(y), np.atleast_1d(lam)):
        ax.plot(xi, yi, "o", ms=size, color=color, mfc=color if li < 1 else "white", mew=0.8, zorder=5)


def ee_example_figure(ee: dict):
    """S17 Fig. 2: (A) transfer function of the 1-D E network at three drives with its fixed points;
    (B) fixed points against the drive; (C) flux Phi(nu) - nu at the base drive, at increased drive and
    with the stabilised indegree; (D) phase plane of the 2-D network: flow, nullclines, fixed points and
    separatrix nu_1 + nu_2 = 2 nu*."""
    apply_style()
    fig, axes = plt.subplots(2, 2, figsize=(7.0, 5.6), constrained_layout=True)
    nu = ee["curve_nu"]
    ax = axes[0, 0]
    greys = ["0.0", "0.4", "0.7"]
    ext_b = ee["bif_nu_ext"]
    for c, v, curve in zip(greys, ee["curve_nu_ext"], ee["curves"]):
        ax.plot(nu, curve, color=c, label=rf"$\nu_{{ext}}$ = {v:g}")
        k = int(np.argmin(np.abs(ext_b - v)))
        r, lm = ee["bif_rates"][k], ee["bif_lambda"][k]
        ok = np.isfinite(r)
        _fp_markers(ax, r[ok], r[ok], lm[ok], c)
    ax.plot(nu, nu, "k--", lw=0.6)
    ax.set_xlim(-2, 70)
    ax.set_ylim(-2, 70)
    ax.set_xlabel(r"rate $\nu$ (spikes/s)")
    ax.set_ylabel(r"$\Phi(\nu)$ (spikes/s)")
    ax.set_title("1-D E network: transfer function")
    ax.legend(frameon=False, loc="upper left")
    ax = axes[0, 1]
    br = ee["bif_rates"]
    ax.plot(ext_b, br[:, 0], color=LOW_C, label="low (stable)")
    ax.plot(ext_b, br[:, 1], "--", color=SAD_C, label="unstable")
    ax.plot(ext_b, br[:, 2], color=HIGH_C, label="high (stable)")
    ax.set_xlabel(r"external rate $\nu_{ext}$ (spikes/s)")
    ax.set_ylabel(r"fixed point $\nu$ (spikes/s)")
    ax.set_title("fixed points vs drive")
    ax.legend(frameon=False, loc="upper left")
    ax = axes[1, 0]
    cols = {"base": "k", "increased": LOW_C, "stabilised": HIGH_C}
    for name, c in cols.items():
        lab = {"base": rf"$\nu_{{ext}}$ = {ee['base_nu_ext']:g}, K = {ee['base_K_rec']:g}",
               "increased": rf"$\nu_{{ext}}$ = {ee['increased_nu_ext']:g}, K = {ee['increased_K_rec']:g}",
               "stabilised": rf"$\nu_{{ext}}$ = {ee['stabilised_nu_ext']:g}, K' = {ee['stabilised_K_rec']:.1f}"}[name]
        ax.plot(nu, ee[f"{name}_flux"], color=c, label=lab)
        fp = ee[f"{name}_fixed_points"]
        _fp_markers(ax, fp, np.zeros_like(fp), ee[f"{name}_lambda"], c)
    ax.axhline(0, color="k", lw=0.5, ls=":")
    ax.set_xlim(0, 50)
    ax.set_ylim(-10, 7)
    ax.set_xlabel(r"rate $\nu$ (spikes/s)")
    ax.set_ylabel(r"flux $\Phi(\nu) - \nu$ (spikes/s)")
    ax.set_title("more drive shrinks the low basin; K' restores it", fontsize=8)
    ax.legend(frameon=False, loc="lower left", fontsize=6)
    ax = axes[1, 1]
    a = ee["phase_axis"]
    step = max(1, len(a) // 10)
    X, Y = np.meshgrid(a, a)
    F1, F2 = ee["base_F1"], ee["base_F2"]
    ax.quiver(X[::step, ::step], Y[::step, ::step], F1[::step, ::step], F2[::step, ::step], color="0.5",
              angles="xy", scale_units="xy", scale=8, width=0.004)
    ax.contour(X, Y, F1, levels=[0], colors="k", linewidths=0.8, linestyles="--")
    ax.contour(X, Y, F2, levels=[0], colors="k", linewidths=0.8, linestyles="--")
    for name, c in cols.items():
        fp2 = ee[f"{name}_2d_fixed_points"]
        lam2 = ee[f"{name}_2d_lambda"]
        _fp_markers(ax, fp2[:, 0], fp2[:, 1], lam2, c, 5 if name == "base" else 3.5)
        sad = fp2[lam2 >= 1]
        for s in sad:
            ax.plot([0, 2 * s[0]], [2 * s[1], 0], color=c, lw=2.5 if name == "base" else 0.9,
                    alpha=0.5 if name == "base" else 1.0)
    ax.set_xlim(-1, a[-1])
    ax.set_ylim(-1, a[-1])
    ax.set_aspect("equal")
    ax.set_xlabel(r"rate $\nu_1$ (spikes/s)")
    ax.set_ylabel(r"rate $\nu_2$ (spikes/s)")
    ax.set_title("2-D E network: flow, nullclines (dashed),\nseparatrix $\\nu_1 + \\nu_2 = 2\\nu^*$", fontsize=8)
    for ax, letter in zip(axes.ravel(), "ABCD"):
        panel_label(ax, letter)
    return fig


LAYER_POPS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]


def rate_matrix(populations, rates) -> tuple[np.ndarray, list[str]]:
    """(8 x areas) matrix of per-population values, rows 23E..6I, NaN where an area lacks the population."""
    areas = []
    for p in populations:
        a = p.rsplit("-", 1)[0]
        if a not in areas:
            areas.append(a)
    M = np.full((len(LAYER_POPS), len(areas)), np.nan)
    for p, r in zip(populations, rates):
        a, pop = p.rsplit("-", 1)
        M[LAYER_POPS.index(pop), areas.index(a)] = r
    return M, areas


def unstable_fixed_point_figure(populations, ufp: dict, iterations=(1, 2)):
    """S17 Fig. 6: per-population rates of the low-activity, the unstable (saddle) and the high-activity
    fixed point at the transition kappa* of the first stabilisation iterations."""
    from matplotlib.colors import LogNorm
    apply_style()
    its = [i for i in iterations if i in list(ufp["iteration"])]
    fig, axes = plt.subplots(len(its), 3, figsize=(9.0, 2.1 * len(its) + 0.5), constrained_layout=True,
                             squeeze=False)
    norm = LogNorm(1e-2, 2e2)
    im = None
    for row, i in enumerate(its):
        k = list(ufp["iteration"]).index(i)
        for col, key, title in ((0, "low", "low-activity"), (1, "saddle", "unstable (saddle)"),
                                (2, "high", "high-activity")):
            ax = axes[row, col]
            M, areas = rate_matrix(populations, np.maximum(ufp[key][k], 1e-3))
            im = ax.imshow(M, norm=norm, cmap="magma", aspect="auto", interpolation="nearest")
            ax.set_yticks(range(8), LAYER_POPS if col == 0 else [""] * 8)
            ax.set_xticks(range(len(areas)), areas if row == len(its) - 1 else [""] * len(areas), rotation=90,
                          fontsize=4.5)
            ax.tick_params(axis="x", length=1.5)
            lam = ufp[f"{key}_lambda"][k]
            ax.set_title(f"{title}\nmean {ufp[key][k].mean():.3g} spikes/s, "
                         rf"$\lambda_{{max}}$ = {lam:.2f}", fontsize=7)
            if col == 0:
                ax.set_ylabel(f"iteration {i}\n" + rf"$\kappa^*$ = {ufp['kappa_low'][k]:.6f}", fontsize=7)
            if row == 0:
                panel_label(ax, "ABC"[col])
    fig.colorbar(im, ax=axes, shrink=0.8, label="rate (spikes/s)")
    return fig


def connectivity_analysis_figure(ca: dict):
    """S17 Fig. 8: (A) correlation of the intra-area change patterns between areas, in dendrogram order
    (complete linkage), flat clusters marked, with the architectural type of each area as bars coloured like
    its dendrogram branch (upstream panel B, top); (B) relative change of the area-level indegrees, targets and
    sources in dendrogram order; (C) mean relative intra-area change per source population; (D) FLN after
    vs before; (E) SLN change."""
    from scipy.cluster import hierarchy as sch

    from cortexflow.theory.conn_analysis import cluster_types
    apply_style()
    areas = [a.decode() if isinstance(a, bytes) else str(a) for a in ca["areas"]]
    fig = plt.figure(figsize=(7.6, 7.2), constrained_layout=True)
    gs = fig.add_gridspec(4, 6, height_ratios=[0.35, 0.3, 1.6, 1.1])
    # A: pattern correlation, dendrogram and architectural types on top
    axd = fig.add_subplot(gs[0, :3])
    dn = sch.dendrogram(ca["linkage_populations"], ax=axd, no_labels=True, color_threshold=float(ca["threshold"]),
                        above_threshold_color="0.5")
    axd.axhline(float(ca["threshold"]), color="k", lw=0.5, ls=":")
    axd.set_yticks([])
    for sp in axd.spines.values():
        sp.set_visible(False)
    axd.set_xticks([])
    panel_label(axd, "A")
    o = ca["order_populations"]
    axt = fig.add_subplot(gs[1, :3])
    types = np.asarray(ca["architectural_types"])[o]
    axt.bar(range(len(o)), types, width=0.9, color=dn["leaves_color_list"], lw=0)
    axt.set_xlim(-0.5, len(o) - 0.5)
    axt.set_xticks([])
    axt.set_ylim(0, 8.5)
    axt.set_yticks([2, 4, 6, 8])
    axt.tick_params(labelsize=5)
    axt.set_ylabel("arch.\ntype", fontsize=6)
    means = ", ".join(f"{c}: {t:.1f}" for c, t in cluster_types(ca).items())
    axt.set_title(f"mean architectural type per cluster: {means}", fontsize=6)
    ax = fig.add_subplot(gs[2, :3])
    C = ca["pattern_correlation"][np.ix_(o, o)]
    im = ax.imshow(C, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest", aspect="auto")
    ax.set_xticks(range(len(o)), [areas[i] for i in o], rotation=90, fontsize=4.5)
    ax.set_yticks(range(len(o)), [f"{areas[i]} ({ca['clusters'][i]})" for i in o], fontsize=4.5)
    ax.set_title(f"intra-area change patterns: Pearson r\n(clusters at distance {float(ca['threshold']):g})",
                 fontsize=7)
    fig.colorbar(im, ax=[axd, axt, ax], shrink=0.5)
    # B: area-level relative change, both axes in dendrogram order
    ax = fig.add_subplot(gs[1:3, 3:])
    R = ca["area_relative_change"][np.ix_(ca["order_targets"], ca["order_sources"])]
    im = ax.imshow(np.clip(R, -1.0, 1.0), cmap="RdBu_r", vmin=-1.0, vmax=1.0, interpolation="nearest", aspect="auto")
    ax.set_xticks(range(len(areas)), [areas[i] for i in ca["order_sources"]], rotation=90, fontsize=4.5)
    ax.set_yticks(range(len(areas)), [areas[i] for i in ca["order_targets"]], fontsize=4.5)
    ax.set_xlabel("source area (dendrogram order)")
    ax.set_ylabel("target area (dendrogram order)")
    ax.set_title(rf"area-level $\Delta K_{{AB}} / K^{{(0)}}_{{AB}}$ (clipped at $\pm$1; max {float(np.max(R)):.0f})",
                 fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.6, extend="max")
    panel_label(ax, "B")
    # C: per source population
    ax = fig.add_subplot(gs[3, :2])
    sc = ca["source_population_change"]
    m = np.nanmean(sc, axis=0)
    sd = np.nanstd(sc, axis=0)
    ax.bar(range(8), 100 * m, yerr=100 * sd, color=[E_COLOR if p.endswith("E") else I_COLOR for p in LAYER_POPS],
           error_kw={"lw": 0.6})
    ax.set_xticks(range(8), LAYER_POPS, rotation=45)
    ax.axhline(0, color="k", lw=0.5)
    ax.set_ylabel(r"intra-area $\sum\Delta K / \sum K^{(0)}$ (%)")
    ax.set_title("by source population\n(mean $\\pm$ SD over areas)", fontsize=7)
    panel_label(ax, "C")
    # D: FLN
    ax = fig.add_subplot(gs[3, 2:4])
    f0, f1 = ca["fln_before"], ca["fln_after"]
    ok = (f0 > 0) & (f1 > 0)
    ax.loglog(f0[ok], f1[ok], ".", ms=2, color="k")
    ax.plot([1e-6, 1], [1e-6, 1], color="0.5", lw=0.6)
    lo = max(1e-6, float(np.min(f0[ok])) / 2)
    ax.set_xlim(lo, 1)
    ax.set_ylim(lo, 1)
    r = np.corrcoef(np.log10(f0[ok]), np.log10(f1[ok]))[0, 1]
    ax.set_xlabel("FLN, data K")
    ax.set_ylabel("FLN, stabilised K")
    ax.set_title(f"r(log FLN) = {r:.3f}\n{int((~ok).sum())} pairs removed", fontsize=7)
    panel_label(ax, "D")
    # E: SLN
    ax = fig.add_subplot(gs[3, 4:])
    d = ca["sln_after"] - ca["sln_before"]
    d = d[np.isfinite(d)]
    ax.hist(d, bins=50, color="k", lw=0)
    ax.set_xlabel(r"SLN$_{stabilised}$ - SLN$_{data}$")
    ax.set_ylabel("area pairs")
    ax.set_title(f"mean {d.mean():+.3f}, SD {d.std():.3f}", fontsize=7)
    panel_label(ax, "E")
    return fig
