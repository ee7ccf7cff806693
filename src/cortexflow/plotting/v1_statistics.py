# SPDX-License-Identifier: GPL-3.0-or-later
"""PCB18 Fig 6 in our layout: V1 of a metastable-state simulation (per-population rate distributions, spectrogram
of the area rate) and, when the Chu et al. 2014 recordings are configured, the data's spectrogram, rate
distributions per fluctuation phase and spectra beside the model. Drawing only (cortexflow.analysis.v1_statistics)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from cortexflow.areas import population_of as _local
from cortexflow.plotting.dynamics import POP_LABELS, _color, add_footer
from cortexflow.plotting.style import apply_style, panel_label


def _spectrogram(ax, t, f, S, fmax, title):
    keep = f <= fmax
    Z = np.maximum(S[keep], np.nanmax(S[keep]) * 1e-4 if np.isfinite(S[keep]).any() else 1e-12)
    m = ax.pcolormesh(t, f[keep], Z, shading="auto", norm=LogNorm(), cmap="viridis", rasterized=True)
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Frequency (Hz)")
    ax.set_title(title, fontsize=7)
    cb = plt.colorbar(m, ax=ax, shrink=0.85)
    cb.set_label("Power ((spikes/s)$^2$/Hz)", fontsize=6)
    cb.ax.tick_params(labelsize=5.5)


def _rate_hist(ax, rates: dict, bins):
    for pop, r in rates.items():
        r = np.asarray(r, float)
        h, _ = np.histogram(np.log10(np.maximum(r, 10 ** bins[0])), bins=bins)
        ax.step(bins[:-1], h / max(r.size, 1), where="post", color=_color(pop),
                lw=0.9 if _local(pop).endswith("E") else 0.6,
                ls="-" if _local(pop)[0] in "246" and _local(pop) not in ("5E", "5I") else "--",
                label=f"{POP_LABELS.get(_local(pop), _local(pop))} ({100 * np.mean(r == 0):.0f} % silent)")
    ax.set_xlabel("log10 rate (spikes/s; silent: leftmost bin)")
    ax.set_ylabel("Fraction of neurons")
    ax.legend(frameon=False, fontsize=5, ncol=2)


def v1_figure(v1: dict, *, footer, fmax: float = 100.0, note: str = "") -> plt.Figure:
    apply_style()
    model, data = v1["model"], v1["data"]
    rows = 2 if data is not None else 1
    fig, axes = plt.subplots(rows, 2, figsize=(7.2, 2.9 * rows + 0.4), layout="constrained", squeeze=False)
    import textwrap

    bins = np.linspace(-2, 2.5, 19)
    all_rates = np.concatenate([np.asarray(r, float) for r in model["rates"].values()])
    _spectrogram(axes[0, 0], model["t"], model["f"], model["Sxx"], fmax,
                 f"Model: spectrogram of the V1 rate\n(V1 mean {all_rates.mean():.2f} spikes/s, "
                 f"{100 * np.mean(all_rates == 0):.0f} % of its neurons silent)")
    _rate_hist(axes[0, 1], model["rates"], bins)
    axes[0, 1].set_title("Model: V1 rates per population", fontsize=7)
    panel_label(axes[0, 0], "A")
    panel_label(axes[0, 1], "B")
    if data is not None:
        _spectrogram(axes[1, 0], data["t"], data["f"], data["Sxx"], fmax,
                     f"Chu et al. 2014: {int(data['n_neurons'])} neurons, {float(data['duration_s']):.0f} s "
                     f"({int(np.sum(~data['low_segments'].astype(bool)))} high-fluctuation segments)")
        model_all = np.concatenate([np.asarray(r, float) for r in model["rates"].values()])
        ax = axes[1, 1]
        for label, r, c in (("model V1 (all)", model_all, "k"), ("data, low fluct.", data["rates_low"], "#2166ac"),
                            ("data, high fluct.", data["rates_high"], "#b2182b")):
            r = np.asarray(r, float)
            r = r[np.isfinite(r)]
            h, _ = np.histogram(np.log10(np.maximum(r, 10 ** bins[0])), bins=bins)
            ax.step(bins[:-1], h / max(r.size, 1), where="post", color=c, label=label)
        ax.set_xlabel("log10 rate (spikes/s)")
        ax.set_ylabel("Fraction of neurons")
        ax.legend(frameon=False, fontsize=5.5)
        ax.set_title("Rates: model vs data", fontsize=7)
        panel_label(axes[1, 0], "C")
        panel_label(ax, "D")
    if note:
        fig.suptitle("\n".join(textwrap.wrap(note, 140)), fontsize=6.5)
    return add_footer(fig, footer)
