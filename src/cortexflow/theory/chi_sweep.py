# SPDX-License-Identifier: GPL-3.0-or-later
"""The mean field of the multi-area model against the cortico-cortical weight factor chi
(Schmidt et al. 2018 PLoS CB Fig. 4B,C; upstream ``figures/Schmidt2018_dyn/Fig4_theory.py`` and
``Fig4_metastability.py``).

chi multiplies every cortico-cortical weight (mean and SD), chi_I those onto inhibitory targets in
addition (structure.weights): J_ij(chi) = J_ij(chi_0) * c_ij(chi, chi_I) / c_ij(chi_0, chi_I0) with
c_ij = chi * (chi_I if i is inhibitory else 1) for areas(i) != area(j), 1 inside an area. The paper
takes chi_I = 1 at chi = 1 and chi_I = 2 otherwise (``chi_I_of``).

Three computations, all on the pseudo-dynamics tau dnu/ds = -nu + Phi(mu(nu), sigma(nu))
(theory.fixedpoint):

* ``branches``: fixed points against chi on a fine grid -- from zero rates (upstream: what the paper's
  lambda_max panel shows), the low-activity branch followed upward from chi_min by Newton continuation
  and the high-activity branch followed downward from chi_max. lambda_max = max Re lambda(G) of the
  gain matrix; a branch ends where Newton from the previous point fails or the point turns unstable
  (lambda_max >= 1: the saddle-node where low and unstable branch merge).
* ``random_starts``: the pseudo-dynamics from n seeded initial rates U(0, rate_max) integrated in one
  batch (columns), converged columns frozen (max |d nu| per step below ``freeze_tol``), end points
  grouped, each group refined by Newton and classified by its lambda_max. The histogram of the
  population-mean rate at s = T is the paper's Fig. 4B.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cortexflow.theory._threads import single_threaded
from cortexflow.theory.fixedpoint import (NotConvergedError, gain_matrix, newton, random_initial_rates, rhs,
                                          solve, sorted_eigenvalues)
from cortexflow.theory.inputs import MeanFieldNetwork
from cortexflow.fileio import atomic_path, open_h5

CHI_SET = (1.0, 1.8, 1.9, 2.0, 2.1, 2.5)   # the paper's Fig. 4 values


def chi_I_of(chi, chi_I: float = 2.0):
    """The paper's rule: chi_I = 1 at chi = 1 (ground state), ``chi_I`` otherwise."""
    return np.where(np.isclose(chi, 1.0), 1.0, chi_I)


def cc_factor(populations, chi: float, chi_I: float) -> np.ndarray:
    """c_ij (target x source): chi (x chi_I onto inhibitory targets) between areas, 1 inside an area."""
    area = np.array([p.rsplit("-", 1)[0] for p in populations])
    inh = np.array([p.endswith("I") for p in populations])
    cross = area[:, None] != area[None, :]
    return np.where(cross, chi * np.where(inh[:, None], chi_I, 1.0), 1.0)


def with_chi(mf: MeanFieldNetwork, chi: float, chi_I: float, chi0: float, chi_I0: float) -> MeanFieldNetwork:
    """``mf`` (built with chi0, chi_I0) with cortico-cortical weights for chi, chi_I."""
    if chi <= 0 or chi_I <= 0:
        raise ValueError(f"chi = {chi} and chi_I = {chi_I} must be positive")
    scale = cc_factor(mf.populations, chi, chi_I) / cc_factor(mf.populations, chi0, chi_I0)
    return MeanFieldNetwork(populations=mf.populations, K=mf.K, J=mf.J * scale, K_ext=mf.K_ext, J_ext=mf.J_ext,
                            nu_ext=mf.nu_ext, mu_dc=mf.mu_dc, neuron=mf.neuron)


def _lambda_max(mf, nu, method):
    return float(sorted_eigenvalues(gain_matrix(mf, nu, method))[0].real)


@dataclass
class Branches:
    chi: np.ndarray             # (m,)
    chi_I: np.ndarray           # (m,)
    low_rates: np.ndarray       # (m, n) low-activity branch (NaN beyond its end)
    low_lambda: np.ndarray      # (m,) max Re lambda(G) on it
    high_rates: np.ndarray      # (m, n) high-activity branch (NaN beyond its end)
    high_lambda: np.ndarray


def projected_newton(mf: MeanFieldNetwork, nu0, tol: float = 1e-10, maxiter: int = 50):
    """fixedpoint.newton with every iterate projected onto nu >= 0. Returns (nu, max |F|)."""
    nu, res, _ = newton(mf, nu0, tol, maxiter, project=True)
    return nu, res


def _continue(mf_of, chis, start, method, tol, jump):
    """Natural-parameter continuation: Newton at chis[k] from the point at chis[k-1]; stops at the first
    failure, unstable point (lambda_max >= 1), or relative jump of the mean rate > ``jump``."""
    n = start.size
    rates = np.full((len(chis), n), np.nan)
    lam = np.full(len(chis), np.nan)
    nu = start
    for k, chi in enumerate(chis):
        mf = mf_of(chi)
        new, res = projected_newton(mf, nu, tol=tol)
        if not (np.isfinite(res) and res < tol):
            break
        if k > 0 and abs(new.mean() - nu.mean()) > jump * max(nu.mean(), 1e-3):
            break
        lm = _lambda_max(mf, new, method)
        if lm >= 1.0:
            break
        rates[k], lam[k], nu = new, lm, new
    return rates, lam


def network_at(mf0: MeanFieldNetwork, chi0: float, chi_I0: float, chi_I: float = 2.0):
    """chi -> the network at chi with chi_I = chi_I_of(chi, chi_I) (``mf0`` built with chi0, chi_I0)."""
    def mf_of(chi):
        return with_chi(mf0, float(chi), float(chi_I_of(chi, chi_I)), chi0, chi_I0)
    return mf_of


@single_threaded
def from_zero(mf_of, chis, dt: float = 0.01, T: float = 30.0, tol: float = 1e-10, max_shift: float = 1e-2,
              method: str = "finite_difference"):
    """The fixed point reached from zero rates at each chi (upstream; NaN where not converged):
    (rates (m, n), lambda_max (m,))."""
    out, lam = [], []
    for chi in chis:
        mf = mf_of(chi)
        try:
            fp = solve(mf, dt=dt, T=T, tol=tol, max_shift=max_shift, method=method, require_stable=False)
            out.append(fp.rates)
            lam.append(fp.max_re_lambda)
        except NotConvergedError:
            out.append(np.full(mf.n, np.nan))
            lam.append(np.nan)
    return np.array(out), np.array(lam)


@single_threaded
def branches(mf_of, chis, low_start: np.ndarray, high_start: np.ndarray, chi_I: float = 2.0,
             tol: float = 1e-10, method: str = "finite_difference", jump: float = 0.5) -> Branches:
    """Low branch continued upward from ``low_start`` (a fixed point at chis[0]), high branch downward from
    ``high_start`` (a fixed point at chis[-1]) over the strictly increasing grid ``chis``."""
    chis = np.asarray(chis, float)
    if chis.size < 2 or np.any(np.diff(chis) <= 0):
        raise ValueError("the chi grid must have >= 2 strictly increasing values")
    low, llam = _continue(mf_of, chis, np.asarray(low_start, float), method, tol, jump)
    high, hlam = _continue(mf_of, chis[::-1], np.asarray(high_start, float), method, tol, jump)
    return Branches(chis, chi_I_of(chis, chi_I), low, llam, high[::-1], hlam[::-1])


@dataclass
class RandomStarts:
    initial_mean: np.ndarray     # (b,) population-mean initial rate per start
    final_mean: np.ndarray       # (b,) population-mean rate at s = T (the paper's histogram)
    label: np.ndarray            # (b,) index into fixed_points, -1: not converged at s = T
    fixed_points: np.ndarray     # (k, n) distinct fixed points reached, refined by Newton
    lambda_max: np.ndarray       # (k,) their max Re lambda(G)
    residual: np.ndarray         # (k,)
    steps: int                   # integration steps of the batch (<= T/dt: stops when all froze)


@single_threaded
def random_starts(mf: MeanFieldNetwork, n_initial: int, seed: int, rate_max: float = 100.0, dt: float = 0.01,
                  T: float = 30.0, tol: float = 1e-10, freeze_tol: float = 1e-8, same_tol: float = 1e-4,
                  check_every: int = 50,
                  method: str = "finite_difference", initial_rates: np.ndarray | None = None) -> RandomStarts:
    """Batched pseudo-dynamics from seeded U(0, rate_max) rates (or ``initial_rates``, (n, b)); see module
    docstring. Two end points belong to the same fixed point when their Newton refinements agree to
    ``same_tol`` (relative, max norm); a column still moving by > ``freeze_tol`` at s = T is labelled -1
    when its Newton refinement moves it by more than 1e-2 (relative)."""
    nu = random_initial_rates(mf.n, n_initial, seed, rate_max) if initial_rates is None \
        else np.array(initial_rates, float)
    b = nu.shape[1]
    init_mean = nu.mean(axis=0)
    steps = int(round(T / dt))
    p1, p2 = np.exp(-dt), -np.expm1(-dt)
    active = np.arange(b)
    step = 0
    for step in range(1, steps + 1):
        cur = nu[:, active]
        f = rhs(mf, cur)
        if step % check_every == 1 or check_every == 1:
            # a column at a fixed point (max |nu - Phi(nu)| < freeze_tol) stays there: stop integrating it
            still = np.max(np.abs(cur - f), axis=0) >= freeze_tol
            if not np.all(still):
                active, cur, f = active[still], cur[:, still], f[:, still]
                if active.size == 0:
                    break
        nu[:, active] = p1 * cur + p2 * f
    if not np.all(np.isfinite(nu)):
        raise NotConvergedError("pseudo-dynamics produced non-finite rates")
    final_mean = nu.mean(axis=0)
    # group end points (greedy, by max-norm distance), refine one representative per group by Newton
    label = np.full(b, -1)
    reps: list[np.ndarray] = []
    lams, resids = [], []
    order = np.argsort(final_mean, kind="stable")
    pending = np.ones(b, bool)
    for c in order:
        if not pending[c]:
            continue
        fp, res = projected_newton(mf, nu[:, c], tol=tol)
        scale = max(1.0, float(np.max(np.abs(fp)))) if np.all(np.isfinite(fp)) else 1.0
        ok = np.isfinite(res) and res < tol and float(np.max(np.abs(fp - nu[:, c]))) < 1e-2 * scale
        close = pending & (np.max(np.abs(nu - nu[:, [c]]), axis=0) < same_tol * scale)
        close[c] = True
        pending &= ~close
        if not ok:
            continue
        idx = next((i for i, r in enumerate(reps) if np.max(np.abs(r - fp)) < same_tol * scale), None)
        if idx is None:
            idx = len(reps)
            reps.append(fp)
            lams.append(_lambda_max(mf, fp, method))
            resids.append(res)
        label[close] = idx
    # order fixed points by mean rate
    if reps:
        means = np.array([r.mean() for r in reps])
        perm = np.argsort(means, kind="stable")
        inv = np.empty_like(perm)
        inv[perm] = np.arange(perm.size)
        label = np.where(label >= 0, inv[np.maximum(label, 0)], -1)
        reps = [reps[i] for i in perm]
        lams = [lams[i] for i in perm]
        resids = [resids[i] for i in perm]
    return RandomStarts(init_mean, final_mean, label, np.array(reps).reshape(len(reps), mf.n), np.array(lams),
                        np.array(resids), step)


def sweep_network(net, options: dict, log=print) -> dict:
    """Rule ``chi_sweep``: branches over the fine grid, fixed points from zero rates and random-start
    distributions at ``options['chi_values']`` for the mam network ``net`` (built with its own chi, chi_I).

    options (config ``theory.chi_sweep``): chi_min, chi_max, chi_step, chi_values, chi_I, n_initial, seed,
    initial_rate_max, dt, T, tolerance, derivatives. Returns the arrays of ``chi_sweep.h5``."""
    from cortexflow.theory.inputs import from_network
    if net.model != "mam":
        raise ValueError(f"the chi sweep needs a mam network, got model {net.model!r}")
    o = options
    if not o["chi_min"] < o["chi_max"]:
        raise ValueError(f"theory.chi_sweep: chi_min = {o['chi_min']} must be < chi_max = {o['chi_max']}")
    chi0 = float(net.params["cc_weights_factor"])
    chi_I0 = float(net.params["cc_weights_I_factor"])
    mf_of = network_at(from_network(net), chi0, chi_I0, o["chi_I"])
    n_steps = int(round((o["chi_max"] - o["chi_min"]) / o["chi_step"]))
    grid = np.round(o["chi_min"] + o["chi_step"] * np.arange(n_steps + 1), 10)
    values = np.array(sorted(set(float(c) for c in o["chi_values"])))
    kw = dict(tol=o["tolerance"], method=o["derivatives"])
    z_rates, z_lam = from_zero(mf_of, values, dt=o["dt"], T=o["T"], **kw)
    log(f"from zero rates: chi {values.tolist()} -> mean rates {np.round(np.nanmean(z_rates, axis=1), 4).tolist()}, "
        f"lambda_max {np.round(z_lam, 4).tolist()}")
    low_start = from_zero(mf_of, grid[:1], dt=o["dt"], T=o["T"], **kw)[0][0]
    high_start = from_zero(mf_of, grid[-1:], dt=o["dt"], T=o["T"], **kw)[0][0]
    try:   # the high state at chi_max: from high rates, if the zero-rate one is the low state
        hs = solve(mf_of(grid[-1]), initial_rates=np.full(low_start.size, 50.0), dt=o["dt"], T=o["T"],
                   tol=o["tolerance"], max_shift=1.0, method=o["derivatives"], require_stable=False)
        if not np.isfinite(high_start).all() or hs.rates.mean() > high_start.mean():
            high_start = hs.rates
    except NotConvergedError:
        pass
    br = branches(mf_of, grid, low_start, high_start, o["chi_I"], **kw)
    low_end = float(br.chi[np.isfinite(br.low_lambda)].max()) if np.isfinite(br.low_lambda).any() else np.nan
    high_end = float(br.chi[np.isfinite(br.high_lambda)].min()) if np.isfinite(br.high_lambda).any() else np.nan
    log(f"low branch up to chi = {low_end}, high branch down to chi = {high_end}")
    out = {"chi": br.chi, "chi_I": br.chi_I, "low_rates": br.low_rates, "low_lambda": br.low_lambda,
           "high_rates": br.high_rates, "high_lambda": br.high_lambda, "chi_values": values,
           "chi_I_values": chi_I_of(values, o["chi_I"]), "zero_rates": z_rates, "zero_lambda": z_lam,
           "random": []}
    for chi in values:
        rs = random_starts(mf_of(chi), o["n_initial"], o["seed"], o["initial_rate_max"], dt=o["dt"], T=o["T"],
                           tol=o["tolerance"], method=o["derivatives"])
        log(f"chi = {chi}: {o['n_initial']} random starts -> fixed points with mean rates "
            f"{np.round(rs.fixed_points.mean(axis=1), 4).tolist()} (lambda_max {np.round(rs.lambda_max, 4).tolist()}), "
            f"counts {np.bincount(rs.label + 1, minlength=len(rs.lambda_max) + 1).tolist()} "
            "(first: not at a fixed point)")
        out["random"].append(rs)
    return out


def write_sweep(path, populations, out: dict, params: dict) -> None:
    """``chi_sweep.h5``: datasets chi, chi_I, low_/high_rates (m x n), low_/high_lambda, chi_values,
    chi_I_values, zero_rates, zero_lambda; group random/chi_<k> per chi value with initial_mean,
    final_mean, label, fixed_points, lambda_max, residual (attrs chi, steps); attribute params."""
    from pathlib import Path

    import h5py

    from cortexflow.theory.io import _json
    path = Path(path)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("populations", data=np.array(populations, dtype=h5py.string_dtype()))
            for k, v in out.items():
                if k != "random":
                    f.create_dataset(k, data=np.asarray(v))
            g = f.create_group("random")
            for i, (chi, rs) in enumerate(zip(out["chi_values"], out["random"])):
                h = g.create_group(f"chi_{i}")
                h.attrs["chi"] = float(chi)
                h.attrs["steps"] = int(rs.steps)
                for k in ("initial_mean", "final_mean", "label", "fixed_points", "lambda_max", "residual"):
                    h.create_dataset(k, data=np.asarray(getattr(rs, k)))
            f.attrs["params"] = _json(params)


def read_sweep(path) -> dict:
    import json

    with open_h5(path) as f:
        out = {k: f[k][()] for k in f if k != "random"}
        out["populations"] = [p.decode() if isinstance(p, bytes) else str(p) for p in out["populations"]]
        out["random"] = []
        for i in range(len(f["random"])):
            h = f["random"][f"chi_{i}"]
            d = {k: h[k][()] for k in h}
            d.update(dict(h.attrs))
            out["random"].append(d)
        out["params"] = json.loads(f.attrs["params"])
    return out
