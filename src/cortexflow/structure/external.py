"""External (Poisson) indegrees of the multi-area model (Schmidt et al. 2018 BSF, Eq. 14; PLoS CB).

All synapses of a model area that are neither intrinsic (type I) nor cortico-cortical (type III) come
from outside the model (the rest of the full-size area, subcortical and non-visual inputs):

    N_ext(A) = rho_syn surface D(A) (1 - FLN_i(A)) - sum_{i, B != A, j} N_syn(A,i <- B,j)

and are spread so that every population of A has the same external indegree, K_ext(A) = N_ext(A) / N(A).
(Upstream solves this as a least-squares system whose exact solution is this ratio.) Then
K_ext(5E) x fac_nu_ext_5E, K_ext(6E) x fac_nu_ext_6E, and TH 23E / 5E x fac_nu_ext_TH.
"""
from __future__ import annotations

import numpy as np

from cortexflow.areas import AREAS, POPULATIONS


def external_indegrees(n_syn_total: np.ndarray, fln_intrinsic: np.ndarray, cc_per_area: np.ndarray,
                       N: np.ndarray, params: dict, areas=AREAS) -> np.ndarray:
    """K_ext (n_areas, 8): n_syn_total (rho_syn surface D(A)), fln_intrinsic (1 mm^2 FLN_i(A)),
    cc_per_area (type III synapses onto A), N (n_areas, 8) population sizes."""
    ext = n_syn_total * (1.0 - fln_intrinsic) - cc_per_area
    bad = np.flatnonzero(ext < 0)
    if bad.size:
        raise ValueError(f"negative external synapse count for area {areas[bad[0]]}: {ext[bad[0]]:.4g}")
    K = np.where(N > 0, (ext / N.sum(axis=1))[:, None], 0.0)
    K[:, POPULATIONS.index("5E")] *= params["fac_nu_ext_5E"]
    K[:, POPULATIONS.index("6E")] *= params["fac_nu_ext_6E"]
    if "TH" in areas:
        th = list(areas).index("TH")
        for pop in ("23E", "5E"):
            K[th, POPULATIONS.index(pop)] *= params["fac_nu_ext_TH"]
    return K
