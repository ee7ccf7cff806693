"""The figure functions of PCB18 Fig 4, S17 Figs 2, 6, 8 and BSF18 Fig 8 draw from their science outputs."""
import numpy as np
import pytest
from tests.support.theory_reference import upstream_network

from cortexflow.plotting import structure as ps, theory_panels as pt
from cortexflow.plotting.style import save_figure
from cortexflow.theory import chi_sweep as cs
from cortexflow.theory.conn_analysis import POPS, analyse
from cortexflow.theory.ee_example import compute
from cortexflow.theory.io import read_arrays, write_arrays

EE_OPTS = dict(K=420.0, W=10.0, nu_ext=160.0, d_nu_ext=1.0, nu_ext_curves=[150.0, 160.0, 170.0], nu_ext_min=150.0,
               nu_ext_max=170.0, nu_ext_step=1.0, rate_max=100.0, n_starts=21, phase_max=50.0, phase_grid=21)


def _save(fig, tmp_path, n_axes):
    assert len(fig.axes) >= n_axes
    out = tmp_path / "f.png"
    save_figure(fig, [out])
    assert out.stat().st_size > 10_000


def test_ee_example_file_and_figure(tmp_path):
    out = compute(EE_OPTS)
    write_arrays(tmp_path / "ee.h5", out, {"ee_example": EE_OPTS})
    back = read_arrays(tmp_path / "ee.h5")
    assert back["params"]["ee_example"]["K"] == 420.0
    np.testing.assert_allclose(back["base_fixed_points"], [0.0048, 15.84966, 41.29255], atol=1e-4)
    # the stabilised network has its saddle where the base network had it
    assert back["stabilised_fixed_points"][1] == pytest.approx(back["saddle_base"], rel=1e-9)
    _save(pt.ee_example_figure(back), tmp_path, 4)
    with pytest.raises(ValueError, match="bistable"):
        compute({**EE_OPTS, "nu_ext": 150.0})


def test_chi_sweep_file_and_figure(tmp_path):
    mf = upstream_network("default")
    mf_of = cs.network_at(mf, 1.0, 1.0, 2.0)
    chis = np.round(np.arange(1.8, 2.1001, 0.02), 6)
    (low, high), _ = cs.from_zero(mf_of, [chis[0], chis[-1]])
    br = cs.branches(mf_of, chis, low, high)
    values = np.array([1.9, 2.0])
    z, zl = cs.from_zero(mf_of, values)
    rs = [cs.random_starts(mf_of(c), 4, 1, T=5.0) for c in values]
    out = {"chi": br.chi, "chi_I": br.chi_I, "low_rates": br.low_rates, "low_lambda": br.low_lambda,
           "high_rates": br.high_rates, "high_lambda": br.high_lambda, "chi_values": values,
           "chi_I_values": cs.chi_I_of(values), "zero_rates": z, "zero_lambda": zl, "random": rs}
    cs.write_sweep(tmp_path / "s.h5", mf.populations, out, {"x": 1})
    back = cs.read_sweep(tmp_path / "s.h5")
    assert back["random"][1]["chi"] == 2.0 and back["random"][0]["final_mean"].shape == (4,)
    np.testing.assert_array_equal(back["low_lambda"], br.low_lambda)
    _save(pt.chi_sweep_figure(back), tmp_path, 4)


def test_unstable_fixed_point_and_connectivity_figures(tmp_path):
    pops = [f"A{a}-{p}" for a in range(4) for p in POPS]
    rng = np.random.default_rng(0)
    ufp = {"iteration": np.array([1, 2]), "kappa_low": np.array([1.07, 1.08]),
           **{k: rng.uniform(0.1, 50, (2, len(pops))) for k in ("low", "saddle", "high")},
           **{f"{k}_lambda": np.array([0.3, 0.4]) for k in ("low", "high")}, "saddle_lambda": np.array([2.1, 1.9])}
    _save(pt.unstable_fixed_point_figure(pops, ufp), tmp_path, 6)
    K0 = rng.uniform(1, 50, (len(pops), len(pops)))
    K = K0 * rng.uniform(0.8, 1.1, K0.shape)
    ca = analyse(K0, K, rng.uniform(1e3, 1e4, len(pops)), pops)
    write_arrays(tmp_path / "ca.h5", ca, {})
    _save(pt.connectivity_analysis_figure(read_arrays(tmp_path / "ca.h5")), tmp_path, 6)
    M, areas = pt.rate_matrix(pops[:-2], np.arange(len(pops) - 2.0))
    assert areas == ["A0", "A1", "A2", "A3"] and np.isnan(M[-2:, -1]).all() and M[0, 1] == 8.0


def test_laminar_paths_figure(tmp_path):
    from cortexflow.structure.laminar_paths import CLASSES
    lp = {"populations": POPS, "classes": {c: {"n": 3, "endpoints": np.eye(8, dtype=int).tolist(), "stages": [3, 3, 4],
                                              "indirect": {"5E": 2, "4I+23E": 1}}
                                          for cl in CLASSES.values() for c in cl}}
    _save(ps.laminar_paths_figure(lp), tmp_path, 9)
