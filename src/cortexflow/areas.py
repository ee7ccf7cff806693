# SPDX-License-Identifier: GPL-3.0-or-later
"""Area and population names of the multi-area model, in the published model order
(Schmidt et al. 2018: sorted by architectural type) and the population order of Potjans & Diesmann (2014)."""

AREAS = ["V1", "V2", "VP", "V3", "V3A", "MT", "V4t", "V4", "VOT", "MSTd", "PIP", "PO", "DP", "MIP",
         "MDP", "VIP", "LIP", "PITv", "PITd", "MSTl", "CITv", "CITd", "FEF", "TF", "AITv", "FST",
         "7a", "STPp", "STPa", "46", "AITd", "TH"]
POPULATIONS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
LAYERS = ["1", "23", "4", "5", "6"]


def structure(area: str) -> list[str]:
    """Populations present in an area (TH has no layer 4)."""
    return [p for p in POPULATIONS if not (area == "TH" and p.startswith("4"))]


def population_labels(areas: list[str] = AREAS) -> list[str]:
    """['V1-23E', ...]: 254 labels for the 32 areas."""
    return [f"{a}-{p}" for a in areas for p in structure(a)]


def area_of(label: str) -> str:
    """Area of a population label: ``'V1-23E'`` -> ``'V1'``.

    A label without an area (the pd14 microcircuit: ``'23E'``) belongs to one unnamed area, ``''``: the
    ``area`` column of stats/summary.csv and the single area of a pd14 rate series. Area names hold no
    '-', so the split is at the last one.
    """
    return label.rsplit("-", 1)[0] if "-" in label else ""


def population_of(label: str) -> str:
    """Population within its area: ``'V1-23E'`` -> ``'23E'``; ``'23E'`` -> ``'23E'``."""
    return label.rsplit("-", 1)[-1]
