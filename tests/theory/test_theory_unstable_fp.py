"""Low, unstable and high fixed point at the first S17 transition (cortexflow.theory.unstable_fp; S17 Fig. 6)."""
import numpy as np
import pytest
from tests.support.theory_reference import s17_base

from cortexflow.theory.bistability import external_indegrees, final_rates
from cortexflow.theory.fixedpoint import solve
from cortexflow.theory.stabilise import choose_unstable_fixed_point
from cortexflow.theory.unstable_fp import transition_states

KAPPA_LOW, KAPPA_HIGH = 1.07435494, 1.07435495


def test_three_fixed_points_at_the_first_transition():
    base = s17_base()
    _, traj = final_rates(base, [KAPPA_LOW, KAPPA_HIGH], record="full")
    crit = base.with_K(K_ext=external_indegrees(base, [KAPPA_LOW])[:, 0])
    sad = choose_unstable_fixed_point(crit, traj[:, :, 0], traj[:, :, 1], "saddle")
    rec = {"K0": base.K, "iterations": [{"kappa_low": KAPPA_LOW, "kappa_high": KAPPA_HIGH, "saddle": sad.saddle,
                                         "K": base.K}, {"kappa_low": 1.2, "kappa_high": np.inf}]}
    out = transition_states(base, rec)
    assert list(out["iteration"]) == [1] and out["low"].shape == (1, base.n)
    # the low state is the fixed point from zero rates at kappa_low, the high one the end above kappa*
    np.testing.assert_allclose(out["low"][0], solve(crit).rates, atol=1e-8)
    assert out["low"][0].mean() == pytest.approx(1.9739, abs=1e-3)
    assert out["high"][0].mean() == pytest.approx(135.588, abs=1e-2)
    assert out["saddle"][0].mean() == pytest.approx(2.22684, abs=1e-5)
    assert out["low_lambda"][0] < 1 and out["high_lambda"][0] < 1
    assert out["saddle_lambda"][0] == pytest.approx(2.1064, abs=1e-4)
    # the saddle lies between the two states in the mean, above the low state where the basin boundary is
    assert out["low"][0].mean() < out["saddle"][0].mean() < out["high"][0].mean()
    with pytest.raises(ValueError, match="no iteration"):
        transition_states(base, {"K0": base.K, "iterations": [{"kappa_low": 1.2}]})
