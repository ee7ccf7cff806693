# SPDX-License-Identifier: GPL-3.0-or-later
"""Area subsets with replaced inputs: config checks, the replacement generators in NEST, and the mean
field of the reduced system (cortexflow.simulation.replacement, cortexflow.theory.subset)."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from cortexflow.simulation.config import SimConfig
from cortexflow.simulation.replacement import dc_currents, poisson_inputs, read_source_rates, total_rates
from cortexflow.structure.scaling import downscale
from cortexflow.theory.fixedpoint import solve
from cortexflow.theory.inputs import from_network
from cortexflow.theory.subset import reduced_network, subset_fixed_point, subset_table

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
SUB = {"network": "mam-published", "N_scaling": 0.01, "K_scaling": 0.1, "t_sim": 1000.0, "threads": 2}
# full-network mean-field rates of V1 in the ground state (tests/theory/test_theory_fixedpoint.py)
V1_MF = [0.432046, 2.149469, 3.343258, 3.131149, 7.693925, 4.907144, 2.273671, 4.688255]


@pytest.fixture(scope="module")
def published(processed, raw_dir):
    """mam-published (K_prime_original, chi = 1) and its full mean-field fixed point."""
    from cortexflow.structure.mam import build_mam
    net = build_mam(processed, raw_dir, {"K_stable": "K_prime_original.npy", "cc_weights_factor": 1.0,
                                         "cc_weights_I_factor": 1.0})
    return net, solve(from_network(net)).rates


# ------------------------------------------------------------------ config checks (before NEST)
@pytest.mark.parametrize("change,message", [
    ({"areas_simulated": ["V1"], "replace_non_simulated_areas": "het_current_nonstat"},
     "replace_non_simulated_areas must be null or one of"),
    ({"replace_non_simulated_areas": "het_poisson_stat"}, "needs areas_simulated"),
    ({"areas_simulated": ["V1"], "replace_non_simulated_areas": "het_poisson_stat", "replace_rates": ""},
     "replace_rates"),
])
def test_simconfig_rejects(change, message):
    with pytest.raises(ValueError, match=message):
        SimConfig.from_dict(dict(SUB, **change))


def _dry_run(tmp_path, sims: dict, target):
    cfg = tmp_path / "sim.yaml"
    cfg.write_text(yaml.safe_dump({"simulations": sims}))
    return subprocess.run([str(SNAKEMAKE), target, "-n", "--nolock", "--cores", "2", "--configfile", str(cfg)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.workflow
@pytest.mark.parametrize("change,message", [
    ({"replace_non_simulated_areas": "het_poisson_stat"}, "needs areas_simulated"),
    ({"areas_simulated": ["V1"], "replace_non_simulated_areas": "het_poisson_stat", "replace_rates": "nosuch"},
     "replace_rates: 'nosuch' must be 'meanfield' or another simulation"),
])
def test_plan_time_errors(tmp_path, change, message):
    if not SNAKEMAKE.exists():
        pytest.skip("snakemake not installed next to this Python")
    res = _dry_run(tmp_path, {"t1": dict(SUB, **change)}, "simulate_all")
    assert res.returncode != 0 and message in res.stdout + res.stderr


@pytest.mark.workflow
def test_replacement_rates_are_dag_inputs(tmp_path):
    """meanfield: the network's fixed_point.h5 feeds rule simulate; a simulation's name: its summary.csv."""
    if not SNAKEMAKE.exists():
        pytest.skip("snakemake not installed next to this Python")
    sims = {"full": SUB,
            "v1mf": dict(SUB, areas_simulated=["V1"], replace_non_simulated_areas="het_poisson_stat"),
            "v1sim": dict(SUB, areas_simulated=["V1"], replace_non_simulated_areas="het_current_stat",
                          replace_rates="full")}
    res = _dry_run(tmp_path, sims, "results/sims/v1sim/meanfield_subset.csv")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    assert "results/sims/full/stats/summary.csv" in out and re.search(r"(rule |Job \d+: )spike_statistics", out)
    res = _dry_run(tmp_path, sims, "results/sims/v1mf/run.json")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    # "rule simulate:" + its input, or (with the rule's message:) "Job <n>: simulate ..." + reason and command
    sim_block = out[re.search(r"^(rule simulate:|Job \d+: simulate )", out, re.M).start():].split("\n\n")[0]
    assert "results/theory/mam-published/fixed_point.h5" in sim_block.split("output:")[0]


# ------------------------------------------------------------------ reduced mean field
def test_reduced_fixed_point_reproduces_full_one(published):
    """Replacement at the full fixed point's rates: the subset's reduced fixed point is the full one."""
    net, nu = published
    np.testing.assert_allclose(nu[:8], V1_MF, atol=1e-6)
    for areas in (["V1"], ["V1", "V2"]):
        for mode in ("het_poisson_stat", "het_current_stat"):
            S, fp, _ = subset_fixed_point(net, areas, mode, nu)
            if mode == "het_poisson_stat":
                np.testing.assert_allclose(fp.rates, nu[S], rtol=0, atol=1e-6)
            else:   # no variance from the replaced input: slightly lower rates
                assert np.all(fp.rates <= nu[S] + 1e-9) and np.max(np.abs(fp.rates / nu[S] - 1)) < 0.02
    # dropped input: V1 fires far less (5E: 7.69 -> 2.86 spikes/s)
    S, dropped, _ = subset_fixed_point(net, ["V1"], None)
    assert dropped.rates[4] == pytest.approx(2.8618, abs=1e-3)
    assert np.all(dropped.rates < np.asarray(V1_MF)) and dropped.rates[4] / V1_MF[4] < 0.4
    # hom_poisson_stat (every source at nu_ext = 10 spikes/s) drives V1 far above its mean field
    hom = subset_fixed_point(net, ["V1"], "hom_poisson_stat")[1].rates
    assert hom[4] > 5 * V1_MF[4]


def test_reduced_network_input(published):
    """mu_rep = 1e-3 tau_m sum_{j not in S} K_ij J_ij nu_j; the scaled network's reduced system at the
    full rates has the full input (the down-scaling preserves mu and sigma)."""
    net, nu = published
    mf = from_network(net)
    red = reduced_network(mf, range(8), "het_poisson_stat", nu)
    expect = 1e-3 * 10.0 * (mf.K[:8, 8:] * mf.J[:8, 8:]) @ nu[8:]
    np.testing.assert_allclose(red.mu_rep, expect, rtol=1e-12)
    mu_full, sig_full = mf.mu_sigma(nu)
    mu_red, sig_red = red.mu_sigma(nu[:8])
    np.testing.assert_allclose(mu_red, mu_full[:8], rtol=1e-12)
    np.testing.assert_allclose(sig_red, sig_full[:8], rtol=1e-12)
    small = downscale(net, nu, 0.01, 0.1)
    table, fp = subset_table(small, ["V1"], "het_poisson_stat", nu, nu)
    np.testing.assert_allclose(table["rate_meanfield_subset"], V1_MF, atol=1e-5)
    assert list(table["population"]) == net.populations[:8]


# ------------------------------------------------------------------ rates files
def test_read_source_rates(tmp_path, published):
    net, nu = published
    csv = tmp_path / "summary.csv"
    csv.write_text("# comment\npopulation,area,rate\nV2-23E,V2,1.5\nV2-4E,V2,2.5\n")
    r = read_source_rates(csv, net.populations)
    assert r[net.populations.index("V2-4E")] == 2.5 and np.isnan(r[0])
    # missing rates of a replaced source are an error, not a silent zero
    with pytest.raises(ValueError, match="missing or invalid"):
        total_rates(net, range(8), r)


# ------------------------------------------------------------------ NEST
@pytest.mark.nest
def test_nest_replacement_generators(published):
    """V1 + V2 of mam-published at N 0.005, K 0.05: the replacement generators carry, per target
    population, sum_j K_ij nu_j over the other 30 areas, with the cortico-cortical weight."""
    nest = pytest.importorskip("nest")
    from cortexflow.simulation.network import NestNetwork

    net, nu = published
    small = downscale(net, nu, 0.005, 0.05)
    areas = ["V1", "V2"]
    cfg = SimConfig.from_dict(dict(network="x", N_scaling=0.005, K_scaling=0.05, t_sim=600.0, t_presim=0.0,
                                   threads=2, areas_simulated=areas, replace_non_simulated_areas="het_poisson_stat"))
    nn = NestNetwork(small, cfg, log=lambda m: None, replace_rates=nu)
    nn.build()
    pops = small.populations
    outside = np.array([p.split("-")[0] not in areas for p in pops])
    ext = {int(g.global_id) for g in nn.generators.values()}
    gens = nest.GetNodes({"model": "poisson_generator"})
    assert len(gens) == len(nn.simulated) + len(nn.simulated)   # external + one replacement per target
    for i in nn.simulated:
        expected = float(small.K[i, :-1][outside] @ nu[outside])        # independent of the module
        conns = nest.GetConnections(source=gens, target=nn.pops[i][:1])
        got = [(int(s), float(w)) for s, w in zip(conns.source, conns.weight) if int(s) not in ext]
        assert len(got) == 1
        gid, weight = got[0]
        assert nest.NodeCollection([gid]).rate == pytest.approx(expected, rel=1e-9)
        assert weight == pytest.approx(87.8085 / np.sqrt(0.05), rel=1e-4)
        # every neuron of the target population gets it
        assert len(nest.GetConnections(source=nest.NodeCollection([gid]))) == len(nn.pops[i])
    # all cortico-cortical weights are equal: one generator per target population
    assert len(poisson_inputs(small, nn.simulated, nu)) == len(nn.simulated)


@pytest.mark.nest
def test_nest_current_replacement(published):
    """het_current_stat: I_e = dc_drive + 1e-3 sum_j K_ij W_ij tau_s nu_j, no extra generators."""
    nest = pytest.importorskip("nest")
    from cortexflow.simulation.network import NestNetwork

    net, nu = published
    small = downscale(net, nu, 0.005, 0.05)
    cfg = SimConfig.from_dict(dict(network="x", N_scaling=0.005, K_scaling=0.05, t_sim=600.0, t_presim=0.0,
                                   threads=2, areas_simulated=["V1"], replace_non_simulated_areas="het_current_stat"))
    nn = NestNetwork(small, cfg, log=lambda m: None, replace_rates=nu)
    nn.build()
    assert len(nest.GetNodes({"model": "poisson_generator"})) == 8
    I = 1e-3 * (small.K[:8, 8:-1] * small.W[:8, 8:-1] * 0.5) @ nu[8:]
    np.testing.assert_allclose(dc_currents(small, range(8), nu)[:8], I, rtol=1e-12)
    for i in range(8):
        assert nn.pops[i][0].I_e == pytest.approx(small.dc_drive[i] + I[i], rel=1e-9)


def test_resource_request_counts_only_the_subset(tmp_path, published):
    """rule simulate's requests (cortexflow.simulation.resources) for an area subset: its neurons and
    synapses, not the whole network's (mam-v1: 197,932 neurons, 3.80e8 synapses)."""
    from cortexflow.simulation.resources import network_size, request
    from cortexflow.structure.network_file import write_network

    net, nu = published
    write_network(tmp_path / "net.h5", net)
    size = network_size(tmp_path / "net.h5", ["V1"])
    assert size["n_neurons"] == 197932
    assert size["n_synapses"] == pytest.approx(3.79926539e8, rel=1e-8)
    whole = network_size(tmp_path / "net.h5")
    assert whole["n_neurons"] > 20 * size["n_neurons"]
    req = request(tmp_path / "net.h5", {"t_sim": 1000.0, "t_presim": 500.0, "threads": 4, "areas_simulated": ["V1"]})
    assert 10000 < req["mem_mb"] < 25000
