# SPDX-License-Identifier: GPL-3.0-or-later
"""Population labels -> area and population (cortexflow.areas.area_of / population_of), the one copy."""
from cortexflow.areas import AREAS, area_of, population_labels, population_of
from cortexflow.structure.pd14_params import POPULATIONS as PD14_POPULATIONS


def test_mam_labels_split_into_area_and_population():
    labels = population_labels()
    assert len(labels) == 254
    assert [area_of(p) for p in labels][:8] == ["V1"] * 8 and area_of("V4t-23E") == "V4t"
    assert area_of("7a-6I") == "7a" and population_of("7a-6I") == "6I"
    assert list(dict.fromkeys(area_of(p) for p in labels)) == AREAS
    assert {population_of(p) for p in labels if area_of(p) == "TH"} == {"23E", "23I", "5E", "5I", "6E", "6I"}


def test_labels_without_area_belong_to_one_unnamed_area():
    """pd14 labels ('23E') have no area: '' (the `area` column of summary.csv), the population is the label."""
    assert [area_of(p) for p in PD14_POPULATIONS] == [""] * 8
    assert [population_of(p) for p in PD14_POPULATIONS] == list(PD14_POPULATIONS)
