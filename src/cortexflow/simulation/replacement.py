# SPDX-License-Identifier: GPL-3.0-or-later
"""Input that replaces the areas left out of a multi-area simulation (``areas_simulated``).

As upstream ``replace_non_simulated_areas`` (INM-6/multi-area-model, multiarea_model/simulation.py,
``Area.create_additional_input``; Schmidt et al. 2018 PLoS CB): every target population i of a simulated
area keeps, from every population j of a non-simulated area, its K_ij synapses of weight W_ij (the
network's K and W, i.e. scaled ones in a down-scaled network), now driven by a stationary process at
the rate nu_j of j:

* ``het_poisson_stat``: Poisson input of rate K_ij nu_j and weight W_ij to every neuron of i
  (NEST's ``poisson_generator`` sends an independent train to each target). Independent Poisson trains
  of equal weight add up to one Poisson train, and a delay only shifts a stationary train, so the
  pairs (j) of one target that share a weight are merged into one generator of rate sum_j K_ij nu_j
  (in the mam all cortico-cortical weights are equal, so one generator per target population); its
  delay is the rate-weighted mean of their delays (irrelevant for stationary input).
* ``hom_poisson_stat``: the same with nu_j = nu_ext (the external rate) for every source, as upstream.
* ``het_current_stat``: the mean of that input as a DC current,
  I_i = 1e-3 sum_j K_ij W_ij tau_s nu_j (pA; W in pA, tau_s in ms, nu in spikes/s), the stationary
  counterpart of upstream's ``het_current_nonstat`` (whose time series are not implemented here).

The rates nu_j come from a file that the workflow names (never a default): a ``fixed_point.h5`` of the
theory stage (dataset ``rates``) or a simulation's ``stats/summary.csv`` (columns ``population``, ``rate``).
No NEST import here.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from cortexflow.simulation.config import REPLACEMENT_MODES, REPLACEMENT_NEEDS_RATES
from cortexflow.structure.network_file import Network
from cortexflow.structure.scaling import external_rate, neuron_params


def read_source_rates(path, populations: list[str]) -> np.ndarray:
    """Rates (spikes/s) per population of the network (NaN where the file has none).

    ``fixed_point.h5``: dataset ``rates`` in the network's population order; ``summary.csv``: the
    ``rate`` column of the rows whose ``population`` is one of the network's."""
    path = Path(path)
    if path.suffix == ".h5":
        from cortexflow.structure.scaling import read_rates
        return read_rates(path, populations)
    if path.suffix == ".csv":
        from cortexflow.analysis.io import read_summary
        table = read_summary(path)
        if not {"population", "rate"} <= set(table.columns):
            raise KeyError(f"{path}: needs columns 'population' and 'rate', has {list(table.columns)}")
        by_pop = dict(zip(table["population"].astype(str), table["rate"].astype(float)))
        return np.array([by_pop.get(p, np.nan) for p in populations], float)
    raise ValueError(f"{path}: replacement rates must come from a fixed_point.h5 or a summary.csv")


def source_rates(net: Network, mode: str, rates=None) -> np.ndarray:
    """nu_j per population for ``mode``: nu_ext everywhere (hom_poisson_stat) or ``rates`` (het_*)."""
    if mode not in REPLACEMENT_MODES:
        raise ValueError(f"unknown replacement mode {mode!r}; known: {list(REPLACEMENT_MODES)}")
    if mode == "hom_poisson_stat":
        return np.full(net.n, external_rate(net))
    if rates is None:
        raise ValueError(f"replacement mode {mode!r} needs the rates of the non-simulated populations")
    rates = np.asarray(rates, float)
    if rates.shape != (net.n,):
        raise ValueError(f"replacement rates have shape {rates.shape}, the network has {net.n} populations")
    return rates


def replaced_pairs(net: Network, simulated) -> np.ndarray:
    """Boolean (n x n) mask of the (target, source) pairs to replace: simulated target, non-simulated
    source (N > 0 in the full network is not required: a source with K_ij > 0 counts)."""
    sim = np.zeros(net.n, bool)
    sim[list(simulated)] = True
    K = np.asarray(net.K[:, : net.n], float)
    return sim[:, None] & ~sim[None, :] & (K > 0)


def _checked(net: Network, simulated, nu: np.ndarray) -> np.ndarray:
    mask = replaced_pairs(net, simulated)
    need = mask.any(axis=0)
    bad = need & ~(np.isfinite(nu) & (nu >= 0))
    if bad.any():
        names = [net.populations[j] for j in np.flatnonzero(bad)][:8]
        raise ValueError(f"replacement rates missing or invalid for {int(bad.sum())} non-simulated source "
                         f"population(s), e.g. {names} (the rates file must cover every replaced source)")
    return mask


def poisson_inputs(net: Network, simulated, nu, resolution: float = 0.1, rtol: float = 1e-9) -> list[dict]:
    """Generators of ``het_poisson_stat``/``hom_poisson_stat``: one per target population and distinct
    weight, dicts with ``target`` (index), ``weight`` (pA), ``rate`` (sum_j K_ij nu_j, spikes/s),
    ``delay`` (ms, rate-weighted mean, >= resolution), ``sources`` (indices j)."""
    nu = np.asarray(nu, float)
    mask = _checked(net, simulated, nu)
    K, W, D = (np.asarray(a[:, : net.n], float) for a in (net.K, net.W, net.delay))
    out = []
    for i in np.flatnonzero(mask.any(axis=1)):
        js = np.flatnonzero(mask[i])
        w = W[i, js]
        # group the sources of target i by equal weight (to rtol)
        order = np.argsort(w)
        groups, start = [], 0
        for k in range(1, len(order) + 1):
            if k == len(order) or not np.isclose(w[order[k]], w[order[start]], rtol=rtol, atol=0):
                groups.append(js[order[start:k]])
                start = k
        for g in groups:
            r = K[i, g] * nu[g]
            rate = float(r.sum())
            if rate <= 0:
                continue
            delay = float(np.sum(r * D[i, g]) / rate)
            out.append({"target": int(i), "weight": float(W[i, g].mean()), "rate": rate,
                        "delay": max(delay, resolution), "sources": g.tolist()})
    return out


def total_rates(net: Network, simulated, nu) -> np.ndarray:
    """sum_j K_ij nu_j over the replaced sources, per population (0 for non-simulated ones)."""
    nu = np.asarray(nu, float)
    mask = _checked(net, simulated, nu)
    K = np.asarray(net.K[:, : net.n], float)
    return np.where(mask, K * np.where(np.isfinite(nu), nu, 0.0)[None, :], 0.0).sum(axis=1)


def dc_currents(net: Network, simulated, nu) -> np.ndarray:
    """``het_current_stat``: I_i = 1e-3 sum_j K_ij W_ij tau_s,j nu_j (pA) per population (0 elsewhere);
    tau_s = tau_syn_ex for excitatory sources (W > 0), tau_syn_in for inhibitory ones."""
    nu = np.asarray(nu, float)
    mask = _checked(net, simulated, nu)
    p = neuron_params(net)
    K, W = (np.asarray(a[:, : net.n], float) for a in (net.K, net.W))
    tau = np.where(W < 0, p["tau_syn_in"], p["tau_syn_ex"])
    nu0 = np.where(np.isfinite(nu), nu, 0.0)
    return 1e-3 * np.where(mask, K * W * tau * nu0[None, :], 0.0).sum(axis=1)


def needs_rates(mode: str | None) -> bool:
    return mode in REPLACEMENT_NEEDS_RATES
