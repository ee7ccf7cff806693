"""Mean field against chi and random starts (cortexflow.theory.chi_sweep; PCB18 Fig. 4 theory panels)."""
import numpy as np
import pytest
from tests.support.theory_reference import s17_base, upstream_network

from cortexflow.theory.bistability import external_indegrees
from cortexflow.theory.chi_sweep import (branches, cc_factor, chi_I_of, from_zero, network_at, random_starts,
                                         with_chi)
from cortexflow.theory.fixedpoint import solve


def test_random_starts_find_the_low_and_high_state_of_mam_s17():
    """S17 base (kappa = 1): the low state (= from zero rates, 1.8535 spikes/s) and the high state that zero
    rates reach at kappa = 1.125; at kappa = 1.125 only the high state is left."""
    mf = s17_base()
    rs = random_starts(mf, 16, seed=123)
    low = solve(mf).rates
    np.testing.assert_allclose(rs.fixed_points.mean(axis=1), [1.8535, 135.2566], atol=1e-4)
    np.testing.assert_allclose(rs.fixed_points[0], low, atol=1e-8)
    assert list(np.bincount(rs.label, minlength=2)) == [1, 15] and np.all(rs.lambda_max < 1)
    again = random_starts(mf, 16, seed=123)
    assert np.array_equal(again.final_mean, rs.final_mean) and np.array_equal(again.label, rs.label)
    hi = mf.with_K(K_ext=external_indegrees(mf, [1.125])[:, 0])
    rs_hi = random_starts(hi, 16, seed=123)
    assert rs_hi.fixed_points.shape[0] == 1 and list(rs_hi.label) == [0] * 16
    np.testing.assert_allclose(rs_hi.fixed_points[0], solve(hi, require_stable=False).rates, atol=1e-8)
    assert rs_hi.fixed_points[0].mean() == pytest.approx(135.822, abs=1e-3)
    # the high state at kappa = 1 is the kappa = 1.125 state continued to lower drive (lower rates)
    assert rs.fixed_points[1].mean() < rs_hi.fixed_points[0].mean()


def test_chi_rescaling_matches_the_weight_rule():
    mf = upstream_network("default")
    m = with_chi(mf, 1.9, 2.0, 1.0, 1.0)
    area = np.array([p.split("-")[0] for p in mf.populations])
    cc = area[:, None] != area[None, :]
    inh = np.array([p.endswith("I") for p in mf.populations])
    np.testing.assert_allclose(m.J, mf.J * np.where(cc, 1.9, 1.0) * np.where(cc & inh[:, None], 2.0, 1.0))
    back = with_chi(m, 1.0, 1.0, 1.9, 2.0)
    np.testing.assert_allclose(back.J, mf.J, rtol=1e-14)
    assert cc_factor(mf.populations, 2.0, 3.0)[0, 0] == 1.0 and list(chi_I_of(np.array([1.0, 1.8]), 2.0)) == [1, 2]
    with pytest.raises(ValueError, match="positive"):
        with_chi(mf, 0.0, 1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def published_branches():
    mf_of = network_at(upstream_network("default"), 1.0, 1.0, 2.0)
    chis = np.round(np.arange(1.8, 2.2001, 0.01), 6)
    (low0, high0), _ = from_zero(mf_of, [chis[0], chis[-1]])
    return chis, branches(mf_of, chis, low0, high0)


def test_lambda_max_rises_monotonically_to_the_fold_of_the_low_branch(published_branches):
    chis, br = published_branches
    ok = np.isfinite(br.low_lambda)
    lam = br.low_lambda[ok]
    # low branch from chi = 1.8 until its saddle-node between chi = 2.07 and 2.08, lambda_max -> 1
    assert chis[ok][-1] == pytest.approx(2.07) and np.all(ok[: ok.sum()])
    assert np.all(np.diff(lam) > 0) and lam[0] == pytest.approx(0.4925, abs=1e-4) and lam[-1] > 0.9
    np.testing.assert_allclose(np.mean(br.low_rates[chis == 1.9]), 3.6422, atol=1e-4)
    # high branch from chi = 2.2 down to chi = 1.89; its lambda_max rises towards its own fold
    okh = np.isfinite(br.high_lambda)
    assert chis[okh][0] == pytest.approx(1.89) and np.all(okh[np.argmax(okh):])
    np.testing.assert_allclose(np.mean(br.high_rates[np.isclose(chis, 1.9)]), 23.2894, atol=1e-4)
    assert br.high_lambda[okh][0] > 0.85
    # bistable range [1.89, 2.07] with the low state below the high state throughout
    both = ok & okh
    assert np.all(br.low_rates[both].mean(axis=1) < br.high_rates[both].mean(axis=1))


def test_random_starts_of_the_metastable_network():
    mf = with_chi(upstream_network("default"), 1.9, 2.0, 1.0, 1.0)
    rs = random_starts(mf, 8, seed=123)
    assert [round(m, 3) for m in rs.fixed_points.mean(axis=1)] == [3.642, 23.289]
    assert rs.label.shape == (8,) and set(rs.label) <= {-1, 0, 1}
