"""Functional connectivity between areas, the experimental resting-state FC and Louvain communities.

FC_AB = Pearson correlation of the area signals A and B (= 1 - scipy's correlation distance, upstream).

Experimental FC (Babapoor-Farrokhran et al. 2013, J Neurophysiol 109:2560; ``Fig8_exp_func_conn.csv``):
3 comment/blank lines, one tab-separated header of 154 names (77 areas, listed twice) and a 154 x 154
matrix whose rows follow the header. The file does not say what the two blocks are (presumably the two
hemispheres). Upstream keys rows and columns by name, so the **second** block (rows and columns 77-153)
silently wins; we parse positionally and select a block explicitly: ``second`` (default, = the published
figure), ``first``, or ``mean`` (the element-wise mean of the two within-block matrices).

Communities: Louvain (networkx ``louvain_communities``) on the FC graph with the diagonal removed and a
fixed seed. Modularity is undefined for negative weights, which upstream kept; by default we clip them
to 0 (``negative="keep"`` reproduces upstream). Communities are numbered by their first area in model
order, so equal partitions give equal labels.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np


def functional_connectivity(signals: np.ndarray) -> np.ndarray:
    """Pearson correlation matrix between the rows of ``signals`` (areas x time)."""
    return np.corrcoef(np.asarray(signals, float))


def read_experimental_fc(path: str | Path, block: str = "second") -> tuple[list[str], np.ndarray]:
    """(77 area names, 77 x 77 FC) of Fig8_exp_func_conn.csv, parsed positionally (see module docstring)."""
    lines = Path(path).read_text().splitlines()
    body = [ln for ln in lines[3:] if ln.strip()]
    if not body:
        raise ValueError(f"{path}: no header after the 3 comment lines")
    names = body[0].split("\t")
    n2 = len(names)
    if n2 % 2 or names[: n2 // 2] != names[n2 // 2:]:
        raise ValueError(f"{path}: header of {n2} names is not one list of areas repeated twice")
    try:
        data = np.array([[float(v) for v in ln.split("\t")] for ln in body[1:]])
    except ValueError as err:
        raise ValueError(f"{path}: non-numeric FC entry ({err})") from None
    if data.shape != (n2, n2):
        raise ValueError(f"{path}: FC matrix has shape {data.shape}, expected ({n2}, {n2})")
    n = n2 // 2
    first, second = data[:n, :n], data[n:, n:]
    if block == "first":
        fc = first
    elif block == "second":
        fc = second
    elif block == "mean":
        fc = 0.5 * (first + second)
    else:
        raise ValueError(f"exp_block = {block!r}, expected 'first', 'second' or 'mean'")
    return names[:n], fc


def restrict(names: list[str], fc: np.ndarray, areas: list[str]) -> np.ndarray:
    """The sub-matrix of ``fc`` for ``areas``, in that order."""
    index = {a: i for i, a in enumerate(names)}
    missing = [a for a in areas if a not in index]
    if missing:
        raise ValueError(f"areas {missing} are not in the experimental FC")
    idx = [index[a] for a in areas]
    return fc[np.ix_(idx, idx)]


def louvain(fc: np.ndarray, names: list[str], seed: int = 1, resolution: float = 1.0,
            negative: str = "clip") -> dict[str, int]:
    """{area: community} from Louvain modularity maximisation with a fixed seed (see module docstring)."""
    w = np.array(fc, dtype=float)
    np.fill_diagonal(w, 0.0)
    if negative == "clip":
        w = np.clip(w, 0.0, None)
    elif negative != "keep":
        raise ValueError(f"negative_weights = {negative!r}, expected 'clip' or 'keep'")
    G = nx.Graph()
    G.add_nodes_from(names)
    iu = np.triu_indices(len(names), k=1)
    G.add_weighted_edges_from((names[i], names[j], w[i, j]) for i, j in zip(*iu) if w[i, j] != 0)
    parts = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    label = {}
    for k, part in enumerate(sorted(parts, key=lambda p: min(names.index(a) for a in p))):
        label.update({a: k for a in part})
    return {a: label[a] for a in names}


def fc_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of the off-diagonal (i < j) entries of two FC matrices."""
    iu = np.triu_indices(a.shape[0], k=1)
    return float(np.corrcoef(a[iu], b[iu])[0, 1])
