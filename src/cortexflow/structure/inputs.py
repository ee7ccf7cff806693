"""Input files of rule build_network per network config entry (used by rules/structure.smk)."""
from __future__ import annotations

from cortexflow.structure.mam_raw import FILES as MAM_RAW_FILES


def network_inputs(net: dict, processed: str, raw) -> dict:
    """{'processed': ..., 'raw': [...], 'K_stable': ...} for a mam entry; {} for other models.

    ``raw`` maps a raw-data file name to its path (rules/common.smk ``raw``, which rejects names that
    are not in data/raw/sources.yaml, so a misspelt K_stable stops the DAG before any job runs).
    """
    if net.get("model") != "mam":
        return {}
    inputs = {"processed": processed, "raw": [raw(name) for name in MAM_RAW_FILES.values()]}
    if net.get("K_stable"):
        inputs["K_stable"] = raw(net["K_stable"])
    return inputs
