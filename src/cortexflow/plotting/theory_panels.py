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
    ax_r.set_title(r"fixed points vs $\chi$ ($\chi_I$ = %g for $\chi$ > 1; grey: bistable)" % sw["chi_I_values"][-1])
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
