# SPDX-License-Identifier: GPL-3.0-or-later
"""PCB18 Fig 9 in our layout: laminar channels of the significant Granger interactions between areas (top) and of
the shortest paths of the gain graph (bottom), per class of architectural-type gradient. Drawing only; the
matrices come from cortexflow.analysis.laminar (stats/laminar_interactions.h5)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.analysis.laminar import LAYER_POPS
from cortexflow.plotting.dynamics import POP_LABELS, add_footer
from cortexflow.plotting.style import apply_style, panel_label

TITLES = {"HL": "HL: higher -> lower type\n(feedforward-like)", "LH": "LH: lower -> higher type\n(feedback-like)",
          "HZ": "HZ: equal types\n(lateral)", "same-area": "within areas"}
PATH_CLASSES = ("HL", "LH", "HZ")


def _matrix(ax, M, title, cmap, label):
    im = ax.imshow(M, cmap=cmap, vmin=0, vmax=max(float(np.nanmax(M)) if np.isfinite(M).any() else 1.0, 1.0))
    labels = [POP_LABELS[p] for p in LAYER_POPS]
    ax.set_xticks(range(8), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(8), labels, fontsize=6)
    ax.set_xlabel("Source population")
    ax.set_ylabel("Target population")
    ax.set_title(title, fontsize=6.5)
    cb = plt.colorbar(im, ax=ax, fraction=0.046, pad=0.03)
    cb.set_label(label, fontsize=6)
    cb.ax.tick_params(labelsize=5.5)


def laminar_figure(lam: dict, *, footer, cmap: str = "inferno", note: str = "") -> plt.Figure:
    """A: significant Granger pairs per class (target x source population), B: shortest-path population pairs per
    class; a class without any significant pair says so inside its panel (the default run has too little data)."""
    import textwrap

    apply_style()
    has_paths = all("path_pairs" in lam[c] for c in PATH_CLASSES)
    rows = 2 if has_paths else 1
    fig, axes = plt.subplots(rows, 4, figsize=(9.0, 2.05 * rows + 0.9), layout="constrained", squeeze=False)
    for k, c in enumerate(TITLES):
        sig, tested = lam[c]["significant"], lam[c]["tested"]
        ax = axes[0, k]
        _matrix(ax, sig.astype(float), f"{TITLES[c]}\n{int(sig.sum())} significant of {int(tested.sum())}",
                cmap, "significant Granger pairs")
        if sig.sum() == 0:
            ax.text(3.5, 3.5, "none significant\nat this scale\nand duration", ha="center", va="center",
                    color="w", fontsize=6.5)
    if has_paths:
        for k, c in enumerate(PATH_CLASSES):
            pp = lam[c]["path_pairs"]
            st = lam[c]["path_stages"]
            _matrix(axes[1, k], pp.astype(float),
                    f"{c}: shortest paths of {int(pp.sum())} area pairs\n"
                    f"({np.mean(st) if len(st) else 0:.1f} populations per path)",
                    cmap, "area pairs")
        axes[1, 3].axis("off")
        axes[1, 3].text(0, 0.95, "B: for every area pair the population\npair joined by the shortest path of\n"
                        "the relative gain graph (length\nlog10(lambda_max / G_ij))", va="top", fontsize=6.5,
                        transform=axes[1, 3].transAxes)
        panel_label(axes[1, 0], "B")
    panel_label(axes[0, 0], "A")
    if note:
        fig.suptitle("\n".join(textwrap.wrap(note, 150)), fontsize=6.5)
    return add_footer(fig, footer)
