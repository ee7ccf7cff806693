# SPDX-License-Identifier: GPL-3.0-or-later
"""PD14 figures of the simulation options: the response to the thalamic pulse (Potjans & Diesmann 2014,
Fig. 10: spikes and population rates around the stimulus, layer 4 and 6 first) and membrane-potential traces
(the package's ``record_vm`` / voltmeter output). Drawing only: the data come from
cortexflow.analysis.stimulus (stats/stimulus_response.h5) and vm.h5 (cortexflow.simulation.output)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.areas import population_of as _local
from cortexflow.plotting.dynamics import (
    POP_LABELS,
    _color,
    add_footer,
    raster_panel,
)
from cortexflow.plotting.style import apply_style, panel_label


def _label(pop: str) -> str:
    return POP_LABELS.get(_local(pop), _local(pop))


def thalamic_response_figure(resp: dict, raster: list[dict], *, footer, note: str = "") -> plt.Figure:
    """A: raster around the (first) pulse (time from th_start, pulse shaded); B: peri-stimulus rate per population,
    averaged over the pulses (baseline dashed, onset marked); C: onset and peak latency per population."""
    apply_style()
    pops = resp["populations"]
    n = len(pops)
    fig = plt.figure(figsize=(7.2, 5.6), layout="constrained")
    gs = fig.add_gridspec(n, 3, width_ratios=[1.4, 1.4, 1.0])
    ax_a = fig.add_subplot(gs[:, 0])
    t_stim, dur = resp["t_stim"], resp["th_duration"]
    shifted = [dict(d, times_ms=d["times_ms"] - t_stim) for d in raster]
    lo, hi = float(resp["edges"][0]), float(resp["edges"][-1])
    window = (max(lo, -30.0), min(hi, 50.0))
    raster_panel(ax_a, shifted, window, marker_size=1.2)
    ax_a.axvspan(0, dur, color="0.85", zorder=0)
    ax_a.set_xlabel("Time from th_start (ms)")
    n_pulses = int(resp.get("th_pulses", 1))
    ax_a.set_title("Spikes (pulse shaded)" if n_pulses == 1 else f"Spikes, first of {n_pulses} pulses")
    left = resp["edges"][:-1]
    axes_b = []
    for k, pop in enumerate(pops):
        ax = fig.add_subplot(gs[k, 1], sharex=axes_b[0] if axes_b else None)
        axes_b.append(ax)
        ax.axvspan(0, dur, color="0.85", zorder=0)
        ax.step(left, resp["rates"][k], where="post", color=_color(pop), lw=0.8)
        ax.axhline(resp["baseline_rate"][k], color="0.4", lw=0.5, ls="--")
        if np.isfinite(resp["onset_ms"][k]):
            ax.axvline(resp["onset_ms"][k], color="k", lw=0.6, ls=":")
        ax.set_xlim(*window)
        ax.set_ylim(0, 1.1 * max(resp["rates"][k].max(), 1.0))
        ax.text(0.99, 0.9, f"{_label(pop)}  peak {resp['peak_rate'][k]:.0f}", transform=ax.transAxes,
                ha="right", va="top", fontsize=6)
        ax.tick_params(labelsize=5.5)
        if k < n - 1:
            ax.tick_params(labelbottom=False)
    axes_b[-1].set_xlabel("Time from th_start (ms)")
    axes_b[n // 2].set_ylabel(f"Rate (spikes/s, {resp['bin_ms']:g} ms bins)")
    axes_b[0].set_title("Population rates (onset dotted)" if n_pulses == 1 else
                        f"Mean of {n_pulses} pulses (onset dotted)")
    ax_c = fig.add_subplot(gs[: n // 2 + 2, 2])
    y = np.arange(n)[::-1]
    ax_c.barh(y + 0.18, resp["onset_ms"], height=0.35, color=[_color(p) for p in pops], label="onset")
    ax_c.barh(y - 0.18, resp["peak_latency_ms"], height=0.35, color=[_color(p) for p in pops], alpha=0.4,
              label="peak")
    for yi, on in zip(y, resp["onset_ms"]):
        ax_c.text(0.2 if not np.isfinite(on) else on, yi + 0.18, " none" if not np.isfinite(on) else f" {on:.1f}",
                  va="center", fontsize=6)
    ax_c.set_yticks(y, [_label(p) for p in pops])
    ax_c.set_xlabel("Latency from th_start (ms)")
    finite = np.concatenate([resp["onset_ms"], resp["peak_latency_ms"]])
    finite = finite[np.isfinite(finite)]
    ax_c.set_xlim(0, 1.6 * (finite.max() if finite.size else 10.0))
    ax_c.legend(loc="upper right", frameon=False)
    ax_c.set_title("Onset / peak latency")
    if note:
        ax_n = fig.add_subplot(gs[n // 2 + 2:, 2])
        ax_n.axis("off")
        ax_n.text(0, 1, note, va="top", fontsize=6, wrap=True, transform=ax_n.transAxes)
    panel_label(ax_a, "A")
    panel_label(axes_b[0], "B")
    panel_label(ax_c, "C")
    return add_footer(fig, footer)


def membrane_potential_figure(vm: dict, populations, window_ms, V_th: float, V_reset: float, *, footer,
                              stimulus_ms=None, n_traces: int = 3) -> plt.Figure:
    """One panel per population: V_m of the first ``n_traces`` recorded neurons in [t0, t1) ms of recorded time,
    threshold and reset dashed; ``stimulus_ms`` (t0, t1) shades the thalamic pulse."""
    apply_style()
    pops = [p for p in populations if p in vm]
    fig, axes = plt.subplots(len(pops) // 2 + len(pops) % 2, 2, figsize=(7.0, 5.2), sharex=True,
                             layout="constrained", squeeze=False)
    for ax, pop in zip(axes.T.ravel(), pops):
        d = vm[pop]
        t = d["times"]
        keep = (t >= window_ms[0]) & (t < window_ms[1])
        for k in range(min(n_traces, len(d["senders"]))):
            ax.plot(t[keep], d["V_m"][k, keep], lw=0.6, color=_color(pop), alpha=1.0 - 0.25 * k)
        ax.axhline(V_th, color="0.3", lw=0.5, ls="--")
        ax.axhline(V_reset, color="0.6", lw=0.5, ls=":")
        if stimulus_ms is not None:
            ax.axvspan(*stimulus_ms, color="0.85", zorder=0)
        ax.set_title(f"{_label(pop)} (neurons {', '.join(str(s) for s in d['senders'][:n_traces])})", fontsize=7)
        ax.set_ylabel("V_m (mV)")
    for ax in axes.T.ravel()[len(pops):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("Time (ms of recorded time)")
    return add_footer(fig, footer)
