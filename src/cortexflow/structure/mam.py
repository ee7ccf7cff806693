"""Construction of the multi-area model (Schmidt et al. 2018 Brain Struct Funct 223:1409).

``build_mam(processed, raw_dir, params)`` turns the processed anatomy (results/anatomy/processed.json:
neuron numbers, thicknesses, completed FLN / SLN, CoCoMac patterns) and a few raw tables (PD14
microcircuit, Binzegger, intrinsic FLN, synapse densities, surfaces, distances) into a
``Network``: 254 populations (32 areas x 8, TH without layer 4), N, K (254 x 255, external last),
synapses, weights and delays. Steps (docs/structure.md):

1. N(A,i) = N_real(A,i) / S(A) * surface.
2. Synapse volume density rho_syn = av_indegree_V1 N_real(V1) / (S(V1) D(V1)), the same in every
   area; the model area A holds rho_syn * surface * D(A) synapses.
3. Type I (intrinsic) synapses from the PD14 microcircuit (``intrinsic``).
4. Type III (cortico-cortical) synapses from FLN, SLN, CoCoMac and Binzegger (``corticocortical``),
   optionally E-specific for feedback.
5. External indegrees take the rest (``external``).
6. Weights and delays (``weights``); optionally K[:, :-1] <- K_stable (Schuecker et al. 2017).
"""
from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np

from cortexflow.areas import AREAS, LAYERS, POPULATIONS, population_labels
from cortexflow.structure import corticocortical as cc_mod
from cortexflow.structure import intrinsic, mam_raw
from cortexflow.structure.external import external_indegrees
from cortexflow.structure.mam_params import resolve_params
from cortexflow.structure.network_file import Network
from cortexflow.structure.weights import delay_matrices, weight_matrices

PROCESSED_KEYS = ("realistic_neuronal_numbers", "total_thicknesses", "laminar_thicknesses",
                  "FLN_completed", "SLN_completed", "cocomac_completed")
N_POPS = len(POPULATIONS)


def _area_table(processed: dict, key: str, cols=None) -> np.ndarray:
    data = processed[key]
    try:
        if cols is None:
            return np.array([float(data[a]) for a in AREAS])
        return np.array([[float(data[a][c]) for c in cols] for a in AREAS])
    except KeyError as err:
        raise ValueError(f"processed anatomy: {key} has no entry {err}") from None


def _sln_matrix(processed: dict, exists: np.ndarray) -> np.ndarray:
    sln = np.full(exists.shape, np.nan)
    table = processed["SLN_completed"]
    for a, target in enumerate(AREAS):
        for b, source in enumerate(AREAS):
            if source in table.get(target, {}):
                sln[a, b] = float(table[target][source])
    missing = np.argwhere(exists & np.isnan(sln))
    if missing.size:
        a, b = missing[0]
        raise ValueError(f"processed anatomy: SLN_completed[{AREAS[a]}][{AREAS[b]}] missing for a "
                         f"CoCoMac connection ({len(missing)} such pairs)")
    return sln


def load_K_stable(path_or_array, n: int = 254) -> np.ndarray:
    """Load and check a replacement indegree matrix (n x n, finite, non-negative)."""
    if isinstance(path_or_array, (str, Path)):
        path = Path(path_or_array)
        if not path.is_file():
            raise FileNotFoundError(f"K_stable file not found: {path}")
        from cortexflow.rawdata import check_raw

        K = np.load(check_raw(path), allow_pickle=False)
        name = str(path)
    else:
        K, name = np.asarray(path_or_array), "K_stable array"
    if K.shape != (n, n):
        raise ValueError(f"{name}: shape {K.shape}, expected ({n}, {n}) (recurrent indegrees, "
                         f"populations in cortexflow.areas order)")
    K = K.astype(float)
    if not np.all(np.isfinite(K)):
        raise ValueError(f"{name}: non-finite entries")
    if np.any(K < 0):
        i, j = np.argwhere(K < 0)[0]
        raise ValueError(f"{name}: negative indegree at [{i}, {j}] = {K[i, j]}")
    return K


def _raw_tables(raw_dir: Path, p: dict) -> dict:
    """The raw tables of the construction; fills ``p['av_indegree_V1']`` from the raw files if null."""
    raw = {"surfaces": mam_raw.read_surfaces(raw_dir), "distances": mam_raw.read_distances(raw_dir),
           "C_pd14": mam_raw.read_pd14_connectivity(raw_dir), "N_pd14": mam_raw.read_pd14_numbers(raw_dir),
           "fln_full": mam_raw.read_intrinsic_fln(raw_dir),
           "binz": mam_raw.read_binzegger(raw_dir, p["ss4_L23_synapse_layer"])}
    if p["av_indegree_V1"] is None:
        p["av_indegree_V1"] = mam_raw.read_av_indegree_v1(raw_dir)
    return raw


def _population_sizes(processed: dict, surfaces: np.ndarray, surface: float):
    """Step 1: (N_real, N = N_real / S(A) * surface, present) as areas x 8 arrays."""
    N_real = _area_table(processed, "realistic_neuronal_numbers", POPULATIONS)
    N = N_real / surfaces[:, None] * surface
    present = N_real > 0
    labels = [f"{a}-{q}" for a in AREAS for q, ok in zip(POPULATIONS, present[AREAS.index(a)]) if ok]
    if labels != population_labels():
        raise ValueError("processed anatomy: populations with neurons differ from cortexflow.areas "
                         f"(got {len(labels)}, expected 254; TH must lack only 4E/4I)")
    return N_real, N, present


def _synapse_density(av_indegree_V1: float, N_real, surfaces, D, surface: float):
    """Step 2: rho_syn = av_indegree_V1 N_real(V1) / (S(V1) D(V1)) and the synapses of the model and of the
    full-size areas, rho_syn * surface * D(A) and rho_syn * S(A) * D(A)."""
    v1 = AREAS.index("V1")
    rho_syn = av_indegree_V1 * N_real[v1].sum() / (surfaces[v1] * D[v1])
    return rho_syn, rho_syn * surface * D, rho_syn * surfaces * D


def _intrinsic_synapses(raw: dict, p: dict, N, N_real, present, n_syn_model, n_syn_full):
    """Step 3: (intrinsic FLN of the model areas, type I synapses, type II synapses per area)."""
    C_pd14, N_pd14, surfaces, fln_full = raw["C_pd14"], raw["N_pd14"], raw["surfaces"], raw["fln_full"]
    K_micro = intrinsic.pd14_indegrees(C_pd14, N_pd14, [p["surface"]], exact_log=p["exact_log"])[0]
    K_full = intrinsic.pd14_indegrees(C_pd14, N_pd14, surfaces, exact_log=p["exact_log"])
    fln_i = intrinsic.intrinsic_fln(K_micro[None], K_full, fln_full)
    syn_I = intrinsic.type_I_synapses(K_micro, N, fln_i * n_syn_model)
    real_I = intrinsic.type_I_synapses(K_full, N_real, fln_full * n_syn_full)
    # type II: synapses the 1 mm^2 neurons would receive from the rest of the full-size area (reported only)
    with np.errstate(invalid="ignore", divide="ignore"):
        k_real = np.where(present[..., None], real_I / N_real[..., None], 0.0)
        k_micro = np.where(present[..., None], syn_I / N[..., None], 0.0)
    syn_II = ((k_real - k_micro) * N[..., None]).sum(axis=(1, 2))
    return fln_i, syn_I, syn_II


def _corticocortical_synapses(processed: dict, raw: dict, p: dict, N, N_real, D_lam, n_syn_model):
    """Step 4: (type III synapses, areas x 8 x areas x 8; P, the layer-to-population synapse shares)."""
    exists, sp, tp = cc_mod.pattern_arrays(processed["cocomac_completed"])
    sln = _sln_matrix(processed, exists)
    fln_norm = cc_mod.normalised_fln(processed["FLN_completed"], fln_intrinsic=raw["fln_full"])
    fln_table = processed["FLN_completed"]
    for a, b in np.argwhere(exists):
        if AREAS[b] not in fln_table.get(AREAS[a], {}):
            raise ValueError(f"processed anatomy: FLN_completed[{AREAS[a]}][{AREAS[b]}] missing for a "
                             "CoCoMac connection")
    P_base = cc_mod.synapse_to_population(raw["binz"], N[AREAS.index("V1")])
    P = np.repeat(P_base[None], len(AREAS), axis=0)
    th = AREAS.index("TH")
    P[th] = cc_mod.without_layer_4(P_base, D_lam[th])
    XY = cc_mod.origin_factors(np.nan_to_num(sln), sp, N_real)
    Z = cc_mod.termination_factors(np.nan_to_num(sln), tp, D_lam)
    syn_III = cc_mod.type_III_synapses(P, Z, XY, fln_norm, n_syn_model, exists, N)
    if p["E_specificity"]:
        syn_III = cc_mod.e_specificity(syn_III, sln, exists, p["E_specific_factor"])
    return syn_III, P


def _population_matrices(syn_I, syn_III, K_ext, N, present, K_fixed):
    """The 254-population matrices: (keep mask of areas x 8, N, synapses and K with the external column
    last); K[:, :-1] <- K_fixed (and the synapses with it) when given."""
    n_a = len(AREAS)
    syn_full = syn_III.copy()
    syn_full[np.arange(n_a), :, np.arange(n_a), :] = syn_I
    syn_full = syn_full.reshape(n_a * N_POPS, n_a * N_POPS)
    keep = present.reshape(-1)
    Nv = N.reshape(-1)[keep]
    syn = np.zeros((len(Nv), len(Nv) + 1))
    syn[:, :-1] = syn_full[np.ix_(keep, keep)]
    syn[:, -1] = (K_ext * N).reshape(-1)[keep]
    K = syn / Nv[:, None]
    if K_fixed is not None:
        K[:, :-1] = K_fixed
        syn = K * Nv[:, None]
    return keep, Nv, syn, K


def _weights_and_delays(p: dict, distances, keep):
    """Step 6: (W, W_sd with the external column last, delay, delay_sd) of the 254 populations."""
    Wr, Wr_sd, W_ext, W_ext_sd = weight_matrices(p, len(AREAS))
    W = np.column_stack([Wr[np.ix_(keep, keep)], W_ext[keep]])
    W_sd = np.column_stack([Wr_sd[np.ix_(keep, keep)], W_ext_sd[keep]])
    delay, delay_sd = delay_matrices(p, distances)
    return W, W_sd, delay[np.ix_(keep, keep)], delay_sd[np.ix_(keep, keep)]


def _area_level(keep, Nv, K, syn) -> dict:
    """Area-level data stored with the network: area of each population, area indegrees K_areas and the
    synapses of type I, III and external per area."""
    n_a = len(AREAS)
    area_of = np.repeat(np.arange(n_a), N_POPS)[keep]
    same = area_of[:, None] == area_of[None, :]
    per_area = lambda m: np.bincount(area_of, weights=m.sum(axis=1), minlength=n_a)  # noqa: E731
    onehot = (area_of[None, :] == np.arange(n_a)[:, None]).astype(float)  # areas x pops
    K_areas = np.column_stack([onehot @ (K[:, :-1] * Nv[:, None]) @ onehot.T, onehot @ syn[:, -1]])
    K_areas /= (onehot @ Nv)[:, None]
    return {"area_of_population": area_of.astype(np.int32), "K_areas": K_areas,
            "synapses_type_I": per_area(np.where(same, syn[:, :-1], 0.0)),
            "synapses_type_III": per_area(np.where(same, 0.0, syn[:, :-1])),
            "synapses_external": np.bincount(area_of, weights=syn[:, -1], minlength=n_a)}


def build_mam(processed: dict, raw_dir, params: dict | None = None, K_stable=None) -> Network:
    """Build the full-scale multi-area network, steps 1-6 of the module docstring.

    processed: the processed anatomy (keys as upstream's viscortex_processed_data.json).
    raw_dir: directory of the raw files (data/raw). params: overrides of ``mam_params.DEFAULTS``
    (e.g. a network's config entry). K_stable: a path or array replacing K[:, :-1]; if None,
    ``params['K_stable']`` (a raw-data file name, resolved in raw_dir) is used when set.
    """
    p = resolve_params(params)
    missing = [k for k in PROCESSED_KEYS if k not in processed]
    if missing:
        raise ValueError(f"processed anatomy lacks keys {missing}")
    raw_dir = Path(raw_dir)
    if K_stable is None and p["K_stable"] is not None:
        K_stable = raw_dir / p["K_stable"]
    K_fixed = load_K_stable(K_stable) if K_stable is not None else None
    raw = _raw_tables(raw_dir, p)
    surfaces = raw["surfaces"]

    N_real, N, present = _population_sizes(processed, surfaces, p["surface"])  # 1.
    D = _area_table(processed, "total_thicknesses")
    D_lam = _area_table(processed, "laminar_thicknesses", LAYERS)
    rho_syn, n_syn_model, n_syn_full = _synapse_density(p["av_indegree_V1"], N_real, surfaces, D,
                                                        p["surface"])  # 2.
    fln_i, syn_I, syn_II = _intrinsic_synapses(raw, p, N, N_real, present, n_syn_model, n_syn_full)  # 3.
    syn_III, P = _corticocortical_synapses(processed, raw, p, N, N_real, D_lam, n_syn_model)  # 4.
    K_ext = external_indegrees(n_syn_model, fln_i, syn_III.sum(axis=(1, 2, 3)), N, p)  # 5.
    keep, Nv, syn, K = _population_matrices(syn_I, syn_III, K_ext, N, present, K_fixed)
    W, W_sd, delay, delay_sd = _weights_and_delays(p, raw["distances"], keep)  # 6.

    area = _area_level(keep, Nv, K, syn)
    extra = {
        "areas": np.array(AREAS, dtype=h5py.string_dtype()),
        "area_of_population": area["area_of_population"],
        "distances": raw["distances"],
        "K_areas": area["K_areas"],
        "N_real": N_real.reshape(-1)[keep],
        "area_surface": surfaces,
        "total_thickness": D,
        "intrinsic_FLN": fln_i,
        "synapses_type_I": area["synapses_type_I"],
        "synapses_type_II": syn_II,
        "synapses_type_III": area["synapses_type_III"],
        "synapses_external": area["synapses_external"],
        "P_layer_to_population": P,
        "rho_syn": np.float64(rho_syn),
    }
    return Network(model="mam", populations=population_labels(), N=Nv, K=K, synapses=syn, W=W, W_sd=W_sd,
                   delay=delay, delay_sd=delay_sd, dc_drive=np.zeros(len(Nv)), params=p,
                   extra=extra)


def build_mam_network(processed_path, raw_dir, net_config: dict, K_stable_path=None) -> Network:
    """Entry point of rule build_network: read processed.json and build from a network's config entry."""
    path = Path(processed_path)
    if not path.is_file():
        raise FileNotFoundError(f"processed anatomy not found: {path}")
    with open(path) as f:
        processed = json.load(f)
    return build_mam(processed, raw_dir, net_config, K_stable=K_stable_path)
