# SPDX-License-Identifier: GPL-3.0-or-later
"""Down-scaling of a network with DC compensation (van Albada, Helias & Diesmann 2015, PLOS CB 11:e1004490).

With N' = N_scaling * N and K' = K_scaling * K, the weights become J' = J / sqrt(K_scaling) so that the
input variance sigma^2 ~ tau_m * sum_j K_ij J_ij^2 nu_j is unchanged (K J^2 is invariant). The mean
input mu_i = 1e-3 tau_m (sum_j J_ij K_ij nu_j + J_ext K_ext nu_ext) (mV; rates in spikes/s, tau in ms)
then shrinks by sqrt(K_scaling); the missing part is injected as a DC current

    I_DC,i = (C_m / tau_m) (1 - sqrt(K_scaling)) (x1_i + x1_ext,i)

with x1 the recurrent and x1_ext the external term of mu at the full-scale rates nu (Schmidt et al.
2018, Brain Struct Funct, Methods; upstream ``adj_W_to_K``). J = W tau_s / C_m converts the PSC
amplitude W (pA) into mV. mu and sigma^2 are preserved only at the given rates, so the rates must be
those of the network being scaled: its mean-field fixed point (results/theory/{net}/fixed_point.h5,
:func:`read_rates`) or, with the simulation key ``dc_rates: <sim>``, the population rates simulated at
full scale (``results/sims/<sim>/stats/summary.csv``, :func:`read_summary_rates`), as the PD14 PyNEST
package compensates with its simulated ``full_mean_rates``.
"""
from __future__ import annotations

import copy
from pathlib import Path

import h5py
import numpy as np

from cortexflow.structure.network_file import Network

# Aliases under which the neuron and drive parameters may appear in a network's ``params``.
_ALIASES = {
    "C_m": ("C_m",),
    "tau_m": ("tau_m",),
    "tau_syn_ex": ("tau_syn_ex", "tau_syn", "tau_s"),
    "tau_syn_in": ("tau_syn_in", "tau_syn", "tau_s"),
    "E_L": ("E_L", "V_rest"),
    "V_th": ("V_th", "theta"),
    "V_reset": ("V_reset",),
    "t_ref": ("t_ref", "tau_ref"),
}
_NU_EXT_ALIASES = ("nu_ext", "rate_ext", "bg_rate")
_NESTED = ("neuron_params", "neuron", "single_neuron_dict", "input_params", "input")


def _lookup(params: dict, names: tuple[str, ...]):
    """First of ``names`` found in params, searching nested parameter dicts breadth-first."""
    queue = [params]
    while queue:
        d = queue.pop(0)
        for name in names:
            if name in d and not isinstance(d[name], dict):
                return d[name]
        queue.extend(v for k, v in d.items() if k in _NESTED and isinstance(v, dict))
    return None


def neuron_params(net: Network) -> dict:
    """LIF parameters (NEST names) of ``net``: C_m, tau_m, tau_syn_ex/in, E_L, V_th, V_reset, t_ref."""
    out, missing = {}, []
    for key, names in _ALIASES.items():
        value = _lookup(net.params, names)
        if value is None:
            missing.append(key)
        else:
            out[key] = float(value)
    if missing:
        raise KeyError(f"network params lack neuron parameter(s) {missing} "
                       f"(looked for {[_ALIASES[m] for m in missing]}, also under {list(_NESTED)})")
    return out


def external_rate(net: Network) -> float:
    """Rate nu_ext (spikes/s) of each external input (the last column of K)."""
    value = _lookup(net.params, _NU_EXT_ALIASES)
    if value is None:
        raise KeyError(f"network params lack the external rate (one of {_NU_EXT_ALIASES})")
    return float(value)


def psc_to_mv(net: Network) -> np.ndarray:
    """Factor tau_s / C_m (mV per pA) per column of W: tau_syn_in for inhibitory sources, else tau_syn_ex."""
    p = neuron_params(net)
    tau = np.where(np.nanmean(np.where(net.W < 0, 1.0, 0.0), axis=0) > 0.5, p["tau_syn_in"], p["tau_syn_ex"])
    return tau / p["C_m"]


def mean_input(net: Network, rates) -> np.ndarray:
    """mu_i (mV) = 1e-3 tau_m sum_j J_ij K_ij nu_j, the last column being the external input at nu_ext."""
    p = neuron_params(net)
    nu = np.append(np.asarray(rates, float), external_rate(net))
    J = net.W * psc_to_mv(net)
    return 1e-3 * p["tau_m"] * (J * net.K) @ nu + net.dc_drive * p["tau_m"] / p["C_m"]


def input_variance(net: Network, rates) -> np.ndarray:
    """sigma_i^2 (mV^2) = 1e-3 tau_m sum_j K_ij J_ij^2 nu_j (diffusion approximation, as the theory stage)."""
    p = neuron_params(net)
    nu = np.append(np.asarray(rates, float), external_rate(net))
    J = net.W * psc_to_mv(net)
    return 1e-3 * p["tau_m"] * (J**2 * net.K) @ nu


def read_rates(path: str | Path, populations: list[str]) -> np.ndarray:
    """Full-scale rates (dataset ``rates``) of ``fixed_point.h5``, checked against the network's populations."""
    with h5py.File(path, "r") as f:
        if "rates" not in f:
            raise KeyError(f"{path}: no dataset 'rates'")
        rates = np.asarray(f["rates"][()], float)
        pops = [p.decode() if isinstance(p, bytes) else str(p) for p in f["populations"][()]] \
            if "populations" in f else None
    if rates.shape != (len(populations),):
        raise ValueError(f"{path}: 'rates' has shape {rates.shape}, the network has {len(populations)} populations")
    if pops is not None and pops != list(populations):
        raise ValueError(f"{path}: population order differs from the network's")
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"{path}: 'rates' must be finite and >= 0")
    return rates


def read_summary_rates(path: str | Path, populations: list[str]) -> np.ndarray:
    """Population rates (column ``rate``, spikes/s) of a simulation's ``stats/summary.csv``, in the order of
    ``populations`` (matched by the ``population`` column; cortexflow.analysis.io writes it).

    KeyError names the file and the populations it lacks; ValueError a non-finite or negative rate.
    """
    import pandas as pd

    table = pd.read_csv(path, comment="#", keep_default_na=False, na_values=["", "NaN", "nan"])
    for col in ("population", "rate"):
        if col not in table.columns:
            raise KeyError(f"{path}: no column {col!r} (columns: {list(table.columns)})")
    table["population"] = table["population"].astype(str)
    if table["population"].duplicated().any():
        dup = sorted(set(table.loc[table["population"].duplicated(), "population"]))
        raise ValueError(f"{path}: population(s) {dup[:5]} listed more than once")
    by_pop = dict(zip(table["population"], table["rate"].astype(float)))
    missing = [p for p in populations if p not in by_pop]
    if missing:
        raise KeyError(f"{path}: no rate for population(s) {missing[:10]}"
                       f"{' ...' if len(missing) > 10 else ''} of the network being scaled "
                       f"({len(missing)} of {len(populations)} missing; was that simulation run with the "
                       f"same network and every area recorded?)")
    rates = np.array([by_pop[p] for p in populations], float)
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        bad = [p for p, r in zip(populations, rates) if not (np.isfinite(r) and r >= 0)]
        raise ValueError(f"{path}: rates of {bad[:5]} must be finite and >= 0")
    return rates


def _check_factor(name: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in (0, 1], got {value!r}") from None
    if not (0.0 < value <= 1.0):
        raise ValueError(f"{name} must be in (0, 1], got {value}")
    return value


def downscale(net: Network, rates_full, N_scaling: float, K_scaling: float,
              rates_source: str = "given") -> Network:
    """Down-scaled copy of a full-scale ``net`` (see the module docstring).

    ``rates_full``: spikes/s per population (network order), the full-scale rates at which mean and
    variance of the input are preserved. W and W_sd shrink by sqrt(K_scaling), K (incl. external) by
    K_scaling, synapses by K_scaling * N_scaling, N by N_scaling; ``dc_drive`` gains I_DC.
    ``rates_source`` (e.g. 'meanfield: <file>' or 'simulation <sim>: <file>') is recorded with the rates
    in ``params["downscaling"]``.
    """
    N_scaling = _check_factor("N_scaling", N_scaling)
    K_scaling = _check_factor("K_scaling", K_scaling)
    if net.N_scaling != 1.0 or net.K_scaling != 1.0:
        raise ValueError(f"downscale expects a full-scale network, got N_scaling={net.N_scaling}, "
                         f"K_scaling={net.K_scaling}")
    rates_full = np.asarray(rates_full, float)
    if rates_full.shape != (net.n,):
        raise ValueError(f"rates_full has shape {rates_full.shape}, expected ({net.n},)")
    out = copy.deepcopy(net)
    if K_scaling != 1.0:
        p = neuron_params(net)
        nu = np.append(rates_full, external_rate(net))
        J = net.W * psc_to_mv(net)
        x = 1e-3 * p["tau_m"] * (J * net.K) @ nu          # x1 + x1_ext (mV)
        out.dc_drive = net.dc_drive + p["C_m"] / p["tau_m"] * (1.0 - np.sqrt(K_scaling)) * x
        out.W = net.W / np.sqrt(K_scaling)
        out.W_sd = net.W_sd / np.sqrt(K_scaling)
        out.K = net.K * K_scaling
    out.synapses = net.synapses * K_scaling * N_scaling
    out.N = net.N * N_scaling
    out.N_scaling, out.K_scaling = N_scaling, K_scaling
    out.params = dict(net.params, downscaling={"N_scaling": N_scaling, "K_scaling": K_scaling,
                                               "rates_full": rates_full.tolist(),
                                               "rates_source": str(rates_source)})
    return out
