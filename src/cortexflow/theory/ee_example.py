# SPDX-License-Identifier: GPL-3.0-or-later
"""The reduced excitatory networks of Schuecker, Schmidt et al. 2017 PLoS CB Fig. 2 (upstream
``figures/SchueckerSchmidt2017/Fig2_EE_network.py``, ``Fig2_EE_example.py``), with our transfer function.

1-D: one excitatory population with K recurrent and K external synapses of weight W (pA), external rate
nu_ext: mu = 1e-3 tau_m J K (nu + nu_ext), sigma^2 = 1e-3 tau_m J^2 K (nu + nu_ext), J = W tau_s / C_m.
2-D: two excitatory populations with K/2 recurrent synapses from each and the same external input. Both
receive the same input 1e-3 tau_m J (K/2)(nu_1 + nu_2), so d(nu_1 - nu_2)/ds = -(nu_1 - nu_2): the
difference decays, the sum follows the 1-D dynamics, the fixed points are nu_1 = nu_2 = the 1-D ones,
and the separatrix between the low- and the high-activity basin is the line nu_1 + nu_2 = 2 nu* through
the saddle nu*.

Fixed points: Newton (``chi_sweep.projected_newton``) on nu - Phi(nu) from a grid of initial rates,
merged when closer than ``same_tol``; stable iff max Re lambda(G) < 1 (for 1-D: dPhi/dnu < 1).

Stabilisation (S17 Fig. 2F,G; the 1-D analogue of Eq. 11): raising nu_ext by d moves the saddle towards
the low state and shrinks its basin; the recurrent indegree K' = K - K_ext d / nu* keeps the input at
the saddle unchanged (K' nu* + K_ext (nu_ext + d) = K nu* + K_ext nu_ext), so the saddle, and with it
the basin of the low state, is restored.
"""
from __future__ import annotations

import numpy as np

from cortexflow.theory.chi_sweep import projected_newton
from cortexflow.theory.fixedpoint import gain_matrix, rhs, sorted_eigenvalues
from cortexflow.theory.inputs import MeanFieldNetwork
from cortexflow.theory.transfer import LIFParams


def ee_network(K: float, W: float, nu_ext: float, n_pop: int = 1, K_rec: float | None = None,
               neuron: LIFParams = LIFParams()) -> MeanFieldNetwork:
    """The 1-D (n_pop = 1) or 2-D (n_pop = 2, K_rec/2 from each) excitatory network; K_rec defaults to K."""
    if n_pop not in (1, 2):
        raise ValueError(f"n_pop must be 1 or 2, got {n_pop}")
    if K <= 0 or W <= 0 or nu_ext < 0:
        raise ValueError(f"K = {K}, W = {W} must be positive and nu_ext = {nu_ext} >= 0")
    K_rec = K if K_rec is None else K_rec
    J = W * neuron.tau_s / neuron.C_m
    pops = ["A-E"] if n_pop == 1 else ["A-E1", "A-E2"]
    return MeanFieldNetwork(populations=pops, K=np.full((n_pop, n_pop), K_rec / n_pop), J=np.full((n_pop, n_pop), J),
                            K_ext=np.full(n_pop, float(K)), J_ext=np.full(n_pop, J), nu_ext=float(nu_ext),
                            mu_dc=np.zeros(n_pop), neuron=neuron)


def transfer_curve(mf: MeanFieldNetwork, nu) -> np.ndarray:
    """Phi(mu(nu), sigma(nu)) of the 1-D network for each rate in ``nu`` (spikes/s)."""
    nu = np.atleast_1d(np.asarray(nu, float))
    return rhs(mf, nu[None, :])[0]


def fixed_points(mf: MeanFieldNetwork, starts, tol: float = 1e-10, same_tol: float = 1e-6):
    """Distinct fixed points (k, n) reached by Newton from ``starts`` ((b,) rates put into every population,
    or (n, b)), sorted by mean rate, with max Re lambda(G) of each (k,)."""
    starts = np.asarray(starts, float)
    if starts.ndim == 1:
        starts = np.tile(starts, (mf.n, 1))
    found: list[np.ndarray] = []
    for b in range(starts.shape[1]):
        nu, res = projected_newton(mf, starts[:, b], tol=tol)
        if not (np.isfinite(res) and res < tol):
            continue
        if not any(np.max(np.abs(nu - f)) < same_tol * max(1.0, float(np.max(nu))) for f in found):
            found.append(nu)
    found.sort(key=lambda f: f.mean())
    lam = np.array([sorted_eigenvalues(gain_matrix(mf, f))[0].real for f in found])
    return np.array(found).reshape(len(found), mf.n), lam


def bifurcation(K: float, W: float, nu_ext_values, starts, neuron: LIFParams = LIFParams(), tol: float = 1e-10):
    """Fixed points of the 1-D network against nu_ext: (rates (m, 3), lambda (m, 3)) with columns
    low / unstable / high (NaN where absent; a single fixed point goes into 'low' if it is below the
    unstable one of the nearest bistable drive, else 'high')."""
    vals = np.asarray(nu_ext_values, float)
    rates = np.full((vals.size, 3), np.nan)
    lam = np.full((vals.size, 3), np.nan)
    for k, v in enumerate(vals):
        fp, lm = fixed_points(ee_network(K, W, v, 1, neuron=neuron), starts, tol=tol)
        r = fp[:, 0]
        if r.size == 3:
            rates[k], lam[k] = r, lm
        elif r.size == 1:
            col = 0 if lm[0] < 1 and r[0] < 10.0 else 2   # resolved below from the bistable neighbours
            rates[k, col], lam[k, col] = r[0], lm[0]
        elif r.size:
            raise RuntimeError(f"nu_ext = {v}: {r.size} fixed points {r} (expected 1 or 3)")
    # a lone fixed point belongs to the low branch if it lies below the saddles of the bistable range
    sad = rates[:, 1][np.isfinite(rates[:, 1])]
    if sad.size:
        lone_high = np.isfinite(rates[:, 2]) & np.isnan(rates[:, 1]) & (rates[:, 2] < sad.min())
        rates[lone_high, 0], lam[lone_high, 0] = rates[lone_high, 2], lam[lone_high, 2]
        rates[lone_high, 2] = lam[lone_high, 2] = np.nan
        lone_low = np.isfinite(rates[:, 0]) & np.isnan(rates[:, 1]) & (rates[:, 0] > sad.max())
        rates[lone_low, 2], lam[lone_low, 2] = rates[lone_low, 0], lam[lone_low, 0]
        rates[lone_low, 0] = lam[lone_low, 0] = np.nan
    return rates, lam


def stabilised_indegree(K_rec: float, K_ext: float, nu_saddle: float, d_nu_ext: float) -> float:
    """K' = K_rec - K_ext d_nu_ext / nu*: the recurrent indegree that keeps the input at the saddle nu*
    when the external rate rises by d_nu_ext."""
    if nu_saddle <= 0:
        raise ValueError(f"the saddle rate must be positive, got {nu_saddle}")
    return K_rec - K_ext * d_nu_ext / nu_saddle


def flow_field(mf: MeanFieldNetwork, axis) -> tuple[np.ndarray, np.ndarray]:
    """(F_1, F_2) = Phi(nu) - nu of the 2-D network on the grid nu_1 (columns) x nu_2 (rows) = axis x axis."""
    a = np.asarray(axis, float)
    n1, n2 = np.meshgrid(a, a)
    nu = np.vstack([n1.ravel(), n2.ravel()])
    f = rhs(mf, nu) - nu
    return f[0].reshape(n1.shape), f[1].reshape(n1.shape)


def compute(options: dict) -> dict:
    """Everything of S17 Fig. 2 (config ``theory.ee_example``): arrays of ``ee_example.h5``."""
    o = options
    K, W, v0, d = o["K"], o["W"], o["nu_ext"], o["d_nu_ext"]
    starts = np.linspace(0.0, o["rate_max"], o["n_starts"])
    curve_nu = np.linspace(0.0, o["rate_max"], 1001)
    curve_ext = np.array(o["nu_ext_curves"], float)
    curves = np.array([transfer_curve(ee_network(K, W, v), curve_nu) for v in curve_ext])
    n_ext = int(round((o["nu_ext_max"] - o["nu_ext_min"]) / o["nu_ext_step"]))
    ext = o["nu_ext_min"] + o["nu_ext_step"] * np.arange(n_ext + 1)
    bif_rates, bif_lambda = bifurcation(K, W, ext, starts)
    base_fp, base_lam = fixed_points(ee_network(K, W, v0), starts)
    if base_fp.shape[0] != 3:
        raise ValueError(f"theory.ee_example: nu_ext = {v0} gives {base_fp.shape[0]} fixed point(s), not the "
                         "bistable three; choose nu_ext inside the bistable range")
    saddle = float(base_fp[1, 0])
    K_stab = stabilised_indegree(K, K, saddle, d)
    k_rec = {"base": (v0, K), "increased": (v0 + d, K), "stabilised": (v0 + d, K_stab)}
    out = {"curve_nu": curve_nu, "curve_nu_ext": curve_ext, "curves": curves, "bif_nu_ext": ext,
           "bif_rates": bif_rates, "bif_lambda": bif_lambda, "K_stabilised": K_stab, "saddle_base": saddle}
    axis = np.linspace(0.0, o["phase_max"], o["phase_grid"])
    out["phase_axis"] = axis
    # 2-D starts: a grid over the phase plane (asymmetric starts included)
    g1, g2 = np.meshgrid(np.linspace(0.0, o["rate_max"], 7), np.linspace(0.0, o["rate_max"], 7))
    starts2 = np.vstack([g1.ravel(), g2.ravel()])
    for name, (v, kr) in k_rec.items():
        mf = ee_network(K, W, v, 1, K_rec=kr)
        fp, lam = fixed_points(mf, starts)
        out[f"{name}_nu_ext"] = v
        out[f"{name}_K_rec"] = kr
        out[f"{name}_fixed_points"] = fp[:, 0]
        out[f"{name}_lambda"] = lam
        out[f"{name}_flux"] = transfer_curve(mf, curve_nu) - curve_nu
        mf2 = ee_network(K, W, v, 2, K_rec=kr)
        fp2, lam2 = fixed_points(mf2, starts2)
        out[f"{name}_2d_fixed_points"] = fp2
        out[f"{name}_2d_lambda"] = lam2
        F1, F2 = flow_field(mf2, axis)
        out[f"{name}_F1"], out[f"{name}_F2"] = F1, F2
    return out
