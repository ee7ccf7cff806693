"""Raw data under provenance: manifest, checksums, mirror copy, clear errors, nothing half-written."""
from pathlib import Path

import pytest
import yaml

from tests.support.workspace import MIRROR
from cortexflow.rawdata import RawDataError, fetch, load_manifest, resolve_mirror, sha256sum, verify

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "data/raw/sources.yaml"
SHARED = ROOT.parent / "shared/data"


def mirror_dir() -> Path:
    if not MIRROR.is_dir():
        pytest.skip(f"no raw-data mirror at {MIRROR} (set CORTEXFLOW_RAW_MIRROR)")
    return MIRROR


def test_manifest_lists_every_upstream_file_with_provenance():
    spec = yaml.safe_load(MANIFEST.read_text())
    commit = "355d94042f4fe613e5602918082f5e667695932e"
    assert spec["upstream"]["commit"] == commit
    files = spec["files"]
    assert len(files) == 30
    for entry in files.values():
        assert len(entry["sha256"]) == 64
        assert entry["licence"] == "CC BY-NC-SA 4.0"
        assert entry["source"] and isinstance(entry["needed"], bool)
    manifest = load_manifest(MANIFEST)
    assert manifest["SLN_Data.csv"].url.endswith(
        f"/{commit}/multiarea_model/data_multiarea/raw_data/SLN_Data.csv")
    assert manifest["K_prime_original.npy"].url.endswith("figures/SchueckerSchmidt2017/K_prime_original.npy")
    # needed by the model: 22 files; optional/unused: 8
    assert sum(f.needed for f in manifest.values()) == 22


def test_manifest_checksums_agree_with_the_mirror():
    sums = SHARED / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip("no ../shared/data/SHA256SUMS")
    published = {p.split("/", 1)[1]: h for h, p in (line.split() for line in sums.read_text().splitlines())
                 if p.startswith("mam_raw/")}
    assert {n: f.sha256 for n, f in load_manifest(MANIFEST).items()} == published


def test_fetch_from_mirror_verifies_every_file(tmp_path):
    mirror = mirror_dir()
    files = list(load_manifest(MANIFEST).values())
    out = fetch(files, tmp_path / "raw", mirror)
    assert len(out) == 30
    for f in files:
        assert sha256sum(tmp_path / "raw" / f.name) == f.sha256
    assert not [p for p in (tmp_path / "raw").iterdir() if p.name.startswith(".fetch")]


def test_corrupted_mirror_file_is_named_and_nothing_is_written(tmp_path):
    mirror = mirror_dir()
    bad = tmp_path / "mirror"
    bad.mkdir()
    for p in mirror.iterdir():
        (bad / p.name).write_bytes(p.read_bytes())
    target = bad / "SLN_Data.csv"
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01  # one changed byte
    target.write_bytes(bytes(data))
    dest = tmp_path / "raw"
    with pytest.raises(RawDataError, match=r"SLN_Data\.csv: checksum mismatch"):
        fetch(list(load_manifest(MANIFEST).values()), dest, bad)
    assert list(dest.iterdir()) == []  # no file of the batch was moved into place


def test_missing_mirror_file_is_named_before_copying(tmp_path):
    mirror = mirror_dir()
    partial = tmp_path / "mirror"
    partial.mkdir()
    for p in mirror.iterdir():
        if p.name != "overlap.json":
            (partial / p.name).write_bytes(p.read_bytes())
    with pytest.raises(RawDataError, match=r"overlap\.json is missing from the mirror"):
        fetch(list(load_manifest(MANIFEST).values()), tmp_path / "raw", partial)


def test_unreachable_url_without_mirror_names_file_and_fix(tmp_path):
    f = load_manifest(MANIFEST)["Numbers_V1.csv"]
    unreachable = type(f)(f.name, "http://127.0.0.1:9/Numbers_V1.csv", f.sha256, f.needed)
    with pytest.raises(RawDataError, match=r"Numbers_V1\.csv: cannot download .*CORTEXFLOW_RAW_MIRROR"):
        fetch([unreachable], tmp_path / "raw", mirror=None, timeout=2)
    assert list((tmp_path / "raw").iterdir()) == []


def test_verify_and_mirror_resolution(tmp_path, monkeypatch):
    p = tmp_path / "x.csv"
    p.write_text("abc")
    verify(p, sha256sum(p))
    with pytest.raises(RawDataError, match="x.csv: checksum mismatch"):
        verify(p, "0" * 64)
    with pytest.raises(RawDataError, match="missing"):
        verify(tmp_path / "absent.csv", "0" * 64)
    monkeypatch.setenv("CORTEXFLOW_RAW_MIRROR", str(tmp_path))
    assert resolve_mirror(None) == tmp_path
    assert resolve_mirror(str(tmp_path / "..")) == tmp_path / ".."  # config wins over the environment
    with pytest.raises(RawDataError, match="not a directory"):
        resolve_mirror(str(tmp_path / "nope"))
    monkeypatch.delenv("CORTEXFLOW_RAW_MIRROR")
    assert resolve_mirror(None) is None
