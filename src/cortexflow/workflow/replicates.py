# SPDX-License-Identifier: GPL-3.0-or-later
"""Replicates of the data-dependence workflow (rules/data_dependence.smk): names, specs and rule inputs.
(Settings, input lists and file names; the resampling itself is cortexflow.data_dependence.resample.)

Replicate names (the ``{replicate}`` wildcard):

* ``original``: resampling off; every raw file copied. Must reproduce the original network exactly.
* ``boot-000`` ... : bootstrap replicate r with seed = ``data_dependence.seed`` + r over the resamplings of
  ``data_dependence.bootstrap`` (``injections``, ``densities``).
* ``loo-density-<area>``: one density measurement (NeuN/Nissl area) left out.
* ``loo-injection-<case>``: one tracer injection (Markov 2014 case number) left out.

The leave-one-out items are those of the pinned raw data (sha256 in data/raw/sources.yaml), listed here so
that the DAG is known before the raw files are fetched; ``resample.draw`` checks every item against the data
and tests/data_dependence/test_data_dependence.py checks these lists against
``resample.loo_density_items``/``injections``.
"""
from __future__ import annotations

import re

from cortexflow.config import schema_defaults, with_defaults
from cortexflow.workflow import paths

DEFAULTS = schema_defaults("properties/data_dependence")  # config/schema.yaml: meaning and bounds
DIR = paths.DD_DIR
FIGURES = ("fits", "indegrees", "rates", "bistability", "sensitivity")

# Density measurements that can be left out: every type of their FV91 areas keeps data from another area
# (V1, V2 and TH are the only measured areas of types 8, 7 and 2).
LOO_DENSITY_ITEMS = {
    "7a": ["7a"], "FEF": ["FEF"], "LIP": ["LIP"], "MT": ["MT"], "Opt/DP": ["DP"],
    "TEO": ["PITd", "PITv", "VOT"], "TF": ["TF"], "Te1": ["AITd", "AITv", "CITd", "CITv"], "V3A": ["V3A"],
    "V4": ["V4"], "area 46v": ["46"],
}
# Tracer injections into model areas: case -> (FV91 target, injected M132 area, monkey).
INJECTIONS = {
    1: ("V1", "V1", "M81LH"), 2: ("V1", "V1", "M85LH"), 3: ("V1", "V1", "M85RH"), 4: ("V1", "V1", "M88RH"),
    5: ("V1", "V1", "M121LH"), 6: ("V2", "V2", "M101LH"), 7: ("V2", "V2", "M101RH"), 8: ("V2", "V2", "M103LH"),
    9: ("V4", "V4", "M121RH"), 10: ("V4", "V4", "M123LH"), 11: ("V4", "TEO", "M119LH"),
    12: ("FEF", "9/46d", "M106LH"), 14: ("FEF", "8m", "BB272LH"), 15: ("7a", "7A", "BB135LH"),
    16: ("DP", "DP", "M89LH"), 20: ("STPa", "STPr", "BB289RH"), 21: ("STPp", "STPi", "BB289LH"),
    22: ("STPp", "STPc", "M90RH"), 23: ("STPp", "PBr", "M108LH"), 24: ("CITv", "Tepd", "M128RH"),
    30: ("FEF", "8l", "BB272RH"), 31: ("46", "9/46v", "M116RH"), 32: ("46", "46d", "M116LH"),
    35: ("MSTd", "MT", "M133LH"),
}


def options(section: dict | None) -> dict:
    """The ``data_dependence`` config section with defaults filled in."""
    return with_defaults(section, "properties/data_dependence")


def slug(name: str) -> str:
    """File-name-safe form of an item name ('Opt/DP' -> 'Opt-DP', 'area 46v' -> 'area-46v')."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def replicates(section: dict | None) -> dict[str, dict]:
    """{replicate name: spec} in a fixed order: original, bootstrap, leave-one-out (densities, injections).
    A spec is what ``resample.make_replicate`` takes, plus ``label`` (for tables and figures)."""
    o = options(section)
    out = {"original": {"kind": "original", "seed": None, "resample": [], "item": None, "label": "original"}}
    for r in range(int(o["n_replicates"])):
        out[f"boot-{r:03d}"] = {"kind": "bootstrap", "seed": int(o["seed"]) + r, "resample": list(o["bootstrap"]),
                                "item": None, "label": f"bootstrap {r}"}
    if "densities" in o["leave_one_out"]:
        for name, areas in LOO_DENSITY_ITEMS.items():
            out[f"loo-density-{slug(name)}"] = {"kind": "loo-density", "seed": None, "resample": [], "item": name,
                                                "label": f"density {name} ({', '.join(areas)})"}
    if "injections" in o["leave_one_out"]:
        for case, (target, injected, monkey) in INJECTIONS.items():
            out[f"loo-injection-{case:02d}"] = {"kind": "loo-injection", "seed": None, "resample": [], "item": case,
                                                "label": f"injection {case} {injected} {monkey} -> {target}"}
    return out


def check_network(section: dict | None, networks: dict) -> str:
    """The replicates' network: a mam entry of ``networks`` whose indegrees come from the data."""
    name = options(section)["network"]
    net = networks.get(name)
    if net is None or net.get("model") != "mam":
        raise ValueError(f"data_dependence.network: {name!r} is not a mam network of config `networks`")
    if net.get("K_stable"):
        raise ValueError(f"data_dependence.network: {name!r} takes its indegrees from {net['K_stable']} "
                         f"(K_stable), so they would not depend on the resampled data; choose a network "
                         f"without K_stable (default mam-s17)")
    return name


def resampled_files() -> tuple[str, ...]:
    """The raw files of a replicate (rule resample_data): those of the anatomy and structure stages."""
    from cortexflow.workflow.constants import REPLICATE_FILES  # parse time: no numpy/scipy (issue #16)

    return REPLICATE_FILES


def anatomy_files() -> tuple[str, ...]:
    """The raw files of the anatomy stage (rule data_dependence_anatomy, as process_anatomy)."""
    from cortexflow.workflow.constants import ANATOMY_INPUT_FILES  # parse time: no numpy/scipy (issue #16)

    return ANATOMY_INPUT_FILES


def network_files() -> tuple[str, ...]:
    """The raw files that build_mam reads besides processed.json (rule data_dependence_network)."""
    from cortexflow.workflow.constants import MAM_RAW_FILES as FILES  # parse time: no numpy/scipy

    return tuple(FILES.values())


def replicate_dir(replicate: str) -> str:
    return paths.DD_REPLICATE.format(replicate=replicate)


def raw_dir(replicate: str) -> str:
    """The replicate's raw-data directory (params.raw_dir of rule data_dependence_network)."""
    return paths.DD_RAW_DIR.format(replicate=replicate)


def raw_files(replicate: str, names) -> list[str]:
    """The replicate's copies of raw files (``replicate`` may be the wildcard "{replicate}")."""
    return [paths.DD_RAW.format(replicate=replicate, name=n) for n in names]


def collect_inputs(section: dict | None, net: str) -> dict[str, list[str]]:
    """Input files of rule data_dependence_collect, one list per kind of file (same replicate order)."""
    o = options(section)
    reps = list(replicates(o))
    out = {"record": [paths.DD_RECORD.format(replicate=r) for r in reps],
           "processed": [paths.DD_PROCESSED.format(replicate=r) for r in reps],
           "network": [paths.DD_NETWORK.format(replicate=r, net=net) for r in reps],
           "fixed_point": [paths.DD_FIXED_POINT.format(replicate=r, net=net) for r in reps]}
    if o["kappa_star"]:
        out["bistability"] = [paths.DD_BISTABILITY.format(replicate=r, net=net) for r in reps]
    if o["stabilise"]:
        out["stabilisation"] = [paths.DD_STABILISATION.format(replicate=r, net=net) for r in reps]
        out["stable_fixed_point"] = [paths.DD_FIXED_POINT.format(replicate=r, net=f"{net}-stable") for r in reps]
    return out


TABLES = ("replicates", "edr", "sln_fit", "population_N", "area_indegrees", "rates", "stability", "sensitivity")


def tables() -> dict[str, str]:
    return {t: paths.DD_TABLE.format(table=t) for t in TABLES}


def figure_options(section: dict | None, theory: dict, figure: str) -> dict:
    """Keyword arguments of a figure function (cortexflow.plotting.data_dependence) besides the tables."""
    if figure == "bistability":
        return {"kappa_network": float(theory["stabilisation"]["kappa_network"])}
    return {}
