# SPDX-License-Identifier: GPL-3.0-or-later
"""What the theory rules do with a ``network.h5``: the fixed point (rule ``meanfield``) and the S17
stabilisation (rule ``stabilise``). Options are the ``theory`` section of config/config.yaml."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np

from cortexflow.config import schema_defaults
from cortexflow.structure.network_file import Network
from cortexflow.theory.bistability import external_indegrees, fac_6E
from cortexflow.theory.fixedpoint import attractors, gain_matrix, random_initial_rates, solve
from cortexflow.theory.inputs import from_network
from cortexflow.theory.stabilise import compare_indegrees, stabilise

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence

    from cortexflow.theory.fixedpoint import FixedPoint
    from cortexflow.theory.stabilise import StabilisationResult

# The defaults of config/schema.yaml (properties/theory), its only place: the options of the fixed point
# and of the stabilisation (without the list of networks to stabilise).
_THEORY = schema_defaults("properties/theory")
# the scalar options of the mean-field solver (the sections stabilisation, figures, chi_sweep, ... are not)
DEFAULTS = {k: v for k, v in _THEORY.items() if not isinstance(v, dict)}
STAB_DEFAULTS = {k: v for k, v in _THEORY["stabilisation"].items() if k != "networks"}


def _opts(options: dict | None) -> dict:
    o = dict(DEFAULTS)
    o.update({k: v for k, v in (options or {}).items() if k in DEFAULTS})
    if o["dt"] <= 0 or o["T"] <= 0 or o["T"] < o["dt"]:
        raise ValueError(f"theory.dt = {o['dt']} and theory.T = {o['T']} must satisfy 0 < dt <= T")
    return o


def meanfield(net: Network,
              options: dict | None = None) -> tuple[FixedPoint, list[FixedPoint], np.ndarray, np.ndarray]:
    """(FixedPoint from zero rates, distinct attractors from seeded random rates, their labels, G)."""
    o = _opts(options)
    mf = from_network(net)
    fp = solve(mf, dt=o["dt"], T=o["T"], tol=o["tolerance"], max_shift=o["max_shift"],
               method=o["derivatives"])
    found, labels = [], np.zeros(0, int)
    if o["n_initial"] > 0:
        init = random_initial_rates(mf.n, o["n_initial"], o["seed"], o["initial_rate_max"])
        found, labels = attractors(mf, init, dt=o["dt"], T=o["T"], tol=o["tolerance"],
                                   max_shift=o["max_shift"], method=o["derivatives"])
    return fp, found, labels, gain_matrix(mf, fp.rates, o["derivatives"])


def stabilise_network(net: Network, options: dict | None = None, stab_options: dict | None = None,
                      log: Callable[[str], object] = print
                      ) -> tuple[Network, StabilisationResult, np.ndarray, np.ndarray]:
    """Run the S17 stabilisation on ``net`` (the base network at kappa = its fac_nu_ext_5E).

    Returns (stable Network at kappa_network, StabilisationResult, rates_before, rates_after), where
    the rates are the fixed points from zero rates of the base and the stabilised network at kappa_network.
    """
    o = _opts(options)
    s = dict(STAB_DEFAULTS)
    s.update({k: v for k, v in (stab_options or {}).items() if k in STAB_DEFAULTS})
    if net.model != "mam":
        raise ValueError(f"the S17 stabilisation needs a mam network, got model {net.model!r}")
    mf = from_network(net)
    base5 = float(net.params.get("fac_nu_ext_5E", 1.0))
    base6 = float(net.params.get("fac_nu_ext_6E", 1.0))
    if base5 <= 0 or base6 <= 0:
        raise ValueError(f"fac_nu_ext_5E/6E of the base network must be positive, got {base5}, {base6}")
    result = stabilise(mf, kappa_target=s["kappa_target"], kappa_network=s["kappa_network"],
                       min_iterations=s["min_iterations"], max_iterations=s["max_iterations"], dt=o["dt"],
                       T=o["T"], n_refine=s["n_refine"], base_fac_5E=base5, base_fac_6E=base6,
                       split_rtol=s["split_rtol"], method=o["derivatives"], fixed_point=s["fixed_point"], log=log)
    kappa = s["kappa_network"]
    K_ext = external_indegrees(mf, [kappa], base5, base6)[:, 0]
    kw = dict(dt=o["dt"], T=o["T"], tol=o["tolerance"], max_shift=o["max_shift"], method=o["derivatives"])
    before = solve(mf.with_K(K_ext=K_ext), require_stable=False, **kw).rates
    after = solve(mf.with_K(K=result.K, K_ext=K_ext), require_stable=False, **kw).rates

    stable = copy.deepcopy(net)
    stable.K = np.column_stack([result.K, K_ext])
    stable.synapses = stable.K * np.asarray(net.N, float)[:, None]
    stable.params = dict(net.params)
    stable.params.update({"fac_nu_ext_5E": kappa, "fac_nu_ext_6E": float(fac_6E(kappa)),
                          "K_stable": "stabilised (rule stabilise)", "stabilisation": {**o, **s}})
    stable.check()
    return stable, result, before, after


def comparison_with_published(result: StabilisationResult, K0: np.ndarray, K_published: np.ndarray,
                              populations: Sequence[str]) -> dict:
    """compare_indegrees of the final K (and of every iteration) with the published K'."""
    if K_published.shape != K0.shape:
        raise ValueError(f"published K' has shape {K_published.shape}, the network {K0.shape}")
    out = compare_indegrees(K0, result.K, K_published, populations)
    out["per_iteration"] = [compare_indegrees(K0, K, K_published, populations) for K in result.K_history[1:]]
    return out
