"""Anatomy stage (rule process_anatomy): check values of Schmidt et al. (2018) / upstream VisualCortex_Data.py
(reference doc §2), the upstream processed backup, the options, corrupted inputs and determinism."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from cortexflow.anatomy import readers
from cortexflow.anatomy.process import process_anatomy, to_json, write_json
from cortexflow.areas import AREAS
from cortexflow.rawdata import RawDataError

REFERENCE = Path(__file__).resolve().parents[3] / "shared/data/mam_reference"


@pytest.fixture(scope="module")
def processed(raw_dir):
    return process_anatomy(raw_dir)


@pytest.fixture(scope="module")
def present_only(raw_dir):
    return process_anatomy(raw_dir, {"injection_averaging": "present_only"})


def test_output_has_upstream_keys_plus_fits_and_meta(processed):
    upstream = {"cocomac_completed", "architecture_completed", "hierarchy_completed", "SLN_completed",
                "SLN_Data_FV91", "FLN_Data_FV91", "FLN_completed", "neuronal_densities",
                "neuronal_density_data_FV91_4layers", "realistic_neuronal_numbers", "total_thicknesses",
                "laminar_thicknesses", "category_density"}
    assert set(processed) == upstream | {"fits", "meta"}
    for key in ("neuronal_densities", "realistic_neuronal_numbers", "total_thicknesses", "laminar_thicknesses",
                "FLN_completed", "SLN_completed", "cocomac_completed", "FLN_Data_FV91"):
        assert set(processed[key]) == set(AREAS), key
    assert processed["architecture_completed"]["MIP"] == processed["architecture_completed"]["MDP"] == 5
    assert processed["hierarchy_completed"]["MIP"] == 0.5 and processed["hierarchy_completed"]["AITd"] == 1.0
    assert len(processed["meta"]["inputs_sha256"]) == 18


def test_neun_to_nissl_calibration(processed):
    fit = processed["fits"]["neun_to_nissl"]
    assert round(fit["slope"], 4) == 0.9681
    assert round(fit["intercept"]) == 17280
    assert fit["n"] == 12 and round(fit["r"], 3) == 1.000


def test_densities(processed):
    v1 = processed["neuronal_densities"]["V1"]
    assert [round(v1[k]) for k in ("overall", "23", "4", "5", "6")] == [173360, 166264, 190654, 152109, 152109]
    t5 = processed["category_density"]["5"]
    assert [round(t5[k]) for k in ("overall", "23", "4", "5")] == [65327, 62133, 115446, 59947]
    assert processed["neuronal_densities"]["TH"]["4"] == 0.0
    overall_1 = processed["category_density"]["1"]["overall"]
    assert overall_1 is None or np.isnan(overall_1)
    assert len(processed["neuronal_density_data_FV91_4layers"]) == 19
    # areas without data get their type's average: MSTd (type 5)
    assert processed["neuronal_densities"]["MSTd"] == t5


def test_thickness_regressions_and_laminar_thicknesses(processed):
    tot = processed["fits"]["total_thickness"]
    assert (round(tot["intercept"], 1), round(tot["slope"], 1), tot["n"]) == (12094.6, -2081.8, 14)
    assert round(tot["r"], 3) == -0.704
    l4 = processed["fits"]["l4_fraction"]
    assert (round(l4["intercept"], 4), round(l4["slope"], 4), l4["n"]) == (-2.0062, 0.4403, 13)
    means = processed["fits"]["mean_relative_thickness"]
    assert [round(means[k], 4) for k in ("1", "23", "5", "6")] == [0.1195, 0.4274, 0.1401, 0.1662]
    lam = processed["laminar_thicknesses"]
    expected = {"V1": [0.090, 0.365, 0.461, 0.166, 0.157], "FEF": [0.217, 0.924, 0.345, 0.373, 0.351],
                "TH": [0.277, 0.646, 0.115, 0.569, 0.262]}
    for area, values in expected.items():
        assert [round(lam[area][k], 3) for k in ("1", "23", "4", "5", "6")] == values, area
        assert sum(lam[area].values()) == pytest.approx(processed["total_thicknesses"][area] / 1000, rel=1e-12)
    assert processed["total_thicknesses"]["V1"] == 1240.0


def test_ei_ratios_and_neuron_numbers(processed):
    ei = processed["fits"]["ei_ratio"]
    assert [round(ei[k], 4) for k in ("23", "4", "5", "6")] == [0.7800, 0.8000, 0.8199, 0.8300]
    numbers = processed["realistic_neuronal_numbers"]
    assert sum(v["total"] for v in numbers.values()) == pytest.approx(9.33e8, rel=1e-3)
    assert numbers["V1"]["total"] == pytest.approx(2.94e8, rel=1e-3)
    assert numbers["TH"]["4E"] == numbers["TH"]["4I"] == 0.0


def test_fln_edr_and_completion(raw_dir, processed):
    edr = processed["fits"]["edr"]
    assert (round(edr["intercept"], 4), round(edr["slope"], 5), edr["n"]) == (-3.0933, -0.11436, 331)
    with_data = sorted(a for a, v in processed["FLN_Data_FV91"].items() if v)
    assert with_data == sorted(["V1", "V2", "V4", "FEF", "7a", "DP", "STPa", "STPp", "CITv", "46", "MSTd"])
    ext = {a: processed["FLN_completed"][a]["external"] for a in ("V1", "V2", "FEF", "46")}
    assert [round(ext[a], 4) for a in ("V1", "V2", "FEF", "46")] == [0.0, 0.0028, 0.0303, 0.0195]
    assert processed["meta"]["counts"]["fln_completed"] == {"data": 332, "edr": 240}
    # a target without data: every value from the EDR, FLN = exp(a + b d) with the median distance d
    d = readers.read_distance_matrix(raw_dir / "Median_Distances_81areas.csv")
    assert processed["FLN_completed"]["TH"]["TF"] == pytest.approx(
        np.exp(edr["intercept"] + edr["slope"] * d.loc["TH", "TF"]), rel=1e-12)


def test_cocomac_pairs_and_patterns(processed):
    coco = processed["cocomac_completed"]
    assert processed["meta"]["counts"]["cocomac_model_pairs"] == 571
    assert sum(s in AREAS and s != t for t in AREAS for s in coco[t]) == 571
    assert all(t in coco[t] for t in AREAS)  # self-connections added
    # 'X' -> 2, '?' -> 0 (layers 1, 4) / -1 (2, 3, 5, 6) in source patterns, -1 in target patterns
    assert coco["V2"]["7a"] == {"source_pattern": [2, 2, 0, 2, 2, -1], "target_pattern": [3, 2, 2, 2, 2, 2]}
    assert coco["V2"]["35"]["source_pattern"] == [2, 2, 2, 0, -1, -1]
    assert coco["V3A"]["VP"]["target_pattern"] == [2, -1, -1, -1, -1, -1]


def test_sln_fit_reproduces_the_published_r_fit(processed):
    fit = processed["fits"]["sln"]
    assert fit["optimizer"] == "nelder-mead" and fit["converged"]
    assert fit["b0"] == pytest.approx(-0.1516, abs=1e-3) and fit["b1"] == pytest.approx(-1.5343, abs=1e-3)
    # R's optim Nelder-Mead replayed: the printed R result to all 7 digits
    assert (round(fit["b0"], 7), round(fit["b1"], 7)) == (-0.1516142, -1.53432)
    assert fit["phi"] == pytest.approx(0.2140, abs=1e-3)
    assert fit["neg_log_likelihood"] == pytest.approx(1067.352, abs=1e-3)
    assert (round(fit["start"]["b0"], 3), round(fit["start"]["b1"], 3)) == (0.162, -1.201)  # probit GLM


def test_sln_fit_bfgs_reaches_the_likelihood_maximum(raw_dir, processed):
    from cortexflow.anatomy.sln import fit_sln
    fit = fit_sln(readers.read_sln_fit_data(raw_dir / "RData_prepared_logdensities.txt"), "bfgs")
    assert fit["converged"]
    assert fit["b0"] == pytest.approx(-0.1516, abs=1e-3) and fit["b1"] == pytest.approx(-1.5343, abs=1e-3)
    assert (round(fit["b0"], 4), round(fit["b1"], 4)) == (-0.1519, -1.5340)
    assert fit["neg_log_likelihood"] < processed["fits"]["sln"]["neg_log_likelihood"]


def test_sln_completion(processed):
    assert sorted(processed["SLN_Data_FV91"]) == ["DP", "MSTd", "V1", "V2", "V4"]
    assert processed["meta"]["counts"]["sln_completed"] == {"data": 133, "fit": 438}
    fit = processed["fits"]["sln"]
    rho = processed["neuronal_densities"]
    from scipy.stats import norm
    # FEF has no SLN data: probit of the log density ratio
    for source, value in processed["SLN_completed"]["FEF"].items():
        x = np.log(rho["FEF"]["overall"]) - np.log(rho[source]["overall"])
        assert value == pytest.approx(norm.cdf(fit["b0"] + fit["b1"] * x), rel=1e-12)
    assert round(processed["SLN_completed"]["FEF"]["V1"], 4) == round(norm.cdf(-0.1516142 - 1.53432 * np.log(
        rho["FEF"]["overall"] / 173360)), 4)
    assert processed["SLN_completed"]["V1"]["V4"] < 0.35  # feedback


def test_matches_upstream_processed_backup(processed):
    path = REFERENCE / "viscortex_processed_data_backup.json"
    if not path.is_file():
        pytest.skip(f"no upstream reference at {path}")
    backup = json.loads(path.read_text())
    assert set(backup) == {"SLN_completed", "laminar_thicknesses", "realistic_neuronal_numbers", "total_thicknesses"}

    def compare(ours, ref, where):
        if isinstance(ref, dict):
            assert set(ours) == set(ref), where
            for k in ref:
                compare(ours[k], ref[k], f"{where}/{k}")
        else:
            assert ours == pytest.approx(ref, rel=1e-6, abs=0), where

    for key, value in backup.items():
        compare(processed[key], value, key)


def test_present_only_averaging_changes_fln_and_sln(processed, present_only):
    assert present_only["meta"]["options"]["injection_averaging"] == "present_only"
    # V1 has 5 FLN injections, V2 3: sources seen by only some injections are no longer diluted by zeros
    for t in ("V1", "V2", "V4"):
        a, b = processed["FLN_Data_FV91"][t], present_only["FLN_Data_FV91"][t]
        assert set(a) == set(b)
        assert all(b[s] >= a[s] - 1e-15 for s in a) and any(b[s] > 1.01 * a[s] for s in a), t
    assert present_only["fits"]["edr"]["intercept"] != processed["fits"]["edr"]["intercept"]
    assert round(present_only["fits"]["edr"]["intercept"], 4) == -3.1369
    changed = [(t, s) for t in processed["SLN_Data_FV91"] for s in processed["SLN_Data_FV91"][t]
               if abs(processed["SLN_Data_FV91"][t][s] - present_only["SLN_Data_FV91"][t][s]) > 1e-3]
    assert len(changed) == 9 and {t for t, _ in changed} == {"V2", "V4"}
    # V4 pools the V4 and TEO injections; zero padding pulls V4 <- V1 down
    pairs = [(processed["SLN_Data_FV91"]["V4"]["V1"], present_only["SLN_Data_FV91"]["V4"]["V1"]),
             (processed["SLN_Data_FV91"]["V2"]["FEF"], present_only["SLN_Data_FV91"]["V2"]["FEF"])]
    assert [tuple(round(v, 4) for v in p) for p in pairs] == [(0.8606, 0.9471), (0.2073, 0.1933)]
    assert present_only["SLN_completed"] != processed["SLN_completed"]


def test_sln_injection_match_by_label_moves_v1_m121rh_to_v1(raw_dir, processed):
    fixed = process_anatomy(raw_dir, {"sln_injection_match": "injection"})
    assert fixed["SLN_Data_FV91"]["V1"] != processed["SLN_Data_FV91"]["V1"]
    assert fixed["SLN_Data_FV91"]["V4"] != processed["SLN_Data_FV91"]["V4"]
    assert fixed["SLN_Data_FV91"]["DP"] == processed["SLN_Data_FV91"]["DP"]  # other targets untouched
    assert fixed["FLN_completed"] == processed["FLN_completed"]


def test_unknown_or_bad_option_is_named(raw_dir):
    with pytest.raises(ValueError, match=r"anatomy\.injection_averaging: 'mean'"):
        process_anatomy(raw_dir, {"injection_averaging": "mean"})
    with pytest.raises(ValueError, match=r"anatomy\.sln_fit\.optimizer: 'lbfgs'"):
        process_anatomy(raw_dir, {"sln_fit": {"optimizer": "lbfgs"}})
    with pytest.raises(ValueError, match=r"anatomy\.smoothing: unknown option"):
        process_anatomy(raw_dir, {"smoothing": 1})


@pytest.mark.parametrize("name", ["overlap.json", "NeuronalDensities_NeuN.csv"])
def test_corrupted_input_is_named(raw_dir, tmp_path, name):
    bad = tmp_path / "raw"
    shutil.copytree(raw_dir, bad)
    data = bytearray((bad / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (bad / name).write_bytes(bytes(data))
    with pytest.raises(RawDataError, match=rf"{name.replace('.', chr(92) + '.')}: checksum mismatch"):
        process_anatomy(bad)
    (bad / name).unlink()
    with pytest.raises(RawDataError, match=rf"{name.replace('.', chr(92) + '.')} is missing"):
        process_anatomy(bad)


def test_deterministic_strict_json_written_atomically(raw_dir, processed, tmp_path):
    start = time.perf_counter()
    again = process_anatomy(raw_dir)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0  # upstream: 3 s; here ~0.1 s
    text = to_json(processed)
    assert to_json(again) == text
    out = tmp_path / "anatomy/processed.json"
    write_json(again, out)
    assert out.read_text() == text
    assert [p.name for p in out.parent.iterdir()] == ["processed.json"]  # no temporary left
    assert "NaN" not in text and json.loads(text)["category_density"]["1"]["overall"] is None


def test_reader_quirks(raw_dir):
    nissl = readers.read_nissl_densities(raw_dir / "NeuronalDensities_Nissl.csv")
    assert nissl["MT"] == 81153 and nissl["LIP"] == 69275 and nissl["Te1"] == 54902 and "V3" not in nissl
    thick = readers.read_total_thickness(raw_dir / "CorticalThickness.csv")
    assert len(thick) == 14 and thick["V1"] == 1240.0 and "P0" not in thick
    overlap = readers.read_overlap(raw_dir / "overlap.json")
    assert sum(overlap["V1"].values()) == pytest.approx(100.0)
    assert overlap["V1"]["V1"] == pytest.approx(94.2)  # FVE.V1 0.7 + FVE_all.V1 93.5
    sln, fitdata = (readers.read_sln_data(raw_dir / "SLN_Data.csv"),
                    readers.read_sln_fit_data(raw_dir / "RData_prepared_logdensities.txt"))
    assert len(sln) == len(fitdata) == 188
    assert (sln[["TO", "FROM", "S", "I"]].to_numpy() == fitdata[["TO", "FROM", "S", "I"]].to_numpy()).all()
    assert fitdata["DENS"].iloc[0] == pytest.approx(np.log(81153 / 173360), abs=1e-6)  # MT <- V1
