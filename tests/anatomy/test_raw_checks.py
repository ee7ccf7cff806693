# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw files are re-checked by every reader, and a failed raw_data never destroys verified data (issue 17)."""
import os
import shutil
import time
from pathlib import Path

import pytest

from cortexflow.rawdata import RawDataError, check_raw, sha256sum
from tests.support.workspace import MIRROR, copy_project, snakemake

pytestmark = pytest.mark.workflow

NET = "results/networks/mam/network.h5"


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A project copy with verified raw data and the processed anatomy (built once)."""
    if not MIRROR.is_dir():
        pytest.skip("no raw-data mirror")
    project = copy_project(tmp_path_factory.mktemp("raw_checks") / "project")
    snakemake(project, "--cores", "2", "results/anatomy/processed.json")
    return project


@pytest.mark.parametrize("damage", [_flip_byte, _truncate], ids=["one-byte", "truncated"])
@pytest.mark.parametrize("name", ["BinzeggerData.csv", "SynapticDensity_Cragg.csv"])
def test_damaged_raw_file_stops_build_network(workspace, damage, name):
    raw = workspace / "data/raw" / name
    good, st = raw.read_bytes(), raw.stat()
    try:
        damage(raw)
        os.utime(raw, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime: only build_network is planned
        proc = snakemake(workspace, "--cores", "1", NET, check=False)
        assert proc.returncode != 0
        text = proc.stdout + proc.stderr
        assert "build_network" in text
        assert f"error: data/raw/{name}: content differs from data/raw/sources.yaml" in text, text[-3000:]
        assert "snakemake --cores 1 -f raw_data" in text
        assert not (workspace / NET).exists()
    finally:
        raw.write_bytes(good)
        os.utime(raw, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_edited_K_stable_is_refused(workspace, tmp_path):
    from cortexflow.structure.mam import load_K_stable

    shutil.copy2(workspace / "data/raw/sources.yaml", tmp_path / "sources.yaml")
    shutil.copy2(workspace / "data/raw/K_prime_original.npy", tmp_path / "K_prime_original.npy")
    assert load_K_stable(tmp_path / "K_prime_original.npy").shape == (254, 254)
    _flip_byte(tmp_path / "K_prime_original.npy")
    with pytest.raises(RawDataError, match=r"K_prime_original\.npy: content differs"):
        load_K_stable(tmp_path / "K_prime_original.npy")


def test_check_raw_unit(tmp_path):
    """The check itself: refused on a changed byte, cached by (path, size, mtime_ns), silent without a manifest."""
    (tmp_path / "a.csv").write_text("1\t2\n")
    (tmp_path / "sources.yaml").write_text(
        "upstream: {base_url: http://x}\nfiles:\n  a.csv: {path: a.csv, sha256: "
        f"{sha256sum(tmp_path / 'a.csv')}, needed: true}}\n")
    assert check_raw(tmp_path / "a.csv") == tmp_path / "a.csv"
    (tmp_path / "a.csv").write_text("1\t3\n")
    with pytest.raises(RawDataError, match=r"a\.csv: content differs from .*sources\.yaml"):
        check_raw(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("x")
    assert check_raw(tmp_path / "b.csv") == tmp_path / "b.csv"  # not listed: not a raw file


def test_check_of_all_raw_files_is_cheap(workspace):
    files = sorted(p for p in (workspace / "data/raw").iterdir() if p.name not in ("sources.yaml", "LICENSE-DATA.md"))
    start = time.perf_counter()
    for p in files:
        check_raw(p)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for p in files:
        check_raw(p)
    again = time.perf_counter() - start
    print(f"check_raw of {len(files)} files: {first:.3f} s first, {again * 1e3:.2f} ms cached")
    assert first < 2.0 and again < first


@pytest.mark.parametrize("broken", ["corrupt", "missing"])
def test_failed_raw_data_keeps_verified_files(workspace, tmp_path, broken):
    raw_dir = workspace / "data/raw"
    before = {p.name: p.read_bytes() for p in raw_dir.iterdir()}
    mirror = tmp_path / "mirror"
    shutil.copytree(MIRROR, mirror)
    if broken == "corrupt":
        _flip_byte(mirror / "SLN_Data.csv")
    else:
        (mirror / "SLN_Data.csv").unlink()
    proc = snakemake(workspace, "--cores", "1", "-f", "raw_data", mirror=mirror, check=False)
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr + (workspace / "logs/raw_data.log").read_text(errors="replace")
    assert "SLN_Data.csv" in text and str(mirror) in text
    assert ".fetch-" not in text  # no path to a staging directory that no longer exists
    after = {p.name: p.read_bytes() for p in raw_dir.iterdir()}
    assert after == before  # every verified file in place with identical bytes, nothing added
    # the fixed rerun recovers and the data are those of the manifest
    snakemake(workspace, "--cores", "1", "-f", "raw_data")
    assert {p.name: p.read_bytes() for p in raw_dir.iterdir()} == before
    dry = snakemake(workspace, "-n", "results/anatomy/processed.json").stdout
    assert "raw_data" not in dry


def test_replicate_files_are_checked_against_their_own_manifest(tmp_path):
    """data_dependence replicates are derived files: their resampled files pass against the replicate's
    sources.yaml, and an edit of one is refused with the fix for a derived file."""
    if not MIRROR.is_dir():
        pytest.skip("no raw-data mirror")
    from cortexflow.data_dependence import resample as R
    from cortexflow.structure import mam_raw

    raw_dir = tmp_path / "raw"
    shutil.copytree(MIRROR, raw_dir)
    shutil.copy2(Path(__file__).parents[2] / "data/raw/sources.yaml", raw_dir / "sources.yaml")
    rec = R.make_replicate(raw_dir, tmp_path / "boot", {"kind": "bootstrap", "seed": 1,
                                                         "resample": ["injections", "densities"]}, {}, name="boot")
    assert rec["resampled_files"]
    for name in R.REPLICATE_FILES:
        check_raw(tmp_path / "boot" / name)
    assert mam_raw.read_pd14_numbers(tmp_path / "boot").shape == mam_raw.read_pd14_numbers(raw_dir).shape
    _flip_byte(tmp_path / "boot" / rec["resampled_files"][0])
    with pytest.raises(RawDataError, match="content differs from .*boot/sources.yaml.*derived file"):
        check_raw(tmp_path / "boot" / rec["resampled_files"][0])
