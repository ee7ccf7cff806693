# SPDX-License-Identifier: GPL-3.0-or-later
"""Mean-field theory of an area subset whose missing input is replaced (upstream theory.py
``replace_cc_input``; Schmidt et al. 2018 PLoS CB): the fixed point of the simulated populations S only,

    mu_i      = 1e-3 tau_m (sum_{j in S} K_ij J_ij nu_j + K_i,ext J_i,ext nu_ext) + mu_DC,i + mu_rep,i
    sigma_i^2 = 1e-3 tau_m (sum_{j in S} K_ij J_ij^2 nu_j + K_i,ext J_i,ext^2 nu_ext) + s2_rep,i

with the replaced input at the fixed rates nu_j of the non-simulated sources R:

    Poisson (hom/het_poisson_stat): mu_rep = 1e-3 tau_m sum_{j in R} K_ij J_ij nu_j,
                                    s2_rep = 1e-3 tau_m sum_{j in R} K_ij J_ij^2 nu_j;
    DC (het_current_stat):          mu_rep as above, s2_rep = 0;
    dropped (no replacement):       mu_rep = s2_rep = 0.

With nu_R = the full network's fixed point the full fixed point restricted to S solves these equations,
so the reduced fixed point reproduces it (tests/simulation/test_simulation_replacement.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cortexflow.areas import area_of
from cortexflow.simulation.config import REPLACEMENT_MODES
from cortexflow.structure.network_file import Network
from cortexflow.theory.fixedpoint import FixedPoint, solve
from cortexflow.theory.inputs import MeanFieldNetwork, from_network

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence

    import pandas as pd


@dataclass
class ReducedMeanFieldNetwork(MeanFieldNetwork):
    """A MeanFieldNetwork with a fixed extra input (mV, mV^2) per population."""
    mu_rep: np.ndarray | None = None
    s2_rep: np.ndarray | None = None

    def _refresh(self):
        super()._refresh()
        if self.mu_rep is not None:
            self.mu_ext = self.mu_ext + self.mu_rep
        if self.s2_rep is not None:
            self.s2_ext = self.s2_ext + self.s2_rep


def simulated_indices(net: Network, areas: Sequence[str]) -> list[int]:
    """Indices of the populations 'AREA-POP' of ``areas`` with N >= 1 (the ones NEST creates)."""
    areas = set(areas)
    N = np.floor(np.asarray(net.N, float) + 1e-9)
    idx = [i for i, p in enumerate(net.populations) if area_of(p) in areas and N[i] > 0]
    if not idx:
        raise ValueError(f"no populations of areas {sorted(areas)} in the network")
    return idx


def reduced_network(mf: MeanFieldNetwork, simulated: Sequence[int], mode: str | None,
                    nu_source: np.ndarray | None = None) -> ReducedMeanFieldNetwork:
    """The simulated populations' mean-field system with the rest replaced (``mode``) or dropped (None).
    ``nu_source``: rates (n,) of all populations (only the non-simulated ones are used)."""
    S = np.asarray(simulated, int)
    R = np.setdiff1d(np.arange(mf.n), S)
    tau = 1e-3 * mf.neuron.tau_m
    mu_rep = s2_rep = np.zeros(len(S))
    if mode is not None:
        if mode not in REPLACEMENT_MODES:
            raise ValueError(f"unknown replacement mode {mode!r}; known: {list(REPLACEMENT_MODES)}")
        if mode == "hom_poisson_stat":
            nu = np.full(len(R), mf.nu_ext)
        else:
            nu = np.asarray(nu_source, float)[R]
            used = (mf.K[np.ix_(S, R)] > 0).any(axis=0)
            if not np.all(np.isfinite(nu[used])):
                raise ValueError("replacement rates are missing for some non-simulated source populations")
            nu = np.where(np.isfinite(nu), nu, 0.0)
        KJ = mf.K[np.ix_(S, R)] * mf.J[np.ix_(S, R)]
        mu_rep = tau * KJ @ nu
        s2_rep = tau * (KJ * mf.J[np.ix_(S, R)]) @ nu if mode != "het_current_stat" else np.zeros(len(S))
    return ReducedMeanFieldNetwork(
        populations=[mf.populations[i] for i in S], K=mf.K[np.ix_(S, S)], J=mf.J[np.ix_(S, S)],
        K_ext=mf.K_ext[S], J_ext=mf.J_ext[S], nu_ext=mf.nu_ext, mu_dc=mf.mu_dc[S], neuron=mf.neuron,
        mu_rep=mu_rep, s2_rep=s2_rep)


def subset_fixed_point(net: Network, areas: Sequence[str], mode: str | None, nu_source: np.ndarray | None = None,
                       options: dict | None = None, initial_rates: np.ndarray | None = None
                       ) -> tuple[list[int], FixedPoint, ReducedMeanFieldNetwork]:
    """(simulated indices, fixed point of the reduced system, the reduced system) of ``net`` restricted to
    ``areas``; options as the ``theory`` config (dt, T, tolerance, max_shift, derivatives)."""
    from cortexflow.theory.pipeline import _opts
    o = _opts(options)
    S = simulated_indices(net, areas)
    red = reduced_network(from_network(net), S, mode, nu_source)
    fp = solve(red, initial_rates=initial_rates, dt=o["dt"], T=o["T"], tol=o["tolerance"],
               max_shift=o["max_shift"], method=o["derivatives"], require_stable=False)
    return S, fp, red


def subset_table(net: Network, areas: Sequence[str], mode: str | None, nu_source: np.ndarray | None,
                 nu_full: np.ndarray, options: dict | None = None,
                 log: Callable[[str], object] | None = None) -> tuple[pd.DataFrame, FixedPoint]:
    """Per simulated population: ``rate_meanfield_full`` (the full network's fixed point),
    ``rate_meanfield_subset`` (reduced system as configured: ``mode`` at ``nu_source``),
    ``rate_meanfield_dropped`` (reduced system without the non-simulated input; NaN if it does not
    converge), ``replaced_rate`` (sum_j K_ij nu_j over replaced sources, spikes/s) and ``mu_rep_mV``."""
    import pandas as pd

    from cortexflow.theory.fixedpoint import NotConvergedError

    nu_full = np.asarray(nu_full, float)
    S, fp, red = subset_fixed_point(net, areas, mode, nu_source, options, initial_rates=None)
    try:
        dropped = subset_fixed_point(net, areas, None, options=options)[1].rates
    except NotConvergedError as err:
        if log:
            log(f"dropped-input mean field did not converge: {err}")
        dropped = np.full(len(S), np.nan)
    if mode is None:
        replaced = np.zeros(len(S))
    else:
        mf = from_network(net)
        R = np.setdiff1d(np.arange(net.n), S)
        nu = np.full(len(R), mf.nu_ext) if mode == "hom_poisson_stat" else np.asarray(nu_source, float)[R]
        replaced = mf.K[np.ix_(S, R)] @ np.where(np.isfinite(nu), nu, 0.0)
    return pd.DataFrame({
        "population": [net.populations[i] for i in S],
        "area": [area_of(net.populations[i]) for i in S],
        "rate_meanfield_full": nu_full[S],
        "rate_meanfield_subset": fp.rates,
        "rate_meanfield_dropped": dropped,
        "replaced_rate": replaced,
        "mu_rep_mV": red.mu_rep,
        "mu_mV": fp.mu, "sigma_mV": fp.sigma,
    }), fp
