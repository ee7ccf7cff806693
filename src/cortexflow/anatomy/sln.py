"""Fraction of supragranular labelled neurons (SLN) of Markov et al. (2014, J Comp Neurol 522:225) in the
FV91 scheme, its fit against the log ratio of neuron densities and the completion (Schmidt et al. 2018,
Brain Struct Funct 223:1409, section "Connectivity: laminar patterns").

Mapping: SLN(T, s) is averaged over T's injections like the FLN; M132 sources are mapped to FV91 weighted
by overlap and FLN:
    S(T, s') = Σ_s ov(s, s')·SLN(T, s)·FLN(T, s),   I(T, s') = Σ_s ov(s, s')·(1 − SLN(T, s))·FLN(T, s),
    SLN(T, s') = S/(S + I).

Fit: beta-binomial regression with probit link (upstream: R ``aod::betabin`` via ``bbAlt.R``):
    S_k ~ BetaBin(n_k = S_k + I_k, p_k, φ),  p_k = Φ(b0 + b1·x_k),  x_k = ln(ρ_T/ρ_S),
    α = p(1 − φ)/φ,  β = (1 − p)(1 − φ)/φ,
    ln L = Σ_k [ln C(n_k, S_k) + ln B(α + S_k, β + n_k − S_k) − ln B(α, β)],
started from the binomial-probit GLM and φ = 0.1.

Completion: for a CoCoMac pair without data, SLN = Φ(b0 + b1·(ln ρ_T − ln ρ_S)).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .fln import overlap_of

INJECTION_MATCHES = ("monkey", "injection")
OPTIMIZERS = ("nelder-mead", "bfgs")
BIG = 1e20  # value of -ln L where it is not finite (as in bbAlt.R)


# --- observations per FV91 target ----------------------------------------------------------------------

def sln_injections(sln: pd.DataFrame, sites: pd.DataFrame, areas, match: str = "monkey") -> pd.DataFrame:
    """SLN observations of injections whose site lies in a model area: injection, target, source, value.

    ``monkey`` (upstream): observations are keyed by monkey, the target is the FV91 area of that monkey's
    injection site, and a later row of the same monkey and source replaces an earlier one. In the data, the
    V1 injection ``V1.M121RH`` shares its monkey with the V4 injection ``V4.M121RH`` (the FLN file and the
    site table list the V1 injection as M121LH), so upstream files its 14 rows under V4: 13 are replaced by
    the V4 injection's rows and V1←V4 becomes a V4←V4 observation.
    ``injection``: observations are keyed by their injection label (``INJ`` = area.monkey); the target is the
    site of that (area, monkey) pair, else the FV91 area of every site injected in that area (V1 -> V1).
    """
    if match not in INJECTION_MATCHES:
        raise ValueError(f"anatomy.sln_injection_match: {match!r} is not one of {INJECTION_MATCHES}")
    area_set = set(areas)
    if match == "monkey":
        counts = sites["monkey"].value_counts()
        ambiguous = sorted(set(sln["Monkey"]) & set(counts[counts > 1].index))
        if ambiguous:
            raise ValueError(f"SLN_Data.csv: monkeys {ambiguous} have several injections in "
                             f"Markov2014_InjectionSites.csv; use anatomy.sln_injection_match: injection")
        site_of = dict(zip(sites["monkey"], sites["fv91"]))
        obs = sln.drop_duplicates(["Monkey", "FROM"], keep="last")
        injection = obs["Monkey"]
        target = obs["Monkey"].map(site_of)
    else:
        by_pair = {(a, m): fv for a, m, fv in zip(sites["injected"], sites["monkey"], sites["fv91"])}
        by_area = sites.groupby("injected")["fv91"].unique()
        obs = sln
        injection = obs["INJ"]
        target_list = []
        for inj in obs["INJ"]:
            area, _, monkey = inj.partition(".")
            fv = by_pair.get((area, monkey))
            if fv is None:
                choices = by_area.get(area, [])
                if len(choices) != 1:
                    raise ValueError(f"SLN_Data.csv: injection {inj} matches no single site in "
                                     f"Markov2014_InjectionSites.csv")
                fv = choices[0]
            target_list.append(fv)
        target = pd.Series(target_list, index=obs.index)
    missing = sorted(set(obs.loc[target.isna(), "Monkey"]))
    if missing:
        raise ValueError(f"SLN_Data.csv: monkeys {missing} have no injection in Markov2014_InjectionSites.csv")
    out = pd.DataFrame({"injection": injection, "target": target, "source": obs["FROM"],
                        "value": obs["SLN"].astype(float)})
    return out[out["target"].isin(area_set)].reset_index(drop=True)


def map_sln(sln_avg: dict[str, dict[str, float]], fln_avg: dict[str, dict[str, float]], overlap: dict,
            areas) -> dict[str, dict[str, float]]:
    """SLN(T, s') = S/(S + I) with the overlap- and FLN-weighted sums of the module docstring (model areas s';
    T -> T entries are kept, as upstream)."""
    area_set = set(areas)
    out = {}
    for target, by_source in sln_avg.items():
        s_acc: dict[str, float] = {}
        i_acc: dict[str, float] = {}
        for source, sln in by_source.items():
            try:
                fln = fln_avg[target][source]
            except KeyError:
                raise ValueError(f"SLN_Data.csv: {target} <- {source} has an SLN value but no FLN value in "
                                 f"Markov2014_FLN_rawdata.csv") from None
            for fv, pct in overlap_of(source, overlap).items():
                if fv in area_set:
                    s_acc[fv] = s_acc.get(fv, 0.0) + pct / 100.0 * sln * fln
                    i_acc[fv] = i_acc.get(fv, 0.0) + pct / 100.0 * (1.0 - sln) * fln
        out[target] = {fv: s_acc[fv] / (s_acc[fv] + i_acc[fv]) for fv in s_acc}
    return out


# --- beta-binomial probit fit --------------------------------------------------------------------------

def probit(x, b0: float, b1: float):
    """SLN(x) = Φ(b0 + b1·x), x = ln(ρ_target/ρ_source) (Schmidt et al. 2018 BSF, Eq. 10): the mean of the
    beta-binomial model and the SLN of connections without data."""
    return special.ndtr(b0 + b1 * x)


def neg_log_likelihood(params, x, s, n, const=None) -> float:
    """−ln L of the beta-binomial probit model at (b0, b1, φ); BIG outside 0 < φ < 1 or where not finite."""
    b0, b1, phi = params
    if not 0.0 < phi < 1.0:
        return BIG
    p = probit(x, b0, b1)
    a = p * (1.0 - phi) / phi
    b = (1.0 - p) * (1.0 - phi) / phi
    if np.any(a <= 0) or np.any(b <= 0):
        return BIG
    if const is None:
        const = log_binomial_coefficients(n, s)
    value = -np.sum(const + special.betaln(a + s, b + n - s) - special.betaln(a, b))
    return float(value) if np.isfinite(value) else BIG


def log_binomial_coefficients(n, k) -> np.ndarray:
    """ln C(n, k)."""
    return special.gammaln(n + 1.0) - special.gammaln(k + 1.0) - special.gammaln(n - k + 1.0)


def neg_log_likelihood_logit(q, x, s, n, const):
    """(−ln L, gradient) at (b0, b1, θ = logit φ), analytic gradient: with c = (1 − φ)/φ = e^{−θ},
    a = p·c, b = (1 − p)·c, ψ the digamma function,
        ∂ln L/∂a = Σ ψ(a + y) − ψ(a) − ψ(a + b + n) + ψ(a + b),  ∂ln L/∂b likewise with (b, n − y),
        ∂/∂η = c·(∂a − ∂b)·φ_N(η),  ∂/∂θ = −c·(p·∂a + (1 − p)·∂b)."""
    b0, b1, theta = q
    eta = b0 + b1 * x
    p = special.ndtr(eta)
    c = np.exp(-theta)
    a, b = p * c, (1.0 - p) * c
    if np.any(a <= 0) or np.any(b <= 0) or not np.isfinite(c):
        return BIG, np.zeros(3)
    ll = np.sum(const + special.betaln(a + s, b + n - s) - special.betaln(a, b))
    common = special.digamma(a + b) - special.digamma(a + b + n)
    ga = special.digamma(a + s) - special.digamma(a) + common
    gb = special.digamma(b + n - s) - special.digamma(b) + common
    d_eta = c * (ga - gb) * stats.norm.pdf(eta)
    grad = np.array([np.sum(d_eta), np.sum(d_eta * x), np.sum(-c * (p * ga + (1.0 - p) * gb))])
    return float(-ll), -grad


def probit_glm(x, s, n, epsilon: float = 1e-8, maxit: int = 25) -> np.ndarray:
    """Binomial GLM with probit link by iteratively reweighted least squares, as R's ``glm.fit``
    (start μ = (n·y + 0.5)/(n + 1), stop when |Δdeviance|/(|deviance| + 0.1) < epsilon)."""
    y = s / n
    X = np.column_stack([np.ones_like(x), x])
    thresh = -stats.norm.ppf(np.finfo(float).eps)

    def linkinv(eta):
        return special.ndtr(np.clip(eta, -thresh, thresh))

    def deviance(mu):
        with np.errstate(divide="ignore", invalid="ignore"):
            t1 = np.where(y > 0, y * np.log(y / mu), 0.0)
            t2 = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
        return float(np.sum(2 * n * (t1 + t2)))

    eta = stats.norm.ppf((n * y + 0.5) / (n + 1.0))
    mu = linkinv(eta)
    dev_old = deviance(mu)
    beta = np.zeros(2)
    for _ in range(maxit):
        mu_eta = np.maximum(stats.norm.pdf(eta), np.finfo(float).eps)
        z = eta + (y - mu) / mu_eta
        w = np.sqrt(n * mu_eta ** 2 / (mu * (1 - mu)))
        beta = np.linalg.lstsq(X * w[:, None], z * w, rcond=None)[0]
        eta = X @ beta
        mu = linkinv(eta)
        dev = deviance(mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            break
        dev_old = dev
    return beta


def _initial_simplex(x0: np.ndarray, f0: float) -> tuple[np.ndarray, float]:
    """(P, size): vertex 0 = x0, vertex j = x0 + step e_j (step 0.1 max|x0|, grown x10 until it changes x0);
    P's columns are the vertices 0..n and the centroid n+1, its last row the function values."""
    n = x0.size
    P = np.empty((n + 1, n + 2))
    P[:n, 0], P[n, 0] = x0, f0
    step = max(0.1 * np.max(np.abs(x0)), 0.0) or 0.1
    size = 0.0
    for j in range(1, n + 1):
        P[:n, j] = x0
        trystep = step
        while P[j - 1, j] == x0[j - 1]:
            P[j - 1, j] = x0[j - 1] + trystep
            trystep *= 10
        size += trystep
    return P, size


def _lowest_and_highest(P: np.ndarray, L: int) -> tuple[int, float, int, float]:
    """(L, f_L, H, f_H): the vertices of the lowest and highest function value (ties keep the earlier)."""
    n = P.shape[0] - 1
    VL = VH = P[n, L]
    H = L
    for j in range(n + 1):
        if j != L:
            f = P[n, j]
            if f < VL:
                L, VL = j, f
            if f > VH:
                H, VH = j, f
    return L, VL, H, VH


def _move_highest(P: np.ndarray, H: int, VL: float, VH: float, evaluate, alpha: float, beta: float,
                  gamma: float) -> tuple[int, bool]:
    """One reflection of the highest vertex through the centroid of the others, then extension (if the
    reflection is the new lowest) or contraction. Returns (evaluations, shrink needed)."""
    n = P.shape[0] - 1
    P[:n, n + 1] = (P[:n, :n + 1].sum(axis=1) - P[:n, H]) / n
    xr = (1 + alpha) * P[:n, n + 1] - alpha * P[:n, H]
    VR = evaluate(xr)
    if VR < VL:
        P[n, n + 1] = VR
        xe = gamma * xr + (1 - gamma) * P[:n, n + 1]
        P[:n, n + 1] = xr
        f = evaluate(xe)
        if f < VR:
            P[:n, H], P[n, H] = xe, f
        else:
            P[:n, H], P[n, H] = P[:n, n + 1], VR
        return 2, False
    if VR < VH:
        P[:n, H], P[n, H] = xr, VR
    xc = (1 - beta) * P[:n, H] + beta * P[:n, n + 1]
    f = evaluate(xc)
    if f < P[n, H]:
        P[:n, H], P[n, H] = xc, f
        return 2, False
    return 2, VR >= VH


def _shrink(P: np.ndarray, L: int, beta: float) -> float:
    """Shrink every vertex towards the lowest one by beta; returns the new simplex size."""
    n = P.shape[0] - 1
    size = 0.0
    for j in range(n + 1):
        if j != L:
            P[:n, j] = beta * (P[:n, j] - P[:n, L]) + P[:n, L]
            size += np.sum(np.abs(P[:n, j] - P[:n, L]))
    return size


def nelder_mead_r(fn, x0, reltol: float = np.sqrt(np.finfo(float).eps), abstol: float = -np.inf,
                  alpha: float = 1.0, beta: float = 0.5, gamma: float = 2.0,
                  maxit: int = 100_000) -> tuple[np.ndarray, float, int, int]:
    """Nelder-Mead simplex search in the variant of R's ``optim(method = "Nelder-Mead")`` (J. C. Nash,
    Compact Numerical Methods for Computers, 2nd ed. 1990, Algorithm 19): initial simplex with step
    0.1·max|x0|, reflection/extension/contraction/shrink with coefficients (alpha, beta, gamma), stop when the
    spread of function values is below reltol·(|f(x0)| + reltol).

    Returns (x, f, n_evaluations, fail) with fail = 0 on convergence, 1 at maxit, 10 if the shrink failed.
    """
    x0 = np.asarray(x0, dtype=float)
    n = x0.size
    f0 = fn(x0)
    if not np.isfinite(f0):
        raise ValueError("Nelder-Mead: the function cannot be evaluated at the start values")
    convtol = reltol * (abs(f0) + reltol)
    P, oldsize = _initial_simplex(x0, f0)
    L, funcount, fail, calcvert = 0, 1, 0, True

    def evaluate(v):
        f = fn(v)
        return f if np.isfinite(f) else 1e35

    while True:
        if calcvert:
            for j in range(n + 1):
                if j != L:
                    P[n, j] = evaluate(P[:n, j])
                    funcount += 1
            calcvert = False
        L, VL, H, VH = _lowest_and_highest(P, L)
        if VH <= VL + convtol or VL <= abstol:
            break
        evaluations, shrink = _move_highest(P, H, VL, VH, evaluate, alpha, beta, gamma)
        funcount += evaluations
        if shrink:
            calcvert = True
            size = _shrink(P, L, beta)
            if size < oldsize:
                oldsize = size
            else:
                fail = 10
                break
        if funcount > maxit:
            break
    if funcount > maxit:
        fail = 1
    return P[:n, L].copy(), float(P[n, L]), funcount, fail


def fit_sln(data: pd.DataFrame, optimizer: str = "nelder-mead") -> dict:
    """Maximum-likelihood beta-binomial probit fit of S ~ DENS on ``RData_prepared_logdensities.txt``.

    ``nelder-mead``: the R optimiser (as ``aod::betabin``/``bbAlt.R`` call it: GLM start values, φ0 = 0.1,
    reltol = √ε, maxit = 10⁵); reproduces the published constants b0 = −0.1516142, b1 = −1.5343200.
    ``bfgs``: scipy BFGS with the analytic gradient on (b0, b1, logit φ) from the same start; it reaches the
    maximum of the likelihood more closely (R's Nelder-Mead stops where the simplex spread in −ln L is below
    √ε·|f|, ~2e-5 here, on a likelihood that is very flat along b1).
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"anatomy.sln_fit.optimizer: {optimizer!r} is not one of {OPTIMIZERS}")
    x = data["DENS"].to_numpy(dtype=float)
    s = data["S"].to_numpy(dtype=float)
    n = s + data["I"].to_numpy(dtype=float)
    const = log_binomial_coefficients(n, s)
    start = probit_glm(x, s, n)
    x0 = np.array([start[0], start[1], 0.1])
    fn = lambda p: neg_log_likelihood(p, x, s, n, const)  # noqa: E731
    if optimizer == "nelder-mead":
        par, nll, nfev, fail = nelder_mead_r(fn, x0)
        converged, iterations = fail == 0, None
    else:
        q0 = np.array([x0[0], x0[1], special.logit(x0[2])])
        # gtol 1e-4 on a −ln L of ~1e3 (≈ 2e-7 in the parameters): ln C(n, k) and ln B(...) cancel for
        # n ~ 1e5 labelled neurons, so −ln L is only accurate to ~1e-9 and a tighter gtol ends in
        # "precision loss" at the same point.
        res = optimize.minimize(neg_log_likelihood_logit, q0, args=(x, s, n, const), jac=True, method="BFGS",
                                options={"gtol": 1e-4, "maxiter": 10_000})
        par = np.array([res.x[0], res.x[1], special.expit(res.x[2])])
        nll, nfev, converged, iterations = float(res.fun), int(res.nfev), bool(res.success), int(res.nit)
    return {"b0": float(par[0]), "b1": float(par[1]), "phi": float(par[2]), "neg_log_likelihood": float(nll),
            "optimizer": optimizer, "converged": bool(converged), "function_evaluations": int(nfev),
            "iterations": iterations, "n_observations": int(len(x)),
            "start": {"b0": float(start[0]), "b1": float(start[1]), "phi": 0.1},
            "model": "S ~ BetaBinomial(S + I, Phi(b0 + b1*DENS), phi), DENS = ln(rho_target/rho_source)"}


def complete_sln(mapped: dict[str, dict[str, float]], cocomac: dict[str, dict], rho_overall: dict[str, float],
                 fit: dict, areas) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """SLN for every CoCoMac pair of model areas: the data where mapped, else Φ(b0 + b1·ln(ρ_T/ρ_S))."""
    area_set = set(areas)
    out, n_data, n_fit = {}, 0, 0
    for t in areas:
        row = {}
        for s in cocomac[t]:
            if s in area_set and s != t:
                if s in mapped.get(t, {}):
                    row[s] = float(mapped[t][s])
                    n_data += 1
                else:
                    xval = np.log(rho_overall[t]) - np.log(rho_overall[s])
                    row[s] = float(probit(xval, fit["b0"], fit["b1"]))
                    n_fit += 1
        out[t] = row
    return out, {"data": n_data, "fit": n_fit}


# --- uncertainty of the fitted curve -------------------------------------------------------------------

def fit_covariance(data: pd.DataFrame, fit: dict, step: float = 1e-4) -> np.ndarray:
    """Asymptotic covariance of (b0, b1): the (b0, b1) block of H⁻¹, H the Hessian of −ln L in
    (b0, b1, θ = logit φ) at the fit (central differences of the analytic gradient). The block does not
    depend on how φ is parameterised."""
    x = data["DENS"].to_numpy(dtype=float)
    s = data["S"].to_numpy(dtype=float)
    n = s + data["I"].to_numpy(dtype=float)
    const = log_binomial_coefficients(n, s)
    q = np.array([fit["b0"], fit["b1"], special.logit(fit["phi"])])
    hess = np.empty((3, 3))
    for j in range(3):
        dq = np.zeros(3)
        dq[j] = step
        hess[:, j] = (neg_log_likelihood_logit(q + dq, x, s, n, const)[1]
                      - neg_log_likelihood_logit(q - dq, x, s, n, const)[1]) / (2 * step)
    hess = 0.5 * (hess + hess.T)
    if np.any(np.linalg.eigvalsh(hess) <= 0):
        raise ValueError("SLN fit: the Hessian of -ln L is not positive definite at the fit")
    return np.linalg.inv(hess)[:2, :2]


def probit_band(x, fit: dict, cov: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise confidence band of SLN(x) = Φ(b0 + b1·x) by the delta method on the linear predictor:
    Var η(x) = (1, x) Σ (1, x)ᵀ, band Φ(η ± z·√Var η), z = Φ⁻¹((1 + level)/2)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level {level!r} is not in (0, 1)")
    x = np.asarray(x, dtype=float)
    eta = fit["b0"] + fit["b1"] * x
    se = np.sqrt(cov[0, 0] + 2.0 * x * cov[0, 1] + x * x * cov[1, 1])
    z = special.ndtri(0.5 + 0.5 * level)
    return special.ndtr(eta - z * se), special.ndtr(eta + z * se)
