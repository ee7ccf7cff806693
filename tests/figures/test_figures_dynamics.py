"""Dynamics figures (cortexflow.plotting.dynamics) on outputs of the real analysis code (per_simulation,
io, rate_series_products) computed from small seeded synthetic simulations: each figure has the expected axes
and shows the numbers of its input files."""
import json

import numpy as np
import pytest

import tests.support.synthetic as synthetic
from cortexflow.analysis import io, per_simulation, rate_series_products, validation
from cortexflow.workflow import figures as wf
from cortexflow.areas import POPULATIONS
from cortexflow.plotting import dynamics as dyn
from cortexflow.structure.network_file import Network, write_network
from tests.support.synthetic import write_spikes
from tests.support.workspace import MIRROR

OPTS = per_simulation.AnalysisOptions(cc_subsample=40, cc_pairs_stored=200)
MAM_AREAS = ("V1", "V2", "FEF")
# footers as the figure rules make them (cortexflow.workflow.figures.dynamics_footer / ensemble_footer)
FOOTER_CONFIG = {
    "simulations": {"pd14": {"network": "pd14", "N_scaling": 0.25, "K_scaling": 0.25, "t_sim": 2000.0, "seed": 1},
                    "mam-ground": {"network": "mam-published", "N_scaling": 0.01, "K_scaling": 0.1,
                                   "t_sim": 1700.0, "seed": 1},
                    "mam-metastable": {"network": "mam-metastable-published", "N_scaling": 0.01,
                                       "K_scaling": 0.1, "t_sim": 1700.0, "seed": 1}},
    "figures": {"dynamics": {"spectra": {"simulations": ["mam-ground", "mam-metastable"]}}},
    "validation": {"simulations": ["pd14"], "n_seeds": 3},
}
PD14_FOOTER = wf.ensemble_footer(FOOTER_CONFIG, "pd14")
MAM_FOOTER = wf.dynamics_footer(FOOTER_CONFIG, "spectra")


def _check_footer(fig, lines):
    """The footer names network, scaling, t_sim and seed(s) of each simulation and lies below every panel."""
    text = dyn.footer_text(fig)
    assert text == "\n".join(lines)
    for line in lines:
        assert "N_scaling" in line and "K_scaling" in line and "t_sim" in line and "seed" in line
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    footer = [t for t in fig.texts if t.get_gid() == dyn.FOOTER_GID][0].get_window_extent(renderer)
    assert footer.y0 >= 0 and footer.x0 >= 0 and footer.x1 <= fig.bbox.x1  # inside the figure
    lowest = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes if ax.get_visible())
    assert footer.y1 <= lowest + 0.5  # no overlap with any panel (tick labels and axis labels included)


def test_footer_entries_name_the_simulations():
    assert PD14_FOOTER == ["pd14: network pd14, N_scaling 0.25, K_scaling 0.25, t_sim 2000 ms, seeds 1, 2, 3"]
    assert MAM_FOOTER == [
        "mam-ground: network mam-published, N_scaling 0.01, K_scaling 0.1, t_sim 1700 ms, seed 1",
        "mam-metastable: network mam-metastable-published, N_scaling 0.01, K_scaling 0.1, t_sim 1700 ms, seed 1"]


def test_every_dynamics_figure_function_requires_a_footer():
    import inspect
    names = [n for n, f in vars(dyn).items() if n.endswith("_figure") and inspect.isfunction(f)]
    assert len(names) == 9
    for n in names:
        p = inspect.signature(getattr(dyn, n)).parameters["footer"]
        assert p.kind is p.KEYWORD_ONLY and p.default is p.empty, n
    import matplotlib.pyplot as plt
    with pytest.raises(ValueError, match="footer"):
        dyn.add_footer(plt.figure(), [])


def _simulate(path, pops, n, rates, t_sim, seed):
    rng = np.random.default_rng(seed)
    steps = int(t_sim / 0.1)
    spikes = {p: (*synthetic.poisson(n, r, 1, steps + 1, 0.1, rng), n) for p, r in zip(pops, rates)}
    write_spikes(path, spikes, t_sim=t_sim, t_presim=100.0, seed=seed)


def _analyse(spikes, out):
    summary, dists, series = per_simulation.compute(spikes, OPTS)
    io.write_summary(out / "summary.csv", summary, OPTS)
    io.write_distributions(out / "distributions.h5", dists, OPTS)
    io.write_rate_series(out / "rate_series.h5", series, OPTS)
    rate_series_products.write_spectra(out / "rate_series.h5", out / "spectra.h5", {"nperseg": 256, "noverlap": 128})
    return io.read_summary(out / "summary.csv")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("dyn")
    res = {"root": root}
    # pd14: 8 populations x 100 neurons at 1..8 spikes/s, 3 seeds
    for k in range(3):
        d = root / f"pd14_{k}"
        d.mkdir()
        _simulate(d / "spikes.h5", POPULATIONS, 100, np.arange(1, 9), 2000.0, seed=k)
        res[f"pd14_{k}"] = _analyse(d / "spikes.h5", d)
    # mam: 3 areas x 8 populations x 60 neurons, 3 spikes/s (4 spikes/s in FEF)
    pops = [f"{a}-{p}" for a in MAM_AREAS for p in POPULATIONS]
    d = root / "mam"
    d.mkdir()
    _simulate(d / "spikes.h5", pops, 60, [4.0 if p.startswith("FEF") else 3.0 for p in pops], 3000.0, seed=7)
    res["mam"] = _analyse(d / "spikes.h5", d)
    rate_series_products.write_temporal_hierarchy(d / "rate_series.h5", d / "temporal_hierarchy.csv",
                                      d / "cross_correlation.h5", {"max_lag_ms": 50.0})
    res["mam_pops"] = pops
    return res


def test_pd14_raster_figure(outputs):
    d = outputs["root"] / "pd14_0"
    summary = outputs["pd14_0"]
    data = dyn.raster_data(d / "spikes.h5", POPULATIONS, (1500.0, 1700.0), 0.2)
    assert [x["n_shown"] for x in data] == [20] * 8
    assert all(x["senders"].max() < 20 and x["times_ms"].min() >= 1500 and x["times_ms"].max() < 1700 for x in data)
    fig = dyn.pd14_raster_figure(data, summary, (1500.0, 1700.0), footer=PD14_FOOTER)
    _check_footer(fig, PD14_FOOTER)
    ax_raster, ax_rates = fig.axes
    assert [t.get_text() for t in ax_raster.get_yticklabels()] == list(dyn.POP_LABELS.values())
    assert sum(line.get_xdata().size for line in ax_raster.lines) == sum(x["senders"].size for x in data)
    heights = [p.get_width() for p in ax_rates.patches]
    np.testing.assert_allclose(heights, summary["rate"], rtol=1e-12)
    r = np.arange(1, 9)  # Poisson 1..8 spikes/s, 100 neurons x 1.5 s: within 4 SD
    assert np.all(np.abs(np.array(heights) - r) < 4 * np.sqrt(r / 150))


def test_pd14_statistics_figure(outputs):
    d = outputs["root"] / "pd14_0"
    summary = outputs["pd14_0"]
    fig = dyn.pd14_statistics_figure(summary, io.read_distributions(d / "distributions.h5"),
                                     footer=PD14_FOOTER)
    _check_footer(fig, PD14_FOOTER)
    assert len(fig.axes) == 3
    assert fig.axes[1].get_ylabel() == "CV ISI"
    np.testing.assert_allclose([p.get_height() for p in fig.axes[2].patches], summary["synchrony"], rtol=1e-12)
    diamonds = [[ln for ln in ax.lines if ln.get_marker() == "D"][0].get_ydata() for ax in fig.axes[:2]]
    np.testing.assert_allclose(diamonds[0], summary["rate"])  # population values
    np.testing.assert_allclose(diamonds[1], summary["cv_isi"])
    # short Poisson trains: CV biased below 1 by the few ISIs per neuron, less so at higher rates
    cv = summary["cv_isi"].to_numpy()
    assert 0.75 < cv[-1] < 1.0 and cv[0] < 0.7 and np.all(cv[-2:] > cv[0])


def test_state_figure(outputs):
    d = outputs["root"] / "mam"
    summary = outputs["mam"]
    rasters = {a: dyn.raster_data(d / "spikes.h5", [p for p in outputs["mam_pops"] if p.startswith(a + "-")],
                                  (1000.0, 1500.0), 1.0) for a in MAM_AREAS}
    fig = dyn.state_figure(rasters, (1000.0, 1500.0), summary, list(MAM_AREAS), "Ground state",
                           footer=MAM_FOOTER[:1])
    _check_footer(fig, MAM_FOOTER[:1])
    assert len(fig.axes) == 3 + 3 + 3  # rasters, matrices, colour bars
    assert [ax.get_title() for ax in fig.axes[:3]] == list(MAM_AREAS)
    rate = fig.axes[3].images[0].get_array()
    assert rate.shape == (8, 3)
    np.testing.assert_allclose(rate[:, 2], summary["rate"].to_numpy()[16:24], rtol=1e-12)  # FEF column
    assert rate[:, 2].mean() == pytest.approx(4.0, rel=0.05)


def test_metastability_figure_shows_meanfield(outputs):
    from cortexflow.analysis.io import read_rate_series
    rs = read_rate_series(outputs["root"] / "mam/rate_series.h5")
    pops = [p for p in rs["populations"] if p.startswith("V1-")]
    mf = np.linspace(1, 8, 8)
    w = rs["n_recorded"][:8].astype(float)
    t = rs["t_start_ms"] + np.arange(rs["area_rates"].shape[1]) + 0.5
    tr = {"label": "sim", "t_ms": t, "rate": rs["area_rates"][0], "meanfield": float(np.sum(w * mf) / w.sum()),
          "pops": pops, "pop_sim": outputs["mam"]["rate"].to_numpy()[:8], "pop_mf": mf}
    fig = dyn.metastability_figure([tr, dict(tr, label="sim2")], "V1", 10.0, footer=MAM_FOOTER)
    _check_footer(fig, MAM_FOOTER)
    assert len(fig.axes) == 3
    dashed = [ln for ln in fig.axes[1].lines if ln.get_linestyle() == "--"]
    assert dashed[0].get_ydata()[0] == pytest.approx(4.5)  # equal N: mean of 1..8
    assert fig.axes[1].lines[1].get_ydata().mean() == pytest.approx(3.0, rel=0.1)  # smoothed V1 rate
    # V1 at a third of its mean field in a run with K_scaling < 1: said inside the figure, with the ratio
    low = dict(tr, rate=tr["rate"] / 4.5)
    fig = dyn.metastability_figure([low], "V1", 10.0, footer=["s: network n, N_scaling 0.03, K_scaling 0.1"])
    assert "V1 fires below its mean field" in fig._suptitle.get_text()
    assert fig.axes[1].get_title(loc="left").startswith(f"{tr['label']}: V1 at 0.")
    fig = dyn.metastability_figure([low], "V1", 10.0, footer=["s: network n, N_scaling 1, K_scaling 1"])
    assert fig._suptitle is None


def test_spectra_and_hierarchy_figures(outputs):
    d = outputs["root"] / "mam"
    s = dyn.read_spectra(d / "spectra.h5")
    assert s["areas"] == list(MAM_AREAS) and s["window"] == "hann"
    assert (s["nperseg"], s["noverlap"], s["n_segments"]) == (256, 128, 18)  # 2500 samples
    fig = dyn.spectra_figure([s, s], ["a", "b"], "V2", 100.0, footer=MAM_FOOTER)
    _check_footer(fig, MAM_FOOTER)
    assert fig.axes[0].get_title(loc="left") == "Welch hann, nperseg 256, noverlap 128:\n18 segments, Δf 3.9 Hz"
    assert len(fig.axes) == 3 and fig.axes[0].get_xlabel() == "Frequency (Hz)"
    assert fig.axes[1].images[0].get_array().shape[0] == 3
    cc = dyn.read_h5(d / "cross_correlation.h5", ["areas", "lags_ms", "cross_correlation", "peak_lag_ms", "hierarchy"])
    fig = dyn.temporal_hierarchy_figure(cc["areas"], cc["peak_lag_ms"], cc["hierarchy"], cc["lags_ms"],
                                        cc["cross_correlation"], "V1", ["V2", "FEF"], footer=MAM_FOOTER[:1])
    _check_footer(fig, MAM_FOOTER[:1])
    assert len(fig.axes[0].lines) == 3  # two partners + the zero line
    assert len(fig.axes[2].patches) == 3 and max(p.get_width() for p in fig.axes[2].patches) == pytest.approx(1.0)
    # every lag at the window edge: the figure says the hierarchy is noise
    lim = float(np.max(np.abs(cc["lags_ms"])))
    edge = np.where(np.eye(len(cc["areas"]), dtype=bool), 0.0, lim)
    fig = dyn.temporal_hierarchy_figure(cc["areas"], edge, cc["hierarchy"], cc["lags_ms"], cc["cross_correlation"],
                                        "V1", ["V2"], footer=MAM_FOOTER[:1])
    assert f"100 % of lags at the ±{lim:g} ms limit" in fig._suptitle.get_text()
    # independent noise: no peak stands out, said inside; one sharp peak per pair: nothing said
    n, lags = len(cc["areas"]), cc["lags_ms"]
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 0.02, (n, n, len(lags)))
    small = np.where(np.eye(n, dtype=bool), 0.0, 5.0)
    fig = dyn.temporal_hierarchy_figure(cc["areas"], small, cc["hierarchy"], lags, noise, "V1", ["V2"],
                                        footer=MAM_FOOTER[:1])
    assert "No cross-correlation peak above noise" in fig._suptitle.get_text()
    peaked = noise.copy()
    peaked[..., int(np.argmin(np.abs(lags - 5.0)))] = 0.5
    fig = dyn.temporal_hierarchy_figure(cc["areas"], small, cc["hierarchy"], lags, peaked, "V1", ["V2"],
                                        footer=MAM_FOOTER[:1])
    assert fig._suptitle is None


def test_functional_connectivity_figure(outputs, tmp_path):
    if not (MIRROR / "Fig8_exp_func_conn.csv").is_file():
        pytest.skip(f"no raw-data mirror at {MIRROR}")
    pops = outputs["mam_pops"]
    m = len(pops)
    K = np.random.default_rng(0).uniform(0, 50, (m, m + 1))
    W = np.full((m, m + 1), 87.8)
    net = Network(model="mam", populations=pops, N=np.full(m, 60.0), K=K, synapses=K * 60, W=W, W_sd=0.1 * W,
                  delay=np.ones((m, m)), delay_sd=np.zeros((m, m)), dc_drive=np.zeros(m), params={"tau_syn_ex": 0.5})
    write_network(tmp_path / "network.h5", net)
    from cortexflow.structure.network_file import read_network
    res = rate_series_products.area_signals(outputs["root"] / "mam/rate_series.h5",
                                            read_network(tmp_path / "network.h5"),
                                            MIRROR / "Fig8_exp_func_conn.csv", {"fmri": {"bold_discard_ms": 500.0}})
    rate_series_products.write_area_signals(res, tmp_path / "a.h5", tmp_path / "c.json")
    sig = dyn.read_h5(tmp_path / "a.h5", ["areas", "fc_synaptic_input", "fc_experimental"])
    comm = json.loads((tmp_path / "c.json").read_text())
    sim = comm["similarity"]["synaptic_input_vs_experimental"]
    from cortexflow.analysis.fc_sweep import partition_agreement
    from cortexflow.plotting.alluvial import as_partition
    structure = as_partition([["V1", "V2"], ["FEF"]])  # communities.json format
    parts = {"structure": structure, "simulated": comm["communities"]["synaptic_input"],
             "experimental": comm["communities"]["experimental"]}
    agreement = partition_agreement(parts, list(sig["areas"]))
    fig = dyn.fc_figure(sig["areas"], sig["fc_synaptic_input"], sig["fc_experimental"],
                        comm["communities"]["synaptic_input"], comm["communities"]["experimental"], sim, "RdBu_r", "t",
                        footer=MAM_FOOTER[:1], structure=structure, structure_label="infomap, network n",
                        agreement=agreement)
    _check_footer(fig, MAM_FOOTER[:1])
    assert len(fig.axes) == 6  # two matrices with colour bars, scatter, alluvial
    ax_d = fig.axes[-1]
    # D: every area once per column (structure, simulated, experimental) and the three ARIs in the title
    names = [t.get_text() for t in ax_d.texts]
    assert sorted(n for n in names if n in MAM_AREAS) == sorted(list(MAM_AREAS) * 3)
    assert "Structure\ninfomap, network n\n2 communities" in names
    title = ax_d.get_title()
    assert f"structure vs sim. FC {agreement['structure_vs_simulated']:.2f}" in title
    assert f"sim. FC vs exp. FC {agreement['simulated_vs_experimental']:.2f}" in title
    assert len(ax_d.collections) >= 3  # bands, 3 areas between each pair of columns
    # a structural partition without FEF: the alluvial shows the 2 common areas and says so
    fig = dyn.fc_figure(sig["areas"], sig["fc_synaptic_input"], sig["fc_experimental"],
                        comm["communities"]["synaptic_input"], comm["communities"]["experimental"], sim, "RdBu_r", "t",
                        footer=MAM_FOOTER[:1], structure={"V1": 0, "V2": 1})
    assert "communities of the 2 areas (of 3)" in fig.axes[-1].get_title()
    assert fig.axes[2].lines[0].get_xdata().size == 3  # 3 area pairs (axes 3, 4: colour bars)
    text = fig.axes[2].texts[0].get_text()
    assert text.startswith(f"r = {sim:.2f}\nsim. FC ")
    # a simulated FC at noise level is said inside the figure; above the threshold it is not
    noise = fig._suptitle is not None and "noise level" in fig._suptitle.get_text()
    assert noise == (not sim >= dyn.FC_NOISE_R)
    fig = dyn.fc_figure(sig["areas"], sig["fc_synaptic_input"], sig["fc_experimental"], {}, {}, 0.05, "RdBu_r", "t",
                        footer=MAM_FOOTER[:1])
    assert "noise level (r = 0.05" in fig._suptitle.get_text()
    assert len(fig.axes) == 5  # without communities there is no panel D


def test_model_vs_reference_and_validation_figures(outputs):
    from cortexflow.analysis import reference as ref
    summaries = [outputs[f"pd14_{k}"] for k in range(3)]
    rates = np.array([s["rate"].to_numpy() for s in summaries])
    reference = np.array([ref.PD14_REFERENCE_RATES[p] for p in POPULATIONS])
    fig = dyn.model_vs_reference_figure(POPULATIONS, rates, reference, ref.PD14_REFERENCE_LABEL,
                                        {"other": reference * 1.1},
                                        np.array([s["cv_isi"].to_numpy() for s in summaries]), footer=PD14_FOOTER)
    _check_footer(fig, PD14_FOOTER)
    assert len(fig.axes) == 3
    np.testing.assert_allclose([p.get_height() for p in fig.axes[0].patches], rates.mean(0), rtol=1e-12)
    rel = [p.get_height() for p in fig.axes[1].patches][1:]  # after the ±10 % band
    np.testing.assert_allclose(rel, ((rates - reference) / reference * 100).mean(0), rtol=1e-10)
    # mam layout: 254-like many populations
    pops = [f"{a}-{p}" for a in ("V1", "V2", "V3") for p in POPULATIONS]
    r = np.tile(np.arange(1.0, 25.0), (2, 1))
    fig = dyn.model_vs_reference_figure(pops, r, np.arange(1.0, 25.0), "mean field", footer=MAM_FOOTER[:1])
    _check_footer(fig, MAM_FOOTER[:1])
    assert fig.axes[2].get_xlabel().startswith("log") and sum(p.get_height() for p in fig.axes[2].patches) == 24
    # validation figure from a report of the three seeds
    ens = [io.read_distributions(outputs["root"] / f"pd14_{k}/distributions.h5") for k in range(3)]
    report, dist = validation.validation_report(ens, {p: float(k + 1) for k, p in enumerate(POPULATIONS)},
                                                window_s=1.5)
    fig = dyn.validation_figure(report, dist, "3 seeds", footer=PD14_FOOTER)
    _check_footer(fig, PD14_FOOTER)
    assert len(fig.axes) == 3 and fig.axes[0].get_yscale() == "log"
    marks = [t.get_text() for t in fig.axes[0].texts if t.get_text() in ("✓", "✗")]
    passed = report[(report["statistic"] == "rates") & (report["metric"] == "wasserstein")]["passed"]
    assert marks == ["✓" if p else "✗" for p in passed] and len(marks) == 8
    assert marks.count("✓") >= 7  # the true means (1..8 spikes/s) as reference
