"""Dynamics figures: Potjans & Diesmann (2014) activity, Schmidt et al. (2018) PLoS Comput Biol 14:e1006359
(Figs 3-8 in our own layout), model-vs-reference comparisons and the multi-seed validation.

Every ``*_figure`` function takes loaded arrays/tables (the outputs of rules/analysis.smk and rule
validation_report) and returns a ``matplotlib.figure.Figure``; the loaders below read those files.
Which data each panel shows and how: docs/analysis.md ("Figures").
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors as mcolors

from cortexflow.areas import area_of, population_of
from cortexflow.plotting.style import E_COLOR, I_COLOR, apply_style, panel_label
from cortexflow.fileio import open_h5

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

POP_LABELS = {"23E": "2/3E", "23I": "2/3I", "4E": "4E", "4I": "4I", "5E": "5E", "5I": "5I", "6E": "6E", "6I": "6I"}
POPS = list(POP_LABELS)
SIM_COLORS = ["#1b7837", "#762a83", "#e08214", "#2166ac", "#b2182b"]
COMMUNITY_COLORS = ["#b2182b", "#2166ac", "#4dac26", "#8073ac", "#e08214", "#35978f", "#c51b7d", "#7f7f7f"]


def _color(pop: str) -> str:
    return I_COLOR if population_of(pop).endswith("I") else E_COLOR


# --- loaders ----------------------------------------------------------------------------------------------

def raster_data(spikes_path: str | Path, populations: Sequence[str], window_ms: Sequence[float],
                fraction: float = 1.0) -> list[dict]:
    """Spikes of the first ⌈fraction · n_recorded⌉ neurons of each population in [t0, t1) (recorded time)."""
    from cortexflow.spikes_file import iter_populations

    out = []
    for pop in iter_populations(spikes_path, float(window_ms[0]), float(window_ms[1]), populations):
        n = max(1, math.ceil(fraction * pop.n_recorded)) if pop.n_recorded else 0
        keep = pop.senders < n
        out.append({"population": pop.name, "n_shown": n, "senders": pop.senders[keep],
                    "times_ms": pop.times_ms[keep]})
    return out


def read_spectra(path: str | Path) -> dict:
    with open_h5(path) as f:
        return {"frequencies": f["frequencies"][()], "area_psd": f["area_psd"][()],
                "population_psd": f["population_psd"][()],
                "areas": [a.decode() for a in f["areas"][()]],
                "populations": [p.decode() for p in f["populations"][()]],
                "window": str(f.attrs.get("window", "")), "nperseg": int(f.attrs.get("nperseg", 0)),
                "noverlap": int(f.attrs.get("noverlap", 0)), "n_segments": int(f.attrs.get("n_segments", 0)),
                "frequency_resolution_hz": float(f.attrs.get("frequency_resolution_hz", np.nan))}


def read_h5(path: str | Path, keys: Sequence[str]) -> dict:
    with open_h5(path) as f:
        out = {k: f[k][()] for k in keys if k in f}
        out.update({k: v for k, v in f.attrs.items()})
    for k in ("areas", "populations"):
        if k in out:
            out[k] = [a.decode() if isinstance(a, bytes) else str(a) for a in out[k]]
    return out


# --- shared panels ----------------------------------------------------------------------------------------

def raster_panel(ax: Axes, data: list[dict], window_ms: Sequence[float], title: str | None = None,
                 marker_size: float = 1.5) -> None:
    """Populations stacked top (first) to bottom, E red, I blue; y ticks at the population centres."""
    top = sum(d["n_shown"] for d in data)
    y0, ticks, labels = top, [], []
    for d in data:
        ax.plot(d["times_ms"], y0 - d["senders"], ".", ms=marker_size, mew=0, color=_color(d["population"]),
                rasterized=True)
        ticks.append(y0 - d["n_shown"] / 2)
        labels.append(POP_LABELS.get(population_of(d["population"]), population_of(d["population"])))
        y0 -= d["n_shown"]
    ax.set_xlim(*window_ms)
    ax.set_ylim(0, top + 1)
    ax.set_yticks(ticks, labels)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("Time (ms)")
    if title:
        ax.set_title(title)


def _matrix_panel(ax, values: np.ndarray, areas, label: str, cmap: str, norm=None, highlight=()):
    """8 populations (rows) × areas (columns); NaN (silent / undefined) light grey."""
    cm = plt.get_cmap(cmap).with_extremes(bad="0.88")
    im = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cm, norm=norm, interpolation="nearest")
    ax.set_yticks(range(len(POPS)), [POP_LABELS[p] for p in POPS])
    ax.set_xticks(range(len(areas)), areas, rotation=90, fontsize=5.5)
    for lab in ax.get_xticklabels():
        if lab.get_text() in highlight:
            lab.set_fontweight("bold")
    ax.tick_params(length=0)
    cb = plt.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    cb.set_label(label)
    return im


def area_population_matrix(summary: pd.DataFrame, column: str, areas: Sequence[str]) -> np.ndarray:
    """(8, n_areas) matrix of a summary.csv column; NaN for TH 4E/4I and missing populations."""
    values = dict(zip(summary["population"], summary[column].astype(float)))
    return np.array([[values.get(f"{a}-{p}", np.nan) for a in areas] for p in POPS])


# --- footer ---------------------------------------------------------------------------------------------

FOOTER_GID = "cortexflow-footer"


def add_footer(fig: plt.Figure, footer: str | Sequence[str]) -> plt.Figure:
    """State what was simulated inside the figure: one small grey line per simulation at the bottom
    (``footer``: a string or a list of lines, e.g. from cortexflow.workflow.figures.dynamics_footer:
    "mam-ground: network mam-published, N_scaling 0.01, K_scaling 0.1, t_sim 1700 ms, seed 1"). Drawn as
    the figure's ``supxlabel`` so that the constrained layout keeps it clear of the panels; gid
    ``FOOTER_GID``. An empty footer raises: every dynamics figure must say what it shows."""
    lines = [footer] if isinstance(footer, str) else [str(x) for x in (footer or [])]
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise ValueError("dynamics figure without a footer (network, N_scaling/K_scaling, t_sim, seed)")
    fig.supxlabel("\n".join(lines), x=0.005, ha="left", fontsize=5.5, color="0.3", linespacing=1.25,
                  gid=FOOTER_GID)
    return fig


def footer_text(fig: plt.Figure) -> str:
    """The footer of a figure made by add_footer ('' if none)."""
    return "\n".join(t.get_text() for t in fig.texts if t.get_gid() == FOOTER_GID)


# --- Potjans & Diesmann 2014 ------------------------------------------------------------------------------

def pd14_raster_figure(data: list[dict], summary: pd.DataFrame, window_ms: Sequence[float], *,
                       footer: str | Sequence[str]) -> plt.Figure:
    """A: raster of the shown neurons; B: population rates over the analysis window."""
    apply_style()
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(6.8, 4.2), width_ratios=[3.2, 1], layout="constrained")
    raster_panel(ax_a, data, window_ms)
    rates = summary.set_index("population").loc[[d["population"] for d in data], "rate"].to_numpy()
    y = np.arange(len(data))[::-1]
    ax_b.barh(y, rates, color=[_color(d["population"]) for d in data], height=0.6)
    for yi, r in zip(y, rates):
        ax_b.text(r, yi, f" {r:.2f}", va="center", fontsize=6.5)
    ax_b.set_yticks(y, [POP_LABELS.get(d["population"], d["population"]) for d in data])
    ax_b.set_xlabel("Rate (spikes/s)")
    ax_b.set_xlim(0, 1.3 * max(rates.max(), 1e-3))
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    return add_footer(fig, footer)


def _boxes(ax, samples, pops, ylabel, means=None):
    samples = [np.asarray(s, float)[np.isfinite(s)] for s in samples]
    pos = np.arange(len(pops))
    bp = ax.boxplot([s if s.size else [np.nan] for s in samples], positions=pos, widths=0.6, showfliers=False,
                    patch_artist=True, medianprops={"color": "k", "lw": 0.8})
    for patch, p in zip(bp["boxes"], pops):
        patch.set_facecolor(mcolors.to_rgba(_color(p), 0.35))
        patch.set_edgecolor(_color(p))
    if means is not None:
        ax.plot(pos, means, "D", ms=3, color="k", label="population value")
    ax.set_xticks(pos, [POP_LABELS.get(p, p) for p in pops])
    ax.set_ylabel(ylabel)


def pd14_statistics_figure(summary: pd.DataFrame, distributions: dict, *, footer: str | Sequence[str]) -> plt.Figure:
    """A: per-neuron rates (silent included) and population rates; B: CV ISI per neuron (≥ 3 spikes) and
    population mean; C: synchrony (CV of the 1 ms population count)."""
    apply_style()
    pops = list(summary["population"])
    fig, axs = plt.subplots(1, 3, figsize=(7.0, 2.6), layout="constrained")
    _boxes(axs[0], [distributions[p]["rates"] for p in pops], pops, "Rate (spikes/s)", summary["rate"])
    axs[0].legend(frameon=False, loc="upper left", handletextpad=0.2)
    _boxes(axs[1], [distributions[p]["cv"] for p in pops], pops, "CV ISI", summary["cv_isi"])
    axs[1].axhline(1, color="0.6", lw=0.6, ls=":")
    axs[2].bar(np.arange(len(pops)), summary["synchrony"], color=[_color(p) for p in pops], width=0.6)
    axs[2].set_xticks(np.arange(len(pops)), [POP_LABELS.get(p, p) for p in pops])
    axs[2].set_ylabel("Synchrony (CV of pop. count)")
    for ax, letter in zip(axs, "ABC"):
        ax.tick_params(axis="x", labelsize=6)
        panel_label(ax, letter)
    return add_footer(fig, footer)


# --- Schmidt et al. 2018 PLoS CB ----------------------------------------------------------------------------

def state_figure(rasters: dict[str, list[dict]], window_ms: Sequence[float], summary: pd.DataFrame,
                 areas: Sequence[str], title: str, *, footer: str | Sequence[str]) -> plt.Figure:
    """PCB18 Figs 3/5 layout. A: rasters of the chosen areas; B-D: population rates, LvR and spike-count
    CC per population (rows) and area (columns)."""
    apply_style()
    fig = plt.figure(figsize=(7.2, 7.4), layout="constrained")
    gs = fig.add_gridspec(4, len(rasters), height_ratios=[1.6, 1, 1, 1])
    for k, (area, data) in enumerate(rasters.items()):
        ax = fig.add_subplot(gs[0, k])
        raster_panel(ax, data, window_ms, title=area)
        if k:
            ax.set_yticklabels([])
        if k == 0:
            panel_label(ax, "A")
    fig.suptitle(title, fontsize=9)
    rate = area_population_matrix(summary, "rate", areas)
    positive = rate[np.isfinite(rate) & (rate > 0)]
    vmin = max(positive.min(), 1e-2) if positive.size else 1e-2
    vmax = max(positive.max(), 10 * vmin) if positive.size else 1.0
    panels = [("rate", "Rate (spikes/s)", "viridis", mcolors.LogNorm(vmin, vmax)),
              ("lvr", "LvR", "cividis", None), ("cc", "CC", "magma", None)]
    for row, (col, label, cmap, norm) in enumerate(panels, start=1):
        ax = fig.add_subplot(gs[row, :])
        values = area_population_matrix(summary, col, areas)
        if col == "rate":
            values = np.where(values > 0, values, np.nan)  # silent: grey on the log scale
        elif np.isfinite(values).any():  # robust linear scale: 2nd-98th percentile (few-neuron outliers)
            lo, hi = np.nanpercentile(values, [2, 98])
            norm = mcolors.Normalize(min(lo, 0.0) if col == "cc" else lo, hi if hi > lo else lo + 1e-9)
        _matrix_panel(ax, values, areas, label, cmap, norm, highlight=tuple(rasters))
        panel_label(ax, "BCD"[row - 1])
    return add_footer(fig, footer)


def smooth_gauss(x: np.ndarray, sigma_bins: float) -> np.ndarray:
    """Symmetric Gaussian smoothing for display (truncated at 4σ, edges renormalised)."""
    if sigma_bins <= 0:
        return x
    half = int(math.ceil(4 * sigma_bins))
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma_bins) ** 2)
    num = np.convolve(x, k, mode="same")
    den = np.convolve(np.ones_like(x), k, mode="same")
    return num / den


def metastability_figure(traces: list[dict], area: str, smooth_ms: float, *,
                         footer: str | Sequence[str]) -> plt.Figure:
    """PCB18 Fig 4 layout. Left: the area's N-weighted rate over time for each simulation (thin: 1 ms bins,
    thick: Gaussian σ = smooth_ms) with the mean-field rate of the same network (dashed); right: the
    area's population rates, simulated (time average) vs mean field.

    ``traces``: dicts with label, t_ms, rate (1 ms bins), meanfield (area value), pop_sim, pop_mf, pops.
    """
    apply_style()
    n = len(traces)
    fig = plt.figure(figsize=(7.0, 1.2 + 1.4 * n), layout="constrained")
    gs = fig.add_gridspec(n, 2, width_ratios=[3, 1.1])
    ax_s = fig.add_subplot(gs[:, 1])
    ymax = 0.0
    axes, ratios = [], []
    for k, tr in enumerate(traces):
        ax = fig.add_subplot(gs[k, 0])
        axes.append(ax)
        c = SIM_COLORS[k % len(SIM_COLORS)]
        bin_ms = float(np.median(np.diff(tr["t_ms"]))) if len(tr["t_ms"]) > 1 else 1.0
        ax.plot(tr["t_ms"], tr["rate"], color=c, lw=0.3, alpha=0.35)
        sm = smooth_gauss(tr["rate"].astype(float), smooth_ms / bin_ms)
        ax.plot(tr["t_ms"], sm, color=c, lw=1.0, label=f"{tr['label']}: simulation")
        ax.axhline(tr["meanfield"], color="k", ls="--", lw=0.9, label="mean field")
        ax.set_ylabel(f"{area} rate\n(spikes/s)")
        ratio = float(np.mean(tr["rate"])) / tr["meanfield"] if tr["meanfield"] > 0 else np.nan
        slow = smooth_gauss(tr["rate"].astype(float), 50.0 / bin_ms)
        cv_slow = float(np.std(slow) / np.mean(slow)) if np.mean(slow) > 0 else np.nan
        ratios.append(ratio)
        ax.set_title(f"{tr['label']}: {area} at {ratio:.2f}x its mean field, CV of 50 ms-smoothed rate {cv_slow:.2f}",
                     fontsize=7, loc="left")
        ymax = max(ymax, float(np.percentile(tr["rate"], 99.5)) if len(tr["rate"]) else 0, tr["meanfield"])
        if k == n - 1:
            ax.set_xlabel("Time (ms)")
        else:
            ax.set_xticklabels([])
        ok = (np.asarray(tr["pop_sim"]) > 0) & (np.asarray(tr["pop_mf"]) > 0)
        ax_s.loglog(np.asarray(tr["pop_mf"])[ok], np.asarray(tr["pop_sim"])[ok], "o", ms=3.5, color=c,
                    label=tr["label"])
        for p, x, y in zip(tr["pops"], tr["pop_mf"], tr["pop_sim"]):
            if x > 0 and y > 0 and k == 0:
                ax_s.annotate(POP_LABELS.get(population_of(p), p), (x, y), fontsize=5.5, xytext=(2, 2),
                              textcoords="offset points")
    for ax in axes:
        ax.set_ylim(0, 1.15 * ymax if ymax > 0 else 1)
    axes[0].legend(frameon=False, loc="upper right", ncol=2, fontsize=6)
    lim = ax_s.get_xlim() + ax_s.get_ylim()
    lo, hi = min(lim), max(lim)
    ax_s.plot([lo, hi], [lo, hi], color="0.5", lw=0.6)
    ax_s.set_xlabel("Mean-field rate (spikes/s)")
    ax_s.set_ylabel("Simulated rate (spikes/s)")
    ax_s.set_title(f"{area} populations", fontsize=8)
    ax_s.legend(frameon=False, fontsize=6, loc="upper left")
    panel_label(axes[0], "A")
    panel_label(ax_s, "B")
    k_scalings = [float(m) for line in ([footer] if isinstance(footer, str) else footer)
                  for m in re.findall(r"K_scaling ([0-9.eE+-]+)", line)]
    if any(r < 1 / 1.5 for r in ratios if np.isfinite(r)) and any(k < 1 for k in k_scalings):
        fig.suptitle(f"{area} fires below its mean field: the deficit of runs with K_scaling < 1 (scale study);\n"
                     f"{area} alone at full density fires at its mean field (docs/simulation.md)",
                     fontsize=7, color="#b2182b")
    return add_footer(fig, footer)


def spectra_figure(spectra: list[dict], labels: list[str], area: str, fmax: float, *,
                   footer: str | Sequence[str]) -> plt.Figure:
    """PCB18 Fig 6 (simulation part). A: Welch spectrum of the area rate per simulation; B: spectra of all
    areas of the last simulation, each normalised by its total power below fmax (log colour)."""
    apply_style()
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(7.0, 3.0), width_ratios=[1, 1.4], layout="constrained")
    for k, (s, lab) in enumerate(zip(spectra, labels)):
        f = s["frequencies"]
        sel = (f > 0) & (f <= fmax)
        psd = s["area_psd"][s["areas"].index(area)]
        ax_a.semilogy(f[sel], psd[sel], color=SIM_COLORS[k % len(SIM_COLORS)], lw=0.9, label=lab)
    ax_a.set_xlabel("Frequency (Hz)")
    ax_a.set_ylabel(f"{area} power ((spikes/s)$^2$/Hz)")
    ax_a.legend(frameon=False)
    welch = {(s.get("window"), s.get("nperseg"), s.get("noverlap"), s.get("n_segments"),
              s.get("frequency_resolution_hz")) for s in spectra}
    ax_a.set_title("\n".join(f"Welch {w}, nperseg {n}, noverlap {o}:\n{k} segments, Δf {df:.2g} Hz"
                              for w, n, o, k, df in sorted(welch, key=str)), fontsize=6, loc="left")
    s = spectra[-1]
    f = s["frequencies"]
    sel = (f > 0) & (f <= fmax)
    P = s["area_psd"][:, sel]
    total = P.sum(axis=1, keepdims=True)
    rel = np.where(total > 0, P / np.where(total > 0, total, 1), np.nan)
    pos = rel[np.isfinite(rel) & (rel > 0)]
    norm = mcolors.LogNorm(pos.min(), pos.max()) if pos.size else None
    im = ax_b.imshow(np.ma.masked_invalid(np.where(rel > 0, rel, np.nan)), aspect="auto", norm=norm,
                     cmap=plt.get_cmap("viridis").with_extremes(bad="0.88"), interpolation="nearest",
                     extent=(f[sel][0], f[sel][-1], len(s["areas"]) - 0.5, -0.5))
    ax_b.set_yticks(range(len(s["areas"])), s["areas"], fontsize=5.5)
    ax_b.set_xlabel("Frequency (Hz)")
    ax_b.set_title(labels[-1], fontsize=8)
    plt.colorbar(im, ax=ax_b, fraction=0.04, pad=0.02).set_label("relative power")
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    return add_footer(fig, footer)


# above this share of peak lags at the window edge the hierarchy figure says it shows noise
LAG_NOISE_SHARE = 0.2
# ... or when the median peak/SD of C(tau) over area pairs is below this (independent signals: ~2.8)
PEAK_NOISE_Z = 4.0


def temporal_hierarchy_figure(areas: Sequence[str], peak_lag_ms: np.ndarray, hierarchy: np.ndarray,
                              lags_ms: np.ndarray, cc: np.ndarray, reference_area: str, partners: Sequence[str],
                              *, footer: str | Sequence[str]) -> plt.Figure:
    """PCB18 Fig 7 (simulation part). A: area-rate cross-correlations C(τ) of the reference area with
    some partners; B: peak lags τ_ij (i follows j when > 0); C: temporal hierarchy h (0 = leads)."""
    apply_style()
    fig = plt.figure(figsize=(7.2, 3.6), layout="constrained")
    gs = fig.add_gridspec(1, 3, width_ratios=[1, 1.5, 0.9])
    ax_a, ax_b, ax_c = (fig.add_subplot(gs[0, k]) for k in range(3))
    i = areas.index(reference_area)
    for k, other in enumerate(p for p in partners if p in areas and p != reference_area):
        ax_a.plot(lags_ms, cc[i, areas.index(other)], lw=0.9, color=SIM_COLORS[k % len(SIM_COLORS)],
                  label=f"{reference_area}–{other}")
    ax_a.axvline(0, color="0.6", lw=0.5)
    ax_a.set_xlabel("Lag τ (ms)")
    ax_a.set_ylabel("Cross-correlation")
    ax_a.legend(frameon=False, fontsize=6)
    lim = np.nanmax(np.abs(peak_lag_ms)) if np.isfinite(peak_lag_ms).any() else 1.0
    im = ax_b.imshow(np.ma.masked_invalid(peak_lag_ms), cmap=plt.get_cmap("RdBu_r").with_extremes(bad="0.88"),
                     vmin=-lim, vmax=lim, interpolation="nearest")
    ax_b.set_xticks(range(len(areas)), areas, rotation=90, fontsize=5)
    ax_b.set_yticks(range(len(areas)), areas, fontsize=5)
    ax_b.tick_params(length=0)
    plt.colorbar(im, ax=ax_b, fraction=0.046, pad=0.02, location="bottom").set_label("peak lag (ms)")
    order = np.argsort(np.where(np.isfinite(hierarchy), hierarchy, np.inf), kind="stable")
    ok = np.isfinite(hierarchy[order])
    ax_c.barh(np.arange(ok.sum()), hierarchy[order][ok], color="0.35", height=0.7)
    ax_c.set_yticks(np.arange(ok.sum()), [areas[j] for j in order[ok]], fontsize=5)
    ax_c.invert_yaxis()
    ax_c.set_xlabel("Temporal hierarchy")
    ax_c.set_xlim(0, 1.05)
    lags = peak_lag_ms[np.isfinite(peak_lag_ms) & ~np.eye(len(areas), dtype=bool)]
    at_limit = float(np.mean(np.abs(lags) >= 0.95 * np.max(np.abs(lags_ms)))) if lags.size else 1.0
    # peak height over the lag-to-lag SD of C(tau), median over area pairs: ~2.8 for independent signals
    iu = np.triu_indices(len(areas), 1)
    pairs = np.asarray(cc, float)[iu]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = float(np.nanmedian(np.nanmax(np.abs(pairs), axis=1) / np.nanstd(pairs, axis=1))) if len(pairs) else 0.0
    if at_limit > LAG_NOISE_SHARE or not z >= PEAK_NOISE_Z:
        # no peak stands out of the noise: the lags, and the hierarchy built on them, are not estimates
        fig.suptitle(f"No cross-correlation peak above noise (median peak/SD {z:.1f} < {PEAK_NOISE_Z:g}; "
                     f"{100 * at_limit:.0f} % of lags at the ±{np.max(np.abs(lags_ms)):g} ms limit): the hierarchy "
                     "is not an estimate at this scale", fontsize=7, color="#b2182b")
    for ax, letter in zip((ax_a, ax_b, ax_c), "ABC"):
        panel_label(ax, letter)
    return add_footer(fig, footer)


def _community_order(areas, communities: dict[str, int]):
    labels = np.array([communities.get(a, -1) for a in areas])
    order = np.lexsort((np.arange(len(areas)), labels))
    return order, labels


def _fc_panel(ax, fc, areas, communities, title, cmap):
    order, labels = _community_order(areas, communities)
    m = fc[np.ix_(order, order)].astype(float).copy()
    np.fill_diagonal(m, np.nan)
    lim = float(np.nanmax(np.abs(m))) if np.isfinite(m).any() else 1.0
    im = ax.imshow(np.ma.masked_invalid(m), cmap=plt.get_cmap(cmap).with_extremes(bad="0.88"), vmin=-lim, vmax=lim,
                   interpolation="nearest")
    names = [areas[j] for j in order]
    ax.set_xticks(range(len(areas)), names, rotation=90, fontsize=5)
    ax.set_yticks(range(len(areas)), names, fontsize=5)
    ax.tick_params(length=0)
    for k, j in enumerate(order):  # community colour strip
        c = COMMUNITY_COLORS[labels[j] % len(COMMUNITY_COLORS)] if labels[j] >= 0 else "white"
        ax.add_patch(plt.Rectangle((-2.2, k - 0.5), 1.2, 1, color=c, clip_on=False))
    ax.set_title(title, fontsize=8)
    return im


# below this r of simulated vs experimental FC the figure says that it shows no FC phenomenon
FC_NOISE_R = 0.2


def fc_figure(areas: Sequence[str], fc_sim: np.ndarray, fc_exp: np.ndarray, comm_sim: dict, comm_exp: dict,
              similarity: float, cmap: str, sim_label: str, *, footer: str | Sequence[str],
              structure: dict | None = None, structure_label: str = "structure",
              agreement: dict | None = None) -> plt.Figure:
    """PCB18 Fig 8 (A-C, D-E). A: simulated FC (synaptic-input proxy) ordered by its Louvain communities;
    B: experimental FC (Babapoor-Farrokhran et al. 2013) ordered by its own; C: the two per area pair;
    D: alluvial of the areas from the communities of the structural connectivity (``structure``: area ->
    community, Infomap on the simulated network) to those of the simulated and of the experimental FC
    (cortexflow.plotting.alluvial), titled with the ARIs of ``agreement``
    (cortexflow.analysis.fc_sweep.partition_agreement). D is drawn when the FC communities are given."""
    from cortexflow.plotting.alluvial import agreement_title, alluvial

    apply_style()
    parts = [(f"Structure\n{structure_label}", structure), (f"Simulated FC\n{sim_label}", comm_sim),
             ("Experimental FC\nBabapoor-Farrokhran 2013", comm_exp)]
    parts = [(lab, p) for lab, p in parts if p]
    common = [a for a in areas if all(a in p for _, p in parts)]
    draw_d = len(parts) >= 2 and bool(comm_sim) and bool(comm_exp) and bool(common)
    fig = plt.figure(figsize=(7.2, 6.6 if draw_d else 3.1), layout="constrained")
    gs = fig.add_gridspec(2 if draw_d else 1, 3, width_ratios=[1.25, 1.25, 0.8],
                          height_ratios=[1, 1.05] if draw_d else None)
    ax_a, ax_b, ax_c = (fig.add_subplot(gs[0, k]) for k in range(3))
    for ax, fc, comm, title in ((ax_a, fc_sim, comm_sim, f"Simulation ({sim_label})"),
                                (ax_b, fc_exp, comm_exp, "Experiment")):
        im = _fc_panel(ax, fc, areas, comm, title, cmap)
        plt.colorbar(im, ax=ax, fraction=0.046, pad=0.02, location="bottom").set_label("FC (Pearson r)")
    iu = np.triu_indices(len(areas), 1)
    ok = np.isfinite(fc_sim[iu]) & np.isfinite(fc_exp[iu])
    ax_c.plot(fc_exp[iu][ok], fc_sim[iu][ok], "o", ms=1.8, color="0.25", alpha=0.6)
    ax_c.set_xlabel("Experimental FC")
    ax_c.set_ylabel("Simulated FC")
    off = fc_sim[iu][ok]
    ax_c.text(0.03, 0.97, f"r = {similarity:.2f}\nsim. FC {off.mean():.3f} ± {off.std():.3f}",
              transform=ax_c.transAxes, va="top", fontsize=6)
    if not similarity >= FC_NOISE_R:
        # say it inside the figure: a down-scaled network shows no inter-area interaction (docs/simulation.md)
        fig.suptitle(f"Simulated FC at noise level (r = {similarity:.2f} < {FC_NOISE_R}): no inter-area "
                     "interaction at this scale and chi; down-scaled, FC appears only at chi >= 2.0 "
                     "(target fc_chi_sweep)", fontsize=7, color="#b2182b")
    axes = [ax_a, ax_b, ax_c]
    if draw_d:  # the header of each column lies inside the axes (alluvial draws it above y = 0)
        ax_d = fig.add_subplot(gs[1, :])
        alluvial(ax_d, [p for _, p in parts], [lab for lab, _ in parts], common)
        ax_d.set_title(agreement_title(agreement or {}, len(common), len(areas),
                                        [lab.split("\n")[0] for lab, _ in parts]), fontsize=7)
        ax_d.text(0.0, 1.0, "D", transform=ax_d.transAxes, fontsize=10, fontweight="bold", va="bottom")
    for ax, letter in zip(axes, "ABC"):
        panel_label(ax, letter)
    return add_footer(fig, footer)


# --- model vs reference, validation --------------------------------------------------------------------------

def _rates_by_population(populations, seed_rates: np.ndarray, mean: np.ndarray, sd: np.ndarray,
                         reference: np.ndarray, reference_label: str, extra: dict[str, np.ndarray],
                         seed_cv: np.ndarray | None, weights: np.ndarray | None):
    """Few populations (pd14): A rates and references side by side, B relative deviation from the
    reference with the seed range, C CV ISI per seed. Returns (figure, axes)."""
    n_seeds = seed_rates.shape[0]
    fig, axs = plt.subplots(1, 3, figsize=(7.2, 2.8), width_ratios=[1.5, 1.2, 1], layout="constrained")
    x = np.arange(len(populations))
    ax = axs[0]
    ax.bar(x, mean, width=0.55, color=[mcolors.to_rgba(_color(p), 0.45) for p in populations],
           edgecolor=[_color(p) for p in populations], yerr=sd if n_seeds > 1 else None,
           error_kw={"lw": 0.8, "capsize": 2}, label=f"ours, {n_seeds} seed{'s' * (n_seeds > 1)}")
    for row in seed_rates:
        ax.plot(x, row, ".", color="k", ms=2.5, zorder=3)
    ax.plot(x, reference, "_", color="k", ms=11, mew=1.6, label=reference_label)
    markers = ["x", "+", "1"]
    for k, (lab, vals) in enumerate(extra.items()):
        ax.plot(x, vals, markers[k % 3], color=SIM_COLORS[k % len(SIM_COLORS)], ms=4, label=lab)
    ax.set_xticks(x, [POP_LABELS.get(p, p) for p in populations])
    ax.set_ylabel("Rate (spikes/s)")
    ax.legend(frameon=False, fontsize=5.5, loc="upper left")
    ax = axs[1]
    rel = (seed_rates - reference) / reference * 100
    ax.axhspan(-10, 10, color="0.92", zorder=0, label="±10 % (NEST 2 vs NEST 3 reference rates)")
    ax.axhline(0, color="k", lw=0.6)
    ax.bar(x, rel.mean(axis=0), width=0.55, color=[mcolors.to_rgba(_color(p), 0.45) for p in populations],
           edgecolor=[_color(p) for p in populations])
    if n_seeds > 1:
        ax.vlines(x, rel.min(axis=0), rel.max(axis=0), color="k", lw=1.0, label="seed range")
    for k, vals in enumerate(extra.values()):
        ax.plot(x, (vals - reference) / reference * 100, markers[k % 3], color=SIM_COLORS[k % len(SIM_COLORS)],
                ms=4)
    ax.set_xticks(x, [POP_LABELS.get(p, p) for p in populations])
    ax.set_ylabel("Deviation from reference (%)")
    ax.legend(frameon=False, fontsize=5.5, loc="lower right")
    ax = axs[2]
    if seed_cv is not None:
        cv = np.atleast_2d(seed_cv)
        ax.bar(x, np.nanmean(cv, axis=0), width=0.55, color=[mcolors.to_rgba(_color(p), 0.45) for p in populations],
               edgecolor=[_color(p) for p in populations])
        for row in cv:
            ax.plot(x, row, ".", color="k", ms=2.5)
        ax.set_xticks(x, [POP_LABELS.get(p, p) for p in populations])
        ax.set_ylabel("CV ISI (no published value)")
    for a in axs:
        a.tick_params(axis="x", labelsize=6)
    return fig, axs


def _rates_by_area(populations, seed_rates: np.ndarray, mean: np.ndarray, sd: np.ndarray,
                   reference: np.ndarray, reference_label: str, extra: dict[str, np.ndarray],
                   seed_cv: np.ndarray | None, weights: np.ndarray | None):
    """Many populations (mam): A simulated vs reference (log-log), B N-weighted area rates vs
    reference, C histogram of log10(sim/reference). Returns (figure, axes)."""
    n_seeds = seed_rates.shape[0]
    fig, axs = plt.subplots(1, 3, figsize=(7.2, 2.8), layout="constrained")
    ok = (mean > 0) & (reference > 0)
    ax = axs[0]
    cols = [_color(p) for p in populations]
    ax.errorbar(reference[ok], mean[ok], yerr=sd[ok] if n_seeds > 1 else None, fmt="none", ecolor="0.5", lw=0.5)
    ax.scatter(reference[ok], mean[ok], s=5, c=np.array(cols)[ok], lw=0)
    lo = min(reference[ok].min(), mean[ok].min()) if ok.any() else 1e-2
    hi = max(reference[ok].max(), mean[ok].max()) if ok.any() else 10
    ax.loglog([lo, hi], [lo, hi], color="0.5", lw=0.6)
    ax.set_xlabel(f"Reference rate (spikes/s)\n{reference_label}", fontsize=6.5)
    ax.set_ylabel("Simulated rate (spikes/s)")
    silent = int(np.sum(mean == 0))
    ax.text(0.03, 0.97, f"{ok.sum()} populations\n{silent} silent in the simulation", transform=ax.transAxes,
            va="top", fontsize=6)
    ax = axs[1]
    areas = list(dict.fromkeys(area_of(p) for p in populations))
    w = np.ones(len(populations)) if weights is None else np.asarray(weights, float)
    idx = np.array([areas.index(area_of(p)) for p in populations])
    wsum = np.bincount(idx, weights=w)
    a_ref = np.bincount(idx, weights=w * reference) / wsum
    a_seed = np.array([np.bincount(idx, weights=w * r) / wsum for r in seed_rates])
    a_mean = a_seed.mean(axis=0)
    a_sd = a_seed.std(axis=0, ddof=1) if n_seeds > 1 else None
    ax.errorbar(a_ref, a_mean, yerr=a_sd, fmt="o", ms=3, color="k", ecolor="0.5", lw=0.6)
    for a, x, y in zip(areas, a_ref, a_mean):
        if a in ("V1", "V2", "FEF", "TH", "46", "7a"):
            ax.annotate(a, (x, y), fontsize=5.5, xytext=(2, 2), textcoords="offset points")
    lo, hi = min(a_ref.min(), a_mean.min()), max(a_ref.max(), a_mean.max())
    ax.plot([lo, hi], [lo, hi], color="0.5", lw=0.6)
    ax.set_xlabel("Reference area rate (spikes/s)")
    ax.set_ylabel("Simulated area rate (spikes/s)")
    ax = axs[2]
    ratio = np.log10(mean[ok] / reference[ok])
    ax.hist(ratio, bins=30, color="0.4")
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlabel("log$_{10}$(simulated / reference)")
    ax.set_ylabel("Populations")
    ax.text(0.97, 0.97, f"median {np.median(ratio):+.2f}" if ratio.size else "", transform=ax.transAxes,
            ha="right", va="top", fontsize=6)
    return fig, axs


def model_vs_reference_figure(populations: Sequence[str], seed_rates: np.ndarray, reference: np.ndarray,
                              reference_label: str, extra: dict[str, np.ndarray] | None = None,
                              seed_cv: np.ndarray | None = None, weights: np.ndarray | None = None, *,
                              footer: str | Sequence[str]) -> plt.Figure:
    """Our per-population rates (mean over seeds, bars/points; error bars: seed-to-seed SD; dots: single
    seeds) beside the reference.

    Few populations (pd14): A rates and references side by side, B relative deviation from the reference
    with the seed range, C CV ISI per seed. Many (mam): A simulated vs reference (log-log), B N-weighted
    area rates vs reference, C histogram of log10(sim/reference).
    """
    apply_style()
    seed_rates = np.atleast_2d(np.asarray(seed_rates, float))
    n_seeds = seed_rates.shape[0]
    mean = seed_rates.mean(axis=0)
    sd = seed_rates.std(axis=0, ddof=1) if n_seeds > 1 else np.zeros_like(mean)
    extra = extra or {}
    draw = _rates_by_population if len(populations) <= 16 else _rates_by_area
    fig, axs = draw(populations, seed_rates, mean, sd, reference, reference_label, extra, seed_cv, weights)
    for ax, letter in zip(axs, "ABC"):
        panel_label(ax, letter)
    return add_footer(fig, footer)


def validation_figure(report: pd.DataFrame, distances: pd.DataFrame, title: str, *,
                      footer: str | Sequence[str]) -> plt.Figure:
    """Distances between seeds (grey dots) and between our runs and the reference samples (red), per
    population: A rates (Wasserstein, spikes/s), B rates (KS); C seed-to-seed KS of CV, LvR and CC."""
    apply_style()
    fig, axs = plt.subplots(1, 3, figsize=(7.2, 3.0), layout="constrained")
    pops = list(dict.fromkeys(report["population"]))
    x = np.arange(len(pops))
    short = [POP_LABELS.get(population_of(p), p) if len(pops) <= 16 else p for p in pops]
    for ax, metric, ylabel in ((axs[0], "wasserstein", "Wasserstein distance (spikes/s)"),
                               (axs[1], "ks", "KS distance")):
        d = distances[(distances["statistic"] == "rates") & (distances["metric"] == metric)]
        for kind, color, dx, lab in (("seed_to_seed", "0.45", -0.12, "seed to seed"),
                                     ("model_to_reference", "#b2182b", 0.12, "runs to reference")):
            sub = d[d["kind"] == kind]
            xs = np.array([pops.index(p) for p in sub["population"]]) + dx
            ax.plot(xs, sub["distance"], "o", ms=2.5, color=color, alpha=0.8, label=lab, mew=0)
        r = report[(report["statistic"] == "rates") & (report["metric"] == metric)].set_index("population").loc[pops]
        ax.hlines(r["seed_to_seed_max"], x - 0.3, x + 0.3, color="0.2", lw=0.8, label="limit (max seed to seed)")
        for xi, passed in zip(x, r["passed"]):
            if str(passed) in ("True", "False"):
                ax.text(xi, 1.0, "✓" if str(passed) == "True" else "✗", transform=ax.get_xaxis_transform(),
                        ha="center", va="bottom", color="#1b7837" if str(passed) == "True" else "#b2182b",
                        fontsize=8)
        ax.set_yscale("log")
        ax.set_xticks(x, short, rotation=90 if len(pops) > 16 else 0, fontsize=6)
        ax.set_ylabel(ylabel)
    axs[0].legend(frameon=False, fontsize=5.5, loc="lower left")
    d = distances[(distances["metric"] == "ks") & (distances["kind"] == "seed_to_seed")]
    for k, stat in enumerate(s for s in ("cv", "lvr", "cc") if s in set(d["statistic"])):
        sub = d[d["statistic"] == stat]
        xs = np.array([pops.index(p) for p in sub["population"]]) + (k - 1) * 0.22
        axs[2].plot(xs, sub["distance"], "o", ms=2.5, mew=0, color=SIM_COLORS[k], label=stat.upper())
    axs[2].set_xticks(x, short, rotation=90 if len(pops) > 16 else 0, fontsize=6)
    axs[2].set_ylabel("KS distance, seed to seed")
    axs[2].legend(frameon=False, fontsize=6)
    fig.suptitle(title, fontsize=8)
    for ax, letter in zip(axs, "ABC"):
        panel_label(ax, letter)
    return add_footer(fig, footer)
