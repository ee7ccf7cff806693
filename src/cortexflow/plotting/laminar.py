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
          "HZ": "HZ: equal types\n(lateral)"}


def _matrix(ax, M, title, cmap, label):
    im = ax.imshow(M, cmap=cmap, vmin=0, vmax=max(float(np.nanmax(M)) if np.isfinite(M).any() else 1.0, 1e-9))
    labels = [POP_LABELS[p] for p in LAYER_POPS]
    ax.set_xticks(range(8), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(8), labels, fontsize=6)
    ax.set_xlabel("Source population")
    ax.set_ylabel("Target population")
    ax.set_title(title, fontsize=7)
    cb = plt.colorbar(im, ax=ax, shrink=0.8)
    cb.set_label(label, fontsize=6)
    cb.ax.tick_params(labelsize=5.5)


def laminar_figure(lam: dict, *, footer, cmap: str = "inferno", note: str = "") -> plt.Figure:
    apply_style()
    has_paths = all("path_pairs" in lam[c] for c in TITLES)
    rows = 2 if has_paths else 1
    fig, axes = plt.subplots(rows, 3, figsize=(7.2, 2.7 * rows + 0.5), layout="constrained", squeeze=False)
    for k, c in enumerate(TITLES):
        sig, tested = lam[c]["significant"], lam[c]["tested"]
        _matrix(axes[0, k], sig.astype(float), f"{TITLES[c]}\n{int(sig.sum())} significant of {int(tested.sum())}",
                cmap, "significant Granger pairs")
        if has_paths:
            pp = lam[c]["path_pairs"]
            st = lam[c]["path_stages"]
            _matrix(axes[1, k], pp.astype(float),
                    f"shortest paths: {int(pp.sum())} area pairs, {np.mean(st) if len(st) else 0:.1f} stages",
                    cmap, "area pairs")
    panel_label(axes[0, 0], "A")
    if has_paths:
        panel_label(axes[1, 0], "B")
    if note:
        fig.suptitle(note, fontsize=6.5)
    return add_footer(fig, footer)
