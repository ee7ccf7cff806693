"""Bistability scan and the S17 stabilisation (cortexflow.theory.bistability, stabilise)."""
import numpy as np
import pytest
from tests.support.theory_reference import RAW_MIRROR, s17_base

from cortexflow.theory.bistability import external_indegrees, fac_6E, final_rates, locate_transition
from cortexflow.theory.stabilise import (StabilisationError, choose_unstable_fixed_point, compare_indegrees,
                                         frozen_mask, stabilise, stabilise_step)

KAPPA_LOW, KAPPA_HIGH = 1.07435494, 1.07435495   # upstream rerun on NEST 3.10 (reference doc 4.5)


@pytest.fixture(scope="module")
def base():
    return s17_base()


@pytest.fixture(scope="module")
def transition_trajectories(base):
    _, traj = final_rates(base, [KAPPA_LOW, KAPPA_HIGH], record="full")
    return traj[:, :, 0], traj[:, :, 1]


def test_kappa_ties_and_external_indegrees(base):
    assert fac_6E(1.0) == pytest.approx(1.0) and fac_6E(1.125) == pytest.approx(1.4166667, abs=1e-7)
    K = external_indegrees(base, [1.0, 1.125])
    i5, i6, i23 = base.populations.index("V1-5E"), base.populations.index("V1-6E"), base.populations.index("V1-23E")
    assert K[i5, 1] / K[i5, 0] == pytest.approx(1.125)
    assert K[i6, 1] / K[i6, 0] == pytest.approx(1.4166667, abs=1e-7)
    assert K[i23, 1] == K[i23, 0] == pytest.approx(1246.1018, abs=1e-4)


def test_coarse_transition(base):
    tr = locate_transition(base, n_refine=2)        # bracket 1e-4
    assert (tr.kappa_low, tr.kappa_high) == (pytest.approx(1.0743), pytest.approx(1.0744))
    low = tr.mean_rates[np.searchsorted(tr.kappas, tr.kappa_low)]
    high = tr.mean_rates[np.searchsorted(tr.kappas, tr.kappa_high)]
    assert low < 3.0 and high > 100.0


def test_the_bracket_of_upstream_separates_low_and_high(base, transition_trajectories):
    lo, hi = transition_trajectories
    assert lo[-1].mean() == pytest.approx(1.9739, abs=1e-3)         # upstream: 1.97 -> 135.6 spikes/s
    assert hi[-1].mean() == pytest.approx(135.587, abs=1e-2)


def test_unstable_fixed_point_choice_and_one_step(base, transition_trajectories):
    lo, hi = transition_trajectories
    crit = base.with_K(K_ext=external_indegrees(base, [KAPPA_LOW])[:, 0])
    saddle = choose_unstable_fixed_point(crit, lo, hi, "saddle")
    assert saddle.step == 1118 and saddle.residual < 1e-10
    assert saddle.saddle.mean() == pytest.approx(2.22684, abs=1e-5)
    assert saddle.eigenvalues[0].real == pytest.approx(2.1064, abs=1e-4) and saddle.eigenvalues[1].real < 1
    vm = choose_unstable_fixed_point(crit, lo, hi, "velocity_minimum")
    assert vm.step == 1385            # upstream's hand-made ind_list[0] = 1 picks this minimum
    np.testing.assert_allclose(vm.saddle, saddle.saddle, atol=1e-9)
    assert vm.distance == pytest.approx(0.0667, abs=1e-3)
    K_target = external_indegrees(base, [1.2])[:, 0]
    K1, info = stabilise_step(crit, K_target, saddle.point)
    assert (K1 - base.K).sum() / base.K.sum() == pytest.approx(-0.014938, abs=1e-6)   # upstream: -1.50 %
    frozen = frozen_mask(base.populations)
    assert frozen.sum() == 248 * (158 - 5) + 6 * (158 - 3)   # cc entries from 23I, 4E, 4I, 5I, 6I sources
    np.testing.assert_array_equal(K1[frozen], base.K[frozen])
    assert np.all(K1 >= 0)
    assert info["eigenvalues"][0].real == pytest.approx(2.1064, abs=1e-4)


def test_compare_indegrees_counts():
    K0 = np.array([[1.0, 0.0], [2.0, 3.0]])
    K = np.array([[0.0, 1.0], [2.0, 2.0]])
    c = compare_indegrees(K0, K, K, ["A-23E", "B-23E"])
    assert c["created"] == 1 and c["removed"] == 1 and c["corr_dK"] == pytest.approx(1.0)
    assert c["total_change"] == pytest.approx(-1 / 6) and c["frobenius_rel_diff"] == 0.0


def test_stabilisation_errors(base):
    with pytest.raises(ValueError, match="fixed_point"):
        stabilise(base, fixed_point="by_hand")
    high = base.with_K(K_ext=external_indegrees(base, [1.2])[:, 0])   # grid 1..1.19 -> kappa 1.2..1.43: high
    with pytest.raises(ValueError, match="high-activity"):
        stabilise(high, n_refine=0, log=lambda m: None)
    with pytest.raises(StabilisationError, match="still <= 1.125"):
        stabilise(base, n_refine=0, min_iterations=0, max_iterations=0, log=lambda m: None)
    lo, hi = final_rates(base, [1.07, 1.08], T=3.0, record="full")[1].transpose(2, 0, 1)
    with pytest.raises(StabilisationError, match="never part"):
        choose_unstable_fixed_point(base, lo, lo, "saddle")


@pytest.mark.slow
def test_upstream_protocol_reproduces_the_first_kappa_stars(base):
    """velocity_minimum rule = upstream's heuristic: kappa* 1.07435494, 1.08283374 (NEST 3.10 rerun)."""
    res = stabilise(base, fixed_point="velocity_minimum", min_iterations=1, max_iterations=1,
                    kappa_network=1.0, log=lambda m: None)
    assert [round(it.kappa_low, 8) for it in res.iterations] == [1.07435494, 1.08283374]


@pytest.mark.slow
def test_full_stabilisation_against_published_K_prime(base):
    path = RAW_MIRROR / "K_prime_original.npy"
    if not path.exists():
        pytest.skip(f"{path} not available")
    res = stabilise(base, log=lambda m: None)
    kappas = [it.kappa_low for it in res.iterations]
    np.testing.assert_allclose(kappas[:4], [1.07435494, 1.08280657, 1.09977308, 1.12647557], atol=1e-8)
    assert res.success and kappas[-1] > 1.125
    c = compare_indegrees(base.K, res.K, np.load(path), base.populations)
    assert c["corr_dK"] > 0.973 and c["frobenius_rel_diff"] < 0.031       # upstream rerun: 0.974, 3.0 %
    assert c["total_change"] == pytest.approx(-0.0921, abs=1e-3)
