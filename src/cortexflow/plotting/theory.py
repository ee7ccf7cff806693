# SPDX-License-Identifier: GPL-3.0-or-later
"""Figures of the mean-field stage (Schuecker, Schmidt et al. 2017 PLoS CB), redrawn from
``stabilisation.h5`` (cortexflow.theory.io) and the base ``network.h5``. One function per figure."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.areas import area_of, population_of
from cortexflow.plotting.style import E_COLOR, I_COLOR, apply_style, panel_label

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence


def _areas(populations):
    areas = []
    for p in populations:
        a = area_of(p)
        if a not in areas:
            areas.append(a)
    return areas, np.array([areas.index(area_of(p)) for p in populations])


def _area_ticks(ax, populations, axis="x", every=1):
    areas, idx = _areas(populations)
    centres = [np.mean(np.flatnonzero(idx == k)) for k in range(len(areas))]
    sel = list(range(0, len(areas), every))
    if axis == "x":
        ax.set_xticks([centres[k] for k in sel], [areas[k] for k in sel], rotation=90)
    else:
        ax.set_yticks([centres[k] for k in sel], [areas[k] for k in sel])


def bistability_figure(rec: dict, kappa_network: float) -> plt.Figure:
    """Population-mean rate at s = T vs kappa for every iteration, with the transitions kappa*."""
    apply_style()
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 2.8), constrained_layout=True)
    cmap = plt.get_cmap("viridis")
    its = rec["iterations"]
    for i, it in enumerate(its):
        c = cmap(i / max(1, len(its) - 1))
        k, r = it["kappas"], it["mean_rates"]
        found = np.isfinite(it["kappa_high"])
        lab = f"K{i}: $\\kappa^*$ {'=' if found else '>'} {it['kappa_low']:.5f}"
        for ax in axes:
            ax.plot(k, r, ".-", color=c, ms=2, lw=0.8, label=lab)
            ax.axvline(it["kappa_low"], color=c, lw=0.5, ls=":")
    for ax in axes:
        ax.axvline(kappa_network, color="k", lw=0.8, ls="--")
        ax.set_yscale("log")
        ax.set_xlabel(r"$\kappa$ = fac$_{\nu,\mathrm{ext}}$(5E)   (6E: 10/3 $\kappa$ - 7/3)")
    axes[0].set_ylabel(r"mean rate at $s = T$ (spikes/s)")
    axes[0].set_title("drive scan from zero rates")
    axes[0].legend(loc="upper left", frameon=False)
    axes[1].set_xlim(min(it["kappa_low"] for it in its) - 0.01, max(kappa_network, its[-1]["kappa_low"]) + 0.01)
    axes[1].set_title(f"transitions; dashed: network $\\kappa$ = {kappa_network}")
    panel_label(axes[0], "A")
    panel_label(axes[1], "B")
    return fig


def rates_figure(populations: Sequence[str], before: np.ndarray, after: np.ndarray,
                 kappa_network: float) -> plt.Figure:
    """Fixed-point rates per population at kappa_network, data K vs stabilised K."""
    apply_style()
    fig, axes = plt.subplots(2, 1, figsize=(7.0, 4.2), constrained_layout=True, sharex=True)
    x = np.arange(len(populations))
    exc = np.array([p.endswith("E") for p in populations])
    for ax, r, title in ((axes[0], before, "data-derived K"), (axes[1], after, "stabilised K'")):
        ax.bar(x[exc], np.maximum(r[exc], 1e-3), color=E_COLOR, width=1.0, label="E")
        ax.bar(x[~exc], np.maximum(r[~exc], 1e-3), color=I_COLOR, width=1.0, label="I")
        ax.set_yscale("log")
        ax.set_ylim(1e-3, max(1.0, float(np.max(r))) * 2)
        ax.set_ylabel("rate (spikes/s)")
        ax.set_title(f"{title}, $\\kappa$ = {kappa_network}: mean {np.mean(r):.3g} spikes/s")
    axes[0].legend(frameon=False, ncol=2, loc="lower right")
    _area_ticks(axes[1], populations)
    panel_label(axes[0], "A")
    panel_label(axes[1], "B")
    return fig


def eigenspectrum_figure(populations: Sequence[str], it: dict) -> plt.Figure:
    """Spectrum of the effective connectivity M at the unstable fixed point and the critical eigenvectors."""
    apply_style()
    fig = plt.figure(figsize=(7.0, 4.6), constrained_layout=True)
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 2])
    ax = fig.add_subplot(gs[:, 0])
    ev = it["eigenvalues"]
    ax.scatter(ev.real, ev.imag, s=6, c="0.3", lw=0)
    ax.scatter(ev.real[:1], ev.imag[:1], s=20, c=E_COLOR, lw=0, label=f"$\\lambda_0$ = {ev[0].real:.3f}")
    ax.axvline(1.0, color="k", lw=0.8, ls="--")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    ax.set_title("spectrum of M at $\\nu^*$")
    ax.legend(frameon=False, loc="upper left")
    x = np.arange(len(populations))
    for row, key, title in ((0, "critical_right", "right eigenvector $u_0$"),
                            (1, "critical_left", "left eigenvector $v_0$")):
        axv = fig.add_subplot(gs[row, 1])
        panel_label(axv, "BC"[row])
        v = np.real(it[key])
        v = v / np.max(np.abs(v))
        exc = np.array([p.endswith("E") for p in populations])
        axv.bar(x[exc], v[exc], color=E_COLOR, width=1.0)
        axv.bar(x[~exc], v[~exc], color=I_COLOR, width=1.0)
        axv.set_ylabel("normalised")
        axv.set_title(title)
        _area_ticks(axv, populations, every=2)
    panel_label(ax, "A")
    return fig


def area_indegrees(K: np.ndarray, N: np.ndarray, populations: Sequence[str]) -> np.ndarray:
    """Area-level indegrees K(A <- B) = sum_{i in A, j in B} K_ij N_i / sum_{i in A} N_i."""
    areas, idx = _areas(populations)
    n_a = len(areas)
    P = np.zeros((n_a, len(populations)))
    P[idx, np.arange(len(populations))] = 1.0
    weighted = P @ (K * N[:, None]) @ P.T
    return weighted / (P @ N)[:, None]


def indegree_changes_figure(rec: dict, N: np.ndarray) -> plt.Figure:
    """Relative indegree changes: area pairs, intra-area population pairs, and per iteration."""
    apply_style()
    pops = rec["populations"]
    K0, K = rec["K0"], rec["K"]
    areas, idx = _areas(pops)
    A0, A1 = area_indegrees(K0, N, pops), area_indegrees(K, N, pops)
    rel = np.where(A0 > 0, (A1 - A0) / np.where(A0 > 0, A0, 1.0), np.nan)
    fig = plt.figure(figsize=(7.0, 3.4), constrained_layout=True)
    gs = fig.add_gridspec(1, 3, width_ratios=[1.6, 1.0, 0.8])
    ax = fig.add_subplot(gs[0])
    im = ax.imshow(rel, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(range(len(areas)), areas, rotation=90, fontsize=4)
    ax.set_yticks(range(len(areas)), areas, fontsize=4)
    ax.set_xlabel("source area")
    ax.set_ylabel("target area")
    ax.set_title("area-level $\\Delta K / K_0$")
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax2 = fig.add_subplot(gs[1])
    local = [population_of(p) for p in pops]
    names = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
    intra = idx[:, None] == idx[None, :]
    M0 = np.zeros((8, 8))
    M1 = np.zeros((8, 8))
    li = np.array([names.index(p) for p in local])
    for a in range(8):
        for b in range(8):
            m = intra & (li[:, None] == a) & (li[None, :] == b)
            M0[a, b] = (K0 * N[:, None])[m].sum()
            M1[a, b] = (K * N[:, None])[m].sum()
    relp = np.where(M0 > 0, (M1 - M0) / np.where(M0 > 0, M0, 1.0), np.nan)
    im2 = ax2.imshow(relp, cmap="RdBu_r", vmin=-0.5, vmax=0.5)
    ax2.set_xticks(range(8), names, rotation=90)
    ax2.set_yticks(range(8), names)
    ax2.set_title("intra-area $\\Delta K/K_0$")
    fig.colorbar(im2, ax=ax2, shrink=0.7)
    ax3 = fig.add_subplot(gs[2])
    ch = [it["relative_change"] for it in rec["iterations"] if "K" in it]
    ax3.bar(np.arange(1, len(ch) + 1), np.array(ch) * 100, color="0.4")
    ax3.set_xlabel("iteration")
    ax3.set_ylabel(r"$\sum \Delta K / \sum K$ (%)")
    ax3.set_title("per iteration")
    panel_label(ax, "A")
    panel_label(ax2, "B")
    panel_label(ax3, "C")
    return fig


def published_comparison_figure(rec: dict) -> plt.Figure:
    """Our indegree changes against those of the published K' (both relative to the data K0)."""
    apply_style()
    K0, K, Kp = rec["K0"], rec["K"], rec["K_published"]
    cmp = rec["comparison"]
    areas, idx = _areas(rec["populations"])
    intra = idx[:, None] == idx[None, :]
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.2), constrained_layout=True)
    ax = axes[0]
    d_ours, d_pub = (K - K0), (Kp - K0)
    ax.scatter(d_pub[~intra], d_ours[~intra], s=2, c=I_COLOR, lw=0, alpha=0.5, label="cortico-cortical")
    ax.scatter(d_pub[intra], d_ours[intra], s=3, c=E_COLOR, lw=0, alpha=0.7, label="intra-area")
    lim = float(np.max(np.abs(np.concatenate([d_ours.ravel(), d_pub.ravel()]))))
    ax.plot([-lim, lim], [-lim, lim], "k-", lw=0.5)
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("$K'_{published} - K_0$")
    ax.set_ylabel("$K'_{ours} - K_0$")
    ax.set_title(f"corr = {cmp['corr_dK']:.3f}, $\\|K-K'\\|_F/\\|K'\\|_F$ = {cmp['frobenius_rel_diff']:.3f}")
    ax.legend(frameon=False, loc="upper left", markerscale=3)
    ax = axes[1]
    cc = (~intra) & (K0 > 1)
    bins = np.linspace(0, 1.5, 61)
    ax.hist(np.clip((Kp / K0)[cc], 0, 1.5), bins=bins, histtype="step", color="k", label="published K'")
    ax.hist(np.clip((K / K0)[cc], 0, 1.5), bins=bins, histtype="step", color=E_COLOR, label="ours")
    ax.set_xlabel("$K/K_0$ (cortico-cortical, $K_0$ > 1)")
    ax.set_ylabel("entries")
    txt = (f"total change: ours {cmp['total_change']:+.2%}, published {cmp['ref_total_change']:+.2%}\n"
           f"created: {cmp['created']} vs {cmp['ref_created']}; removed: {cmp['removed']} vs {cmp['ref_removed']}")
    ax.set_title(txt, fontsize=6)
    ax.legend(frameon=False)
    panel_label(axes[0], "A")
    panel_label(axes[1], "B")
    return fig
