# SPDX-License-Identifier: GPL-3.0-or-later
"""Figures of the data-dependence study (docs/data_dependence.md), drawn from the tables of rule
data_dependence_collect (cortexflow.data_dependence.collect). One function per figure; each takes the
dict of tables {name: DataFrame}. The replicate ``original`` (the unresampled data) is drawn in black."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import numpy as np

from cortexflow.anatomy import fln as fl, sln as sl
from cortexflow.areas import AREAS, area_of, population_of
from cortexflow.plotting.style import apply_style, panel_label

if TYPE_CHECKING:  # annotations only
    import pandas as pd

KIND_STYLE = {
    "bootstrap": {"color": "#4d4d4d", "label": "bootstrap"},
    "loo-density": {"color": "#e08214", "label": "leave one density out"},
    "loo-injection": {"color": "#1b7837", "label": "leave one injection out"},
}
ORIGINAL = {"color": "k", "label": "original data"}
EDR_DISTANCES = np.linspace(0.0, 60.0, 61)          # mm
SLN_LOG_RATIOS = np.linspace(-1.5, 1.5, 121)          # ln(rho_target / rho_source)


def _kinds(df):
    return [k for k in KIND_STYLE if (df["kind"] == k).any()]


def _original(df):
    row = df[df["replicate"] == "original"]
    if len(row) != 1:
        raise ValueError("the tables have no replicate 'original'")
    return row.iloc[0]


def _strip(ax, df, column, kinds, width=0.25):
    """Values of ``column`` per kind as jittered points; the original as a horizontal line."""
    for x, kind in enumerate(kinds):
        v = df.loc[df["kind"] == kind, column].to_numpy(float)
        jitter = np.linspace(-width, width, v.size) if v.size > 1 else np.zeros(v.size)
        ax.plot(x + jitter, v, "o", ms=3, color=KIND_STYLE[kind]["color"], alpha=0.8)
    ax.axhline(float(_original(df)[column]), color="k", lw=1, label=ORIGINAL["label"])
    ax.set_xticks(range(len(kinds)), [KIND_STYLE[k]["label"].replace(" out", "\nout") for k in kinds])
    ax.set_xlim(-0.6, len(kinds) - 0.4)


def fits_figure(tables: dict[str, pd.DataFrame]) -> plt.Figure:
    """Spread of the EDR (ln FLN = a + b d) and of the SLN fit (SLN = Phi(b0 + b1 x)) over the replicates."""
    apply_style()
    edr, sln = tables["edr"], tables["sln_fit"]
    fig, axes = plt.subplots(2, 2, figsize=(7.0, 5.4), constrained_layout=True)
    for df, ax_curve, curve, x, xlabel, ylabel in (
            (edr, axes[0, 0], lambda r, d: fl.edr(d, r["intercept"], r["slope"]), EDR_DISTANCES,
             "median inter-areal distance d (mm)", "FLN (EDR)"),
            (sln, axes[1, 0], lambda r, v: sl.probit(v, r["b0"], r["b1"]), SLN_LOG_RATIOS,
             r"$\ln(\rho_\mathrm{target}/\rho_\mathrm{source})$", "SLN (fit)")):
        for kind in _kinds(df):
            for k, (_, r) in enumerate(df[df["kind"] == kind].iterrows()):
                ax_curve.plot(x, curve(r, x), color=KIND_STYLE[kind]["color"], lw=0.5, alpha=0.6,
                              label=KIND_STYLE[kind]["label"] if k == 0 else None)
        ax_curve.plot(x, curve(_original(df), x), color="k", lw=1.5, label=ORIGINAL["label"])
        ax_curve.set_xlabel(xlabel)
        ax_curve.set_ylabel(ylabel)
    axes[0, 0].set_yscale("log")
    axes[0, 0].legend(frameon=False, loc="upper right")
    axes[0, 0].set_title("exponential distance rule")
    axes[1, 0].set_title("SLN vs log density ratio (beta-binomial probit)")
    for df, ax, (cx, cy), labels in ((edr, axes[0, 1], ("intercept", "slope"), ("intercept a", "slope b (1/mm)")),
                                     (sln, axes[1, 1], ("b0", "b1"), ("b0", "b1"))):
        for kind in _kinds(df):
            d = df[df["kind"] == kind]
            ax.plot(d[cx], d[cy], "o", ms=3.5, color=KIND_STYLE[kind]["color"], alpha=0.8,
                    label=KIND_STYLE[kind]["label"])
        o = _original(df)
        ax.plot(o[cx], o[cy], "*", ms=11, color="k", label=ORIGINAL["label"])
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        rest = df[df["replicate"] != "original"]
        if len(rest) > 1:
            ax.set_title(f"sd over replicates: {labels[0].split()[0]} {rest[cx].std():.3g}, "
                         f"{labels[1].split()[0]} {rest[cy].std():.3g}")
    for ax, letter in zip(axes.flat, "ACBD"):
        panel_label(ax, letter)
    return fig


def _area_matrix(ind, replicate):
    d = ind[ind["replicate"] == replicate].pivot(index="target", columns="source", values="K")
    return d.loc[AREAS, AREAS + ["external"]].to_numpy(float)


def indegrees_figure(tables: dict[str, pd.DataFrame]) -> plt.Figure:
    """Area-level indegrees over the replicates: cortico-cortical and intra-area indegree per area (points:
    replicates, black bars: original) and the coefficient of variation of K(A <- B) over the replicates."""
    apply_style()
    ind = tables["area_indegrees"]
    reps = tables["replicates"]
    fig = plt.figure(figsize=(7.2, 7.2), constrained_layout=True)
    gs = fig.add_gridspec(3, 2, height_ratios=[1, 1, 2.2])
    ax_cc, ax_in, ax_cv = fig.add_subplot(gs[0, :]), fig.add_subplot(gs[1, :]), fig.add_subplot(gs[2, 0])
    ax_hist = fig.add_subplot(gs[2, 1])
    mats = {r: _area_matrix(ind, r) for r in reps["replicate"]}
    eye = np.eye(len(AREAS), dtype=bool)
    x = np.arange(len(AREAS))
    kinds = _kinds(reps)
    for ax, fn, title in ((ax_cc, lambda m: np.where(eye, 0.0, m[:, :-1]).sum(axis=1), "cortico-cortical indegree"),
                          (ax_in, lambda m: m[:, :-1][eye], "intra-area indegree")):
        for j, kind in enumerate(kinds):
            names = reps.loc[reps["kind"] == kind, "replicate"]
            for k, r in enumerate(names):
                ax.plot(x + (j - 1) * 0.22, fn(mats[r]), "o", ms=2, color=KIND_STYLE[kind]["color"], alpha=0.6,
                        label=KIND_STYLE[kind]["label"] if k == 0 else None)
        ax.plot(x, fn(mats["original"]), "_", ms=10, mew=1.5, color="k", label=ORIGINAL["label"])
        ax.set_xticks(x, AREAS, rotation=90)
        ax.set_ylabel("synapses per neuron")
        ax.set_title(f"{title} per area (mean over the area's neurons)")
    ax_cc.legend(frameon=False, ncol=4, loc="lower right")
    others = [r for r in reps["replicate"] if r != "original"]
    boot = [r for r in reps.loc[reps["kind"] == "bootstrap", "replicate"]] or others
    stack = np.array([mats[r][:, :-1] for r in boot]) if boot else np.zeros((1, len(AREAS), len(AREAS)))
    mean = stack.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.where(mean > 0, stack.std(axis=0, ddof=1 if len(boot) > 1 else 0) / mean, np.nan)
    im = ax_cv.imshow(cv, cmap="viridis", interpolation="nearest")
    ax_cv.set_xticks(x, AREAS, rotation=90, fontsize=5)
    ax_cv.set_yticks(x, AREAS, fontsize=5)
    ax_cv.set_xlabel("source area")
    ax_cv.set_ylabel("target area")
    ax_cv.set_title(f"CV of K(A<-B) over {len(boot)} {'bootstrap ' if boot is not others else ''}replicates")
    fig.colorbar(im, ax=ax_cv, shrink=0.7, label="coefficient of variation")
    orig = mats["original"][:, :-1]
    sel = orig > 0
    for kind in kinds:
        names = reps.loc[reps["kind"] == kind, "replicate"]
        ratio = np.concatenate([mats[r][:, :-1][sel] / orig[sel] for r in names]) if len(names) else np.zeros(0)
        ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
        if ratio.size:
            ax_hist.hist(np.log10(ratio), bins=60, range=(-1, 1), histtype="step", density=True,
                         color=KIND_STYLE[kind]["color"], label=KIND_STYLE[kind]["label"])
    ax_hist.set_yscale("log")
    ax_hist.set_xlabel(r"$\log_{10}$ K(A<-B) / K$_\mathrm{original}$(A<-B)")
    ax_hist.set_ylabel("density (area pairs x replicates)")
    ax_hist.set_title("change of area-level indegrees")
    ax_hist.legend(frameon=False, loc="upper right")
    for ax, letter in zip((ax_cc, ax_in, ax_cv, ax_hist), "ABCD"):
        panel_label(ax, letter)
    return fig


def _population_ticks(ax, populations):
    areas = [area_of(p) for p in populations]
    starts = [i for i, a in enumerate(areas) if i == 0 or a != areas[i - 1]]
    ax.set_xticks(starts[::2], [areas[i] for i in starts[::2]], rotation=90)
    ax.set_xlim(-1, len(populations))


def rates_figure(tables: dict[str, pd.DataFrame]) -> plt.Figure:
    """Mean-field rates per population over the replicates (original: black bars), their ratio to the
    original, and the population-mean rate per replicate."""
    apply_style()
    rates = tables["rates"]
    pops = [c for c in rates.columns if c not in ("replicate", "kind")]
    nu0 = _original(rates)[pops].to_numpy(float)
    fig = plt.figure(figsize=(7.2, 6.4), constrained_layout=True)
    gs = fig.add_gridspec(3, 4)
    ax_r, ax_q = fig.add_subplot(gs[0, :]), fig.add_subplot(gs[1, :])
    ax_m, ax_p = fig.add_subplot(gs[2, :2]), fig.add_subplot(gs[2, 2:])
    x = np.arange(len(pops))
    kinds = _kinds(rates)
    for kind in kinds:
        sub = rates[rates["kind"] == kind]
        for k, (_, row) in enumerate(sub.iterrows()):
            nu = row[pops].to_numpy(float)
            lab = KIND_STYLE[kind]["label"] if k == 0 else None
            ax_r.plot(x, nu, ".", ms=1.5, color=KIND_STYLE[kind]["color"], alpha=0.5, label=lab)
            with np.errstate(divide="ignore", invalid="ignore"):
                ax_q.plot(x, nu / nu0, ".", ms=1.5, color=KIND_STYLE[kind]["color"], alpha=0.5, label=lab)
    ax_r.plot(x, nu0, "_", ms=3, color="k", label=ORIGINAL["label"])
    ax_r.set_yscale("log")
    ax_r.set_ylabel("rate (spikes/s)")
    ax_r.set_title("fixed-point rates from zero start, per population")
    ax_r.legend(frameon=False, ncol=4, loc="lower right", markerscale=4)
    ax_q.axhline(1.0, color="k", lw=0.8)
    ax_q.set_yscale("log")
    ax_q.set_ylabel(r"rate / original rate")
    for ax in (ax_r, ax_q):
        _population_ticks(ax, pops)
    stab = tables["stability"]
    _strip(ax_m, stab, "mean_rate", kinds)
    ax_m.set_ylabel("population-mean rate (spikes/s)")
    ax_m.set_title("mean rate per replicate")
    boot = rates[rates["kind"] == "bootstrap"]
    if len(boot) > 1:
        nu = boot[pops].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = nu.std(axis=0, ddof=1) / nu.mean(axis=0)
        for j, p in enumerate(("23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I")):
            sel = np.array([population_of(c) == p for c in pops])
            v = cv[sel]
            ax_p.plot(np.full(v.size, j) + np.linspace(-0.25, 0.25, v.size), v, "o", ms=2,
                      color=KIND_STYLE["bootstrap"]["color"])
        ax_p.set_xticks(range(8), ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"])
        ax_p.set_yscale("log")
        ax_p.set_ylabel("CV of the rate over bootstrap replicates")
        ax_p.set_title("spread per population type (points: areas)")
    else:
        ax_p.text(0.5, 0.5, "fewer than 2 bootstrap replicates", ha="center", va="center", transform=ax_p.transAxes)
        ax_p.set_axis_off()
    for ax, letter in zip((ax_r, ax_q, ax_m, ax_p), "ABCD"):
        panel_label(ax, letter)
    return fig


def bistability_figure(tables: dict[str, pd.DataFrame], kappa_network: float = 1.125) -> plt.Figure:
    """How often a replicate network is bistable at its default drive (a second, high-activity fixed point
    reached from random starts), and the transition kappa* of the drive scan per replicate."""
    apply_style()
    st = tables["stability"]
    kinds = _kinds(st)
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 2.9), constrained_layout=True)
    ax = axes[0]
    frac = [st.loc[st["kind"] == k, "bistable"].astype(bool).mean() for k in kinds]
    n = [int((st["kind"] == k).sum()) for k in kinds]
    ax.bar(range(len(kinds)), frac, color=[KIND_STYLE[k]["color"] for k in kinds])
    for j, (f, m) in enumerate(zip(frac, n)):
        ax.text(j, f + 0.02, f"{int(round(f * m))}/{m}", ha="center", va="bottom")
    ax.axhline(float(bool(_original(st)["bistable"])), color="k", lw=1, ls="--")
    ax.set_title(f"dashed: original data ({'bistable' if bool(_original(st)['bistable']) else 'one state'})")
    ax.set_xticks(range(len(kinds)), [KIND_STYLE[k]["label"].replace(" out", "\nout") for k in kinds])
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("fraction bistable at the default drive")
    ax = axes[1]
    if "kappa_star" in st.columns:
        _strip(ax, st, "kappa_star", kinds)
        ax.axhline(kappa_network, color="k", lw=0.8, ls=":", label=f"$\\kappa$ = {kappa_network} (PCB18)")
        rest = st[st["replicate"] != "original"]
        above = int((rest["kappa_star"] > kappa_network).sum())
        ax.set_title(f"kappa* > {kappa_network} in {above}/{len(rest)} replicates")
        ax.set_ylabel(r"$\kappa^*$ (5E drive factor of the transition)")
        ax.legend(frameon=False, loc="center right")
    else:
        ax.text(0.5, 0.5, "kappa* not computed\n(data_dependence.kappa_star: false)", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
    panel_label(axes[0], "A")
    panel_label(axes[1], "B")
    return fig


def sensitivity_figure(tables: dict[str, pd.DataFrame]) -> plt.Figure:
    """Raw-data items ranked by the change of the mean-field rates when they are left out (root mean
    square over populations), with the change of kappa*."""
    apply_style()
    sens = tables["sensitivity"]
    has_kappa = "kappa_star_change" in sens.columns
    fig, axes = plt.subplots(1, 2 if has_kappa else 1, figsize=(7.0, max(2.5, 0.16 * len(sens) + 1.0)),
                             constrained_layout=True, squeeze=False, sharey=True)
    axes = axes[0]
    if not len(sens):
        axes[0].text(0.5, 0.5, "no leave-one-out replicates", ha="center", va="center",
                     transform=axes[0].transAxes)
        return fig
    y = np.arange(len(sens))[::-1]
    colors = [KIND_STYLE[k]["color"] for k in sens["kind"]]
    axes[0].barh(y, sens["rms_change"], color=colors)
    axes[0].set_yticks(y, sens["label"])
    axes[0].set_xscale("log")
    axes[0].set_xlabel("rms change of the rates (spikes/s)")
    axes[0].set_title("leave one raw-data item out")
    axes[0].legend(handles=[Patch(color=KIND_STYLE[k]["color"], label=KIND_STYLE[k]["label"]) for k in _kinds(sens)],
                   frameon=False, loc="lower right")
    if has_kappa:
        axes[1].barh(y, sens["kappa_star_change"], color=colors)
        axes[1].axvline(0, color="k", lw=0.8)
        axes[1].set_xlabel(r"change of $\kappa^*$")
        axes[1].set_title("transition of the drive scan")
    return fig


FIGURES = {"fits": fits_figure, "indegrees": indegrees_figure, "rates": rates_figure,
           "bistability": bistability_figure, "sensitivity": sensitivity_figure}
