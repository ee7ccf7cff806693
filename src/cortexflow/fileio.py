# SPDX-License-Identifier: GPL-3.0-or-later
"""Atomic writes and guarded HDF5 reads for every intermediate file of the workflow (issue 17).

* ``atomic_path(path)``: yields a temporary path in the same directory (``.<name>.<random>.tmp<ext>``); on
  success it is renamed onto ``path`` (``os.replace``, atomic on POSIX), on any exception - disk full,
  ``KeyboardInterrupt``, a killed write - it is removed, so no ``.tmp`` survives a failed job and no
  half-written output is ever visible under its final name.
* ``open_h5(path)``: ``h5py.File(path, "r")`` that turns an unreadable file (truncated, not HDF5) into one
  ``CorruptFileError`` line naming the file and the command that rebuilds it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

TMP_SUFFIX = ".tmp"


class CorruptFileError(OSError):
    """An intermediate file exists but cannot be read (truncated or damaged). The message names the file
    and the command that regenerates it."""


def rebuild_hint(path: str | Path) -> str:
    """The one command that regenerates ``path``: ``snakemake --cores 1 -f <path>`` (forces its rule)."""
    return f"rebuild it with: snakemake --cores 1 -f {path}"


@contextlib.contextmanager
def atomic_path(path: str | Path, directory: bool = False):
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success, remove it on failure.

    ``directory=True`` yields a fresh empty directory instead (replaced as a whole on success).
    The parent directory is created if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if directory:
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX))
    else:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                    suffix=TMP_SUFFIX + path.suffix)  # keep the extension (savefig, np.save)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        if directory and path.is_dir():
            shutil.rmtree(path)
        os.replace(tmp, path)
        if not directory:
            os.chmod(path, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual mode of a new file
    except BaseException:
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def open_h5(path: str | Path, mode: str = "r"):
    """``h5py.File(path, mode)``; an existing file that HDF5 cannot open raises ``CorruptFileError``
    (``error: <path>: not a readable HDF5 file (...); rebuild it with: snakemake --cores 1 -f <path>``)."""
    import h5py

    try:
        return h5py.File(path, mode)
    except OSError as err:
        if not Path(path).is_file():
            raise FileNotFoundError(f"error: {path}: missing; {rebuild_hint(path)}") from err
        reason = str(err).split("(", 1)[-1].rstrip(")") if "(" in str(err) else str(err)
        raise CorruptFileError(f"error: {path}: not a readable HDF5 file ({reason}); "
                               f"{rebuild_hint(path)}") from err


def write_dataset(group, name, data, attrs: dict | None = None):
    """``group[name] = data``, gzip-4 + shuffle when it has more than 1024 elements, with dataset ``attrs``."""
    import numpy as np

    data = np.asarray(data)
    kw = {"compression": "gzip", "compression_opts": 4, "shuffle": True} if data.size > 1024 else {}
    ds = group.create_dataset(name, data=data, **kw)
    for key, value in (attrs or {}).items():
        ds.attrs[key] = value
    return ds


def write_population_file(path: str | Path, attrs: dict, groups) -> int:
    """One HDF5 group per population, written via ``path.tmp`` + rename (spikes.h5, vm.h5): file attributes
    ``attrs``; ``groups`` yields (label, group attributes, [(dataset name, data, dataset attributes)], count);
    the file attribute ``populations`` lists the labels in order. Returns the sum of the counts."""
    import h5py
    import numpy as np

    total = 0
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            for key, value in attrs.items():
                f.attrs[key] = value
            labels = []
            for label, group_attrs, datasets, count in groups:
                g = f.create_group(label)
                for key, value in group_attrs.items():
                    g.attrs[key] = value
                for name, data, ds_attrs in datasets:
                    write_dataset(g, name, data, ds_attrs)
                labels.append(label)
                total += count
            f.attrs["populations"] = np.array(labels, dtype=h5py.string_dtype())
    return total


def check_h5_inputs(paths) -> None:
    """Open (and close) every existing ``.h5`` of ``paths``: HDF5 checks the superblock and the stored end of
    file, so a truncated or foreign file stops the job before any work with ``CorruptFileError``."""
    for p in paths:
        if str(p).endswith(".h5") and Path(p).is_file():
            open_h5(p).close()


def read_json(path: str | Path):
    """``json.loads`` of a file; a truncated or damaged file raises ``CorruptFileError`` naming it."""
    import json

    text = Path(path).read_text()
    try:
        return json.loads(text)
    except ValueError as err:
        raise CorruptFileError(f"error: {path}: not valid JSON (line {getattr(err, 'lineno', '?')}); "
                               f"{rebuild_hint(path)}") from err
