"""Parsers of the raw anatomical data files (``data/raw/``, upstream INM-6/multi-area-model @ 355d940).

One function per file. Each returns plain Python/pandas objects with clean names and states the file's
quirks in its docstring. Where a file departs from what its parser expects (a missing column, a value
that is not a number), a :class:`RawFormatError` names the file and the line.

The upstream reader (``VisualCortex_Data.py``) keys several tables by monkey and uses hand-written line
counts; here tables are read whole, joined on explicit columns and checked.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


class RawFormatError(ValueError):
    """A raw data file does not have the expected layout. The message names the file."""


def _fail(path: Path, what: str) -> RawFormatError:
    return RawFormatError(f"raw data file {Path(path).name}: {what}")


def _two_column(path: Path, skip: int) -> list[tuple[str, str]]:
    """(key, value) pairs of a tab-separated two-column file after ``skip`` header lines."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()[skip:], start=skip + 1):
        if not line.strip():
            continue
        fields = line.rstrip("\r").split("\t")
        if len(fields) < 2:
            raise _fail(path, f"line {n}: expected 'name<TAB>value', got {line!r}")
        rows.append((fields[0].strip(), fields[1].strip()))
    return rows


def _float(path: Path, value: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise _fail(path, f"{where}: {value!r} is not a number") from None


# --- areas: types, hierarchy, surfaces -----------------------------------------------------------------

def read_architectural_types(path: str | Path) -> dict[str, int | None]:
    """``ArchitecturalTypes.csv``: area -> architectural type 1-8 (Hilgetag et al. 2016, Table 4).

    Quirks: 2 header lines (comment, a lone tab); MIP and MDP have type ``?`` -> None.
    """
    path = Path(path)
    return {a: None if v == "?" else int(_float(path, v, f"type of {a}")) for a, v in _two_column(path, 2)}


def read_hierarchy_reid(path: str | Path) -> dict[str, float | None]:
    """``hierarchy_Reid.csv``: area -> continuous hierarchy level (Reid et al. 2009, Fig. 4).

    Quirks: 2 header lines; MIP and MDP have level ``?`` -> None.
    """
    path = Path(path)
    return {a: None if v == "?" else _float(path, v, f"level of {a}") for a, v in _two_column(path, 2)}


def read_surfaces(path: str | Path) -> dict[str, float]:
    """``cortical_surface.csv``: area -> surface in mm² (computed with Caret; atlas not stated)."""
    path = Path(path)
    return {a: _float(path, v, f"surface of {a}") for a, v in _two_column(path, 2)}


# --- neuron densities and thicknesses ------------------------------------------------------------------

NEUN_COLUMNS = ["overall", "overall_error", "23", "23_error", "4", "4_error", "56", "56_error"]


def read_neun_densities(path: str | Path) -> pd.DataFrame:
    """``NeuronalDensities_NeuN.csv``: overall, L2/3, L4 and L5/6 neuron densities (neurons/mm³) with
    errors, NeuN staining, Barbas lab; 14 areas in Barbas naming (``Opt/DP``, ``area 46v``, ``Te1``...).

    Quirks: 2 header lines; TH has L4 density 0 (agranular).
    """
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=2, header=None, names=["area", *NEUN_COLUMNS])
    if df[NEUN_COLUMNS].isna().any().any() or df["area"].duplicated().any():
        raise _fail(path, "expected 9 tab-separated fields per line and unique area names")
    df["area"] = df["area"].str.strip()
    return df.set_index("area").astype(float)


# Upstream stores these Nissl rows under a second name (``V5/MT`` also as ``MT`` and so on; ``TEr`` only
# as ``Te1``) so that they meet the NeuN table. We store the NeuN-compatible name only.
NISSL_ALIASES = {"V5/MT": "MT", "A46v": "area 46v", "A7a": "7a", "LIPv": "LIP", "TEr": "Te1"}


def read_nissl_densities(path: str | Path) -> dict[str, float]:
    """``NeuronalDensities_Nissl.csv``: overall neuron density (neurons/mm³), Nissl staining, Barbas lab.

    Quirks: comma-separated, 2 header lines; missing values are an em dash ``—`` (rows skipped);
    names follow the Barbas lab and are aliased to the NeuN names (:data:`NISSL_ALIASES`). ``LIPd`` and
    ``LIPv`` are both present: ``LIPv`` becomes ``LIP`` (as upstream), ``LIPd`` is kept but unused.
    """
    path = Path(path)
    out: dict[str, float] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[2:], start=3):
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) < 3:
            raise _fail(path, f"line {n}: expected 'area,type,density,thickness', got {line!r}")
        if fields[2].strip() in ("—", "-", ""):
            continue
        name = NISSL_ALIASES.get(fields[0].strip(), fields[0].strip())
        out[name] = _float(path, fields[2], f"line {n}")
    return out


def read_scheme_translation(path: str | Path) -> dict[str, list[str]]:
    """``SchemeTranslation.csv``: Barbas area name -> sorted list of FV91 areas it covers.

    Quirks: 3 header lines (comment, a lone tab, column names). Upstream reads the column-name line as a
    data row (a harmless ``'Area Barbas'`` entry); here it is skipped.
    """
    out: dict[str, set[str]] = {}
    for barbas, fv91 in _two_column(Path(path), 3):
        out.setdefault(barbas, set()).add(fv91)
    return {k: sorted(v) for k, v in out.items()}


# Typos in CorticalThickness.csv (both rows have no thickness value, so the fix changes no number).
THICKNESS_TYPOS = {"P0": "PO", "MSTI": "MSTl"}


def read_total_thickness(path: str | Path) -> dict[str, float]:
    """``CorticalThickness.csv``: area -> total cortical thickness in µm (file: mm), Barbas lab
    (Hilgetag et al. 2016, Table 4). Only areas with a value are returned (14 of 30 rows).

    Quirks: CRLF line ends, 3 header lines; typos ``P0`` (PO) and ``MSTI`` (MSTl) are corrected
    (:data:`THICKNESS_TYPOS`); VOT has a density but no thickness.
    """
    path = Path(path)
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[3:], start=4):
        fields = line.rstrip("\r").split("\t")
        if not line.strip():
            continue
        if len(fields) < 5:
            raise _fail(path, f"line {n}: expected 5 tab-separated fields, got {line!r}")
        area = THICKNESS_TYPOS.get(fields[0].strip(), fields[0].strip())
        if fields[4].strip():
            out[area] = 1000.0 * _float(path, fields[4], f"line {n}")
    return out


LAMINAR_COLUMNS = ["1", "2", "3", "23", "4A", "4B", "4Calpha", "4Cbeta", "4C", "4", "5", "6", "56",
                   "total_without_1", "total"]


def read_laminar_thicknesses(path: str | Path) -> pd.DataFrame:
    """``laminar_thicknesses_macaque.csv``: one row per (area, study) with laminar and total thicknesses
    in µm (columns :data:`LAMINAR_COLUMNS`, named without the 'L' and '/'), plus ``source`` and ``note``.

    Quirks: 2 header lines then the column names; empty cells are missing (NaN); several rows per area.
    Upstream's line loop processes the last row twice (area ``Pi``, not a model area: no effect); here
    every row is read once.
    """
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=2, header=0, dtype={"area": str}, encoding="utf-8")
    expected = ["area"] + [f"L{c}" if c[0].isdigit() else c for c in
                           ["1", "2", "3", "2/3", "4A", "4B", "4Calpha", "4Cbeta", "4C", "4", "5", "6", "5/6"]]
    if list(df.columns[:14]) != expected or "total" not in df.columns:
        raise _fail(path, f"unexpected columns {list(df.columns)}")
    df.columns = ["area", *LAMINAR_COLUMNS, *df.columns[16:]]
    df["area"] = df["area"].astype(str).str.strip()
    df[LAMINAR_COLUMNS] = df[LAMINAR_COLUMNS].astype(float)
    return df


def read_numbers_v1(path: str | Path) -> dict[str, dict[str, float]]:
    """``Numbers_V1.csv``: PD14 population -> {'neurons': per mm², 'ext_inputs': K_ext} (Potjans &
    Diesmann 2014); rows 23E ... 6I and Th. Quirks: 2 header lines, trailing tabs, no final newline."""
    path = Path(path)
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[2:], start=3):
        fields = line.split("\t")
        if not line.strip():
            continue
        if len(fields) < 3:
            raise _fail(path, f"line {n}: expected 'population, neurons, external inputs'")
        out[fields[0].strip()] = {"neurons": _float(path, fields[1], f"line {n}"),
                                  "ext_inputs": _float(path, fields[2], f"line {n}")}
    return out


def read_single_number(path: str | Path) -> float:
    """``SynapticDensity_Cragg.csv`` / ``SynapticDensity_OKusky.csv``: one number (synapses per neuron)
    after 2 header lines."""
    path = Path(path)
    values = [v for v in path.read_text(encoding="utf-8").splitlines()[2:] if v.strip()]
    if len(values) != 1:
        raise _fail(path, "expected exactly one number after 2 header lines")
    return _float(path, values[0], "value")


def read_intrinsic_fln(path: str | Path) -> dict[str, dict[str, float]]:
    """``Intrinsic_FLN_Data.csv``: area (V1, V2, V4, mean) -> {'mean', 'error'} (Markov et al. 2011)."""
    path = Path(path)
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[2:], start=3):
        if line.strip():
            f = line.split("\t")
            out[f[0]] = {"mean": _float(path, f[1], f"line {n}"), "error": _float(path, f[2], f"line {n}")}
    return out


def read_intrinsic_connectivity(path: str | Path) -> pd.DataFrame:
    """``Intrinsic_Connectivity.csv``: PD14 connection probabilities, 8 targets × 9 sources (incl. Th)."""
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=2, index_col=0)
    if df.shape != (8, 9):
        raise _fail(path, f"expected 8 x 9 connection probabilities, got {df.shape}")
    return df.astype(float)


# --- distances ---------------------------------------------------------------------------------------

def read_distance_matrix(path: str | Path) -> pd.DataFrame:
    """``Median_Distances_81areas.csv`` (81 FV91 areas) or ``Thom_Distances.csv`` (32 areas): square
    distance matrix in mm, rows and columns labelled by area.

    Quirks: a comment line and a blank line before the header; the 81-area table contains the pseudo
    areas ``[???]`` and ``[??]`` whose distances are all ``nan``.
    """
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=2, index_col=0)
    df.index = df.index.astype(str)
    if list(df.index) != list(df.columns):
        raise _fail(path, "row and column labels of the distance matrix differ")
    return df.astype(float)


# --- connectivity: CoCoMac, FLN, SLN -----------------------------------------------------------------

def _fv91(name: str) -> str:
    return name.split("-", 1)[1] if name.startswith("FV91-") else name


def read_cocomac(path: str | Path) -> dict[str, dict[str, tuple[str | None, str | None]]]:
    """``CoCoMac_complete_81.json``: {source: {target: (source_pattern, target_pattern)}} with the
    ``FV91-`` prefix removed. Patterns are 6-character strings over layers 1-6 (``0``-``3``, ``X``
    present, ``?`` unknown) or None. No header; query and date are not documented upstream."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {_fv91(s): {_fv91(t): (p[0], p[1]) for t, p in ts.items()} for s, ts in data.items()}


def read_cocomac_studies(path: str | Path) -> dict[str, dict[str, int]]:
    """``cocomac_confirmative_studies.json`` (or ``..._negative_...``): {source: {target: number of
    studies}}, ``FV91-`` prefix removed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {_fv91(s): {_fv91(t): int(v) for t, v in ts.items()} for s, ts in data.items()}


def read_fln_raw(path: str | Path) -> pd.DataFrame:
    """``Markov2014_FLN_rawdata.csv``: one row per (injection, source area): case, monkey,
    source (M132), target (injected M132 area), FLN, NLN (labelled neurons), status (Known / NFP).

    Quirks: 2 header lines; ~80 trailing empty tab fields per line.
    """
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=2, header=None, usecols=range(7),
                     names=["case", "monkey", "source", "target", "FLN", "NLN", "status"],
                     dtype={"monkey": str, "source": str, "target": str, "status": str})
    if df[["case", "FLN"]].isna().any().any():
        raise _fail(path, "missing case number or FLN value")
    return df


def read_injection_sites(path: str | Path) -> pd.DataFrame:
    """``Markov2014_InjectionSites.csv``: one row per injection: injected area (M132), case, monkey,
    section plane, F99 node, x, y, z and the FV91 area of the injection site (assigned by Schmidt et al.).

    Quirks: comment line, column names, a line of empty tabs; monkey M98LH has two injections (cases 17
    and 29), so upstream's monkey-keyed lookup is ambiguous there (both map outside the model). Here
    injections are identified by case number. FV91 names are stripped (``'Area 9 '``).
    """
    path = Path(path)
    df = pd.read_csv(path, sep="\t", skiprows=3, header=None,
                     names=["injected", "case", "monkey", "plane", "node", "x", "y", "z", "fv91", "comment"],
                     dtype={"injected": str, "monkey": str, "fv91": str})
    df["fv91"] = df["fv91"].str.strip()
    if df["case"].duplicated().any():
        raise _fail(path, "duplicate case numbers")
    return df


SLN_COLUMNS = ["TO", "FROM", "S", "I", "TOT", "DIST", "DENS", "Monkey", "lFLN", "SLN", "INJ", "FLN", "cSLN"]


def read_sln_data(path: str | Path) -> pd.DataFrame:
    """``SLN_Data.csv``: 188 SLN observations (Markov et al. 2014 JCN): target (TO), source (FROM,
    M132), supra- (S) and infragranular (I) labelled neurons, ..., Monkey, SLN, FLN.

    Quirks: space-separated; comment, blank line, then the header (with ``INDEX``); DENS is ``None``.
    """
    path = Path(path)
    df = pd.read_csv(path, sep=" ", skiprows=3, header=None, names=["INDEX", *SLN_COLUMNS],
                     dtype={"TO": str, "FROM": str, "Monkey": str})
    if df[["S", "I", "SLN"]].isna().any().any():
        raise _fail(path, "expected 14 space-separated fields per line")
    return df


def read_sln_fit_data(path: str | Path) -> pd.DataFrame:
    """``RData_prepared_logdensities.txt``: the 188 SLN observations as prepared for the R fit, with
    DENS = ln(ρ_target/ρ_source) of the Nissl overall densities.

    Quirks: written by R's ``write.table``: the header has one field fewer than the rows (the first
    column holds row names) and a trailing space; whitespace-separated.
    """
    path = Path(path)
    df = pd.read_csv(path, sep=r"\s+", skiprows=1, header=None, names=["INDEX", *SLN_COLUMNS],
                     dtype={"TO": str, "FROM": str, "Monkey": str})
    if df[["S", "I", "DENS"]].isna().any().any():
        raise _fail(path, "expected 14 whitespace-separated fields per data line")
    return df


def read_overlap(path: str | Path) -> dict[str, dict[str, float]]:
    """``overlap.json`` ('all' part): M132 area (``_M132`` suffix removed) -> {FV91 area: % overlap}.

    Quirks: no header. Each M132 area lists ``FVE.X`` and ``FVE_all.X`` keys; the two are complementary
    (they add up to ~100 % per M132 area) and are summed per FV91 area X, as upstream does. A few keys
    are not FV91 areas (``UNK``, ``MEDIAL.WALL``, ``???``, also as M132 names); they are kept verbatim
    and never match a model area.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if "all" not in data:
        raise _fail(path, "no 'all' key")
    out: dict[str, dict[str, float]] = {}
    for m132, entries in data["all"].items():
        acc: dict[str, float] = {}
        for key, pct in entries.items():
            prefix, _, fv91 = key.partition(".")
            name = fv91 if prefix in ("FVE", "FVE_all") and fv91 else key
            acc[name] = acc.get(name, 0.0) + float(pct)
        out[m132.removesuffix("_M132")] = acc
    return out
