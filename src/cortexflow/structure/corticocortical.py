"""Cortico-cortical (type III) connectivity of the multi-area model.

Schmidt et al. (2018) Brain Struct Funct 223:1409, Methods "Cortico-cortical connections", Eqs. 9-13:

    N_syn(A,i <- B,j) = sum_v P(i|v,A) N_syn,tot(A) FLN'(A<-B) X_j Y_j Z_v

with FLN' the FLN normalised to the cortico-cortical share of all synapses, X/Y the laminar origin
(SLN, CoCoMac source patterns), Z the laminar termination (CoCoMac target patterns or the
SLN-implied pattern over the layer thicknesses) and P(i|v) the probability that a cortico-cortical
synapse in layer v is made on population i (Binzegger et al. 2004). Arrays are in AREAS / POPULATIONS
/ LAYERS order; area matrices are [target, source].
"""
from __future__ import annotations

import numpy as np

from cortexflow.areas import AREAS, LAYERS, POPULATIONS

SOURCE_POPS = ("23E", "5E", "6E")  # only excitatory supra- and infragranular neurons project out
FLN_SUBCORTICAL = 0.013  # share of subcortical inputs (Markov et al. 2011)
SLN_FF, SLN_FB = 0.65, 0.35  # SLN > 0.65: feedforward; SLN < 0.35: feedback; else lateral
# termination layers by hierarchy class (Felleman & Van Essen 1991), as synapse layers (LAYERS order)
TERMINATION = {"F": ("4",), "M": ("1", "23", "5", "6"), "C": ("1", "23", "4", "5", "6")}
# the same as cortical layers 1..6 (for filling '?' in CoCoMac target patterns)
TERMINATION_1_6 = {"F": (4,), "M": (1, 2, 3, 5, 6), "C": (1, 2, 3, 4, 5, 6)}


def hierarchy_class(sln: np.ndarray) -> np.ndarray:
    """'F' (SLN > 0.65), 'M' (SLN < 0.35) or 'C'. SLN = 0.35 exactly counts as 'C' (upstream leaves it undefined)."""
    return np.where(sln > SLN_FF, "F", np.where(sln < SLN_FB, "M", "C"))


def synapse_to_population(rows, N_v1: np.ndarray) -> np.ndarray:
    """P(i | v): probability that a cortico-cortical synapse in layer v is on population i (5 x 8).

    For each Binzegger cell type cb (cortical rows, layer-1 interneurons excluded) with soma population
    i and dendritic layer v: w = cc%/100 * synapses per neuron * occurrence%/100 * n_model(i) / n_Binz(i),
    where n_model / n_Binz are the relative population sizes of V1 in the model and of the cell types in
    Binzegger's table (correcting the cat cell-type mix to the macaque V1 population sizes).
    P(i|v) = sum_{cb in i} w / sum_cb w   (BSF18 Eqs. 11-12).
    """
    pop_of = [r.soma_layer + ("E" if r.excitatory else "I") for r in rows]
    occ = {}
    for r, p in zip(rows, pop_of):
        if r.soma_layer != "1":
            occ.setdefault(r.cell_type, (p, r.occurrence))
    n_binz = np.zeros(len(POPULATIONS))
    for p, o in occ.values():
        n_binz[POPULATIONS.index(p)] += o
    n_binz /= n_binz.sum()
    n_model = N_v1 / N_v1.sum()
    W = np.zeros((len(LAYERS), len(POPULATIONS)))
    for r, p in zip(rows, pop_of):
        if p == "1I":
            continue
        i = POPULATIONS.index(p)
        W[LAYERS.index(r.synapse_layer), i] += (r.cc_percent / 100 * r.synapses * r.occurrence / 100
                                                * n_model[i] / n_binz[i])
    return W / W.sum(axis=1, keepdims=True)


def without_layer_4(P: np.ndarray, laminar_thickness: np.ndarray) -> np.ndarray:
    """P(i|v) for an area without layer 4 (TH): P(4E|v) goes to 23E/5E/6E and P(4I|v) to 23I/5I/6I
    in proportion to the thicknesses of layers 2/3, 5, 6 (laminar_thickness in LAYERS order)."""
    P = P.copy()
    d = laminar_thickness[[LAYERS.index(x) for x in ("23", "5", "6")]]
    for kind in "EI":
        into = [POPULATIONS.index(l + kind) for l in ("23", "5", "6")]
        src = POPULATIONS.index("4" + kind)
        P[:, into] += P[:, [src]] * d / d.sum()
        P[:, src] = 0.0
    return P


def normalised_fln(fln: dict, areas=AREAS, fln_intrinsic: float = 0.79) -> np.ndarray:
    """FLN'(A<-B) = FLN(A<-B) (1 - FLN_i - 0.013) / sum_B' FLN(A<-B') (BSF18 Eq. 9).

    ``fln[A]`` maps every source (including non-model areas and 'external', as in the processed data)
    to its completed FLN; the sum runs over all of them. As upstream, FLN_i is the full-size intrinsic
    FLN (0.79), not the 1 mm^2 value. Returns (n, n), 0 where no value is given.
    """
    out = np.zeros((len(areas), len(areas)))
    for a, target in enumerate(areas):
        row = fln.get(target, {})
        total = sum(float(v) for v in row.values())
        if total <= 0:
            continue
        norm = (1.0 - fln_intrinsic - FLN_SUBCORTICAL) / total
        for b, source in enumerate(areas):
            if source != target and source in row:
                out[a, b] = norm * float(row[source])
    return out


def pattern_arrays(cocomac: dict, areas=AREAS):
    """Connection mask and CoCoMac laminar patterns as arrays.

    Returns ``exists`` (n, n) bool (source listed for the target, no self-connections),
    ``sp``, ``tp`` (n, n, 6) float source / target patterns over layers 1-6 (NaN rows where none).
    Pattern entries: 0 = no label, 1-3 = label strength, -1 = '?' (as in the processed data).
    """
    n = len(areas)
    exists = np.zeros((n, n), bool)
    sp = np.full((n, n, 6), np.nan)
    tp = np.full((n, n, 6), np.nan)
    for a, target in enumerate(areas):
        for b, source in enumerate(areas):
            entry = cocomac.get(target, {}).get(source)
            if source == target or entry is None:
                continue
            exists[a, b] = True
            for arr, key in ((sp, "source_pattern"), (tp, "target_pattern")):
                if entry.get(key) is not None:
                    arr[a, b] = np.asarray(entry[key], dtype=float)
    return exists, sp, tp


def origin_factors(sln: np.ndarray, sp: np.ndarray, N_real: np.ndarray) -> np.ndarray:
    """X_j Y_j for j in (23E, 5E, 6E): the share of the projection A<-B that starts in j (n, n, 3).

    With a CoCoMac source pattern sp (layers 1-6): SLN is forced to 0 if layers 1-3 are unlabelled
    and to 1 if layers 5-6 are unlabelled; 23E gets SLN if any of layers 1-3 is labelled, 5E / 6E
    get (1 - SLN) 10^sp_l / sum_{l in 5,6; sp_l != 0} 10^sp_l if labelled.
    Without a pattern: 23E gets SLN, 5E / 6E get (1 - SLN) in proportion to N_real(B, 5E / 6E).
    """
    has = ~np.isnan(sp[..., 0])
    s = np.nan_to_num(sp)
    supra = np.any(s[..., :3] != 0, axis=-1)
    infra_l = s[..., 4:6] != 0
    sln_used = np.where(~supra, 0.0, np.where(~infra_l.any(-1), 1.0, sln))
    w = np.where(infra_l, 10.0 ** s[..., 4:6], 0.0)
    wsum = w.sum(-1, keepdims=True)
    y_infra = np.divide(w, wsum, out=np.zeros_like(w), where=wsum > 0)
    with_sp = np.concatenate([np.where(supra, sln_used, 0.0)[..., None],
                              (1.0 - sln_used)[..., None] * y_infra], axis=-1)
    n5, n6 = N_real[:, POPULATIONS.index("5E")], N_real[:, POPULATIONS.index("6E")]
    share = np.stack([n5, n6], -1) / (n5 + n6)[:, None]  # per source area
    without = np.concatenate([sln[..., None], (1.0 - sln)[..., None] * share[None]], axis=-1)
    return np.where(has[..., None], with_sp, without)


def termination_factors(sln: np.ndarray, tp: np.ndarray, laminar_thickness: np.ndarray) -> np.ndarray:
    """Z_v: share of the synapses of A<-B that are in synapse layer v (n, n, 5; LAYERS order).

    With a CoCoMac target pattern tp (layers 1-6): '?' (-1) becomes 2 in the layers of the
    SLN-implied termination pattern, then Z_l = 10^tp_l / sum_{tp_k > 0} 10^tp_k over labelled layers
    (layers 2 and 3 both feed synapse layer 23). Without: the pattern T of the hierarchy class;
    Z_1 = 1/2 if layer 1 is in T, and the rest is split over T \\ {1} by the thicknesses D(A, v).
    laminar_thickness: (n, 5) for the target areas.
    """
    n = len(sln)
    cls = hierarchy_class(sln)
    # with pattern
    fill = np.zeros((n, n, 6), bool)
    for c, layers in TERMINATION_1_6.items():
        fill |= (cls == c)[..., None] & np.isin(np.arange(1, 7), layers)[None, None]
    t = np.where((tp == -1) & fill, 2.0, tp)
    w6 = np.where(t > 0, 10.0 ** np.nan_to_num(t), 0.0)
    w6 /= np.where(w6.sum(-1, keepdims=True) > 0, w6.sum(-1, keepdims=True), 1.0)
    with_tp = np.stack([w6[..., 0], w6[..., 1] + w6[..., 2], w6[..., 3], w6[..., 4], w6[..., 5]], -1)
    # without pattern
    without = np.zeros((n, n, len(LAYERS)))
    for c, layers in TERMINATION.items():
        inT = np.isin(LAYERS, layers)
        deep = inT & (np.array(LAYERS) != "1")
        d = laminar_thickness * deep[None]
        z = d / d.sum(-1, keepdims=True)
        if "1" in layers:
            z = 0.5 * z
            z[:, 0] = 0.5
        without = np.where((cls == c)[..., None], z[:, None, :], without)
    has = ~np.isnan(tp[..., 0])
    return np.where(has[..., None], with_tp, without)


def type_III_synapses(P: np.ndarray, Z: np.ndarray, XY: np.ndarray, fln_norm: np.ndarray,
                      n_syn_total: np.ndarray, exists: np.ndarray, N: np.ndarray) -> np.ndarray:
    """N_syn(A,i <- B,j) = sum_v P(i|v,A) N_syn,tot(A) FLN'(A<-B) X_j Y_j Z_v (BSF18 Eq. 10).

    P: (n, 5, 8); Z: (n, n, 5); XY: (n, n, 3); n_syn_total: synapses of the model area A
    (rho_syn * surface * D(A): upstream's full-size count times N/N_real, which keeps the full-size
    indegrees). Returns (n, 8, n, 8) [target area, target pop, source area, source pop].
    """
    n = len(fln_norm)
    cc = np.zeros((n, len(POPULATIONS), n, len(POPULATIONS)))
    area_w = np.where(exists, fln_norm, 0.0) * n_syn_total[:, None]
    per_target = np.einsum("avi,abv->aib", P, Z) * area_w[:, None, :]
    src = [POPULATIONS.index(p) for p in SOURCE_POPS]
    cc[:, :, :, src] = per_target[..., None] * XY[:, None, :, :]
    cc[N == 0] = 0.0
    cc[np.arange(n), :, np.arange(n), :] = 0.0
    return cc


def e_specificity(cc: np.ndarray, sln: np.ndarray, exists: np.ndarray, factor: float = 0.93) -> np.ndarray:
    """Rescale feedback projections (SLN < 0.35) so that ``factor`` of their synapses are on E targets:
    E targets x factor / alpha_E, I targets x (1 - factor) / alpha_I (alpha: current shares; BSF18)."""
    is_e = np.array([p.endswith("E") for p in POPULATIONS])
    syn_e = cc[:, is_e].sum(axis=(1, 3))
    syn_i = cc[:, ~is_e].sum(axis=(1, 3))
    tot = syn_e + syn_i
    ok = exists & (sln < SLN_FB) & (syn_e > 0) & (syn_i > 0)
    fe = np.where(ok, factor * tot / np.where(ok, syn_e, 1.0), 1.0)
    fi = np.where(ok, (1 - factor) * tot / np.where(ok, syn_i, 1.0), 1.0)
    scale = np.where(is_e[None, :, None], fe[:, None, :], fi[:, None, :])
    return cc * scale[..., None]
