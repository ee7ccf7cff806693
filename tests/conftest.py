"""Shared pytest fixtures."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cortexflow.rawdata import MIRROR_ENV, fetch, load_manifest
from tests.support.workspace import MIRROR

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "data/raw/sources.yaml"


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory) -> Path:
    """A fresh, checksum-verified copy of every raw file of data/raw/sources.yaml (plus the manifest itself),
    fetched from $CORTEXFLOW_RAW_MIRROR or ../shared/data/mam_raw into a session tmp dir."""
    mirror = MIRROR
    if not mirror.is_dir():
        pytest.skip(f"no raw-data mirror at {mirror} (set {MIRROR_ENV})")
    dest = tmp_path_factory.mktemp("raw")
    fetch(list(load_manifest(MANIFEST).values()), dest, mirror)
    shutil.copyfile(MANIFEST, dest / "sources.yaml")
    return dest


@pytest.fixture(scope="session")
def processed(raw_dir) -> dict:
    """The processed anatomy (what rule process_anatomy writes to results/anatomy/processed.json),
    computed in-process from ``raw_dir`` with the default options and read back through JSON."""
    import json

    from cortexflow.anatomy.process import process_anatomy, to_json

    return json.loads(to_json(process_anatomy(raw_dir, None)))
