"""Raw anatomical data under provenance: a manifest (``data/raw/sources.yaml``) with the upstream
URL pinned to one commit and the sha256 of every file; fetched from a local mirror directory or
downloaded, verified, and written atomically (a file appears in ``data/raw/`` only once its checksum
is right). Every reader re-checks a raw file before use (``check_raw``)."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

MIRROR_ENV = "CORTEXFLOW_RAW_MIRROR"
USER_DIR = "data/user"  # the user's own data files, declared with their sha256 in config raw_data.user_files


class RawDataError(RuntimeError):
    """A raw data file is missing, unreachable or corrupted. The message names the file and the fix."""


@dataclass(frozen=True)
class RawFile:
    name: str
    url: str
    sha256: str
    needed: bool


def load_manifest(manifest: str | Path) -> dict[str, RawFile]:
    """Read ``sources.yaml`` into {file name: RawFile}."""
    spec = yaml.safe_load(Path(manifest).read_text())
    base = spec["upstream"]["base_url"].rstrip("/")
    return {
        name: RawFile(name, f"{base}/{entry['path']}", entry["sha256"], bool(entry["needed"]))
        for name, entry in spec["files"].items()
    }


def sha256sum(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def verify(path: str | Path, expected: str) -> None:
    """Raise RawDataError unless ``path`` exists and has the expected sha256."""
    path = Path(path)
    if not path.is_file():
        raise RawDataError(f"raw data file {path} is missing; rerun the raw_data rule "
                           f"(snakemake --cores 1 raw_data) to fetch it")
    got = sha256sum(path)
    if got != expected:
        raise RawDataError(
            f"raw data file {path.name}: checksum mismatch (sha256 {got}, expected {expected}). "
            f"The file at {path} is corrupted or a different version; delete it and fetch it again "
            f"from the pinned upstream commit or a correct mirror ({MIRROR_ENV})."
        )


# {(resolved path, size, mtime_ns): sha256} of files hashed in this process: a repeated check of an
# unchanged file costs one stat. Hashing all 30 raw files (~25 MB) takes ~0.1 s, so no stamp is kept on disk.
_DIGESTS: dict[tuple[str, int, int], str] = {}
_MANIFESTS: dict[tuple[str, int, int], dict[str, RawFile]] = {}


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def _digest(path: Path) -> str:
    key = _stamp(path)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256sum(path)
    return _DIGESTS[key]


def _manifest(manifest: Path) -> dict[str, RawFile]:
    key = _stamp(manifest)
    if key not in _MANIFESTS:
        _MANIFESTS[key] = load_manifest(manifest)
    return _MANIFESTS[key]


def check_raw(path: str | Path, manifest: str | Path | None = None) -> Path:
    """Refuse a raw file whose sha256 differs from its manifest (default: ``sources.yaml`` beside it).

    Called by every reader of a raw file (``provenance.tracked`` for the inputs of every job under
    data/raw/, and the structure readers for any directory with a manifest, such as the data_dependence
    replicates, whose resampled files carry their own sha256). A file not listed in the manifest, or a
    directory without one, is not checked. Returns ``path``.
    """
    path = Path(path)
    manifest = Path(manifest) if manifest is not None else path.parent / "sources.yaml"
    if not manifest.is_file():
        return path
    entry = _manifest(manifest).get(path.name)
    if entry is None:
        return path
    if not path.is_file():
        raise RawDataError(f"error: {path}: missing (listed in {manifest}); fetch it with "
                           f"snakemake --cores 1 -f raw_data")
    got = _digest(path)
    if got != entry.sha256:
        if manifest.parent.resolve() == (Path.cwd() / "data" / "raw").resolve():
            fix = (f"fetch it again with snakemake --cores 1 -f raw_data (data/raw/ holds only the pinned "
                   f"upstream files; for deliberately modified data save it under a new name in {USER_DIR}/ and "
                   f"declare its sha256 in config raw_data.user_files)")
        else:
            fix = f"it is a derived file: delete {manifest.parent} and rerun snakemake to regenerate it"
        raise RawDataError(f"error: {path}: content differs from {manifest} (sha256 {got[:12]}…, "
                           f"expected {entry.sha256[:12]}…); {fix}")
    return path


def check_raw_inputs(paths, raw_dir: str | Path = "data/raw") -> None:
    """``check_raw`` every path of ``paths`` that lies directly in ``raw_dir`` (the job's raw inputs)."""
    raw_dir = Path(raw_dir).resolve()
    for p in paths:
        p = Path(p)
        if p.name != "sources.yaml" and p.parent.resolve() == raw_dir:
            check_raw(p)


def user_file_error(name: str, sha256: str, root: str | Path = ".") -> str | None:
    """The ``error:`` line for a declared user file (config ``raw_data.user_files``) that is missing or
    whose content differs from its declared sha256; None when it is good."""
    path = Path(root) / USER_DIR / name
    key = f"raw_data.user_files.{name}"
    if not path.is_file():
        return f"error: {USER_DIR}/{name}: missing (declared in config {key}); put the file there"
    got = _digest(path)
    if got != sha256:
        return (f"error: {USER_DIR}/{name}: content differs from its sha256 in config {key} ({got[:12]}…, "
                f"declared {sha256[:12]}…); restore the file, or declare the new sha256 {got} "
                f"(a changed file changes every result that uses it)")
    return None


def check_user_inputs(paths, config: dict | None) -> None:
    """Refuse an input under data/user/ that is not declared in ``raw_data.user_files`` or differs from it."""
    declared = ((config or {}).get("raw_data") or {}).get("user_files") or {}
    user_dir = Path(USER_DIR).resolve()
    for p in paths:
        p = Path(p)
        if p.parent.resolve() != user_dir:
            continue
        if p.name not in declared:
            raise RawDataError(f"error: {USER_DIR}/{p.name}: not declared in config raw_data.user_files; "
                               f"add '{p.name}: <sha256>' there")
        line = user_file_error(p.name, declared[p.name])
        if line:
            raise RawDataError(line)


def resolve_mirror(configured: str | None) -> Path | None:
    """The mirror directory: the config value if set, else $CORTEXFLOW_RAW_MIRROR, else None."""
    value = configured or os.environ.get(MIRROR_ENV) or None
    if value is None:
        return None
    mirror = Path(value).expanduser()
    if not mirror.is_dir():
        raise RawDataError(f"raw data mirror {mirror} (from config raw_data.mirror or ${MIRROR_ENV}) "
                           f"is not a directory; fix the path or unset it to download from upstream")
    return mirror


def _download(url: str, dest: Path, timeout: float) -> None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        raise RawDataError(
            f"raw data file {dest.name}: cannot download {url} ({err}). Without network access, "
            f"point ${MIRROR_ENV} (or config raw_data.mirror) at a directory holding the upstream files"
        ) from err


def fetch(files: list[RawFile], dest_dir: str | Path, mirror: Path | None,
          timeout: float = 60.0) -> list[Path]:
    """Copy (mirror) or download every file into ``dest_dir`` and verify its checksum.

    All files are first fetched into a temporary directory beside ``dest_dir`` and checked; only when
    every file is good are they moved into place, so a failure leaves ``dest_dir`` as it was.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    # fail fast: every file must be present in the mirror before anything is copied
    if mirror is not None:
        missing = [f.name for f in files if not (mirror / f.name).is_file()]
        if missing:
            raise RawDataError(f"raw data file {missing[0]} is missing from the mirror {mirror} "
                               f"({len(missing)} missing: {', '.join(missing)}); complete the mirror "
                               f"or unset {MIRROR_ENV} to download from upstream")
    done = []
    # the staging directory is no output of rule raw_data, and a failure removes it with everything in it
    with tempfile.TemporaryDirectory(dir=dest_dir, prefix=".fetch-") as tmp:
        tmp = Path(tmp)
        for f in files:
            staged = tmp / f.name
            if mirror is not None:
                shutil.copyfile(mirror / f.name, staged)
            else:
                _download(f.url, staged, timeout)
            got = sha256sum(staged)
            if got != f.sha256:
                origin = mirror / f.name if mirror is not None else f.url
                raise RawDataError(
                    f"error: raw data file {f.name}: checksum mismatch at the source {origin} (sha256 {got}, "
                    f"expected {f.sha256}); nothing in {dest_dir} was changed. Fix or replace the source "
                    f"(a correct mirror in ${MIRROR_ENV} or config raw_data.mirror, or unset it to download "
                    f"from the pinned upstream commit)")
        for f in files:
            os.replace(tmp / f.name, dest_dir / f.name)
            done.append(dest_dir / f.name)
    return done
