# SPDX-License-Identifier: GPL-3.0-or-later
"""PCB18 Fig 8 across chi in our layout: FC similarity to the experiment (synaptic input, BOLD) and the agreement
of the communities against chi, and the alluvial structure -> simulated FC -> experimental FC of the run whose FC
of synaptic input agrees best with the experiment (PCB18 Fig 8 D-E: chi = 1.9 at full scale). Drawing only
(cortexflow.analysis.fc_sweep, cortexflow.plotting.alluvial)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.plotting.dynamics import add_footer
from cortexflow.plotting.style import apply_style, panel_label


def fc_chi_figure(table, *, footer, note: str = "", alluvial: dict | None = None) -> plt.Figure:
    """A: r(simulated FC, experimental FC) against chi; B: ARI of the simulated communities with the experimental
    ones (and, with the column ari_structure, with the structural ones; with ``alluvial``, the structural vs
    experimental ARI as a dotted line).
    C (when ``alluvial`` is given: partitions {"structure", "simulated", "experimental"} -> {area: community},
    areas, agreement (cortexflow.analysis.fc_sweep.partition_agreement), simulation, chi, structure_label):
    the alluvial of that run."""
    from cortexflow.plotting.alluvial import agreement_title, alluvial as draw_alluvial

    apply_style()
    if alluvial:
        fig = plt.figure(figsize=(6.6, 6.4), layout="constrained")
        gs = fig.add_gridspec(2, 2, height_ratios=[1, 1.45])
        ax_a, ax_b = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
    else:
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
    ax_b.plot(chi, table["ari_communities"], "o-", color="k", label="vs experimental")
    if "ari_structure" in table:
        ax_b.plot(chi, table["ari_structure"], "s--", color="0.55", ms=3.5, label="vs structural")
    ref = ((alluvial or {}).get("agreement") or {}).get("structure_vs_experimental")
    if ref is not None:  # the experimental communities against the structural ones (the same for every chi)
        ax_b.axhline(ref, color="0.55", lw=0.8, ls=":", label="structural vs experimental")
    if "ari_structure" in table or ref is not None:
        ax_b.legend(frameon=False, fontsize=6)
    for c, a, n in zip(chi, table["ari_communities"], table["n_communities"]):
        ax_b.annotate(f"{n}", (c, a), textcoords="offset points", xytext=(3, 3), fontsize=6)
    ax_b.axhline(0, color="0.6", lw=0.5)
    ax_b.set_xlabel("chi")
    ax_b.set_ylabel("ARI of the simulated communities")
    ax_b.set_title("numbers: simulated communities", fontsize=6.5)
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    if alluvial:
        ax_c = fig.add_subplot(gs[1, :])
        p = alluvial["partitions"]
        cols = [("Structure", f"Structure\n{alluvial.get('structure_label', '')}", p["structure"]),
                ("Simulated FC", f"Simulated FC\n{alluvial['simulation']} (chi = {alluvial['chi']:g})", p["simulated"]),
                ("Experimental FC", "Experimental FC\nBabapoor-Farrokhran 2013", p["experimental"])]
        draw_alluvial(ax_c, [c[2] for c in cols], [c[1] for c in cols], alluvial["areas"])
        ax_c.set_title(agreement_title(alluvial.get("agreement") or {}, len(alluvial["areas"]),
                                       len(alluvial["areas"]), [c[0] for c in cols]), fontsize=7)
        ax_c.text(0.0, 1.0, "C", transform=ax_c.transAxes, fontsize=10, fontweight="bold", va="bottom")
    if note:
        fig.suptitle(note, fontsize=6.5)
    return add_footer(fig, footer)
