"""The anatomy stage: raw data -> processed anatomy (densities, thicknesses, neuron numbers, FLN/EDR,
SLN fit, CoCoMac), a pure-Python rebuild of upstream ``VisualCortex_Data.process_raw_data()`` (Schmidt et al.
2018, Brain Struct Funct 223:1409). See docs/anatomy.md.

The result has the keys and nesting of upstream ``viscortex_processed_data.json`` plus ``fits`` (every
regression and fit) and ``meta`` (options, input checksums).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from cortexflow.areas import AREAS
from cortexflow.rawdata import RawDataError, load_manifest, verify

from . import cocomac as cc
from . import densities as dens
from . import fln as fl
from . import neurons as nn
from . import readers as rd
from . import sln as sl
from . import thickness as th
from cortexflow.fileio import atomic_path
from cortexflow.workflow.constants import ANATOMY_INPUT_FILES

# Every raw file this stage reads.
INPUT_FILES = ANATOMY_INPUT_FILES  # defined in cortexflow.workflow.constants (parse-time safe)

DEFAULT_OPTIONS = {
    "injection_averaging": "zero_pad",
    "sln_injection_match": "monkey",
    "sln_fit": {"optimizer": "nelder-mead"},
}

# MIP and MDP have no type or hierarchy level in the data; upstream gives them those of their neighbours
# PO, MT and V4t (Schmidt et al. 2018).
MISSING_TYPE = {"MIP": 5, "MDP": 5}
MISSING_LEVEL = {"MIP": 0.5, "MDP": 0.5}


def resolve_options(options: dict | None) -> dict:
    """Options with defaults filled in, validated."""
    opts = json.loads(json.dumps(DEFAULT_OPTIONS))
    for key, value in (options or {}).items():
        if key == "sln_fit":
            opts["sln_fit"].update(value or {})
        elif key in opts:
            opts[key] = value
        else:
            raise ValueError(f"anatomy.{key}: unknown option (known: {sorted(DEFAULT_OPTIONS)})")
    if opts["injection_averaging"] not in fl.AVERAGING_MODES:
        raise ValueError(f"anatomy.injection_averaging: {opts['injection_averaging']!r} is not one of "
                         f"{fl.AVERAGING_MODES}")
    if opts["sln_injection_match"] not in sl.INJECTION_MATCHES:
        raise ValueError(f"anatomy.sln_injection_match: {opts['sln_injection_match']!r} is not one of "
                         f"{sl.INJECTION_MATCHES}")
    if opts["sln_fit"].get("optimizer") not in sl.OPTIMIZERS:
        raise ValueError(f"anatomy.sln_fit.optimizer: {opts['sln_fit'].get('optimizer')!r} is not one of "
                         f"{sl.OPTIMIZERS}")
    return opts


def verify_inputs(raw_dir: Path, manifest: Path) -> dict[str, str]:
    """Check the sha256 of every input against the manifest; return {file: sha256}."""
    if not manifest.is_file():
        raise RawDataError(f"raw data manifest {manifest} is missing")
    entries = load_manifest(manifest)
    sums = {}
    for name in INPUT_FILES:
        if name not in entries:
            raise RawDataError(f"raw data file {name} is not listed in {manifest}")
        verify(raw_dir / name, entries[name].sha256)
        sums[name] = entries[name].sha256
    return sums


def process_anatomy(raw_dir: str | Path, options: dict | None = None, manifest: str | Path | None = None) -> dict:
    """Run the whole anatomy stage on the raw files in ``raw_dir`` (checksums verified against ``manifest``,
    default ``raw_dir/sources.yaml``) and return the processed data (see module docstring)."""
    raw_dir = Path(raw_dir)
    opts = resolve_options(options)
    sums = verify_inputs(raw_dir, Path(manifest) if manifest else raw_dir / "sources.yaml")
    f = lambda name: raw_dir / name  # noqa: E731
    areas = list(AREAS)

    # areas: types and hierarchy
    types = rd.read_architectural_types(f("ArchitecturalTypes.csv"))
    types_completed = {a: MISSING_TYPE.get(a) if t is None else t for a, t in types.items()}
    missing = [a for a in areas if types_completed.get(a) is None]
    if missing:
        raise ValueError(f"ArchitecturalTypes.csv: no architectural type for {missing}")
    hierarchy = rd.read_hierarchy_reid(f("hierarchy_Reid.csv"))
    hierarchy_completed = {a: MISSING_LEVEL.get(a) if v is None else v for a, v in hierarchy.items()}

    # densities
    neun = rd.read_neun_densities(f("NeuronalDensities_NeuN.csv"))
    nissl = rd.read_nissl_densities(f("NeuronalDensities_Nissl.csv"))
    translation = rd.read_scheme_translation(f("SchemeTranslation.csv"))
    fit_neun = dens.neun_to_nissl_fit(neun, nissl)
    data4 = dens.layer_densities(neun, nissl, translation, fit_neun, areas)
    category = dens.category_densities(data4, types_completed)
    rho = dens.complete_densities(data4, category, types_completed, areas)
    rho_overall = {a: rho[a]["overall"] for a in areas}

    # thicknesses and neuron numbers
    total, fit_total = th.total_thicknesses(rd.read_total_thickness(f("CorticalThickness.csv")), rho_overall, areas)
    laminar, fits_laminar = th.laminar_thicknesses(rd.read_laminar_thicknesses(f("laminar_thicknesses_macaque.csv")),
                                                   total, rho_overall, areas)
    ei = nn.ei_ratios(rd.read_numbers_v1(f("Numbers_V1.csv")))
    numbers = nn.neuron_numbers(rd.read_surfaces(f("cortical_surface.csv")), laminar, rho, ei, areas)

    # FLN and CoCoMac
    sites = rd.read_injection_sites(f("Markov2014_InjectionSites.csv"))
    overlap = rd.read_overlap(f("overlap.json"))
    median = rd.read_distance_matrix(f("Median_Distances_81areas.csv"))
    thom = rd.read_distance_matrix(f("Thom_Distances.csv"))
    fln_obs = fl.fln_injections(rd.read_fln_raw(f("Markov2014_FLN_rawdata.csv")), sites, areas)
    fln_avg = fl.average_over_injections(fln_obs, opts["injection_averaging"])
    fln_mapped = fl.map_sources(fln_avg, overlap, areas)
    coco = cc.cocomac_completed(rd.read_cocomac(f("CoCoMac_complete_81.json")),
                                rd.read_cocomac_studies(f("cocomac_confirmative_studies.json")), fln_mapped, areas)
    fit_edr = fl.edr_fit(fln_mapped, median, thom.index)
    fln_completed, fln_counts = fl.complete_fln(fln_mapped, coco, median, fit_edr, areas)

    # SLN
    sln_obs = sl.sln_injections(rd.read_sln_data(f("SLN_Data.csv")), sites, areas, opts["sln_injection_match"])
    sln_mapped = sl.map_sln(fl.average_over_injections(sln_obs, opts["injection_averaging"]), fln_avg, overlap,
                            areas)
    fit_sln = sl.fit_sln(rd.read_sln_fit_data(f("RData_prepared_logdensities.txt")), opts["sln_fit"]["optimizer"])
    sln_completed, sln_counts = sl.complete_sln(sln_mapped, coco, rho_overall, fit_sln, areas)

    pairs = cc.model_pairs(coco, areas)
    return {
        "cocomac_completed": coco,
        "architecture_completed": types_completed,
        "hierarchy_completed": hierarchy_completed,
        "SLN_completed": sln_completed,
        "SLN_Data_FV91": sln_mapped,
        "FLN_Data_FV91": {a: fln_mapped.get(a, {}) for a in areas},
        "FLN_completed": fln_completed,
        "neuronal_densities": rho,
        "neuronal_density_data_FV91_4layers": data4,
        "realistic_neuronal_numbers": numbers,
        "total_thicknesses": total,
        "laminar_thicknesses": laminar,
        "category_density": {str(k): v for k, v in category.items()},
        "fits": {
            "neun_to_nissl": fit_neun,
            "total_thickness": fit_total,
            "l4_fraction": fits_laminar["l4_fraction"],
            "mean_relative_thickness": fits_laminar["mean_relative_thickness"],
            "ei_ratio": ei,
            "edr": fit_edr,
            "sln": fit_sln,
        },
        "meta": {
            "options": opts,
            "inputs_sha256": sums,
            "counts": {"cocomac_model_pairs": len(pairs), "fln_completed": fln_counts,
                       "sln_completed": sln_counts},
            "reference": "Schmidt et al. (2018) Brain Struct Funct 223:1409; upstream INM-6/multi-area-model "
                         "VisualCortex_Data.py",
        },
    }


def _json_safe(obj):
    """NaN/inf -> None so that the file is strict JSON."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def to_json(result: dict) -> str:
    """Deterministic strict JSON text (sorted keys, NaN written as null)."""
    return json.dumps(_json_safe(result), sort_keys=True, indent=1, allow_nan=False) + "\n"


def write_json(result: dict, path: str | Path) -> None:
    """Write ``result`` atomically (``fileio.atomic_path``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_json(result)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
