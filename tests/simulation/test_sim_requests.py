# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests of full-scale simulations as planned (dry run, nothing built yet) and protected outputs."""
import re

import yaml

from cortexflow.simulation.resources import FULL_SCALE_SIZE, planned_request, scaled_size
from tests.support.workspace import ROOT, copy_project, snakemake

FULL = yaml.safe_load((ROOT / "config/full_scale.yaml").read_text())["simulations"]


def test_planned_size_scales_like_scale_network():
    s = scaled_size(FULL_SCALE_SIZE["pd14"], 0.5, 0.25)
    assert s["n_neurons"] == 38584 and abs(s["n_synapses"] - 2.9888094e8 * 0.125) < 1
    # the pd14 table is network_size of the built network (checked in tests/simulation/test_simulation_replacement.py)
    req = planned_request(FULL["pd14-full"], None, None, "pd14")
    assert req["source"] == "model size, scaled" and 12000 < req["mem_mb"] < 16000


def test_dry_run_of_full_scale_mam_shows_the_real_request(tmp_path):
    project = copy_project(tmp_path / "p")
    out = snakemake(project, "--profile", "profiles/slurm", "-n", "--configfile", "config/full_scale.yaml",
                    "--", "results/sims/mam-metastable-full/spikes.h5").stdout
    m = re.search(r"Job \d+: (\w+) mam-metastable-full \((\d+) threads x (\d+) ranks, (\d+) MB, (\d+) min\)", out)
    assert m, out[-3000:]
    want = planned_request(FULL["mam-metastable-full"], None, None, "mam")
    assert m.group(1) == "simulate_protected"           # protect: true -> write-protected outputs
    assert (int(m.group(2)), int(m.group(3))) == (16, 8)
    assert int(m.group(4)) == want["mem_mb"] > 500_000   # ~1.2 TB, not a 4 GB fallback
    assert int(m.group(5)) == want["runtime"] > 60
    small = snakemake(project, "-n", "--", "results/sims/pd14-half/spikes.h5").stdout
    assert re.search(r"Job \d+: simulate pd14-half \(2 threads x 1 ranks", small)
