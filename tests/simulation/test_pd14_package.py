# SPDX-License-Identifier: GPL-3.0-or-later
"""Our pd14 against the PD14 reference implementation itself (PyPI ``microcircuit`` 1.0) at N = K = 0.1:
3 seeds of each, Poisson drive, the same DC-compensation rates, 1 s after 500 ms warm-up. Fails if our
microcircuit drifted from the package (docs/analysis.md "Validation against the PD14 package").
One thread per run (no OpenMP barriers to spin on a loaded machine)."""
import numpy as np
import pytest

pytest.importorskip("nest")
pytest.importorskip("microcircuit")

from cortexflow.analysis import per_simulation                                 # noqa: E402
from cortexflow.analysis.package_comparison import compare_implementations     # noqa: E402
from cortexflow.spikes_file import read_info                                   # noqa: E402
from cortexflow.simulation.pd14_package import package_dicts, run_package      # noqa: E402
from cortexflow.simulation.run import run                                      # noqa: E402
from cortexflow.structure import pd14                                          # noqa: E402
from cortexflow.structure.network_file import write_network                    # noqa: E402
from cortexflow.structure.scaling import downscale                             # noqa: E402

pytestmark = [pytest.mark.nest, pytest.mark.slow]

SCALE = 0.1
SEEDS = (1, 2, 3)
# the package's own full_mean_rates (Poisson-driven full-scale run): both implementations compensate with them
RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
SIM = {"network": "pd14", "N_scaling": SCALE, "K_scaling": SCALE, "drive": "poisson", "t_sim": 1000.0,
       "t_presim": 500.0, "threads": 1, "delay_ext": 1.5,
       "V0_mean": [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43],
       "V0_sd": [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]}
# 800 ms analysed after 700 ms of network time (the 500 ms warm-up + 200 ms)
OPTS = per_simulation.AnalysisOptions(t_min=200.0)


@pytest.fixture(scope="module")
def ensembles(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pd14pkg")
    net = downscale(pd14.build_pd14(), RATES, SCALE, SCALE, rates_source="test: PD14 full_mean_rates")
    write_network(tmp / "net.h5", net)
    ours, package, files = [], [], {}
    for seed in SEEDS:
        sim = dict(SIM, seed=seed)
        o, p = tmp / f"ours{seed}.h5", tmp / f"pkg{seed}.h5"
        run(tmp / "net.h5", sim, o, tmp / f"ours{seed}.json", name=f"ours{seed}", log=lambda m: None)
        run_package(tmp / "net.h5", sim, p, tmp / f"pkg{seed}.json", name=f"pkg{seed}", log=lambda m: None)
        files[seed] = (o, p)
        ours.append(per_simulation.compute(o, OPTS))
        package.append(per_simulation.compute(p, OPTS))
    return {"ours": ours, "package": package, "files": files, "net": net}


def test_package_dicts_match_our_network():
    """The package is run with Poisson background and our DC-compensation rates, not its defaults."""
    sim_d, net_d, stim_d = package_dicts(0.25, 0.25, np.arange(8.0), seed=7, threads=2, t_presim=500.0,
                                         t_sim=1000.0)
    assert net_d["bg_input_type"] == "poisson"                  # the package default is "dc"
    np.testing.assert_array_equal(net_d["full_mean_rates"], np.arange(8.0))
    assert (net_d["N_scaling"], net_d["K_scaling"], sim_d["rng_seed"], sim_d["local_num_threads"]) == (0.25, 0.25, 7, 2)
    assert not stim_d["thalamic_input"] and not stim_d["dc_transient"]
    from microcircuit.network_params import default_net_dict
    assert default_net_dict["bg_input_type"] == "dc"           # defaults untouched (deep copy)


def test_package_output_follows_the_spikes_contract(ensembles):
    o, p = ensembles["files"][1]
    info_o, info_p = read_info(o), read_info(p)
    assert info_p.populations == info_o.populations == ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
    assert (info_p.t_sim, info_p.t_presim, info_p.resolution) == (1000.0, 500.0, 0.1)
    # the package rounds N * N_scaling: 2068 583 2192 548 485 106 1440 295 (ours floors: 7713 in all)
    assert [info_p.n_neurons[q] for q in info_p.populations] == [2068, 583, 2192, 548, 485, 106, 1440, 295]
    summary = ensembles["package"][0][0]
    assert summary["rate"].min() > 0.2


def test_rates_cv_cc_within_package_seed_spread(ensembles):
    """Per population: our mean rate within the package's seed range (+ max(range, 5 %)), and the mean KS
    distance ours-vs-package of rates, CV ISI and CC within the limit of package_comparison (the package's
    largest seed-to-seed distance, floored at the KS 95 % quantile)."""
    table = compare_implementations([d for _, d, _ in ensembles["ours"]], [d for _, d, _ in ensembles["package"]],
                                    statistics=("rates", "cv", "cc"))
    assert len(table) == 24
    rates = table[table["statistic"] == "rates"]
    assert rates["mean_ok"].all(), rates[["population", "mean_ours", "min_package", "max_package"]].to_string()
    # rates within 10 % of the package's ensemble mean in every population
    assert np.abs(rates["rel_diff"]).max() < 0.10, rates[["population", "rel_diff"]].to_string()
    failed = table.loc[~table["passed"], ["population", "statistic", "ks_ours_package_mean", "ks_package_seed_max"]]
    assert failed.empty, failed.to_string()
