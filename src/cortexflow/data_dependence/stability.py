# SPDX-License-Identifier: GPL-3.0-or-later
"""The bistability scan of one replicate network: kappa*, the 5E drive factor at which the zero-rate start
jumps to the high-activity state (Schuecker, Schmidt et al. 2017; ``theory.bistability.locate_transition``,
the scan that rule ``stabilise`` runs first)."""
from __future__ import annotations

from cortexflow.structure.network_file import Network
from cortexflow.theory.bistability import locate_transition
from cortexflow.theory.inputs import from_network
from cortexflow.theory.pipeline import STAB_DEFAULTS, _opts


def kappa_star(net: Network, theory_options: dict | None = None, n_refine: int | None = None) -> dict:
    """{kappa_star, kappa_high, found, mean_rate_low, mean_rate_high, base_fac_5E, n_refine} of ``net``
    (kappa relative to the network's own fac_nu_ext_5E/6E). ``found`` is False when the whole scan grid
    (kappa <= 1.19) stays low: kappa_star is then a lower bound."""
    o = _opts(theory_options)
    n_refine = STAB_DEFAULTS["n_refine"] if n_refine is None else int(n_refine)
    base5 = float(net.params.get("fac_nu_ext_5E", 1.0))
    base6 = float(net.params.get("fac_nu_ext_6E", 1.0))
    tr = locate_transition(from_network(net), n_refine=n_refine, dt=o["dt"], T=o["T"], base_fac_5E=base5,
                           base_fac_6E=base6)
    j = int(list(tr.kappas).index(tr.kappa_low))
    return {"kappa_star": tr.kappa_low, "kappa_high": tr.kappa_high if tr.found else None, "found": bool(tr.found),
            "mean_rate_low": float(tr.mean_rates[j]),
            "mean_rate_high": float(tr.mean_rates[j + 1]) if tr.found else None,
            "base_fac_5E": base5, "base_fac_6E": base6, "n_refine": n_refine, "dt": o["dt"], "T": o["T"]}
