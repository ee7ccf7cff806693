"""Validation by KS / Wasserstein distances against the seed-to-seed spread."""
import numpy as np
import pytest

from cortexflow.analysis import validation


def test_distances_known_values():
    a = np.arange(10.0)
    assert validation.distance(a, a + 2, "wasserstein") == pytest.approx(2.0)
    assert validation.distance(a, a + 2, "ks") == pytest.approx(0.2)
    assert validation.distance(a, np.array([np.nan, 1.0, 2.0]), "ks") == pytest.approx(0.7)
    assert np.isnan(validation.distance(a, np.array([np.nan]), "ks"))
    with pytest.raises(ValueError, match="metric"):
        validation.distance(a, a, "kl")


def test_same_model_passes_shifted_model_fails():
    rng = np.random.default_rng(0)
    seeds = [rng.gamma(2.0, 2.0, 2000) for _ in range(5)]  # "rates" of 5 seeds
    same = [rng.gamma(2.0, 2.0, 2000) for _ in range(3)]
    shifted = [rng.gamma(2.0, 2.4, 2000) for _ in range(3)]  # 20 % higher mean rate
    for metric in validation.METRICS:
        ok = validation.compare(same, seeds, metric)
        bad = validation.compare(shifted, seeds, metric)
        assert ok["seed_to_seed"].size == 10 and ok["candidate_to_reference"].size == 15
        assert ok["passed"] and not bad["passed"]
    assert validation.compare(shifted, seeds, "wasserstein")["median_cross"] == pytest.approx(0.8, abs=0.15)
