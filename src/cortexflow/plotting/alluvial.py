# SPDX-License-Identifier: GPL-3.0-or-later
"""Alluvial diagram of several partitions of the same areas (Schmidt et al. 2018 PLoS CB, Fig 8 D-E: the areas
flow between the communities of the structural connectivity, of the simulated FC and of the experimental FC).

Column k shows the communities of partition k as stacked blocks (height = number of areas, gap between blocks);
between columns k and k+1 a band joins community i of k to community j of k+1 with the width

    F_ij = #{areas a : P_k(a) = i and P_k+1(a) = j}      (flow matrix; sum_j F_ij = |i|, sum_ij F_ij = n),

drawn as a smoothstep-shaped ribbon y(t) = y_l + (y_r - y_l)(3 t^2 - 2 t^3). Each band is split by the
community of the areas in the first column, and coloured by it, so that the structural communities can be
followed through the diagram. Blocks are ordered to have few crossings (barycentre heuristic of layered graph
drawing, Sugiyama et al. 1981): the first column by the mean position of its areas in the canonical area order,
each further column by the barycentre of its incoming flows, then alternating backward and forward sweeps; the
sweep with the fewest weighted crossings sum F_ij F_i'j' (i above i', j below j') is kept. Areas within a block
are ordered by the block they come from, then by their first-column community, the block they go to and the
canonical order. Pure drawing, deterministic (no randomness, ties broken by the canonical order and the label).

Upstream (INM-6/multi-area-model figures/Schmidt2018_dyn/Fig8_interactions.py) drew the two alluvials
(structure -> simulation, simulation -> experiment) by hand in RAWGraphs; this is our own implementation.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

COLORS = ["#b2182b", "#2166ac", "#4dac26", "#8073ac", "#e08214", "#35978f", "#c51b7d", "#7f7f7f", "#bf812d",
          "#01665e"]


def as_partition(communities) -> dict[str, int]:
    """Area -> community index from a mapping (fc_communities.json) or a list of area lists (communities.json)."""
    if isinstance(communities, Mapping):
        return {str(a): c for a, c in communities.items()}
    return {str(a): k for k, members in enumerate(communities) for a in members}


def _labels(partition: Mapping, areas: Sequence[str]) -> tuple[list, np.ndarray]:
    """Sorted community labels of ``partition`` on ``areas`` and each area's label index."""
    missing = [a for a in areas if a not in partition]
    if missing:
        raise ValueError(f"alluvial: areas without a community: {missing}")
    values = [partition[a] for a in areas]
    labels = sorted(set(values), key=lambda v: (str(type(v)), v))
    index = {v: k for k, v in enumerate(labels)}
    return labels, np.array([index[v] for v in values], dtype=int)


def flow_matrix(a: Mapping, b: Mapping, areas: Sequence[str] | None = None) -> tuple[np.ndarray, list, list]:
    """F[i, j] = number of ``areas`` (default: those of both partitions, sorted) in community i of ``a`` and
    community j of ``b``; rows sum to the sizes of a's communities, the total is the number of areas.
    Returns (F, labels of a, labels of b), labels sorted."""
    if areas is None:
        areas = sorted(set(a) & set(b))
    la, ia = _labels(a, areas)
    lb, ib = _labels(b, areas)
    F = np.zeros((len(la), len(lb)), dtype=int)
    np.add.at(F, (ia, ib), 1)
    return F, la, lb


def weighted_crossings(F: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> int:
    """sum of F_ij F_i'j' over band pairs that cross: rank(i) < rank(i') and rank(j) > rank(j')."""
    G = F[np.ix_(rows, cols)]  # in drawing order
    # for each (i, j): flows that start below i and end above j
    below_above = np.cumsum(np.cumsum(G[::-1], axis=0)[::-1], axis=1)  # S[i, j] = sum_{i'>=i, j'<=j} G
    S = np.zeros_like(G)
    S[:-1, 1:] = below_above[1:, :-1]
    return int(np.sum(G * S))


@dataclass
class Column:
    """One column: community labels top to bottom, their extents [y0, y1), and the areas of each block."""
    label: str
    blocks: list
    y0: np.ndarray
    y1: np.ndarray
    areas: list[list[str]]


@dataclass
class Layout:
    columns: list[Column]
    # one row per band: gap k, source block rank, target block rank, first-column community rank, n areas,
    # left extent (y0, y1) in the source block, right extent (y0, y1) in the target block
    bands: np.ndarray = field(default_factory=lambda: np.zeros((0, 9)))
    crossings: list[int] = field(default_factory=list)
    height: float = 0.0


def _centres(order: np.ndarray, sizes: np.ndarray, gap: float) -> np.ndarray:
    """Block centres (by label index) when the blocks are stacked in ``order``."""
    s = sizes[order]
    y0 = np.concatenate(([0.0], np.cumsum(s + gap)[:-1]))
    c = np.empty(len(sizes))
    c[order] = y0 + s / 2
    return c


def _barycentre_order(F: np.ndarray, centres: np.ndarray, first_area: np.ndarray) -> np.ndarray:
    """Order of the target blocks (columns of F) by the flow-weighted mean centre of their sources."""
    n = F.sum(axis=0)
    bary = (F * centres[:, None]).sum(axis=0) / np.maximum(n, 1)
    return np.lexsort((np.arange(F.shape[1]), first_area, bary))


def layout(partitions: Sequence[Mapping], labels: Sequence[str], areas: Sequence[str] | None = None, *,
           gap: float = 1.0, sweeps: int = 4) -> Layout:
    """Block order, block extents, area order and band geometry of an alluvial of ``partitions`` (area ->
    community, left to right) over ``areas`` (default: the areas of all partitions, sorted; this order breaks
    ties). Heights in area units; ``gap``: space between blocks."""
    if len(partitions) < 1 or len(partitions) != len(labels):
        raise ValueError("alluvial: one label per partition, at least one partition")
    if areas is None:
        areas = sorted(set.intersection(*(set(p) for p in partitions)))
    areas = list(areas)
    n = len(areas)
    if n == 0:
        raise ValueError("alluvial: no area common to the partitions")
    lab, idx = zip(*(_labels(p, areas) for p in partitions))
    m = len(partitions)
    sizes = [np.bincount(i, minlength=len(lb)).astype(float) for i, lb in zip(idx, lab)]
    # the first canonical position of each block: the tie breaker
    first = [np.array([np.flatnonzero(i == k)[0] for k in range(len(lb))]) for i, lb in zip(idx, lab)]
    flows = []
    for k in range(m - 1):
        F = np.zeros((len(lab[k]), len(lab[k + 1])), dtype=int)
        np.add.at(F, (idx[k], idx[k + 1]), 1)
        flows.append(F)
    pos = np.arange(n, dtype=float)
    mean_pos = np.bincount(idx[0], weights=pos, minlength=len(lab[0])) / sizes[0]
    orders = [np.lexsort((first[0], mean_pos))]
    for k in range(m - 1):
        orders.append(_barycentre_order(flows[k], _centres(orders[k], sizes[k], gap), first[k + 1]))

    def total(ords):
        return [weighted_crossings(flows[k], ords[k], ords[k + 1]) for k in range(m - 1)]

    best, best_c = [o.copy() for o in orders], total(orders)
    for s in range(sweeps):
        if s % 2 == 0:  # backward: column k by the barycentre of its outgoing flows
            for k in range(m - 2, -1, -1):
                orders[k] = _barycentre_order(flows[k].T, _centres(orders[k + 1], sizes[k + 1], gap), first[k])
        else:
            for k in range(m - 1):
                orders[k + 1] = _barycentre_order(flows[k], _centres(orders[k], sizes[k], gap), first[k + 1])
        c = total(orders)
        if sum(c) < sum(best_c):
            best, best_c = [o.copy() for o in orders], c
    orders = best
    rank = [np.argsort(o) for o in orders]
    height = n + gap * (max(len(lb) for lb in lab) - 1)
    columns = []
    area_sort = []
    for k in range(m):
        keys = [pos]
        if k + 1 < m:
            keys.append(rank[k + 1][idx[k + 1]])
        keys.append(rank[0][idx[0]])
        if k > 0:
            keys.append(rank[k - 1][idx[k - 1]])
        keys.append(rank[k][idx[k]])
        order = np.lexsort(keys)  # by own block, source block, first-column community, target block, position
        area_sort.append(order)
        s = sizes[k][orders[k]]
        offset = (height - s.sum() - gap * (len(s) - 1)) / 2
        y0 = offset + np.concatenate(([0.0], np.cumsum(s + gap)[:-1]))
        columns.append(Column(str(labels[k]), [lab[k][b] for b in orders[k]], y0, y0 + s,
                              [[areas[a] for a in order if idx[k][a] == b] for b in orders[k]]))
    # bands split by the first-column community: rows (gap, source rank, target rank, root rank, n, ...)
    bands = []
    root = rank[0][idx[0]]
    for k in range(m - 1):
        src, tgt = rank[k][idx[k]], rank[k + 1][idx[k + 1]]
        key = np.stack([src, tgt, root], axis=1)
        uniq, count = np.unique(key, axis=0, return_counts=True)
        left = np.lexsort((uniq[:, 2], uniq[:, 1], uniq[:, 0]))   # within a source block: by target, root
        right = np.lexsort((uniq[:, 2], uniq[:, 0], uniq[:, 1]))  # within a target block: by source, root
        yl, yr = np.empty(len(uniq)), np.empty(len(uniq))
        for sel, col, ext, block in ((left, columns[k], yl, 0), (right, columns[k + 1], yr, 1)):
            b = uniq[sel, block]
            cum = np.cumsum(count[sel])
            start = np.concatenate(([0], cum[:-1]))
            # offset within the block: the flows of earlier bands of the same block
            block_start = np.concatenate(([0], np.flatnonzero(np.diff(b)) + 1))
            base = np.repeat(start[block_start], np.diff(np.append(block_start, len(b))))
            ext[sel] = col.y0[b] + start - base
        for row, c, a, z in zip(uniq, count, yl, yr):
            bands.append([k, row[0], row[1], row[2], c, a, a + c, z, z + c])
    return Layout(columns, np.array(bands, dtype=float).reshape(-1, 9), best_c, float(height))


def band_curves(lay: Layout, x: Sequence[float], width: float, samples: int = 40) -> list[np.ndarray]:
    """Outline of every band of ``lay`` as (samples, 3) arrays of (x, y_lower, y_upper): smoothstep from the
    right edge of column k's blocks (x_k + width/2) to the left edge of column k+1's (x_k+1 - width/2)."""
    t = np.linspace(0.0, 1.0, samples)
    s = t * t * (3 - 2 * t)
    out = []
    for k, _, _, _, _, l0, l1, r0, r1 in lay.bands:
        xa, xb = x[int(k)] + width / 2, x[int(k) + 1] - width / 2
        out.append(np.stack([xa + (xb - xa) * t, l0 + (r0 - l0) * s, l1 + (r1 - l1) * s], axis=1))
    return out


def alluvial(ax: Axes, partitions: Sequence[Mapping], labels: Sequence[str], areas: Sequence[str] | None = None, *,
             names: bool = True, fontsize: float = 4.5, width: float = 0.16, gap: float = 1.0,
             colors: Sequence[str] = COLORS, alpha: float = 0.55, block_labels: Sequence[str] | None = None,
             title_size: float = 6.0, header: float = 4.0) -> Layout:
    """Draw the alluvial of ``partitions`` (area -> community, columns left to right, titled ``labels``) into
    ``ax``: blocks (first column in the colours of its communities, the others grey), bands coloured by the
    first-column community, area names inside the blocks (``names``), one per area row, and above each column
    its label with the number of communities. ``block_labels``: a prefix per column; each block is then
    labelled prefix + community beside it (left of the first column, right of the others). ``header``: room
    for the column labels above the blocks, in area units, inside the axes. Returns the layout."""
    from matplotlib.patches import Rectangle

    lay = layout(partitions, labels, areas, gap=gap)
    x = np.arange(len(lay.columns), dtype=float)
    for (_, _, _, root, *_), c in zip(lay.bands, band_curves(lay, x, width)):
        ax.fill_between(c[:, 0], c[:, 1], c[:, 2], color=colors[int(root) % len(colors)], alpha=alpha, lw=0,
                        zorder=1)
    for k, col in enumerate(lay.columns):
        for b, (y0, y1, members) in enumerate(zip(col.y0, col.y1, col.areas)):
            face = colors[b % len(colors)] if k == 0 else "0.82"
            ax.add_patch(Rectangle((x[k] - width / 2, y0), width, y1 - y0, facecolor=face, edgecolor="0.25", lw=0.4,
                                   zorder=2))
            if names:
                for r, a in enumerate(members):
                    ax.text(x[k], y0 + r + 0.5, a, ha="center", va="center", fontsize=fontsize, zorder=3,
                            color="white" if k == 0 else "k")
            if block_labels is not None:
                left = k == 0
                ax.text(x[k] + (-1 if left else 1) * (width / 2 + 0.02), (y0 + y1) / 2,
                        f"{block_labels[k]}{col.blocks[b]}", ha="right" if left else "left", va="center",
                        fontsize=fontsize + 0.5, color="0.3")
        ax.text(x[k], -0.6, f"{col.label}\n{len(col.blocks)} communities", ha="center", va="bottom",
                fontsize=title_size)
    ax.set_xlim(x[0] - width / 2 - 0.15, x[-1] + width / 2 + 0.15)
    ax.set_ylim(lay.height + 0.3, -0.6 - header)
    ax.set_axis_off()
    return lay


AGREEMENT_NAMES = {"structure": "structure", "simulated": "sim. FC", "experimental": "exp. FC"}


def agreement_title(agreement: dict, n_common: int, n_areas: int, columns: Sequence[str]) -> str:
    """Two lines: what the alluvial shows, and the adjusted Rand index of each pair of partitions."""
    title = " \u2192 ".join(columns) + f": communities of the {n_common} areas"
    if n_common < n_areas:
        title += f" (of {n_areas})"
    title += f"; band colour: community in the {columns[0][:1].lower() + columns[0][1:]} column"
    pairs = []
    for key, value in agreement.items():
        if "_vs_" in key:
            a, b = key.split("_vs_")
            pairs.append(f"{AGREEMENT_NAMES.get(a, a)} vs {AGREEMENT_NAMES.get(b, b)} {value:.2f}")
    if pairs:
        title += "\nadjusted Rand index: " + ", ".join(pairs)
    return title
