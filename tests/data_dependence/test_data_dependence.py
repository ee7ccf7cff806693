"""Resampling of the raw data for the data-dependence study (cortexflow.data_dependence, docs/data_dependence.md)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from cortexflow.anatomy import fln as fl
from cortexflow.anatomy import readers as rd
from cortexflow.anatomy.process import process_anatomy, to_json
from cortexflow.areas import AREAS
from cortexflow.data_dependence import resample as R
from cortexflow.workflow import replicates as ddw
from cortexflow.rawdata import RawDataError, load_manifest, verify
from cortexflow.structure.mam import build_mam, build_mam_network

S17 = {"model": "mam", "g": -16.0, "rate_ext": 8.0, "fac_nu_ext_5E": 1.0, "fac_nu_ext_6E": 1.0,
       "fac_nu_ext_TH": 1.2, "cc_weights_factor": 1.0, "cc_weights_I_factor": 1.0}
BOOT = {"kind": "bootstrap", "seed": 1, "resample": ["injections", "densities"]}


def _processed(d):
    return json.loads(to_json(process_anatomy(d, None)))


def _replicate(raw_dir, tmp_path, name, spec):
    rec = R.make_replicate(raw_dir, tmp_path / name, spec, {}, name=name)
    return rec, _processed(tmp_path / name)


@pytest.fixture(scope="module")
def boot1(raw_dir, tmp_path_factory):
    return _replicate(raw_dir, tmp_path_factory.mktemp("dd"), "boot", BOOT)


def test_item_lists_of_the_workflow_match_the_raw_data(raw_dir):
    units = {u["name"]: u for u in R.density_units(raw_dir)}
    assert list(ddw.LOO_DENSITY_ITEMS) == R.loo_density_items(raw_dir)
    assert {k: units[k]["areas"] for k in ddw.LOO_DENSITY_ITEMS} == ddw.LOO_DENSITY_ITEMS
    assert sorted(set(units) - set(ddw.LOO_DENSITY_ITEMS)) == ["TH", "V1", "V2"]  # only areas of types 2, 8, 7
    inj = {r["case"]: (r["target"], r["injected"], r["monkey"]) for r in R.injections(raw_dir)}
    assert inj == ddw.INJECTIONS and len(inj) == 24
    # strata: most frequent type of the FV91 areas, ties to the lower type (Te1: 4, 4, 5, 5 -> 4)
    assert units["Te1"]["stratum"] == 4 and units["TEO"]["stratum"] == 5
    assert sorted(u["name"] for u in units.values() if u["stratum"] == 5) == ["FEF", "LIP", "Opt/DP", "TEO", "TF"]


def test_drawing_every_item_once_rewrites_the_files_byte_for_byte(raw_dir):
    ones = {r["case"]: 1 for r in R.injections(raw_dir)}
    texts = R._injection_tables(raw_dir, ones)
    texts.update(R._density_tables(raw_dir, {u["name"]: 1 for u in R.density_units(raw_dir)}))
    assert len(texts) == 8
    for name, text in texts.items():
        assert text == (raw_dir / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("spec", [{"kind": "original"}, {"kind": "bootstrap", "seed": 5, "resample": []}])
def test_resampling_off_reproduces_the_original_network_exactly(raw_dir, tmp_path, spec):
    rec, processed = _replicate(raw_dir, tmp_path, "off", spec)
    assert rec["resampled_files"] == [] and rec["sln_rows_without_fln"] == []
    original = _processed(raw_dir)
    assert processed == original
    rep = build_mam(processed, tmp_path / "off", S17)
    ref = build_mam(original, raw_dir, S17)
    assert np.array_equal(rep.N, ref.N) and np.array_equal(rep.K, ref.K)          # bit-identical
    assert np.array_equal(rep.W, ref.W) and rep.N.sum() == pytest.approx(4.130057e6, rel=1e-6)


def test_replicate_manifest_carries_the_new_checksums(raw_dir, boot1, tmp_path):
    rec, _ = boot1
    assert rec["resampled_files"] == sorted(R.INJECTION_FILES + R.DENSITY_FILES)
    R.make_replicate(raw_dir, tmp_path / "b", BOOT, {}, name="b")
    manifest = load_manifest(tmp_path / "b" / "sources.yaml")
    original = load_manifest(raw_dir / "sources.yaml")
    for name in R.REPLICATE_FILES:
        verify(tmp_path / "b" / name, manifest[name].sha256)
        assert (manifest[name].sha256 == original[name].sha256) == (name not in rec["resampled_files"])
    (tmp_path / "b" / R.FLN_FILE).write_text("tampered")
    with pytest.raises(RawDataError, match="Markov2014_FLN_rawdata.csv: checksum mismatch"):
        process_anatomy(tmp_path / "b", None)


def test_same_seed_gives_the_same_replicate_and_seeds_differ(raw_dir, tmp_path):
    sums = [R.make_replicate(raw_dir, tmp_path / d, {**BOOT, "seed": s}, {}, name=d)["sha256"]
            for d, s in (("a", 1), ("b", 1), ("c", 2))]
    assert sums[0] == sums[1]
    assert sums[0][R.FLN_FILE] != sums[2][R.FLN_FILE] and sums[0][R.NEUN_FILE] != sums[2][R.NEUN_FILE]
    # one resampling switched off leaves the other's draws unchanged (independent streams)
    only_inj = R.make_replicate(raw_dir, tmp_path / "d", {**BOOT, "resample": ["injections"]}, {}, name="d")
    assert only_inj["sha256"][R.FLN_FILE] == sums[0][R.FLN_FILE]
    assert only_inj["sha256"][R.NEUN_FILE] == load_manifest(raw_dir / "sources.yaml")[R.NEUN_FILE].sha256


def test_bootstrap_keeps_each_targets_injection_count(raw_dir, tmp_path):
    original = {t: len(c) for t, c in _counts(raw_dir).items()}
    assert original == {"46": 2, "7a": 1, "CITv": 1, "DP": 1, "FEF": 3, "MSTd": 1, "STPa": 1, "STPp": 3, "V1": 5,
                        "V2": 3, "V4": 3}
    changed = 0
    for seed in range(1000, 1006):
        rec = R.make_replicate(raw_dir, tmp_path / str(seed), {**BOOT, "seed": seed}, {}, name=str(seed))
        assert {t: len(c) for t, c in rec["injections"].items()} == original
        counts = _counts(tmp_path / str(seed))          # as the anatomy stage sees the written files
        assert {t: len(c) for t, c in counts.items()} == original
        changed += sum(len(set(c)) < len(c) for c in rec["injections"].values())
        assert {s: len(v) for s, v in rec["densities"].items()} == {"2": 1, "4": 3, "5": 5, "6": 3, "7": 1, "8": 1}
        assert len(rd.read_neun_densities(tmp_path / str(seed) / R.NEUN_FILE)) == 14
    assert changed > 0


def _counts(d):
    obs = fl.fln_injections(rd.read_fln_raw(d / R.FLN_FILE), rd.read_injection_sites(d / R.SITES_FILE), AREAS)
    return {t: sorted(g["injection"].unique()) for t, g in obs.groupby("target")}


def test_bootstrap_replicate_numbers(boot1):
    """Seed 1: V2 draws cases 6, 6, 8 and V4 cases 9, 9, 10 (so V4 <- V4 of V1.M121RH loses its FLN and two SLN
    rows are removed); FEF 12, 30, 30; LIP and V3A twice."""
    rec, p = boot1
    assert rec["injections"]["V4"] == [9, 9, 10] and rec["injections"]["FEF"] == [12, 30, 30]
    assert rec["densities"]["5"] == ["FEF", "LIP", "LIP", "TEO", "TF"]
    assert rec["sln_rows_without_fln"] == [595, 849]
    f = p["fits"]
    assert f["edr"]["intercept"] == pytest.approx(-3.05290352546616, rel=1e-9)
    assert f["edr"]["slope"] == pytest.approx(-0.11285017892108982, rel=1e-9)
    assert f["edr"]["n"] == 329 and f["sln"]["n_observations"] == 203 and f["neun_to_nissl"]["n"] == 13
    assert f["sln"]["b1"] == pytest.approx(-1.489248726571308, rel=1e-6)
    assert not any("~" in a for a in p["realistic_neuronal_numbers"])     # pseudo areas never reach the model
    assert "LIP~2" in p["neuronal_density_data_FV91_4layers"]


def test_leave_one_injection_out(raw_dir, tmp_path):
    original = _processed(raw_dir)
    rec, p = _replicate(raw_dir, tmp_path, "mstd", {"kind": "loo-injection", "item": 35})
    assert p["FLN_Data_FV91"]["MSTd"] == {} and "MSTd" not in p["SLN_Data_FV91"]
    assert p["meta"]["counts"]["fln_completed"]["data"] < original["meta"]["counts"]["fln_completed"]["data"]
    assert p["fits"]["sln"]["n_observations"] == 188 - 16                   # MT.M133LH has 16 SLN rows
    rec, p = _replicate(raw_dir, tmp_path, "teo", {"kind": "loo-injection", "item": 11})
    assert rec["sln_rows_without_fln"] == [595]    # V1.M121RH <- V4, filed under V4 by monkey: no V4 <- V4 FLN
    assert p["fits"]["sln"]["n_observations"] == 188 - 14


def test_leave_one_density_out(raw_dir, tmp_path):
    rec, p = _replicate(raw_dir, tmp_path, "te1", {"kind": "loo-density", "item": "Te1"})
    assert rec["resampled_files"] == [R.NEUN_FILE, R.NISSL_FILE]
    for area, tp in (("AITd", "4"), ("CITd", "5")):
        assert p["neuronal_densities"][area] == pytest.approx(p["category_density"][tp])
    assert p["fits"]["neun_to_nissl"]["n"] == 11
    assert p["category_density"]["4"]["overall"] == pytest.approx((52720 + 52379) / 2)   # 46 and 7a (Nissl)
    with pytest.raises(R.ResampleError, match="'V1' is not a density measurement that can be left out"):
        R.draw(raw_dir, {"kind": "loo-density", "item": "V1"})
    with pytest.raises(R.ResampleError, match="injection case 17"):
        R.draw(raw_dir, {"kind": "loo-injection", "item": 17})


def test_replicate_names_and_network_choice():
    reps = ddw.replicates({"n_replicates": 3, "seed": 7})
    assert list(reps)[:4] == ["original", "boot-000", "boot-001", "boot-002"]
    assert [reps[f"boot-00{r}"]["seed"] for r in range(3)] == [7, 8, 9]
    assert len(reps) == 1 + 3 + 11 + 24 and "loo-density-area-46v" in reps and "loo-injection-09" in reps
    assert len(ddw.replicates({"leave_one_out": []})) == 9
    nets = {"mam-s17": S17, "mam-published": {"model": "mam", "K_stable": "K_prime_original.npy"},
            "pd14": {"model": "pd14"}}
    assert ddw.check_network({}, nets) == "mam-s17"
    with pytest.raises(ValueError, match="takes its indegrees from K_prime_original.npy"):
        ddw.check_network({"network": "mam-published"}, nets)
    with pytest.raises(ValueError, match="'pd14' is not a mam network"):
        ddw.check_network({"network": "pd14"}, nets)


def test_replicate_network_differs_from_the_original(raw_dir, boot1, tmp_path):
    R.make_replicate(raw_dir, tmp_path / "b", BOOT, {}, name="b")
    (tmp_path / "b" / "processed.json").write_text(to_json(boot1[1]))
    rep = build_mam_network(tmp_path / "b" / "processed.json", tmp_path / "b", S17)
    ref = build_mam(_processed(raw_dir), raw_dir, S17)
    rel = np.abs(rep.K[:, :-1] - ref.K[:, :-1]).sum() / ref.K[:, :-1].sum()
    assert 1e-3 < rel < 0.5
    assert not np.array_equal(rep.N, ref.N)
