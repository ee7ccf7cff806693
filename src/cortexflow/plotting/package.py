# SPDX-License-Identifier: GPL-3.0-or-later
"""Figure of rule figure_package_comparison: our pd14 against the PD14 package (microcircuit 1.0),
from results/validation/{sim}/package_comparison.csv (cortexflow.analysis.package_comparison)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cortexflow.plotting.style import apply_style, panel_label, plt

if TYPE_CHECKING:  # annotations only
    import pandas as pd

STAT_LABELS = {"rates": "rate", "cv": "CV ISI", "lvr": "LvR", "cc": "CC"}


def package_comparison_figure(table: pd.DataFrame, title: str) -> plt.Figure:
    """A–C per statistic: KS ours-vs-package (red: mean over pairs, bar to the max) against the package's
    seed-to-seed KS (grey: mean, black tick: max = the limit), ✓/✗ per population; D mean rates of both."""
    apply_style()
    stats = [s for s in ("rates", "cv", "cc") if s in set(table["statistic"])]
    fig, axs = plt.subplots(1, len(stats) + 1, figsize=(7.2, 3.2), layout="constrained")
    pops = list(dict.fromkeys(table["population"]))
    x = np.arange(len(pops))
    for ax, stat in zip(axs, stats):
        t = table[table["statistic"] == stat].set_index("population").loc[pops]
        ax.plot(x - 0.12, t["ks_package_seed_mean"], "o", ms=3, mew=0, color="0.5", label="package seed to seed (mean)")
        ax.plot(x - 0.12, t["ks_package_seed_max"], "_", ms=6, color="0.3", label="package seed to seed (max)")
        ax.hlines(t["limit"], x - 0.3, x + 0.3, color="0.1", lw=0.9, label="limit: max(seed max, KS 95 %)")
        ax.vlines(x + 0.12, t["ks_ours_package_mean"], t["ks_ours_package_max"], color="#b2182b", lw=0.7)
        ax.plot(x + 0.12, t["ks_ours_package_mean"], "D", ms=3, mew=0, color="#b2182b", label="ours vs package (mean)")
        for xi, passed in zip(x, t["passed"]):
            ok = str(passed) == "True"
            ax.text(xi, 1.0, "✓" if ok else "✗", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                    color="#1b7837" if ok else "#b2182b", fontsize=8)
        ax.set_xticks(x, pops, fontsize=5)
        ax.set_ylabel(f"KS distance, {STAT_LABELS[stat]}")
        ax.set_ylim(bottom=0)
    handles, labels = axs[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, frameon=False, fontsize=6)
    r = table[table["statistic"] == "rates"].set_index("population").loc[pops]
    ax = axs[-1]
    ax.errorbar(x - 0.12, r["mean_package"], yerr=r["sd_package"], fmt="o", ms=3, color="0.4", lw=0.8,
                label="package")
    ax.errorbar(x + 0.12, r["mean_ours"], yerr=r["sd_ours"].fillna(0.0), fmt="D", ms=3, color="#b2182b", lw=0.8,
                label="ours")
    ax.set_xticks(x, pops, fontsize=5)
    ax.set_ylabel("rate (spikes/s), mean ± SD over seeds")
    ax.legend(frameon=False, fontsize=6)
    fig.suptitle(title, fontsize=5.5)
    for a, letter in zip(axs, "ABCD"):
        panel_label(a, letter)
    return fig
