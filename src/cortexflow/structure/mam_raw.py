"""Small readers for the raw files that network construction uses directly (data/raw, see sources.yaml).

Each returns plain numpy arrays / dicts in the order of ``cortexflow.areas`` where areas are involved,
and raises ValueError naming the file when its content is not as expected.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cortexflow.anatomy import readers
from cortexflow.areas import AREAS, LAYERS, POPULATIONS
from cortexflow.rawdata import check_raw
from cortexflow.workflow.constants import MAM_RAW_FILES

FILES = MAM_RAW_FILES  # defined in cortexflow.workflow.constants (parse-time safe)


def _rows(path: Path, skip: int = 2, delimiter: str = "\t") -> list[list[str]]:
    if not path.is_file():
        raise FileNotFoundError(f"raw data file missing: {path}")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    return [r for r in rows[skip:] if any(c.strip() for c in r)]


def _float(path: Path, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{path.name}: cannot read {text!r} as a number") from None


def _file(raw_dir, key: str) -> Path:
    path = Path(raw_dir) / FILES[key]
    if not path.is_file():
        raise FileNotFoundError(f"raw data file missing: {path}")
    return check_raw(path)  # sha256 against the sources.yaml beside it, when there is one


# The tables below are parsed by cortexflow.anatomy.readers (one parser per file); these functions only
# put them into the arrays and the model order that network construction uses.

def read_pd14_connectivity(raw_dir) -> np.ndarray:
    """Connection probabilities C_PD14 (8 targets x 8 sources, POPULATIONS order; thalamus dropped)."""
    path = _file(raw_dir, "intrinsic_connectivity")
    table = readers.read_intrinsic_connectivity(path)
    try:
        return table.loc[POPULATIONS, POPULATIONS].to_numpy(dtype=float)
    except KeyError as err:
        raise ValueError(f"{path.name}: expected an 8 x 9 table over {POPULATIONS} + Th ({err})") from None


def read_pd14_numbers(raw_dir) -> np.ndarray:
    """PD14 neurons under 1 mm^2 (8, POPULATIONS order)."""
    path = _file(raw_dir, "numbers_v1")
    table = readers.read_numbers_v1(path)
    try:
        return np.array([table[p]["neurons"] for p in POPULATIONS])
    except KeyError as err:
        raise ValueError(f"{path.name}: population {err} missing") from None


def read_intrinsic_fln(raw_dir) -> float:
    """Mean intrinsic FLN of Markov et al. (2011) (row 'mean': 0.79)."""
    path = _file(raw_dir, "intrinsic_fln")
    table = readers.read_intrinsic_fln(path)
    if "mean" not in table:
        raise ValueError(f"{path.name}: row 'mean' missing")
    return table["mean"]["mean"]


def read_av_indegree_v1(raw_dir) -> float:
    """Mean of the synapses per neuron of Cragg (1967) and O'Kusky & Colonnier (1982): 3950."""
    return float(np.mean([readers.read_single_number(_file(raw_dir, k)) for k in ("cragg", "okusky")]))


def read_surfaces(raw_dir) -> np.ndarray:
    """Surface S(A) in mm^2 of the 32 areas (AREAS order)."""
    path = _file(raw_dir, "surface")
    table = readers.read_surfaces(path)
    missing = [a for a in AREAS if a not in table]
    if missing:
        raise ValueError(f"{path.name}: areas {missing} missing")
    return np.array([table[a] for a in AREAS])


def read_distances(raw_dir) -> np.ndarray:
    """Median inter-area distances (mm), 32 x 32 in AREAS order, [target, source]."""
    path = _file(raw_dir, "distances")
    table = readers.read_distance_matrix(path)
    try:
        return table.loc[AREAS, AREAS].to_numpy(dtype=float)
    except KeyError as err:
        raise ValueError(f"{path.name}: area {err} missing") from None


@dataclass
class BinzeggerRow:
    cell_type: str       # e.g. 'p2/3', 'ss4(L2/3)'
    soma_layer: str      # '1', '23', '4', '5', '6' or '' (thalamus)
    excitatory: bool     # no 'b' (basket) in the name
    synapse_layer: str   # layer of the dendritic synapses counted in this row
    occurrence: float    # % of cells of this type
    synapses: float      # synapses per neuron in this layer
    cc_percent: float    # % of these synapses from cortico-cortical afferents


def read_binzegger(raw_dir, ss4_L23_synapse_layer: str = "23") -> list[BinzeggerRow]:
    """Rows of Binzegger et al. (2004), Table (cell type x dendritic layer), cortical part only.

    Rows without an entry in the layer column take their synapse layer from the cell-type name:
    the digits inside the parentheses if any, else the digits of the name (nb1 -> 1, b2/3 -> 23,
    ss4(L4) -> 4). The single ambiguous row is ss4(L2/3): upstream's rule gives '23' (its axon
    target), its dendrites are in L4; ``ss4_L23_synapse_layer`` chooses (default '23' = upstream).
    """
    path = Path(raw_dir) / FILES["binzegger"]
    rows = _rows(path)
    header = [c.strip() for c in rows[0]]
    try:
        i_occ = header.index("percent of cells (respect to total area)")
        i_syn = header.index("number of synapses per neuron")
        i_cc = header.index("corticocortical")
    except ValueError as err:
        raise ValueError(f"{path.name}: header column missing ({err})") from None
    out, occurrence = [], {}
    for r in rows[1:]:
        name = r[0].strip()
        if not name:  # separator before the thalamic rows
            break
        layer = r[1].strip().lstrip("L").replace("/", "")
        if not layer:
            inside = re.findall(r"\((.*)\)", name)
            layer = re.sub(r"\D", "", inside[0] if inside else name)
            if name == "ss4(L2/3)":
                layer = ss4_L23_synapse_layer
        if r[i_occ].strip():
            occurrence[name] = _float(path, r[i_occ])
        if name not in occurrence:
            raise ValueError(f"{path.name}: no cell percentage for {name}")
        soma = re.sub(r"\D", "", re.sub(r"\(.*\)", "", name))
        if layer not in LAYERS or soma not in LAYERS:
            raise ValueError(f"{path.name}: cannot read the layers of row {name!r}")
        out.append(BinzeggerRow(name, soma, "b" not in name, layer, occurrence[name],
                                _float(path, r[i_syn]), _float(path, r[i_cc])))
    if not out:
        raise ValueError(f"{path.name}: no cell types read")
    return out
