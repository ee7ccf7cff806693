"""Structure figures (Schmidt et al. 2018 BSF Figs 2-7, PD14 connectivity): the science behind them
(communities, connection probability, SLN confidence band), every figure function on the real data, and the
figure rules (rerun only what a plotting option changes). Fixtures raw_dir and processed: tests/conftest.py."""
from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest
import yaml

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cortexflow.anatomy import readers, sln, thickness  # noqa: E402
from cortexflow.areas import AREAS  # noqa: E402
from cortexflow.plotting import structure as ps  # noqa: E402
from cortexflow.structure import communities as cm, measures  # noqa: E402
from cortexflow.structure.mam import build_mam  # noqa: E402
from cortexflow.structure.pd14 import build_pd14  # noqa: E402


@pytest.fixture(scope="module")
def net(processed, raw_dir):
    """The data-derived network (K_stable unset), as config `mam`."""
    return build_mam(processed, raw_dir, {})


@pytest.fixture(scope="module")
def weights(net):
    return measures.relative_outdegrees(
        measures.area_outdegrees(net.synapses, net.N, net.extra["area_of_population"], len(AREAS)))


@pytest.fixture(scope="module")
def sln_data(raw_dir):
    return readers.read_sln_fit_data(raw_dir / "RData_prepared_logdensities.txt")


# --- science ------------------------------------------------------------------------------------------

def test_area_outdegrees_sum_the_synapses(net):
    ap = net.extra["area_of_population"]
    out = measures.area_outdegrees(net.synapses, net.N, ap, len(AREAS))
    n_area = np.bincount(ap, weights=net.N)
    # Σ_A O(A <- B) N(B) = all synapses that B's neurons make inside the model
    assert np.allclose((out * n_area[None, :]).sum(axis=0),
                       [net.synapses[:, :-1][:, ap == b].sum() for b in range(len(AREAS))], rtol=1e-12)
    # area-level indegrees agree with the K_areas of network.h5
    assert np.allclose(measures.area_synapses(net.synapses, ap, len(AREAS)) / n_area[:, None],
                       net.extra["K_areas"][:, :-1], rtol=1e-10)


def test_connection_probability_formula(net):
    C = measures.connection_probability(net.K[:, :-1], net.N)
    i, j = 0, 2  # V1-23E <- V1-4E
    Npre, Npost = net.N[j], net.N[i]
    # the literal formula loses ~7 digits in 1 - 1/(Npre Npost) ~ 1 - 1e-10 ...
    assert C[i, j] == pytest.approx(1 - (1 - 1 / (Npre * Npost)) ** (net.K[i, j] * Npost), rel=1e-6)
    # ... its limit for large N, 1 - exp(-K/Npre), is exact to O(1/(Npre Npost))
    assert C[i, j] == pytest.approx(-np.expm1(-net.K[i, j] / Npre), rel=1e-9)
    assert C[i, j] == pytest.approx(0.0068243941, rel=1e-8)
    assert np.all((C >= 0) & (C < 1))
    assert np.array_equal(C > 0, net.K[:, :-1] > 0)
    # largest probability: within TH (6I -> 6E), 0.4613
    assert C.max() == pytest.approx(0.46131, abs=1e-4)
    with pytest.raises(ValueError, match="external column"):
        measures.connection_probability(net.K, net.N)


def test_community_detection_is_deterministic(weights):
    first = cm.detect_communities(weights, AREAS, "louvain", seed=1)
    assert np.array_equal(first, cm.detect_communities(weights, AREAS, "louvain", seed=1))
    assert np.array_equal(cm.detect_communities(weights, AREAS, "greedy"),
                          cm.detect_communities(weights, AREAS, "greedy"))
    null_a = cm.null_modularities(weights, AREAS, 5, seed=3)
    assert np.array_equal(null_a, cm.null_modularities(weights, AREAS, 5, seed=3))


def test_communities_of_the_data_network(weights):
    labels = cm.detect_communities(weights, AREAS, "louvain", seed=1)
    groups = [{a for a, lab in zip(AREAS, labels) if lab == k} for k in range(labels.max() + 1)]
    assert len(groups) == 6
    assert groups[0] == {"V1", "V2"}
    assert {"FEF", "46"} in groups and {"MSTd", "STPp", "STPa"} in groups
    q = cm.modularity(weights, labels)
    assert q == pytest.approx(0.38712, abs=1e-4)
    # our modularity is networkx's directed modularity
    import networkx as nx
    assert q == pytest.approx(nx.community.modularity(cm.area_graph(weights, AREAS), groups, weight="weight"),
                              rel=1e-10)
    # greedy agglomeration: also 6 communities, higher Q (0.3934)
    greedy = cm.detect_communities(weights, AREAS, "greedy")
    assert greedy.max() + 1 == 6
    assert cm.modularity(weights, greedy) == pytest.approx(0.39345, abs=1e-4)
    # the partition is far above shuffled graphs
    null = cm.null_modularities(weights, AREAS, 10, seed=1)
    assert null.max() < q - 0.08


def test_shuffle_keeps_out_strength(weights):
    w = cm.shuffled_weights(weights, np.random.default_rng(0))
    assert np.allclose(w.sum(axis=0), weights.sum(axis=0))
    assert np.all(np.diag(w) == 0)
    assert not np.array_equal(w, weights)


def test_community_options_are_checked(weights):
    with pytest.raises(ValueError, match="leiden"):
        cm.detect_communities(weights, AREAS, "leiden")
    with pytest.raises(ValueError, match="resolution"):
        cm.detect_communities(weights, AREAS, "louvain", resolution=0)


def test_sln_band_contains_the_fit(processed, sln_data):
    fit = processed["fits"]["sln"]
    cov = sln.fit_covariance(sln_data, fit)
    se = np.sqrt(np.diag(cov))
    assert se == pytest.approx([0.05888, 0.10997], rel=1e-3)
    assert cov[0, 1] / np.prod(se) == pytest.approx(-0.6036, abs=1e-3)
    x = np.linspace(-2, 2, 81)
    lo, hi = sln.probit_band(x, fit, cov, 0.95)
    curve = sln.special.ndtr(fit["b0"] + fit["b1"] * x)
    assert np.all(lo < curve) and np.all(curve < hi)
    lo99, hi99 = sln.probit_band(x, fit, cov, 0.99)
    assert np.all(lo99 < lo) and np.all(hi < hi99)
    # at x = 0 the band is Φ(b0 ± 1.96 SE(b0))
    mid = np.argmin(np.abs(x))
    assert hi[mid] == pytest.approx(sln.special.ndtr(fit["b0"] + 1.959964 * se[0]), rel=1e-6)
    with pytest.raises(ValueError, match="level"):
        sln.probit_band(x, fit, cov, 1.0)


def test_sln_covariance_matches_finite_differences_of_the_likelihood(processed, sln_data):
    """The Hessian from the analytic gradient equals second differences of -ln L itself."""
    fit = processed["fits"]["sln"]
    x = sln_data["DENS"].to_numpy(float)
    s = sln_data["S"].to_numpy(float)
    n = s + sln_data["I"].to_numpy(float)
    const = sln.log_binomial_coefficients(n, s)
    q0 = np.array([fit["b0"], fit["b1"], sln.special.logit(fit["phi"])])
    f = lambda q: sln.neg_log_likelihood_logit(q, x, s, n, const)[0]  # noqa: E731
    h = 1e-3
    H = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            ei, ej = np.eye(3)[i] * h, np.eye(3)[j] * h
            H[i, j] = (f(q0 + ei + ej) - f(q0 + ei - ej) - f(q0 - ei + ej) + f(q0 - ei - ej)) / (4 * h * h)
    assert np.allclose(np.linalg.inv(H)[:2, :2], sln.fit_covariance(sln_data, fit), rtol=2e-3)


def test_construction_indegrees(net):
    deg = measures.indegrees_by_type(net)
    total = deg["I"] + deg["III"] + deg["ext"]
    ap = net.extra["area_of_population"]
    # types I + III + external = every synapse onto the area's neurons, per neuron
    assert np.allclose(total, np.bincount(ap, weights=net.synapses.sum(axis=1)) / np.bincount(ap, weights=net.N))
    assert total[0] == pytest.approx(4018.0, abs=1.0)  # V1
    assert np.all(deg["II"] <= deg["ext"])


def test_edr_points_and_connection_classes(processed, net, raw_dir):
    d, v = measures.edr_points(processed, net)
    assert d.size == processed["fits"]["edr"]["n"] == 331
    from scipy import stats
    fit = stats.linregress(d, np.log(v))
    assert fit.slope == pytest.approx(processed["fits"]["edr"]["slope"], rel=1e-12)
    classes = measures.connection_classes(processed, readers.read_cocomac(raw_dir / "CoCoMac_complete_81.json"), AREAS)
    assert [int(np.sum(classes == k)) for k in (1, 2, 3)] == [287, 240, 44]  # 571 connections
    assert np.array_equal(classes > 0, net.extra["K_areas"][:, :-1] * (1 - np.eye(32)) > 0)


def test_target_layer_counts_and_laminar_patterns(processed, net):
    counts = measures.target_layer_counts(processed)
    assert counts.shape == (3, 6)
    assert counts[2, 3] == counts[2].max()  # feedforward connections terminate mostly in layer 4
    pat = measures.laminar_patterns(net, processed)
    for name in ("FB", "lateral", "FF"):
        assert pat[name].sum() == pytest.approx(1.0)
    assert np.unravel_index(pat["FF"].argmax(), (8, 8)) == (2, 0)  # 2/3E -> 4E


def test_data_points_are_the_raw_data_and_the_sln_uncertainty(processed, raw_dir, sln_data, tmp_path):
    """results/anatomy/data_points.json (rule anatomy_data_points) holds what the figures used to read raw."""
    from cortexflow.anatomy import data_points as dp
    from cortexflow.anatomy.process import write_json
    write_json(dp.data_points(raw_dir, processed, 0.95), tmp_path / "data_points.json")
    points = dp.read_data_points(tmp_path / "data_points.json")
    assert points["thickness_data_um"] == readers.read_total_thickness(raw_dir / "CorticalThickness.csv")
    rel = thickness.relative_thicknesses_from_studies(
        readers.read_laminar_thicknesses(raw_dir / "laminar_thicknesses_macaque.csv"), AREAS)
    assert {a: {k: np.isnan(v) or v for k, v in r.items()} for a, r in points["relative_thickness_data"].items()} \
        == {a: {k: np.isnan(v) or v for k, v in r.items()} for a, r in rel.items()}
    assert np.array_equal(points["sln_observations"].to_numpy(float), sln_data[["DENS", "S", "I"]].to_numpy(float))
    fit = processed["fits"]["sln"]
    cov = sln.fit_covariance(sln_data, fit)
    assert np.array_equal(points["sln_fit"]["covariance"], cov)
    band = points["sln_fit"]["band"]
    assert band["x"].size == 300 and band["x"][0] == pytest.approx(sln_data["DENS"].min() - 0.4)
    lo, hi = sln.probit_band(band["x"], fit, cov, 0.95)
    assert np.array_equal(band["lower"], lo) and np.array_equal(band["upper"], hi)
    assert points["sln_fit"]["se_b0_b1"][1] == pytest.approx(np.sqrt(cov[1, 1]))
    classes = measures.connection_classes(processed, points["cocomac_pairs"], AREAS)
    raw = measures.connection_classes(processed, readers.read_cocomac(raw_dir / "CoCoMac_complete_81.json"), AREAS)
    assert np.array_equal(classes, raw)


def test_edr_and_probit_are_the_completion_formulas(processed):
    """fln.edr and sln.probit: the curves of the fits, as processed.json completes FLN and SLN with them."""
    from cortexflow.anatomy import fln
    edr, fit = processed["fits"]["edr"], processed["fits"]["sln"]
    assert fln.edr(np.array([0.0, 10.0]), edr["intercept"], edr["slope"]) == pytest.approx(
        np.exp(edr["intercept"] + edr["slope"] * np.array([0.0, 10.0])), rel=1e-15)
    assert sln.probit(0.0, fit["b0"], fit["b1"]) == pytest.approx(sln.special.ndtr(fit["b0"]), rel=1e-15)
    assert sln.probit(np.inf, fit["b0"], fit["b1"]) == 0.0  # b1 < 0: SLN falls with the density ratio


# --- every figure on the real data ---------------------------------------------------------------------

def _check(fig, n_axes):
    assert len(fig.axes) == n_axes
    for ax in fig.axes:
        assert ax.has_data() or ax.get_images() or ax.collections or not ax.axison
    plt.close(fig)


def test_anatomy_figure(processed, raw_dir):
    rel = thickness.relative_thicknesses_from_studies(
        readers.read_laminar_thicknesses(raw_dir / "laminar_thicknesses_macaque.csv"), AREAS)
    _check(ps.anatomy_figure(processed, readers.read_total_thickness(raw_dir / "CorticalThickness.csv"), rel), 4)


def test_network_figures(net, processed, raw_dir, sln_data, weights):
    _check(ps.construction_figure(net, processed), 2)
    _check(ps.connectivity_figure(net, processed, readers.read_cocomac(raw_dir / "CoCoMac_complete_81.json")), 6)
    fit = processed["fits"]["sln"]
    x = np.linspace(-1.2, 1.6, 50)
    band = (x, *sln.probit_band(x, fit, sln.fit_covariance(sln_data, fit)))
    _check(ps.laminar_figure(net, processed, sln_data, band, 0.95), 6)
    _check(ps.connectivity_measures_figure(net, ("V1", "V2")), 8)
    labels = cm.detect_communities(weights, AREAS)
    _check(ps.communities_figure(weights, labels, AREAS, cm.modularity(weights, labels), np.array([0.25, 0.26]),
                                 "louvain"), 4)
    _check(ps.pd14_connectivity_figure(build_pd14({})), 3)


# --- workflow ------------------------------------------------------------------------------------------



@pytest.mark.workflow
@pytest.mark.slow
def test_figures_structure_workflow(tmp_path, monkeypatch):
    from PIL import Image

    from tests.support.workspace import MIRROR, copy_project, planned_jobs, snakemake

    if not MIRROR.is_dir():
        pytest.skip("no raw-data mirror")
    monkeypatch.setenv("CORTEXFLOW_PROVENANCE", "0")  # no Sumatra records (figure metadata is still embedded)
    project = copy_project(tmp_path / "project")
    cfg_path = project / "config/config.yaml"
    cfg = yaml.safe_load(cfg_path.read_text())
    cfg["figures"]["structure"]["communities"]["null_models"] = 5  # keep the test fast
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    snakemake(project, "--cores", "2", "figures_structure")
    assert planned_jobs(project, "figures_structure") == {}
    png = project / "figures/schmidt2018_bsf/fig7_communities.png"
    with Image.open(png) as im:
        assert im.text["cortexflow_rule"] == "figure_structure"
        assert json.loads(im.text["cortexflow_params"])["options"]["null_models"] == 5
        assert im.info["dpi"][0] == pytest.approx(200, abs=1)
    table = json.loads((project / "results/networks/mam/communities.json").read_text())
    assert len(table["communities"]) == 6 and table["communities"][0] == ["V1", "V2"]
    assert len(table["null_modularities"]) == 5  # rule communities; the figure only draws
    # changing a drawing option of Fig 7 redraws it without recomputing the communities
    cfg["figures"]["structure"]["communities"]["cmap"] = "viridis"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    assert planned_jobs(project, "figures_structure") == {"figure_structure": 1, "figures_structure": 1}
    cfg["figures"]["structure"]["communities"]["cmap"] = "inferno"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    assert (project / "figures/potjans2014/connectivity.pdf").stat().st_size > 10_000

    cfg["figures"]["structure"]["connectivity"]["cmap"] = "viridis"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    assert planned_jobs(project, "figures_structure") == {"figure_structure": 1, "figures_structure": 1}
