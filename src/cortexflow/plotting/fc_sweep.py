# SPDX-License-Identifier: GPL-3.0-or-later
"""PCB18 Fig 8 across chi in our layout: FC similarity to the experiment (synaptic input, BOLD) and the agreement
of the communities against chi. Drawing only (cortexflow.analysis.fc_sweep)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.plotting.dynamics import add_footer
from cortexflow.plotting.style import apply_style, panel_label


def fc_chi_figure(table, *, footer, note: str = "") -> plt.Figure:
    apply_style()
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(6.6, 2.8), layout="constrained")
    chi = table["chi"].to_numpy(float)
    ax_a.plot(chi, table["r_synaptic"], "o-", color="#2166ac", label="synaptic input")
    if np.isfinite(table["r_bold"]).any():
        ax_a.plot(chi, table["r_bold"], "s-", color="#b2182b", label="BOLD")
    else:
        ax_a.text(0.5, 0.1, "BOLD FC absent: runs shorter than bold_discard_ms", transform=ax_a.transAxes,
                  ha="center", fontsize=6)
    ax_a.axhline(0, color="0.6", lw=0.5)
    ax_a.set_xlabel("chi (cortico-cortical weight factor)")
    ax_a.set_ylabel("r(FC simulated, FC experimental)")
    ax_a.legend(frameon=False)
    ax_b.plot(chi, table["ari_communities"], "o-", color="k")
    for c, a, n in zip(chi, table["ari_communities"], table["n_communities"]):
        ax_b.annotate(f"{n}", (c, a), textcoords="offset points", xytext=(3, 3), fontsize=6)
    ax_b.axhline(0, color="0.6", lw=0.5)
    ax_b.set_xlabel("chi")
    ax_b.set_ylabel("ARI(simulated, experimental communities)")
    ax_b.set_title("numbers: simulated communities", fontsize=6.5)
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    if note:
        fig.suptitle(note, fontsize=6.5)
    return add_footer(fig, footer)
