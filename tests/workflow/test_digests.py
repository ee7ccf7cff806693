# SPDX-License-Identifier: GPL-3.0-or-later
"""The cheap outputs of the default configuration keep the digests recorded before the #14 refactor.

Processed anatomy, two networks and two mean-field fixed points are rebuilt from the raw data in a throw-away
copy of the project and compared with tests/data/default_digests.json (recorded 2026-12-01). Any change of
connectivity or of the mean field changes a digest.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import h5py
import numpy as np
import pytest
from tests.support.workspace import MIRROR, copy_project, snakemake

EXPECTED = json.loads((Path(__file__).parents[1] / "data/default_digests.json").read_text())
EXPECTED.pop("_about")

pytestmark = [pytest.mark.workflow, pytest.mark.skipif(not MIRROR.is_dir(), reason="raw data mirror absent")]


def _data(dataset) -> bytes:
    """Bytes of a dataset's values; strings (object arrays) by their text, not their pointers."""
    value = np.asarray(dataset[()])
    if value.dtype.kind == "O":
        return "\x1f".join(v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()).encode()
    return value.tobytes()


def content_digest(path: Path) -> str:
    """sha256 of an h5 file's datasets and attributes in name order (independent of HDF5 object layout);
    of the bytes for any other file."""
    if path.suffix != ".h5":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    h = hashlib.sha256()

    def attrs(obj):
        for key in sorted(obj.attrs):
            value = obj.attrs[key]
            h.update(key.encode())
            h.update(str(value).encode() if isinstance(value, (str, bytes)) else np.asarray(value).tobytes())

    with h5py.File(path, "r") as f:
        attrs(f)
        names: list[str] = []
        f.visit(names.append)
        for name in sorted(names):
            obj = f[name]
            h.update(name.encode())
            attrs(obj)
            if isinstance(obj, h5py.Dataset):
                h.update(_data(obj))
    return h.hexdigest()


def test_default_structure_and_meanfield_digests(tmp_path):
    work = copy_project(tmp_path / "project")
    snakemake(work, "--cores", "2", *EXPECTED)
    got = {rel: content_digest(work / rel) for rel in EXPECTED}
    changed = sorted(rel for rel in EXPECTED if got[rel] != EXPECTED[rel])
    assert not changed, f"results changed: {changed}"
