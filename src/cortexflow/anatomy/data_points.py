# SPDX-License-Identifier: GPL-3.0-or-later
"""The measured data points behind the fits of processed.json, and the uncertainty of the SLN fit:
results/anatomy/data_points.json (rule anatomy_data_points, docs/anatomy.md), read by the structure figures
(Schmidt et al. 2018 BSF Figs 2, 4, 5) so that they draw without reading raw files.

* ``thickness_data_um``: Barbas-lab total thicknesses per area (Hilgetag et al. 2016, Table 4; µm);
* ``relative_thickness_data``: per area and layer, the mean over studies of d_l/D (NaN: no study);
* ``cocomac_pairs``: {source: [targets]} of the raw CoCoMac query (which connections CoCoMac reports);
* ``sln_observations``: the 188 SLN observations of Markov et al. 2014 (DENS = ln ρ_target/ρ_source, S, I);
* ``sln_fit``: the asymptotic covariance of (b0, b1) of the beta-binomial probit fit (sln.fit_covariance),
  their standard errors and the pointwise confidence band Φ(η ± z·SE η) at ``level`` on a grid ``x`` that
  spans the observations ± 0.4 (sln.probit_band).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from cortexflow.anatomy import readers, sln, thickness
from cortexflow.areas import AREAS

BAND_MARGIN = 0.4  # the band's grid extends this far beyond the smallest and largest observed DENS
BAND_POINTS = 300
FILES = {"thickness": "CorticalThickness.csv", "laminar": "laminar_thicknesses_macaque.csv",
         "cocomac": "CoCoMac_complete_81.json", "sln_data": "RData_prepared_logdensities.txt"}


def sln_uncertainty(data: pd.DataFrame, fit: dict, level: float) -> dict:
    """Covariance and standard errors of (b0, b1) and the confidence band of the SLN fit at ``level``."""
    cov = sln.fit_covariance(data, fit)
    x = np.linspace(data["DENS"].min() - BAND_MARGIN, data["DENS"].max() + BAND_MARGIN, BAND_POINTS)
    lower, upper = sln.probit_band(x, fit, cov, level)
    return {"covariance": cov.tolist(), "se_b0_b1": np.sqrt(np.diag(cov)).tolist(),
            "band": {"level": float(level), "x": x.tolist(), "lower": lower.tolist(), "upper": upper.tolist()}}


def data_points(raw_dir: str | Path, processed: dict, band_level: float) -> dict:
    """Every entry of data_points.json from the raw files under ``raw_dir`` and the fits of ``processed``."""
    raw_dir = Path(raw_dir)
    studies = readers.read_laminar_thicknesses(raw_dir / FILES["laminar"])
    observations = readers.read_sln_fit_data(raw_dir / FILES["sln_data"])
    cocomac = readers.read_cocomac(raw_dir / FILES["cocomac"])
    return {
        "thickness_data_um": readers.read_total_thickness(raw_dir / FILES["thickness"]),
        "relative_thickness_data": thickness.relative_thicknesses_from_studies(studies, AREAS),
        "cocomac_pairs": {s: sorted(targets) for s, targets in sorted(cocomac.items())},
        "sln_observations": {c: observations[c].to_numpy(dtype=float).tolist() for c in ("DENS", "S", "I")},
        "sln_fit": sln_uncertainty(observations, processed["fits"]["sln"], band_level),
    }


def read_data_points(path: str | Path) -> dict:
    """data_points.json with NaN restored (JSON null), the SLN observations as a DataFrame (DENS, S, I) and
    the band as arrays."""
    out = json.loads(Path(path).read_text())
    out["relative_thickness_data"] = {a: {k: math.nan if v is None else v for k, v in layers.items()}
                                      for a, layers in out["relative_thickness_data"].items()}
    out["sln_observations"] = pd.DataFrame(out["sln_observations"])[["DENS", "S", "I"]]
    band = out["sln_fit"]["band"]
    for key in ("x", "lower", "upper"):
        band[key] = np.asarray(band[key], dtype=float)
    return out
