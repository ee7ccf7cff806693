# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-consistent rates nu = Phi(mu(nu), sigma(nu)), their stability, and the gain matrix.

Pseudo-dynamics (Schuecker, Schmidt et al. 2017 PLoS CB Eq. 4; upstream ``integrate_siegert``):

    tau dnu/ds = -nu + Phi(mu(nu), sigma(nu)),    tau = 1,

integrated with the exponential-Euler step of NEST's ``siegert_neuron`` that upstream uses,
    nu <- exp(-dt/tau) nu + (1 - exp(-dt/tau)) Phi(nu),
batched over many initial conditions (columns). The end point is then refined by Newton's method
on F(nu) = nu - Phi(nu) with the exact Jacobian 1 - G (analytic derivatives), and accepted only if
the residual max|F| is below ``tol`` and Newton stayed close to the end of the trajectory (so the
trajectory had converged to that fixed point); otherwise ``NotConvergedError``.

Gain matrix (upstream ``gain_matrix``/S17 Eq. 6): G_ij = 1e-3 tau_m (S_i K_ij J_ij + T_i K_ij J_ij^2)
with S = dPhi/dmu, T = dPhi/dsigma^2. A fixed point is linearly stable under the pseudo-dynamics iff
max Re lambda(G) < 1. We report max Re lambda itself (upstream ``lambda_max`` returns its square root).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cortexflow.theory._threads import blas_threads, single_threaded
from cortexflow.theory.inputs import MeanFieldNetwork
from cortexflow.theory.transfer import d_nu_d_mu_and_sigma2, d_nu_d_mu_fd, d_nu_d_sigma2_fd, phi


class NotConvergedError(RuntimeError):
    """The pseudo-dynamics or the root finder did not reach a fixed point."""


@dataclass
class FixedPoint:
    rates: np.ndarray            # spikes/s, (n,)
    residual: float              # max |nu - Phi(nu)| (spikes/s)
    converged: bool
    mu: np.ndarray               # mV
    sigma: np.ndarray            # mV
    eigenvalues: np.ndarray      # complex, of G, sorted by descending real part
    max_re_lambda: float
    newton_steps: int = 0
    newton_shift: float = 0.0    # max |nu_refined - nu_trajectory|
    extra: dict = field(default_factory=dict)


def rhs(mf: MeanFieldNetwork, nu: np.ndarray) -> np.ndarray:
    """Phi(mu(nu), sigma(nu)) for nu of shape (n,) or (n, batch)."""
    mu, sigma = mf.mu_sigma(nu)
    return phi(mu, sigma, mf.neuron)


def integrate(mf: MeanFieldNetwork, nu0: np.ndarray, dt: float = 0.01, T: float = 30.0, tau: float = 1.0,
              record: str | None = None) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Exponential-Euler pseudo-dynamics from ``nu0`` ((n,) or (n, batch)) over ``round(T/dt)`` steps.

    Returns the final rates, and with ``record='mean'`` also the population-mean rate per column
    and step (batch, steps + 1); with ``record='full'`` the whole trajectory (steps + 1, n, batch).
    """
    nu = np.array(nu0, dtype=float)
    if nu.shape[0] != mf.n:
        raise ValueError(f"initial rates have {nu.shape[0]} rows, the network has {mf.n} populations")
    steps = int(round(T / dt))
    p1 = np.exp(-dt / tau)
    p2 = -np.expm1(-dt / tau)
    trace = None
    if record == "mean":
        trace = np.empty((steps + 1,) + nu.shape[1:])
        trace[0] = nu.mean(axis=0)
    elif record == "full":
        trace = np.empty((steps + 1,) + nu.shape)
        trace[0] = nu
    with blas_threads(1):
        for k in range(1, steps + 1):
            nu = p1 * nu + p2 * rhs(mf, nu)
            if record == "mean":
                trace[k] = nu.mean(axis=0)
            elif record == "full":
                trace[k] = nu
    if not np.all(np.isfinite(nu)):
        raise NotConvergedError("pseudo-dynamics produced non-finite rates")
    if record == "mean":
        return nu, np.moveaxis(trace, 0, -1)
    return (nu, trace) if record == "full" else nu


def derivatives(mf: MeanFieldNetwork, nu: np.ndarray,
                method: str = "finite_difference") -> tuple[np.ndarray, np.ndarray]:
    """(S, T) = (dPhi/dmu, dPhi/dsigma^2) at rates ``nu``; ``method`` 'finite_difference' (upstream,
    eps = 0.01 mV) or 'analytic'."""
    mu, sigma = mf.mu_sigma(nu)
    if method == "finite_difference":
        f = phi(mu, sigma, mf.neuron)
        return d_nu_d_mu_fd(mu, sigma, mf.neuron, nu=f), d_nu_d_sigma2_fd(mu, sigma, mf.neuron, nu=f)
    if method == "analytic":
        _, S, T = d_nu_d_mu_and_sigma2(mu, sigma, mf.neuron)
        return S, T
    raise ValueError(f"unknown derivative method {method!r} (finite_difference | analytic)")


@single_threaded
def gain_matrix(mf: MeanFieldNetwork, nu: np.ndarray, method: str = "finite_difference") -> np.ndarray:
    """G_ij = 1e-3 tau_m (S_i K_ij J_ij + T_i K_ij J_ij^2) (dimensionless, target x source)."""
    S, T = derivatives(mf, nu, method)
    return S[:, None] * mf.KJ + T[:, None] * mf.KJ2


def sorted_eigenvalues(G: np.ndarray) -> np.ndarray:
    with blas_threads(1):
        ev = np.linalg.eigvals(G)
    return ev[np.lexsort((-ev.imag, -ev.real))]


def newton(mf: MeanFieldNetwork, nu0: np.ndarray, tol: float = 1e-11, maxiter: int = 50,
           project: bool = False) -> tuple[np.ndarray, float, int]:
    """Newton's method on nu - Phi(nu) = 0 with the analytic Jacobian 1 - G. Returns (nu, residual, steps).

    Steps that would make rates negative are damped as a whole (default), or with ``project`` every iterate
    is projected onto nu >= 0, which does not stall at states with silent populations (the high-activity
    state; used by the chi sweep, the E-E example and the unstable fixed points) and stops at a
    non-finite residual."""
    with blas_threads(1):
        return _newton(mf, nu0, tol, maxiter, project)


def _newton(mf, nu0, tol, maxiter, project=False):
    nu = np.array(nu0, dtype=float)
    eye = np.eye(mf.n)
    res = np.inf
    for k in range(maxiter + 1):
        mu, sigma = mf.mu_sigma(nu)
        f, S, T = d_nu_d_mu_and_sigma2(mu, sigma, mf.neuron)
        F = nu - f
        res = float(np.max(np.abs(F)))
        if res < tol or k == maxiter or (project and not np.isfinite(res)):
            break
        Jac = eye - (S[:, None] * mf.KJ + T[:, None] * mf.KJ2)
        step = np.linalg.solve(Jac, F)
        if project:
            nu = np.maximum(nu - step, 0.0)
            continue
        # damp steps that would make rates negative (keeps Newton in the physical domain)
        neg = (nu - step) < 0
        lam = 1.0 if not np.any(neg) else min(1.0, 0.9 * float(np.min(nu[neg] / step[neg])))
        nu = nu - lam * step
    return nu, res, k


def _finish(mf, nu_traj, tol, max_shift, method, what: str) -> FixedPoint:
    nu, res, steps = newton(mf, nu_traj, tol=tol)
    shift = float(np.max(np.abs(nu - nu_traj)))
    if not np.isfinite(res) or res >= tol:
        raise NotConvergedError(
            f"{what}: Newton refinement did not converge (residual {res:.3g} spikes/s >= tol {tol:g})")
    scale = max(1.0, float(np.max(np.abs(nu))))
    if shift > max_shift * scale:
        i = int(np.argmax(np.abs(nu - nu_traj)))
        raise NotConvergedError(
            f"{what}: the pseudo-dynamics had not converged (population {mf.populations[i]}: "
            f"{nu_traj[i]:.6g} at the end of the trajectory vs fixed point {nu[i]:.6g} spikes/s; "
            f"increase theory.T or check the network)")
    mu, sigma = mf.mu_sigma(nu)
    G = gain_matrix(mf, nu, method)
    ev = sorted_eigenvalues(G)
    return FixedPoint(rates=nu, residual=res, converged=True, mu=mu, sigma=sigma, eigenvalues=ev,
                      max_re_lambda=float(ev[0].real), newton_steps=steps, newton_shift=shift)


@single_threaded
def solve(mf: MeanFieldNetwork, initial_rates: np.ndarray | None = None, dt: float = 0.01, T: float = 30.0,
          tol: float = 1e-10, max_shift: float = 1e-2, method: str = "finite_difference",
          require_stable: bool = True) -> FixedPoint:
    """Fixed point reached from ``initial_rates`` (default zeros, as upstream) by the pseudo-dynamics,
    refined by Newton. Raises ``NotConvergedError`` if not converged or (``require_stable``) unstable."""
    nu0 = np.zeros(mf.n) if initial_rates is None else np.asarray(initial_rates, float)
    nu_T = integrate(mf, nu0, dt=dt, T=T)
    fp = _finish(mf, nu_T, tol, max_shift, method, "fixed point")
    if require_stable and fp.max_re_lambda >= 1.0:
        raise NotConvergedError(f"the fixed point reached is unstable (max Re lambda = {fp.max_re_lambda:.4f})")
    return fp


def random_initial_rates(n: int, n_initial: int, seed: int, rate_max: float = 100.0) -> np.ndarray:
    """(n, n_initial) initial rates ~ U(0, rate_max) from a seeded generator."""
    return np.random.default_rng(seed).uniform(0.0, rate_max, size=(n, n_initial))


@single_threaded
def attractors(mf: MeanFieldNetwork, initial_rates: np.ndarray, dt: float = 0.01, T: float = 30.0,
               tol: float = 1e-10, max_shift: float = 1e-2, method: str = "finite_difference",
               rtol_same: float = 1e-6) -> tuple[list[FixedPoint], np.ndarray]:
    """Integrate all columns of ``initial_rates`` at once; refine each end point; group equal fixed
    points. Returns (list of FixedPoint, index of the fixed point per column, -1 if not converged)."""
    ends = integrate(mf, initial_rates, dt=dt, T=T)
    found: list[FixedPoint] = []
    label = np.full(ends.shape[1], -1)
    for b in range(ends.shape[1]):
        try:
            fp = _finish(mf, ends[:, b], tol, max_shift, method, f"initial condition {b}")
        except NotConvergedError:
            continue
        for i, other in enumerate(found):
            if np.allclose(fp.rates, other.rates, rtol=rtol_same, atol=1e-9):
                label[b] = i
                break
        else:
            label[b] = len(found)
            found.append(fp)
    return found, label
