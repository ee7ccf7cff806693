# SPDX-License-Identifier: GPL-3.0-or-later
"""Mean and variance of the summed synaptic input in the diffusion approximation
(Schuecker, Schmidt et al. 2017 PLoS CB Eqs. 1-2; upstream ``Theory.mu_sigma``):

    mu_i      = 1e-3 tau_m (sum_j K_ij J_ij nu_j + K_i,ext J_i,ext nu_ext) + tau_m I_DC,i / C_m
    sigma_i^2 = 1e-3 tau_m (sum_j K_ij J_ij^2 nu_j + K_i,ext J_i,ext^2 nu_ext)

with rates in spikes/s, tau_m in ms, J = W tau_s / C_m the PSC amplitude expressed in mV (upstream
``J_matrix``, the same tau_s for E and I), mu and sigma in mV. ``MeanFieldNetwork`` holds the
arrays once; ``mu_sigma`` accepts rates of shape (n,) or (n, batch).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cortexflow.structure.network_file import Network
from cortexflow.theory.transfer import LIFParams

# Neuron parameters as named in network params (pd14: top level; mam: also accepted nested under
# 'neuron_params' / 'single_neuron_dict' as upstream). Defaults are those of both models.
_NEURON_KEYS = {"C_m": 250.0, "tau_m": 10.0, "tau_syn": 0.5, "t_ref": 2.0, "E_L": -65.0,
                "V_th": -50.0, "V_reset": -65.0}
_RATE_KEYS = ("rate_ext", "bg_rate", "nu_ext")


def _lookup(params: dict, key: str):
    """Find ``key`` at the top level of network params or in a nested neuron/input dict."""
    if key in params:
        return params[key]
    for nest_key in ("neuron", "neuron_params", "single_neuron_dict", "input_params", "input"):
        sub = params.get(nest_key)
        if isinstance(sub, dict):
            found = _lookup(sub, key)
            if found is not None:
                return found
    return None


def lif_params(params: dict) -> LIFParams:
    """LIF constants (relative to E_L) from network params; missing keys take the model defaults."""
    v = {k: (_lookup(params, k) if _lookup(params, k) is not None else d) for k, d in _NEURON_KEYS.items()}
    if _lookup(params, "tau_syn") is None and _lookup(params, "tau_syn_ex") is not None:
        v["tau_syn"] = _lookup(params, "tau_syn_ex")
    p = LIFParams(theta=float(v["V_th"] - v["E_L"]), V_r=float(v["V_reset"] - v["E_L"]),
                  tau_m=float(v["tau_m"]), tau_s=float(v["tau_syn"]), tau_r=float(v["t_ref"]),
                  C_m=float(v["C_m"]))
    if not (p.theta > p.V_r and p.tau_m > 0 and p.tau_s > 0 and p.tau_r >= 0 and p.C_m > 0):
        raise ValueError(f"impossible neuron parameters {p}")
    return p


@dataclass
class MeanFieldNetwork:
    """Arrays for mu/sigma: K, J (n x n, target x source), K_ext, J_ext (n), nu_ext, mu_dc (mV)."""
    populations: list[str]
    K: np.ndarray
    J: np.ndarray
    K_ext: np.ndarray
    J_ext: np.ndarray
    nu_ext: float
    mu_dc: np.ndarray
    neuron: LIFParams

    def __post_init__(self):
        self._refresh()

    def _refresh(self):
        tau = 1e-3 * self.neuron.tau_m
        self.KJ = tau * self.K * self.J
        self.KJ2 = tau * self.K * self.J * self.J
        self._KJ_both = np.vstack([self.KJ, self.KJ2])
        self.mu_ext = tau * self.K_ext * self.J_ext * self.nu_ext + self.mu_dc
        self.s2_ext = tau * self.K_ext * self.J_ext**2 * self.nu_ext

    @property
    def n(self) -> int:
        return len(self.populations)

    def with_K(self, K=None, K_ext=None) -> MeanFieldNetwork:
        """A copy with other recurrent and/or external indegrees."""
        return replace(self, K=self.K if K is None else np.asarray(K, float),
                       K_ext=self.K_ext if K_ext is None else np.asarray(K_ext, float))

    def mu_sigma(self, nu):
        """(mu, sigma) in mV for rates ``nu`` (spikes/s) of shape (n,) or (n, batch)."""
        nu = np.asarray(nu, dtype=float)
        if self.mu_ext.ndim == nu.ndim:   # per-column drive (n, batch) or plain (n,)
            mu_ext, s2_ext = self.mu_ext, self.s2_ext
        else:
            ext = (slice(None),) + (None,) * (nu.ndim - 1)
            mu_ext, s2_ext = self.mu_ext[ext], self.s2_ext[ext]
        both = self._KJ_both @ nu
        mu = both[: self.n] + mu_ext
        s2 = both[self.n:] + s2_ext
        return mu, np.sqrt(np.maximum(s2, 0.0))


def from_network(net: Network) -> MeanFieldNetwork:
    """Mean-field arrays of a ``network.h5`` network (J = W tau_s / C_m; nu_ext from params)."""
    p = lif_params(net.params)
    nu_ext = next((_lookup(net.params, k) for k in _RATE_KEYS if _lookup(net.params, k) is not None), None)
    K_ext = np.asarray(net.K[:, -1], float)
    if nu_ext is None:
        if np.any(K_ext > 0):
            raise ValueError(f"network params name no external rate (one of {_RATE_KEYS}) but K_ext > 0")
        nu_ext = 0.0
    if np.any(net.K < 0):
        i, j = np.argwhere(net.K < 0)[0]
        raise ValueError(f"negative indegree K[{net.populations[i]}, {j}] = {net.K[i, j]}")
    J = np.asarray(net.W, float) * p.tau_s / p.C_m
    mu_dc = p.tau_m / p.C_m * np.asarray(net.dc_drive, float)
    return MeanFieldNetwork(populations=list(net.populations), K=np.asarray(net.K[:, :-1], float),
                            J=J[:, :-1], K_ext=K_ext, J_ext=J[:, -1], nu_ext=float(nu_ext), mu_dc=mu_dc,
                            neuron=p)

