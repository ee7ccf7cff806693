"""Structure figures of Schmidt et al. (2018) Brain Struct Funct 223:1409 (Figs 2-7) and the connectivity of
Potjans & Diesmann (2014), redrawn from our own pipeline outputs (matplotlib only).

One function per figure; each takes loaded data (``processed.json`` as a dict, a
:class:`~cortexflow.structure.network_file.Network`, ``data_points.json``, ``communities.json``) and returns a
``matplotlib.figure.Figure``; the measures they show are computed in cortexflow.structure.measures.
Which data each panel shows and how: docs/figures.md.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import matplotlib.pyplot as plt
from matplotlib import colors as mcolors
from matplotlib.patches import Patch, Rectangle

from cortexflow.anatomy.sln import probit
from cortexflow.areas import AREAS, LAYERS, POPULATIONS, area_of, population_of
from cortexflow.plotting.style import E_COLOR, I_COLOR, apply_style, panel_label
from cortexflow.structure.measures import (CONNECTION_CLASSES, SLN_CLASSES, area_names, area_neurons,
                                           connection_classes, edr_points, indegrees_by_type, laminar_patterns,
                                           target_layer_counts)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    import pandas as pd

    from cortexflow.structure.network_file import Network

LAYER_LABELS = {"1": "L1", "23": "L2/3", "4": "L4", "5": "L5", "6": "L6"}
LAYER_COLORS = {"1": "#fdd49e", "23": "#fc8d59", "4": "#b30000", "5": "#74a9cf", "6": "#045a8d"}
TYPE_COLORS = {"I": "#4d4d4d", "III": E_COLOR, "II": "#f4a582", "ext": "#bababa"}
COMMUNITY_COLORS = ["#b2182b", "#2166ac", "#4dac26", "#8073ac", "#e08214", "#35978f", "#c51b7d", "#7f7f7f"]
POP_LABELS = ["2/3E", "2/3I", "4E", "4I", "5E", "5I", "6E", "6I"]
AREA_TICK_SIZE = 5.5


def _area_matrix(ax, matrix, areas, cmap, norm, xlabel="Source area", ylabel="Target area"):
    """Target × source area matrix, zeros white, areas in model order (V1 top left)."""
    masked = np.ma.masked_where(~(matrix > 0), matrix)
    cm = plt.get_cmap(cmap).with_extremes(bad="white")
    im = ax.imshow(masked, cmap=cm, norm=norm, interpolation="nearest", aspect="equal")
    _area_ticks(ax, areas, xlabel, ylabel)
    return im


def _area_ticks(ax, areas, xlabel="Source area", ylabel="Target area"):
    ticks = np.arange(len(areas))
    ax.set_xticks(ticks, areas, rotation=90, fontsize=AREA_TICK_SIZE)
    ax.set_yticks(ticks, areas, fontsize=AREA_TICK_SIZE)
    ax.tick_params(length=0, pad=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)


# --- Fig 2: anatomy --------------------------------------------------------------------------------------

def _density_panel(ax, processed: dict) -> None:
    """Fig 2A: neuron densities per architectural type (layer means) and the overall density of each area
    with data."""
    areas = list(AREAS)
    types = processed["architecture_completed"]
    data4 = processed["neuronal_density_data_FV91_4layers"]
    cat = processed["category_density"]
    used_types = sorted(int(t) for t, v in cat.items() if v["overall"] is not None)
    groups = [("23", "L2/3", LAYER_COLORS["23"]), ("4", "L4", LAYER_COLORS["4"]), ("5", "L5/6", LAYER_COLORS["5"])]
    width = 0.24
    for k, (layer, label, color) in enumerate(groups):
        vals = [cat[str(t)][layer] / 1e3 for t in used_types]
        ax.bar(np.array(used_types) + (k - 1) * width, vals, width, color=color, label=label, edgecolor="none")
    with_data = [a for a in areas if a in data4]
    xt = np.array([types[a] for a in with_data], dtype=float)
    offsets = np.zeros_like(xt)
    for t in np.unique(xt):  # deterministic spread of areas sharing a type
        idx = np.flatnonzero(xt == t)
        offsets[idx] = np.linspace(-0.3, 0.3, idx.size) if idx.size > 1 else 0.0
    ax.plot(xt + offsets, [data4[a]["overall"] / 1e3 for a in with_data], "o", ms=2.8, mfc="white", mec="k",
            mew=0.7, label="area (overall)", zorder=3)
    ax.set_xticks(used_types)
    ax.set_xlabel("Architectural type")
    ax.set_ylabel(r"Neuron density ($10^3$/mm$^3$)")
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(lab) for lab in ("L2/3", "L4", "L5/6", "area (overall)")]
    ax.legend([handles[i] for i in order], ["L2/3, type mean", "L4, type mean", "L5/6, type mean",
                                            "single area, overall"],
              loc="upper left", frameon=False, handlelength=1.2)
    ax.set_ylim(0, 1.3 * max(cat[str(t)]["4"] for t in used_types) / 1e3)


def _total_thickness_panel(ax, processed: dict, logrho: np.ndarray, xs: np.ndarray,
                           thickness_data_um: dict[str, float]) -> None:
    """Fig 2B: total thickness vs log10 density, with the regression that fills the areas without data."""
    areas = list(AREAS)
    ft = processed["fits"]["total_thickness"]
    has = np.array([a in thickness_data_um for a in areas])
    total = np.array([processed["total_thicknesses"][a] for a in areas]) / 1e3
    ax.plot(logrho[~has], total[~has], "o", ms=3, mfc="white", mec="0.4", mew=0.7, label="from regression")
    ax.plot(logrho[has], total[has], "o", ms=3.2, color="k", label=f"data (n = {ft['n']})")
    ax.plot(xs, (ft["intercept"] + ft["slope"] * xs) / 1e3, "-", color="k", lw=1)
    ax.text(0.97, 0.97,
            f"D/mm = {ft['intercept'] / 1e3:.2f} {ft['slope'] / 1e3:+.2f} log$_{{10}}\\rho$\nr = {ft['r']:.2f}",
            transform=ax.transAxes, ha="right", va="top", fontsize=7)
    ax.set_xlabel(r"log$_{10}$ neuron density (/mm$^3$)")
    ax.set_ylabel("Total thickness (mm)")
    ax.legend(loc="lower left", frameon=False, handletextpad=0.3)


def _relative_thickness_panel(ax, processed: dict, logrho: np.ndarray, xs: np.ndarray,
                              relative_thickness_data: dict[str, dict[str, float]]) -> None:
    """Fig 2C: relative laminar thicknesses vs log10 density with the values used for areas without data
    (L4 regression, means of the other layers)."""
    areas = list(AREAS)
    f4 = processed["fits"]["l4_fraction"]
    means = processed["fits"]["mean_relative_thickness"]
    for layer in LAYERS:
        y = np.array([relative_thickness_data[a][layer] for a in areas])
        ok = np.isfinite(y)
        color = LAYER_COLORS[layer]
        ax.plot(logrho[ok], y[ok], "o", ms=2.8, color=color, label=LAYER_LABELS[layer])
        if layer == "4":
            ax.plot(xs, f4["intercept"] + f4["slope"] * xs, "-", color=color, lw=1)
        else:
            ax.plot(xs, np.full_like(xs, means[layer]), "--", color=color, lw=0.9)
    ax.set_xlabel(r"log$_{10}$ neuron density (/mm$^3$)")
    ax.set_ylabel("Fraction of total thickness")
    ax.set_ylim(0, 0.7)
    ax.legend(loc="upper left", ncol=5, frameon=False, handletextpad=0.1, columnspacing=0.6, markerscale=1.2)
    ax.text(0.97, 0.86, f"L4: regression (r = {f4['r']:.2f}, n = {f4['n']})\nother layers: means",
            transform=ax.transAxes, ha="right", va="top", fontsize=6.5)


def _laminar_thickness_panel(ax, processed: dict) -> None:
    """Fig 2D: laminar thicknesses per area, stacked (L6 at the bottom)."""
    areas = list(AREAS)
    bottom = np.zeros(len(areas))
    lam = processed["laminar_thicknesses"]
    for layer in LAYERS[::-1]:  # L6 at the bottom
        h = np.array([lam[a][layer] for a in areas])
        ax.bar(np.arange(len(areas)), h, 0.8, bottom=bottom, color=LAYER_COLORS[layer], label=LAYER_LABELS[layer],
               edgecolor="none")
        bottom += h
    ax.set_xticks(np.arange(len(areas)), areas, rotation=90, fontsize=AREA_TICK_SIZE)
    ax.tick_params(axis="x", length=0, pad=1)
    ax.set_xlim(-0.7, len(areas) - 0.3)
    ax.set_ylabel("Laminar thickness (mm)")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", ncol=5, frameon=False, handlelength=1.0,
              columnspacing=0.6, handletextpad=0.3)
    ax.set_ylim(0, 1.22 * bottom.max())


def anatomy_figure(processed: dict, thickness_data_um: dict[str, float],
                   relative_thickness_data: dict[str, dict[str, float]]) -> plt.Figure:
    """BSF18 Fig 2. A: neuron densities per architectural type (layer means over the areas of a type, and
    the overall density of each area with data); B: total thickness vs log10 density with the regression
    that fills the areas without data; C: relative laminar thicknesses vs log10 density with the values used
    for areas without data (L4 regression, means of the other layers); D: laminar thicknesses per area.

    ``thickness_data_um``: Barbas-lab total thicknesses (readers.read_total_thickness);
    ``relative_thickness_data``: per-area mean of d_l/D over studies (thickness.relative_thicknesses_from_studies).
    """
    apply_style()
    rho = processed["neuronal_densities"]
    logrho = np.array([np.log10(rho[a]["overall"]) for a in AREAS])
    xs = np.linspace(logrho.min() - 0.02, logrho.max() + 0.02, 50)
    fig, axs = plt.subplots(2, 2, figsize=(7.0, 5.6), gridspec_kw={"hspace": 0.55, "wspace": 0.32})
    ax_a, ax_b, ax_c, ax_d = axs.ravel()
    _density_panel(ax_a, processed)
    _total_thickness_panel(ax_b, processed, logrho, xs, thickness_data_um)
    _relative_thickness_panel(ax_c, processed, logrho, xs, relative_thickness_data)
    _laminar_thickness_panel(ax_d, processed)
    for ax, letter in zip(axs.ravel(), "ABCD"):
        panel_label(ax, letter)
    return fig


# --- Fig 3: construction ---------------------------------------------------------------------------------

def construction_figure(net: Network, processed: dict) -> plt.Figure:
    """BSF18 Fig 3: average indegree of each area by synapse type (A: absolute, B: fractions), areas from
    high to low overall neuron density."""
    apply_style()
    areas = area_names(net)
    rho = processed["neuronal_densities"]
    order = sorted(range(len(areas)), key=lambda i: -rho[areas[i]]["overall"])
    deg = {k: v[order] for k, v in indegrees_by_type(net).items()}
    if np.any(deg["II"] > deg["ext"] * (1 + 1e-9)):
        raise ValueError("type II synapses exceed the external synapses of an area; the stacked plot assumes "
                         "type II is part of the external drive")
    total = deg["I"] + deg["III"] + deg["ext"]
    n_area = area_neurons(net)[order]
    parts = [("I", "type I (intrinsic)", deg["I"]), ("III", "type III (cortico-cortical)", deg["III"]),
             ("II", "external: type II (rest of the area)", deg["II"]),
             ("ext", "external: other", deg["ext"] - deg["II"])]
    fig, (ax_a, ax_b) = plt.subplots(2, 1, figsize=(7.0, 4.6), sharex=True,
                                     gridspec_kw={"hspace": 0.15, "height_ratios": [1.6, 1]})
    x = np.arange(len(areas))
    for ax, scale in ((ax_a, 1e-3), (ax_b, None)):
        bottom = np.zeros(len(areas))
        for key, label, vals in parts:
            h = vals * scale if scale else vals / total
            ax.bar(x, h, 0.8, bottom=bottom, color=TYPE_COLORS[key], label=label, edgecolor="none",
                   hatch="////" if key == "II" else None)
            bottom += h
    mean = np.average(total, weights=n_area)
    ax_a.axhline(mean * 1e-3, ls="--", color="k", lw=0.8)
    ax_a.text(-0.4, mean * 1e-3, f"mean {mean:.0f}", ha="left", va="bottom", fontsize=7)
    ax_a.set_ylabel(r"Average indegree ($10^3$)")
    ax_a.legend(loc="upper left", ncol=2, frameon=False, handlelength=1.2, fontsize=6.5)
    ax_a.set_ylim(0, 1.3 * total.max() * 1e-3)
    ax_b.set_ylabel("Fraction")
    ax_b.set_ylim(0, 1)
    ax_b.set_xticks(x, [areas[i] for i in order], rotation=90, fontsize=AREA_TICK_SIZE + 0.5)
    ax_b.tick_params(axis="x", length=0, pad=1)
    ax_b.set_xlabel(r"Area (high $\rightarrow$ low neuron density)")
    ax_b.set_xlim(-0.7, len(areas) - 0.3)
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    return fig


# --- Fig 4: connectivity ---------------------------------------------------------------------------------

def connectivity_figure(net: Network, processed: dict, cocomac_raw: dict, cmap: str = "inferno") -> plt.Figure:
    """BSF18 Fig 4. A: binary connectivity of the model (CoCoMac completed with Markov et al. 2014);
    B: FLN data of Markov et al. mapped to FV91; C: ln FLN vs distance with the EDR fit; D: relative
    area-level indegrees K(A ← B)/K(A) of the network, K(A) the total indegree including the external one
    (as upstream)."""
    apply_style()
    areas = area_names(net)
    n = len(areas)
    fig = plt.figure(figsize=(7.0, 7.6))
    gs = fig.add_gridspec(2, 2, left=0.08, right=0.93, top=0.96, bottom=0.07, wspace=0.42, hspace=0.42)
    ax_a, ax_b = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
    ax_c, ax_d = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])

    classes = connection_classes(processed, cocomac_raw, areas)
    class_colors = ["#252525", "#969696", "#2166ac"]
    cm = mcolors.ListedColormap(["white", *class_colors])
    ax_a.imshow(classes, cmap=cm, vmin=-0.5, vmax=3.5, interpolation="nearest")
    _area_ticks(ax_a, areas)
    counts = [int(np.sum(classes == k)) for k in (1, 2, 3)]
    ax_a.legend([Patch(color=c) for c in class_colors],
                [f"{lab} ({c})" for lab, c in zip(CONNECTION_CLASSES, counts)],
                loc="upper left", bbox_to_anchor=(-0.05, -0.16), frameon=False, fontsize=6.5, ncol=2,
                handlelength=1.0, columnspacing=1.0)
    ax_a.set_title(f"Binary connectivity ({sum(counts)} connections)", fontsize=8)

    fln = processed["FLN_Data_FV91"]
    mat = np.array([[fln.get(t, {}).get(s, 0.0) if s != t else 0.0 for s in areas] for t in areas])
    norm = mcolors.LogNorm(vmin=1e-6, vmax=1.0)
    im = _area_matrix(ax_b, mat, areas, cmap, norm)
    fig.colorbar(im, ax=ax_b, fraction=0.046, pad=0.03, label="FLN")
    n_targets = sum(1 for t in areas if fln.get(t))
    ax_b.set_title(f"FLN data (Markov et al. 2014; {n_targets} targets)", fontsize=8)

    d, v = edr_points(processed, net)
    edr = processed["fits"]["edr"]
    ax_c.plot(d, np.log10(v), "o", ms=2.2, color=I_COLOR, alpha=0.7, mew=0, label=f"data (n = {d.size})")
    xs = np.linspace(0, d.max() * 1.03, 50)
    ax_c.plot(xs, (edr["intercept"] + edr["slope"] * xs) / np.log(10), "-", color="k", lw=1.2,
              label=f"EDR: ln FLN = {edr['intercept']:.2f} {edr['slope']:+.3f} d")
    ax_c.set_xlabel("Median inter-areal distance d (mm)")
    ax_c.set_ylabel(r"log$_{10}$ FLN")
    ax_c.legend(loc="lower left", frameon=False)
    ax_c.text(0.97, 0.97, f"exponential distance rule\nr = {edr['r']:.2f}", transform=ax_c.transAxes,
              ha="right", va="top", fontsize=7)

    k_areas = net.extra["K_areas"]  # last column: external
    rel = k_areas[:, :n] / k_areas.sum(axis=1, keepdims=True)
    im = _area_matrix(ax_d, rel, areas, cmap, mcolors.LogNorm(vmin=1e-6, vmax=1.0))
    fig.colorbar(im, ax=ax_d, fraction=0.046, pad=0.03, label="Relative indegree")
    ax_d.set_title("Area-level indegrees of the model", fontsize=8)

    for ax, letter in zip((ax_a, ax_b, ax_c, ax_d), "ABCD"):
        panel_label(ax, letter)
    return fig


# --- Fig 5: laminar patterns -----------------------------------------------------------------------------

def laminar_figure(net: Network, processed: dict, sln_data: pd.DataFrame,
                   band: tuple[np.ndarray, np.ndarray, np.ndarray], level: float, cmap: str = "inferno") -> plt.Figure:
    """BSF18 Fig 5. A: SLN of the 188 observations of Markov et al. (2014) vs the log ratio of overall
    neuron densities, with the beta-binomial probit fit and its pointwise confidence band (``band`` =
    (x, lower, upper)); B: labelled target layers of the CoCoMac patterns by SLN class; C: the resulting
    mean laminar pattern of cortico-cortical indegrees (sources 2/3E, 5E, 6E) for FB, lateral and FF pairs."""
    apply_style()
    fit = processed["fits"]["sln"]
    fig = plt.figure(figsize=(7.0, 5.0))
    gs = fig.add_gridspec(2, 3, left=0.08, right=0.88, top=0.86, bottom=0.1, wspace=0.45, hspace=0.55,
                          width_ratios=[1, 1, 1])
    ax_a = fig.add_subplot(gs[0, :2])
    ax_b = fig.add_subplot(gs[0, 2])
    ax_c = [fig.add_subplot(gs[1, k]) for k in range(3)]

    x = sln_data["DENS"].to_numpy(dtype=float)
    s = sln_data["S"].to_numpy(dtype=float)
    y = s / (s + sln_data["I"].to_numpy(dtype=float))
    bx, lo, hi = band
    ax_a.fill_between(bx, lo, hi, color="0.75", lw=0, label=f"{100 * level:.0f}% confidence band")
    ax_a.plot(x, y, "o", ms=2.6, color=I_COLOR, alpha=0.75, mew=0, label=f"data (n = {x.size})")
    ax_a.plot(bx, probit(bx, fit["b0"], fit["b1"]), "-", color="k", lw=1.2,
              label=fr"$\Phi$({fit['b0']:.3f} {fit['b1']:+.3f} x), $\varphi$ = {fit['phi']:.3f}")
    ax_a.set_xlabel(r"Log ratio of neuron densities x = ln($\rho_\mathrm{target}/\rho_\mathrm{source}$)")
    ax_a.set_ylabel("SLN")
    ax_a.set_ylim(-0.03, 1.03)
    ax_a.set_xlim(bx.min(), bx.max())
    ax_a.legend(loc="lower left", frameon=False)

    counts = target_layer_counts(processed)
    cls_colors = ["#2166ac", "#7f7f7f", "#b2182b"]
    h = 0.27
    ypos = np.arange(6)
    for k, (name, label, _) in enumerate(SLN_CLASSES):
        ax_b.barh(ypos + (k - 1) * h, counts[k], h, color=cls_colors[k], label=f"{name} ({label})")
    ax_b.set_yticks(ypos, ["L1", "L2", "L3", "L4", "L5", "L6"])
    ax_b.invert_yaxis()
    ax_b.set_xlabel("Labelled target layers (count)")
    ax_b.legend(loc="lower center", bbox_to_anchor=(0.6, 1.0), frameon=False, fontsize=6.5, handlelength=1.0)

    patterns = laminar_patterns(net, processed)
    src = [POPULATIONS.index(p) for p in ("23E", "5E", "6E")]
    vmax = max(patterns[name][:, src].max() for name, *_ in SLN_CLASSES)
    for k, (ax, (name, _, _)) in enumerate(zip(ax_c, SLN_CLASSES)):
        im = ax.imshow(patterns[name][:, src], cmap=cmap, vmin=0, vmax=vmax, aspect="auto",
                       interpolation="nearest")
        ax.set_xticks(range(3), ["2/3E", "5E", "6E"])
        ax.set_yticks(range(8), POP_LABELS if k == 0 else [])
        ax.tick_params(length=0)
        ax.set_title({"FB": "Feedback", "lateral": "Lateral", "FF": "Feedforward"}[name], fontsize=8)
        ax.set_xlabel("Source population")
    ax_c[0].set_ylabel("Target population")
    cax = fig.add_axes([0.9, 0.1, 0.012, 0.28])
    fig.colorbar(im, cax=cax, label="Fraction of cc indegree")
    panel_label(ax_a, "A")
    panel_label(ax_b, "B")
    panel_label(ax_c[0], "C")
    return fig


# --- Fig 6: connectivity measures -----------------------------------------------------------------------

def _population_matrix(ax, matrix, labels, cmap, norm, area_labels=None, area_bounds=None):
    cm = plt.get_cmap(cmap).with_extremes(bad="white")
    im = ax.imshow(np.ma.masked_where(~(matrix > 0), matrix), cmap=cm, norm=norm, interpolation="nearest",
                   aspect="equal")
    if area_bounds is not None:
        centers = 0.5 * (area_bounds[:-1] + area_bounds[1:]) - 0.5
        ax.set_xticks(centers, area_labels, rotation=90, fontsize=AREA_TICK_SIZE)
        ax.set_yticks(centers, area_labels, fontsize=AREA_TICK_SIZE)
        for b in area_bounds[1:-1]:
            ax.axhline(b - 0.5, color="0.9", lw=0.2)
            ax.axvline(b - 0.5, color="0.9", lw=0.2)
    else:
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
        ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.tick_params(length=0, pad=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    ax.set_xlabel("Source population")
    ax.set_ylabel("Target population")
    return im


def connectivity_measures_figure(net: Network, zoom_areas: Sequence[str] = ("V1", "V2"),
                                 cmap: str = "inferno") -> plt.Figure:
    """BSF18 Fig 6: population-level indegrees K and connection probabilities
    C = 1 − (1 − 1/(N_pre N_post))^(K N_post) of the whole network (A, B) and of ``zoom_areas`` (C, D)."""
    from cortexflow.structure.measures import connection_probability
    apply_style()
    areas = area_names(net)
    ap = net.extra["area_of_population"]
    K = net.K[:, :-1]
    C = connection_probability(K, net.N)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(ap, minlength=len(areas)))])
    idx = np.concatenate([np.flatnonzero(ap == areas.index(a)) for a in zoom_areas])
    zlabels = [f"{area_of(p)} {population_of(p)}" for p in np.array(net.populations)[idx]]
    k_norm = mcolors.LogNorm(vmin=0.1, vmax=K.max())
    c_norm = mcolors.LogNorm(vmin=1e-5, vmax=C.max())

    fig = plt.figure(figsize=(7.0, 7.4))
    gs = fig.add_gridspec(2, 2, left=0.08, right=0.93, top=0.96, bottom=0.09, wspace=0.55, hspace=0.3)
    axs = [fig.add_subplot(gs[r, c]) for r in range(2) for c in range(2)]
    im_k = _population_matrix(axs[0], K, None, cmap, k_norm, areas, bounds)
    axs[0].set_title(f"Indegree K ({net.n} populations)", fontsize=8)
    im_c = _population_matrix(axs[1], C, None, cmap, c_norm, areas, bounds)
    axs[1].set_title("Connection probability C", fontsize=8)
    _population_matrix(axs[2], K[np.ix_(idx, idx)], zlabels, cmap, k_norm)
    axs[2].set_title(f"Indegree K, {' and '.join(zoom_areas)}", fontsize=8)
    _population_matrix(axs[3], C[np.ix_(idx, idx)], zlabels, cmap, c_norm)
    axs[3].set_title(f"Connection probability C, {' and '.join(zoom_areas)}", fontsize=8)
    for ax, im, label in zip(axs, (im_k, im_c, im_k, im_c), ("K", "C", "K", "C")):
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, label=label)
    for ax, letter in zip(axs, "ABCD"):
        panel_label(ax, letter)
    return fig


# --- Fig 7: community structure -------------------------------------------------------------------------

def community_layout(weights: np.ndarray, labels: np.ndarray, areas: Sequence[str], spacing: float = 0.2,
                     gap: float = 0.25) -> dict[str, np.ndarray]:
    """Deterministic node positions without overlaps: the areas of a community on a circle of radius
    r_k = max(spacing, spacing n_k / (2 pi)) around its centre (neighbours ``spacing`` apart, model order);
    the community centres on a circle (community 0, V1's, at the left) whose radius is grown until every
    two communities are at least ``gap`` apart (centre distance >= r_i + r_j + gap)."""
    n_comm = labels.max() + 1
    members = [[a for a, lab in zip(areas, labels) if lab == k] for k in range(n_comm)]
    r = np.array([0.0 if len(m) == 1 else max(spacing, spacing * len(m) / (2 * np.pi)) for m in members])
    # angular share of each community proportional to its size on the big circle
    share = (2 * r + gap) / np.sum(2 * r + gap)
    angles = np.pi + 2 * np.pi * (np.cumsum(share) - share / 2 - share[0] / 2)
    R = max(0.5, float(np.max(r)))
    while n_comm > 1:
        c = R * np.column_stack([np.cos(angles), np.sin(angles)])
        d = np.linalg.norm(c[:, None] - c[None, :], axis=-1)
        need = r[:, None] + r[None, :] + gap
        np.fill_diagonal(d, np.inf)
        if np.all(d >= need):
            break
        R *= 1.05
    pos = {}
    for k, mem in enumerate(members):
        center = R * np.array([np.cos(angles[k]), np.sin(angles[k])]) if n_comm > 1 else np.zeros(2)
        if len(mem) == 1:
            pos[mem[0]] = center
            continue
        phi = angles[k] + np.pi + 2 * np.pi * np.arange(len(mem)) / len(mem)
        for m, a in zip(mem, phi):
            pos[m] = center + r[k] * np.array([np.cos(a), np.sin(a)])
    return pos


def communities_figure(weights: np.ndarray, labels: np.ndarray, areas: Sequence[str], q: float, null_q: np.ndarray,
                       method: str, cmap: str = "inferno") -> plt.Figure:
    """BSF18 Fig 7. A: the area graph (edges: relative outdegrees > 1e-3, intra-community black, between
    communities grey; width ~ log weight) with nodes coloured by community; B: the weight matrix with areas
    grouped by community; C: modularity of the partition vs the shuffled null models."""
    from matplotlib.collections import LineCollection
    apply_style()
    areas = list(areas)
    n_comm = labels.max() + 1
    colors = [COMMUNITY_COLORS[k % len(COMMUNITY_COLORS)] for k in range(n_comm)]
    pos = community_layout(weights, labels, areas)

    fig = plt.figure(figsize=(7.0, 6.6))
    gs = fig.add_gridspec(2, 2, left=0.04, right=0.97, top=0.99, bottom=0.08, wspace=0.45, hspace=0.12,
                          height_ratios=[1.25, 1], width_ratios=[1.25, 1])
    ax_a = fig.add_subplot(gs[0, :])
    ax_b = fig.add_subplot(gs[1, 0])
    ax_c = fig.add_subplot(gs[1, 1])

    w = np.array(weights, dtype=float)
    np.fill_diagonal(w, 0.0)
    t_idx, s_idx = np.nonzero(w > 1e-3)
    same = labels[t_idx] == labels[s_idx]
    lw = 0.25 + 0.35 * (np.log10(w[t_idx, s_idx]) + 3)
    for mask, color, z in ((~same, "0.75", 1), (same, "0.15", 2)):
        segs = [(pos[areas[s]], pos[areas[t]]) for t, s in zip(t_idx[mask], s_idx[mask])]
        ax_a.add_collection(LineCollection(segs, colors=color, linewidths=lw[mask], alpha=0.6, zorder=z))
    ax_a.set_aspect("equal")
    ax_a.axis("off")
    xy = np.array(list(pos.values()))
    span_x = xy[:, 0].max() - xy[:, 0].min()
    ax_a.set_xlim(xy[:, 0].min() - 0.6 * span_x, xy[:, 0].max() + 0.1 * span_x)  # legend text on the left
    ax_a.set_ylim(xy[:, 1].min() - 0.12, xy[:, 1].max() + 0.12)
    # marker diameter: 90 % of the closest node distance, in points (the layout keeps nodes apart)
    d = np.linalg.norm(xy[:, None] - xy[None, :], axis=-1)
    np.fill_diagonal(d, np.inf)
    fig.canvas.draw()
    bbox = ax_a.get_window_extent()
    x0, x1 = ax_a.get_xlim()
    y0, y1 = ax_a.get_ylim()
    pt_per_unit = min(bbox.width / (x1 - x0), bbox.height / (y1 - y0)) * 72.0 / fig.dpi
    diam = min(24.0, 0.9 * float(d.min()) * pt_per_unit)
    for a, lab in zip(areas, labels):
        ax_a.scatter(*pos[a], s=diam ** 2, color=colors[lab], edgecolor="white", lw=0.8, zorder=3)
        ax_a.text(*pos[a], a, ha="center", va="center", fontsize=min(6.0, diam / 3.2), color="white",
                  fontweight="bold", zorder=4)
    ax_a.text(0.04, 0.9, f"{n_comm} communities ({method})\nmodularity Q = {q:.3f}", transform=ax_a.transAxes,
              ha="left", va="top", fontsize=8)

    order = np.lexsort((np.arange(len(areas)), labels))
    w_ord = w[np.ix_(order, order)]
    im = _area_matrix(ax_b, w_ord, [areas[i] for i in order], cmap, mcolors.LogNorm(vmin=1e-5, vmax=1.0))
    start = 0
    for k in range(n_comm):
        size = int(np.sum(labels == k))
        ax_b.add_patch(Rectangle((start - 0.5, start - 0.5), size, size, fill=False, ec=colors[k], lw=1.2))
        start += size
    for tick, i in zip(ax_b.get_xticklabels(), order):
        tick.set_color(colors[labels[i]])
    for tick, i in zip(ax_b.get_yticklabels(), order):
        tick.set_color(colors[labels[i]])
    fig.colorbar(im, ax=ax_b, fraction=0.046, pad=0.03, label="Relative outdegree")

    bins = np.linspace(min(null_q.min(), q) - 0.02, max(null_q.max(), q) + 0.02, 30)
    ax_c.hist(null_q, bins=bins, color="0.6", label=f"null models (n = {null_q.size})")
    ax_c.axvline(q, color=E_COLOR, lw=1.5, label="model")
    z = (q - null_q.mean()) / null_q.std() if null_q.std() > 0 else np.inf
    ax_c.set_xlabel("Modularity Q")
    ax_c.set_ylabel("Count")
    ax_c.legend(loc="upper center", frameon=False)
    ax_c.set_title(f"z = {z:.1f} vs shuffled outdegrees", fontsize=8)
    ax_c.set_ylim(0, ax_c.get_ylim()[1] * 1.3)
    ax_a.text(0.04, 1.0, "A", transform=ax_a.transAxes, fontsize=10, fontweight="bold", va="top")
    panel_label(ax_b, "B")
    panel_label(ax_c, "C")
    return fig


# --- Potjans & Diesmann 2014 ----------------------------------------------------------------------------

def pd14_connectivity_figure(net: Network, cmap: str = "inferno") -> plt.Figure:
    """PD14 (Potjans & Diesmann 2014, Table 5): A: connection probabilities C_ij; B: indegrees K_ij with the
    external indegree K_ext as last column; C: population sizes N."""
    apply_style()
    conn = np.array(net.params["conn_probs"], dtype=float)
    K = net.K
    labels = ["L" + p for p in POP_LABELS]
    fig = plt.figure(figsize=(7.0, 3.6))
    gs = fig.add_gridspec(1, 3, left=0.07, right=0.98, top=0.88, bottom=0.2, wspace=0.45,
                          width_ratios=[8, 9, 3.2])
    ax_a, ax_b, ax_c = (fig.add_subplot(gs[0, k]) for k in range(3))

    def annotate(ax, mat, fmt, norm):
        cm = plt.get_cmap(cmap)
        for (i, j), v in np.ndenumerate(mat):
            if v > 0:
                lum = np.dot(cm(norm(v))[:3], [0.299, 0.587, 0.114])
                ax.text(j, i, fmt(v), ha="center", va="center", fontsize=4.8,
                        color="k" if lum > 0.5 else "w")

    norm_c = mcolors.Normalize(vmin=0, vmax=conn.max())
    ax_a.imshow(np.ma.masked_equal(conn, 0), cmap=cmap, norm=norm_c, interpolation="nearest")
    annotate(ax_a, conn, lambda v: f"{v:.3f}".lstrip("0") if v >= 1e-3 else f"{v:.0e}".replace("e-0", "e-"), norm_c)
    ax_a.set_title("Connection probability $C_{ij}$", fontsize=8)
    norm_k = mcolors.LogNorm(vmin=1, vmax=10 ** np.ceil(np.log10(K.max())))
    ax_b.imshow(np.ma.masked_less(K, 0.5), cmap=cmap, norm=norm_k, interpolation="nearest")
    annotate(ax_b, K, lambda v: f"{v:.0f}", norm_k)
    ax_b.axvline(7.5, color="k", lw=1)
    ax_b.set_title("Indegree $K_{ij}$ (last column: external)", fontsize=8)
    for ax, ncol in ((ax_a, 8), (ax_b, 9)):
        ax.set_xticks(range(ncol), (labels + ["ext"])[:ncol], rotation=90)
        ax.set_yticks(range(8), labels)
        ax.tick_params(length=0)
        ax.set_xlabel("Source population")
        ax.set_ylabel("Target population")
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
    colors = [E_COLOR if p.endswith("E") else I_COLOR for p in POPULATIONS]
    ax_c.barh(range(8), net.N / 1e3, color=colors)
    ax_c.set_yticks(range(8), labels)
    ax_c.invert_yaxis()
    ax_c.set_xlabel(r"Neurons ($10^3$)")
    ax_c.set_title(f"N = {net.N.sum():,.0f}", fontsize=8)
    for ax, letter in zip((ax_a, ax_b, ax_c), "ABC"):
        panel_label(ax, letter)
    return fig


# --- Fig 8: laminar paths -------------------------------------------------------------------------------

def laminar_paths_figure(lp: dict, cmap: str = "inferno") -> plt.Figure:
    """BSF18 Fig 8. A: laminar end points (source population -> target population) of the shortest paths
    between areas, by SLN class (FF, lateral, FB); B: the same by architectural gradient (HL, HZ, LH);
    C: populations the indirect paths pass through in intermediate areas, per gradient class."""
    apply_style()
    pops = lp["populations"]
    src = [i for i, p in enumerate(pops) if p.endswith("E")]
    fig = plt.figure(figsize=(7.0, 6.2), constrained_layout=True)
    gs = fig.add_gridspec(3, 3, height_ratios=[1, 1, 0.8])
    titles = {"FF": "feedforward (SLN > 0.65)", "lateral": "lateral", "FB": "feedback (SLN < 0.35)",
              "HL": "high -> low type (HL)", "HZ": "equal type (HZ)", "LH": "low -> high type (LH)"}
    for row, classes in enumerate((("FF", "lateral", "FB"), ("HL", "HZ", "LH"))):
        for col, c in enumerate(classes):
            ax = fig.add_subplot(gs[row, col])
            d = lp["classes"][c]
            M = np.array(d["endpoints"], float)[src] / max(1, d["n"])
            im = ax.imshow(M, cmap=cmap, norm=mcolors.PowerNorm(0.5, vmin=0.0, vmax=1.0), aspect="auto",
                           interpolation="nearest")
            ax.set_xticks(range(8), pops, rotation=90)
            ax.set_yticks(range(len(src)), [pops[i] for i in src])
            ax.set_title(f"{titles[c]}, n = {d['n']}", fontsize=7)
            if col == 0:
                ax.set_ylabel("source population")
                panel_label(ax, "AB"[row])
            if row == 1:
                ax.set_xlabel("target population")
            for (i, j), v in np.ndenumerate(M):
                if v >= 0.05:
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=5,
                            color="white" if v < 0.5 else "black")
    fig.colorbar(im, ax=fig.axes, shrink=0.4, label="fraction of area pairs")
    shown = ["5E", "23E", "6E"]
    for col, c in enumerate(("HL", "HZ", "LH")):
        ax = fig.add_subplot(gs[2, col])
        ind = lp["classes"][c]["indirect"]
        vals = [ind.get(k, 0) for k in shown] + [sum(v for k, v in ind.items() if k not in shown)]
        ax.bar(range(4), vals, color=[E_COLOR, E_COLOR, E_COLOR, "0.6"])
        ax.set_xticks(range(4), shown + ["other"])
        ax.set_title(f"{c}: intermediate-area patterns", fontsize=7)
        if col == 0:
            ax.set_ylabel("paths")
            panel_label(ax, "C")
    return fig
