# SPDX-License-Identifier: GPL-3.0-or-later
"""Bistability of the multi-area model under the external drive to 5E/6E (Schuecker, Schmidt et al.
2017 PLoS CB Fig. 4).

kappa = fac_nu_ext_5E scales the external indegree of every 5E population; 6E is tied to it as
upstream does, fac_nu_ext_6E = 10/3 kappa - 7/3 (kappa = 1 <-> 1, kappa = 1.125 <-> 1.41667).
For each kappa the pseudo-dynamics start from zero rates (dt, T as configured) and the population-mean
rate at s = T tells the low- from the high-activity state.

The transition kappa* is located by a batched nested-grid bisection (upstream
``figures/SchueckerSchmidt2017/utils.compute_iteration``): a coarse grid (1.00, 1.01, ..., 1.19 and
1.125) is integrated in one batch; the grid interval with the largest jump of the final mean rate is
subdivided into steps of 10^-(i+2), i = 1..n_refine, and integrated again. With n_refine = 6 the
bracket is 1e-8 wide. All kappa of one round are integrated together (one column each).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cortexflow.areas import population_of
from cortexflow.theory.fixedpoint import integrate
from cortexflow.theory.inputs import MeanFieldNetwork

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from numpy.typing import ArrayLike


def fac_6E(kappa: ArrayLike) -> np.ndarray:
    """The 6E factor tied to kappa = fac_nu_ext_5E (S17): 10/3 kappa - 7/3."""
    return 10.0 / 3.0 * np.asarray(kappa) - 7.0 / 3.0


def pop_mask(populations: Sequence[str], pop: str) -> np.ndarray:
    """Boolean mask of the populations named '<area>-<pop>' or '<pop>'."""
    return np.array([population_of(p) == pop for p in populations])


def external_indegrees(mf: MeanFieldNetwork, kappa: ArrayLike, base_fac_5E: float = 1.0,
                       base_fac_6E: float = 1.0) -> np.ndarray:
    """K_ext for each kappa: (n, len(kappa)); 5E rows scaled by kappa/base_fac_5E, 6E by
    fac_6E(kappa)/base_fac_6E (other factors such as fac_nu_ext_TH are kept)."""
    kappa = np.atleast_1d(np.asarray(kappa, float))
    scale = np.ones((mf.n, kappa.size))
    scale[pop_mask(mf.populations, "5E")] = kappa / base_fac_5E
    scale[pop_mask(mf.populations, "6E")] = fac_6E(kappa) / base_fac_6E
    return mf.K_ext[:, None] * scale


def _batched(mf: MeanFieldNetwork, K_ext_cols: np.ndarray) -> MeanFieldNetwork:
    """A copy whose external drive differs per batch column (K_ext_cols: (n, batch))."""
    tau = 1e-3 * mf.neuron.tau_m
    b = mf.with_K()
    b.mu_ext = tau * K_ext_cols * (mf.J_ext * mf.nu_ext)[:, None] + mf.mu_dc[:, None]
    b.s2_ext = tau * K_ext_cols * (mf.J_ext**2 * mf.nu_ext)[:, None]
    return b


def final_rates(mf: MeanFieldNetwork, kappas: ArrayLike, dt: float = 0.01, T: float = 30.0,
                base_fac_5E: float = 1.0, base_fac_6E: float = 1.0, record: str | None = None,
                initial_rates: np.ndarray | None = None) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Rates at s = T from ``initial_rates`` (default zeros) for every kappa (n, len(kappas))."""
    kappas = np.atleast_1d(np.asarray(kappas, float))
    b = _batched(mf, external_indegrees(mf, kappas, base_fac_5E, base_fac_6E))
    nu0 = np.zeros((mf.n, kappas.size)) if initial_rates is None else np.asarray(initial_rates, float)
    return integrate(b, nu0, dt=dt, T=T, record=record)


@dataclass
class Transition:
    kappa_low: float            # largest scanned kappa ending in the low state
    kappa_high: float           # next scanned kappa (high state)
    kappas: np.ndarray          # every scanned kappa, sorted
    mean_rates: np.ndarray      # population-mean rate at s = T per scanned kappa
    rates: np.ndarray           # (n, len(kappas)) rates at s = T

    found: bool = True          # False: no transition on the grid (kappa_low = grid maximum, a lower bound)

    @property
    def kappa_star(self) -> float:
        return self.kappa_low


def coarse_grid() -> np.ndarray:
    """Upstream's first grid: 1.00, 1.01, ..., 1.19, then 1.125."""
    return np.append(np.arange(1.0, 1.2, 0.01), 1.125)


def locate_transition(mf: MeanFieldNetwork, grid: ArrayLike | None = None, n_refine: int = 6, dt: float = 0.01,
                      T: float = 30.0, base_fac_5E: float = 1.0, base_fac_6E: float = 1.0, min_jump: float = 1.0,
                      low_rate_max: float = 20.0) -> Transition:
    """Nested-grid bisection for kappa* (see module docstring).

    If the coarse grid shows no jump of the final mean rate larger than ``min_jump`` spikes/s and every
    mean rate is below ``low_rate_max``, the network is in the low state on the whole grid: returns
    ``found=False`` with kappa_low = the largest grid value (a lower bound of kappa*). If it is high on
    the whole grid, raises ``ValueError``.
    """
    grid = coarse_grid() if grid is None else np.asarray(grid, float)
    all_k, all_r = [], []
    for i in range(n_refine + 1):
        r = final_rates(mf, grid, dt, T, base_fac_5E, base_fac_6E)
        all_k.append(grid)
        all_r.append(r)
        mean = r.mean(axis=0)
        jumps = np.diff(mean)
        j = int(np.argmax(jumps))
        if i == 0 and jumps[j] < min_jump:
            order = np.argsort(grid)
            if np.all(mean < low_rate_max):
                return Transition(kappa_low=float(grid.max()), kappa_high=float("inf"), kappas=grid[order],
                                  mean_rates=mean[order], rates=r[:, order], found=False)
            raise ValueError(f"no low-to-high transition on the kappa grid {grid.min():.4g}..{grid.max():.4g} "
                             f"and mean rates up to {mean.max():.3g} spikes/s (high-activity state)")
        if i < n_refine:
            grid = np.arange(grid[j], grid[j + 1] + 1e-10, 10.0 ** (-(i + 3)))
    kappas = np.concatenate(all_k)
    rates = np.concatenate(all_r, axis=1)
    order = np.argsort(kappas, kind="stable")
    kappas, rates = kappas[order], rates[:, order]
    mean = rates.mean(axis=0)
    j = int(np.argmax(np.diff(mean)))
    return Transition(kappa_low=float(kappas[j]), kappa_high=float(kappas[j + 1]), kappas=kappas,
                      mean_rates=mean, rates=rates)
