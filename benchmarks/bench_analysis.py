"""Spike-analysis benchmark: our vectorised statistics vs a per-neuron Elephant loop, same data, same run.

Data: a synthetic pd14-sized spikes.h5 (8 populations, 77,169 neurons at full size scaled by SCALE, Poisson
at the PD14 reference rates, 10 s recorded). Both sides compute per-neuron rates, CV ISI, LvR (R = 2 ms)
and the CC of the same seeded subsample of <= 2000 non-silent neurons per population (1 ms bins), over
[500, t_sim) ms. Elephant side: neo.SpikeTrain per neuron + mean_firing_rate/isi/cv/lvr, and
BinnedSpikeTrain + correlation_coefficient per population. Results are checked to agree (1e-10 rel).
Also: peak RSS of a fresh process running the whole `spike_statistics` computation on the file.
Usage: python benchmarks/bench_analysis.py [SCALE]  (default 0.1)
"""
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import synthetic  # noqa: E402
from common import report, run_child  # noqa: E402

from cortexflow.analysis import per_simulation  # noqa: E402
from cortexflow.analysis import population_stats as st  # noqa: E402
from cortexflow.analysis.reference import PD14_REFERENCE_RATES  # noqa: E402
from cortexflow.spikes_file import iter_populations  # noqa: E402
from cortexflow.structure.pd14_params import DEFAULTS as PD14_DEFAULTS  # noqa: E402

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
POPS = list(PD14_REFERENCE_RATES)
N_FULL = list(PD14_DEFAULTS["full_num_neurons"])
RATES = list(PD14_REFERENCE_RATES.values())  # PD14 reference implementation, full scale
T_SIM, RES, T_MIN = 10000.0, 0.1, 500.0


def ours(path, opts):
    out = {}
    for pop in iter_populations(path, opts.t_min):
        n, s, t = pop.n_recorded, pop.senders, pop.steps
        isi, owner = st.intervals(s, t)
        out[pop.name] = (st.neuron_rates(s, n, pop.duration_ms), st.cv_from_intervals(isi, owner, n),
                         st.lvr_from_intervals(isi, owner, n, RES, opts.lvr_R),
                         st.correlation_coefficients(s, t, n, pop.start, pop.stop, 10, opts.cc_subsample,
                                                     per_simulation.population_seed(opts.seed, pop.name)))
    return out


def elephant_loop(path, opts, cc_ids):
    import neo
    import quantities as pq
    from elephant.conversion import BinnedSpikeTrain
    from elephant.spike_train_correlation import correlation_coefficient
    from elephant.statistics import cv, isi, lvr, mean_firing_rate
    out = {}
    for pop in iter_populations(path, opts.t_min):
        order = np.argsort(pop.senders, kind="stable")
        s, t = pop.senders[order], pop.times_ms[order]
        bounds = np.searchsorted(s, np.arange(pop.n_recorded + 1))
        rates, cvs, lvrs, trains = [], [], [], []
        for i in range(pop.n_recorded):
            x = neo.SpikeTrain(t[bounds[i]:bounds[i + 1]], units="ms", t_start=pop.start * RES, t_stop=pop.stop * RES)
            trains.append(x)
            rates.append(float(mean_firing_rate(x).rescale("Hz").magnitude))
            if len(x) >= 3:
                d = isi(x)
                cvs.append(cv(d))
                lvrs.append(lvr(d, R=opts.lvr_R * pq.ms))
            else:
                cvs.append(np.nan)
                lvrs.append(np.nan)
        ids = cc_ids[pop.name]
        r = correlation_coefficient(BinnedSpikeTrain([trains[i] for i in ids], bin_size=1 * pq.ms))
        out[pop.name] = (np.array(rates), np.array(cvs), np.array(lvrs), r)
    return out


def main():
    opts = per_simulation.AnalysisOptions(t_min=T_MIN)
    rng = np.random.default_rng(42)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spikes.h5"
        pops = {}
        for p, n, nu in zip(POPS, N_FULL, RATES):
            n = max(2, int(n * SCALE))
            s, t = synthetic.poisson(n, rng.gamma(4, nu / 4, n), 1, int(T_SIM / RES) + 1, RES, rng)
            pops[p] = (s, t, n)
        synthetic.write_spikes(path, pops, t_sim=T_SIM, t_presim=500.0, resolution=RES)
        n_neurons = sum(v[2] for v in pops.values())
        n_spikes = sum(v[0].size for v in pops.values())
        t0 = time.perf_counter()
        a = ours(path, opts)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            b = elephant_loop(path, opts, {k: v[3][0] for k, v in a.items()})
        t_el = time.perf_counter() - t0
        worst = 0.0
        for k in a:
            for x, y in zip(a[k][:3], b[k][:3]):
                ok = np.isfinite(y) & (y != 0)
                worst = max(worst, float(np.max(np.abs(x[ok] - y[ok]) / np.abs(y[ok]), initial=0)))
            off = ~np.eye(len(b[k][3]), dtype=bool)
            worst = max(worst, float(np.max(np.abs(a[k][3][1][off] - b[k][3][off]) /
                                            np.maximum(np.abs(b[k][3][off]), 1e-12), initial=0)))
        t0 = time.perf_counter()
        per_simulation.compute(path, opts)
        t_full = time.perf_counter() - t0
        wall, peak = run_child(f"from cortexflow.analysis import per_simulation as ps; "
                               f"ps.compute({str(path)!r}, ps.AnalysisOptions(t_min={T_MIN}))")
    report("analysis", {
        "scale of pd14 (neurons)": f"{SCALE} ({n_neurons})",
        "spikes in file": n_spikes,
        "ours: rates+CV+LvR+CC s": t_ours,
        "elephant per-neuron loop s": t_el,
        "speed-up (target >= 20)": t_el / t_ours,
        "max relative difference ours vs elephant": worst,
        "full spike_statistics (incl. rate series, synchrony) s": t_full,
        "fresh process: wall s": wall,
        "fresh process: peak RSS MB": peak,
    })


if __name__ == "__main__":
    main()
