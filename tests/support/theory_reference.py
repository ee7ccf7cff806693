"""Mean-field networks from the upstream reference numbers (test oracle only; see tests/test_theory_*.py)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cortexflow.structure.pd14 import psc_over_psp
from cortexflow.theory.inputs import MeanFieldNetwork
from cortexflow.theory.transfer import LIFParams

REFERENCE = Path(__file__).resolve().parents[3] / "shared/data/mam_reference"
RAW_MIRROR = Path(__file__).resolve().parents[3] / "shared/data/mam_raw"


def reference_file(name: str) -> Path:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file {path} not available")
    return path


def upstream_network(which: str = "default", g: float = -11.0, nu_ext: float = 10.0, fac5: float = 1.125,
                     fac6: float = 1.41666667, facTH: float = 1.2) -> MeanFieldNetwork:
    """The upstream MAM (K from upstream_network_numbers.json: 'default' = K_prime_original, 'raw_K' =
    data-derived; external column stored with the 2024 factors 1.125 / 1.41666667 / TH 1.2), chi = 1."""
    d = json.loads(reference_file("upstream_network_numbers.json").read_text())[which]
    K = np.array(d["K"])
    pops = d["structure_vec"]
    K_ext = K[:, -1].copy()
    local = np.array([p.split("-")[1] for p in pops])
    area = np.array([p.split("-")[0] for p in pops])
    K_ext[local == "5E"] *= fac5 / 1.125
    K_ext[local == "6E"] *= fac6 / 1.41666667
    K_ext[(area == "TH") & np.isin(local, ["23E", "5E"])] *= facTH / 1.2
    J_E = 0.15 * psc_over_psp(250.0, 10.0, 0.5) * 0.5 / 250.0
    exc = np.char.endswith(local.astype(str), "E")
    J = np.where(exc[None, :], J_E, g * J_E) * np.ones((len(pops), 1))
    J[(area[:, None] == area[None, :]) & (local[:, None] == "23E") & (local[None, :] == "4E")] *= 2.0
    return MeanFieldNetwork(populations=pops, K=K[:, :-1], J=J, K_ext=K_ext, J_ext=np.full(len(pops), J_E),
                            nu_ext=nu_ext, mu_dc=np.zeros(len(pops)), neuron=LIFParams())


def s17_base() -> MeanFieldNetwork:
    """S17 stabilisation base: data K, g = -16, nu_ext = 8, fac 5E = 6E = 1, TH 1.2, chi = 1."""
    return upstream_network("raw_K", g=-16.0, nu_ext=8.0, fac5=1.0, fac6=1.0, facTH=1.2)
