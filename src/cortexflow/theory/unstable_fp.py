# SPDX-License-Identifier: GPL-3.0-or-later
"""The three fixed points at each transition of the S17 stabilisation (Schuecker, Schmidt et al. 2017
PLoS CB Fig. 6; upstream ``figures/SchueckerSchmidt2017/Fig6_unstable_FP.py``).

For iteration i of the stabilisation record (``stabilisation.h5``, rule stabilise) with the indegrees K_(i-1)
before its step and the transition bracket (kappa_low, kappa_high): the low-activity fixed point is the end
of the pseudo-dynamics from zero rates at kappa_low, the high-activity one at kappa_high (both refined by
Newton at their kappa), and the unstable fixed point (saddle) is the one the stabilisation stored (``saddle``,
refined at kappa_low). The bracket is 1e-8 wide, so the three belong to the same network to that accuracy.
"""
from __future__ import annotations

import numpy as np

from cortexflow.theory.bistability import external_indegrees, final_rates
from cortexflow.theory.chi_sweep import projected_newton
from cortexflow.theory.fixedpoint import gain_matrix, sorted_eigenvalues
from cortexflow.theory.inputs import from_network


def network_states(net, rec: dict, **kw) -> dict:
    """``transition_states`` of the base network ``net`` (network.h5) of the stabilisation record ``rec``."""
    return transition_states(from_network(net), rec, float(net.params.get("fac_nu_ext_5E", 1.0)),
                             float(net.params.get("fac_nu_ext_6E", 1.0)), **kw)


def transition_states(mf0, rec: dict, base5: float = 1.0, base6: float = 1.0, dt: float = 0.01, T: float = 30.0,
                      tol: float = 1e-10, method: str = "finite_difference") -> dict:
    """Arrays of ``unstable_fixed_point.h5`` for every iteration of ``rec`` that made a step:
    iteration (m,), kappa_low, kappa_high (m,), low, saddle, high (m, n) rates, and their max Re lambda(G).
    ``mf0``: the base network at kappa = base5 (its fac_nu_ext_5E; 6E: base6)."""
    its = [it for it in rec["iterations"] if "saddle" in it]
    if not its:
        raise ValueError("the stabilisation record has no iteration with a saddle")
    out = {k: [] for k in ("iteration", "kappa_low", "kappa_high", "low", "saddle", "high",
                           "low_lambda", "saddle_lambda", "high_lambda")}
    K = rec["K0"]
    for i, it in enumerate(rec["iterations"], start=1):
        if "saddle" not in it:
            break
        mf = mf0.with_K(K=K)
        kappas = [it["kappa_low"], it["kappa_high"]]
        ends = final_rates(mf, kappas, dt=dt, T=T, base_fac_5E=base5, base_fac_6E=base6)
        K_ext = external_indegrees(mf, kappas, base5, base6)
        for col, key in ((0, "low"), (1, "high")):
            m = mf.with_K(K_ext=K_ext[:, col])
            nu, res = projected_newton(m, ends[:, col], tol=tol)
            if not (np.isfinite(res) and res < tol):
                raise RuntimeError(f"iteration {i}: the {key}-activity fixed point did not converge ({res:.3g})")
            out[key].append(nu)
            out[f"{key}_lambda"].append(float(sorted_eigenvalues(gain_matrix(m, nu, method))[0].real))
        m = mf.with_K(K_ext=K_ext[:, 0])
        out["saddle"].append(np.asarray(it["saddle"], float))
        out["saddle_lambda"].append(float(sorted_eigenvalues(gain_matrix(m, it["saddle"], method))[0].real))
        out["iteration"].append(i)
        out["kappa_low"].append(float(it["kappa_low"]))
        out["kappa_high"].append(float(it["kappa_high"]))
        K = it["K"]
    return {k: np.array(v) for k, v in out.items()}
