# SPDX-License-Identifier: GPL-3.0-or-later
"""Stabilisation of the multi-area model by small indegree changes (Schuecker, Schmidt et al. 2017
PLoS CB, Eqs. 6-13; upstream ``multiarea_model/stabilize.py`` and
``figures/SchueckerSchmidt2017/stabilization.py``).

One iteration, for the current indegrees K:
 1. kappa* = the transition of the external-drive scan (``bistability.locate_transition``).
 2. The unstable fixed point nu* on the separatrix is chosen explicitly: the two trajectories just below
    and just above kappa* (1e-8 apart) run together until they reach the saddle and then part. The
    end point of the shared segment -- the first step where the population-mean rates differ by more
    than ``split_rtol`` -- is refined with Newton's method at kappa*; the result must be a fixed point
    with exactly one eigenvalue of G with Re > 1 (a saddle of the pseudo-dynamics). No hand-made index.
 3. Effective connectivity at nu* (kappa*): M = S o (K J) + T o (K J^2) (times 1e-3 tau_m), and the
    fixed-point shift caused by raising kappa from kappa* to the target-network value a (S17 Eq. 8):
        d_nu_bar_i = 1e-3 tau_m (S_i dK_ext,i J_ext + T_i dK_ext,i J_ext^2) nu_ext.
 4. M = U Lambda U^-1 sorted by descending Re lambda; a_hat = U^-1 d_nu_bar, v_hat = U^-1 nu*,
    eps = -a_hat / v_hat. Only the most critical direction l = 0 is used (S17 Eq. 11):
        dK = eps_0 (u_0 v_0^T) / (1e-3 tau_m (S o J + T o J^2)).
 5. Constraints: no change of cortico-cortical indegrees from 23I, 4E, 4I, 5I, 6I sources;
    K' = K + Re dK; negative entries set to 0; the external column unchanged.
The S17 protocol performs 4 steps; we perform at least ``min_iterations`` and continue until kappa* of the
current K exceeds the target network's kappa (1.125: the network used by Schmidt et al. 2018 then lies in
the low-activity basin), or raise after ``max_iterations``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cortexflow.areas import area_of, population_of
from cortexflow.theory._threads import blas_threads, single_threaded
from cortexflow.theory.bistability import external_indegrees, final_rates, locate_transition
from cortexflow.theory.fixedpoint import derivatives, gain_matrix, newton, sorted_eigenvalues
from cortexflow.theory.inputs import MeanFieldNetwork

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence

CC_FROZEN_SOURCES = ("23I", "4E", "4I", "5I", "6I")


class StabilisationError(RuntimeError):
    """The stabilisation could not proceed (no saddle found, target not reached, negative K)."""


def frozen_mask(populations: Sequence[str]) -> np.ndarray:
    """True where dK must stay 0: cortico-cortical entries from 23I, 4E, 4I, 5I, 6I sources."""
    area = np.array([area_of(p) for p in populations])
    src = np.isin(np.array([population_of(p) for p in populations]), CC_FROZEN_SOURCES)
    return (area[:, None] != area[None, :]) & src[None, :]


def eigen_decomposition(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lambda, U, V) with M = U diag(lambda) V, V = U^-1, sorted by descending Re lambda."""
    with blas_threads(1):
        lam, U = np.linalg.eig(M)
        V = np.linalg.inv(U)
    order = np.lexsort((-lam.imag, -lam.real))
    return lam[order], U[:, order], V[order]


@dataclass
class SaddleChoice:
    point: np.ndarray          # the rates used as nu* in the S17 step
    saddle: np.ndarray         # the unstable fixed point refined by Newton (== point for rule 'saddle')
    step: int                  # trajectory step the choice starts from
    rule: str                  # 'saddle' | 'velocity_minimum'
    distance: float            # max |saddle - trajectory point|
    eigenvalues: np.ndarray    # of G at the refined saddle
    residual: float


def split_step(traj_low: np.ndarray, traj_high: np.ndarray, split_rtol: float = 1e-3) -> int:
    """First step where the population-mean rates of the trajectories just below/above kappa* differ
    by more than ``split_rtol`` (relative): the end of their shared approach to the saddle."""
    lo, hi = traj_low.mean(axis=1), traj_high.mean(axis=1)
    apart = np.abs(hi - lo) > split_rtol * np.abs(lo)
    if not np.any(apart):
        raise StabilisationError("the trajectories below and above kappa* never part: no transition in [0, T]")
    return int(np.argmax(apart))


def velocity_minimum_step(traj: np.ndarray, dt: float, threshold: float = 0.05) -> int:
    """Upstream's heuristic made deterministic: minima of the speed of the population-mean rate
    |d<nu>/ds| below ``threshold`` (``scipy.signal.find_peaks_cwt`` on -log speed, width 0.1, as
    upstream ``utils.velocity_peaks``); of these, the one where the full rate vector moves slowest.
    This reproduces upstream's hand-made ``ind_list = [1, 1, 0, 1]``."""
    from scipy.signal import find_peaks_cwt
    speed = np.abs(np.diff(traj.mean(axis=1))) / dt
    ind = np.flatnonzero(speed < threshold)
    if ind.size == 0:
        raise StabilisationError(f"the mean rate never moves slower than {threshold} spikes/s per unit time")
    minima = np.asarray(find_peaks_cwt(-np.log(np.maximum(speed[ind], 1e-300)), np.array([0.1])), int)
    if minima.size == 0:
        raise StabilisationError("no velocity minimum on the trajectory below kappa*")
    cand = ind[minima]
    vec_speed = np.linalg.norm(traj[cand + 1] - traj[cand], axis=1)
    return int(cand[np.argmin(vec_speed)])


def choose_unstable_fixed_point(mf_crit: MeanFieldNetwork, traj_low: np.ndarray, traj_high: np.ndarray,
                                rule: str = "saddle", dt: float = 0.01, split_rtol: float = 1e-3,
                                tol: float = 1e-10, method: str = "finite_difference") -> SaddleChoice:
    """nu* for the S17 step from the trajectories (steps, n) just below/above kappa*.

    'saddle': Newton from the trajectory point where the two trajectories part; the result must have
    exactly one eigenvalue of G with Re > 1. 'velocity_minimum': the trajectory point itself at
    ``velocity_minimum_step`` (upstream protocol); the refined saddle is recorded for comparison.
    """
    if rule == "saddle":
        step = split_step(traj_low, traj_high, split_rtol)
    elif rule == "velocity_minimum":
        step = velocity_minimum_step(traj_low, dt)
    else:
        raise ValueError(f"unknown unstable-fixed-point rule {rule!r} (saddle | velocity_minimum)")
    start = traj_low[step]
    nu, res, _ = newton(mf_crit, start, tol=tol)
    if not (np.isfinite(res) and res < tol):
        raise StabilisationError(f"Newton did not converge to the unstable fixed point from step {step} "
                                 f"(residual {res:.3g})")
    ev = sorted_eigenvalues(gain_matrix(mf_crit, nu, method))
    n_unstable = int(np.sum(ev.real > 1.0))
    if n_unstable != 1:
        raise StabilisationError(f"the fixed point near the separatrix (from step {step}) has {n_unstable} "
                                 f"eigenvalues with Re > 1 (expected a saddle with exactly one)")
    point = nu if rule == "saddle" else start
    return SaddleChoice(point=point, saddle=nu, step=step, rule=rule,
                        distance=float(np.max(np.abs(nu - start))), eigenvalues=ev, residual=res)


@single_threaded
def stabilise_step(mf_crit: MeanFieldNetwork, K_ext_target: np.ndarray, nu_star: np.ndarray,
                   method: str = "finite_difference") -> tuple[np.ndarray, dict]:
    """K' (n x n) from one S17 step at the unstable fixed point ``nu_star`` of ``mf_crit``."""
    tau = 1e-3 * mf_crit.neuron.tau_m
    S, T = derivatives(mf_crit, nu_star, method)
    M = S[:, None] * mf_crit.KJ + T[:, None] * mf_crit.KJ2
    dK_ext = K_ext_target - mf_crit.K_ext
    d_nu_bar = tau * (S * dK_ext * mf_crit.J_ext + T * dK_ext * mf_crit.J_ext**2) * mf_crit.nu_ext
    lam, U, V = eigen_decomposition(M)
    a_hat = V[0] @ d_nu_bar
    v_hat = V[0] @ nu_star
    eps0 = -a_hat / v_hat
    denom = tau * (S[:, None] * mf_crit.J + T[:, None] * mf_crit.J**2)
    dK = eps0 * np.outer(U[:, 0], V[0]) / denom
    dK[frozen_mask(mf_crit.populations)] = 0.0
    K_new = mf_crit.K + dK.real
    K_new[K_new < 0] = 0.0
    info = {"eigenvalues": lam, "epsilon0": complex(eps0), "d_nu_bar": d_nu_bar,
            "critical_right": U[:, 0], "critical_left": V[0]}
    return K_new, info


@dataclass
class Iteration:
    kappa_low: float
    kappa_high: float
    saddle: SaddleChoice | None
    relative_change: float          # sum(K' - K)/sum(K)
    relative_abs_change: float      # sum|K' - K|/sum(K)
    epsilon0: complex = 0j
    eigenvalues: np.ndarray | None = None  # of M at the saddle
    critical_right: np.ndarray | None = None
    critical_left: np.ndarray | None = None
    kappas: np.ndarray | None = None
    mean_rates: np.ndarray | None = None


@dataclass
class StabilisationResult:
    K: np.ndarray                   # final recurrent indegrees (n x n)
    iterations: list[Iteration] = field(default_factory=list)
    K_history: list[np.ndarray] = field(default_factory=list)
    success: bool = False


@single_threaded
def stabilise(mf_base: MeanFieldNetwork, kappa_target: float = 1.2, kappa_network: float = 1.125,
              min_iterations: int = 4, max_iterations: int = 8, dt: float = 0.01, T: float = 30.0, n_refine: int = 6,
              base_fac_5E: float = 1.0, base_fac_6E: float = 1.0, split_rtol: float = 1e-3,
              method: str = "finite_difference", fixed_point: str = "saddle",
              log: Callable[[str], object] = print) -> StabilisationResult:
    """Iterate S17 steps: at least ``min_iterations`` (the S17 protocol performs 4), then until the
    kappa* of the current K exceeds ``kappa_network``; a final scan confirms it (see module docstring).

    ``mf_base``: the network at kappa = base_fac_5E (S17: 1); ``kappa_target``: the kappa of the
    perturbed network that defines the fixed-point shift (S17: 1.2). ``fixed_point``: the rule of
    ``choose_unstable_fixed_point`` ('saddle', default, or 'velocity_minimum', the upstream protocol).
    """
    if fixed_point not in ("saddle", "velocity_minimum"):
        raise ValueError(f"fixed_point must be 'saddle' or 'velocity_minimum', got {fixed_point!r}")
    K_ext_target = external_indegrees(mf_base, [kappa_target], base_fac_5E, base_fac_6E)[:, 0]
    result = StabilisationResult(K=mf_base.K.copy(), K_history=[mf_base.K.copy()])
    mf = mf_base
    for it in range(1, max_iterations + 2):
        tr = locate_transition(mf, n_refine=n_refine, dt=dt, T=T, base_fac_5E=base_fac_5E,
                               base_fac_6E=base_fac_6E)
        if tr.found:
            log(f"iteration {it}: kappa* in ({tr.kappa_low:.8f}, {tr.kappa_high:.8f})")
        else:
            log(f"iteration {it}: low-activity state on the whole grid, kappa* > {tr.kappa_low:.4f}")
        if (it > min_iterations or not tr.found) and tr.kappa_low > kappa_network:
            result.iterations.append(Iteration(tr.kappa_low, tr.kappa_high, None, 0.0, 0.0,
                                               kappas=tr.kappas, mean_rates=tr.mean_rates))
            result.success = True
            break
        if it > max_iterations:
            raise StabilisationError(f"after {max_iterations} iterations kappa* = {tr.kappa_low:.6f} is still "
                                     f"<= {kappa_network}: the target network is not in the low-activity basin")
        _, traj = final_rates(mf, [tr.kappa_low, tr.kappa_high], dt=dt, T=T, base_fac_5E=base_fac_5E,
                              base_fac_6E=base_fac_6E, record="full")
        mf_crit = mf.with_K(K_ext=external_indegrees(mf, [tr.kappa_low], base_fac_5E, base_fac_6E)[:, 0])
        saddle = choose_unstable_fixed_point(mf_crit, traj[:, :, 0], traj[:, :, 1], fixed_point, dt=dt,
                                             split_rtol=split_rtol, method=method)
        K_new, info = stabilise_step(mf_crit, K_ext_target, saddle.point, method)
        total = mf.K.sum()
        rec = Iteration(tr.kappa_low, tr.kappa_high, saddle, float((K_new - mf.K).sum() / total),
                        float(np.abs(K_new - mf.K).sum() / total), info["epsilon0"], info["eigenvalues"],
                        info["critical_right"], info["critical_left"], tr.kappas, tr.mean_rates)
        log(f"  nu* ({fixed_point}) from step {saddle.step}: mean {saddle.point.mean():.4f} spikes/s, saddle "
            f"lambda_max {saddle.eigenvalues[0].real:.4f}; sum dK/sum K = {rec.relative_change:+.4%}")
        result.iterations.append(rec)
        result.K_history.append(K_new)
        mf = mf.with_K(K=K_new)
    result.K = mf.K
    return result


def compare_indegrees(K0: np.ndarray, K: np.ndarray, K_ref: np.ndarray, populations: Sequence[str]) -> dict:
    """Statistics of K and a reference K_ref (e.g. published K') relative to the data K0."""
    area = np.array([area_of(p) for p in populations])
    intra = area[:, None] == area[None, :]
    dK, dR = (K - K0).ravel(), (K_ref - K0).ravel()
    return {
        "total_change": float((K - K0).sum() / K0.sum()),
        "total_abs_change": float(np.abs(K - K0).sum() / K0.sum()),
        "ref_total_change": float((K_ref - K0).sum() / K0.sum()),
        "ref_total_abs_change": float(np.abs(K_ref - K0).sum() / K0.sum()),
        "corr_dK": float(np.corrcoef(dK, dR)[0, 1]),
        "frobenius_rel_diff": float(np.linalg.norm(K - K_ref) / np.linalg.norm(K_ref)),
        "intra_sum": float(K[intra].sum()), "cc_sum": float(K[~intra].sum()),
        "ref_intra_sum": float(K_ref[intra].sum()), "ref_cc_sum": float(K_ref[~intra].sum()),
        "K0_intra_sum": float(K0[intra].sum()), "K0_cc_sum": float(K0[~intra].sum()),
        "created": int(np.sum((K0 == 0) & (K > 0))), "removed": int(np.sum((K0 > 0) & (K == 0))),
        "ref_created": int(np.sum((K0 == 0) & (K_ref > 0))), "ref_removed": int(np.sum((K0 > 0) & (K_ref == 0))),
    }
