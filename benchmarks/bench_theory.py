"""Benchmark of the mean-field stage (docs/theory.md), on the configured full-scale networks.

* fixed point of the 254-population mam-published network (integration T = 30, dt = 0.01 + Newton);
  target < 0.5 s;
* the same pseudo-dynamics with a naive per-population loop (scalar scipy.integrate.quad Siegert per
  population and step, as upstream's theory_helpers), timed over ``--naive-steps`` steps started at the
  fixed point (all populations active) and scaled to the full 3000 steps; the ratio naive/ours is printed;
* the full S17 stabilisation of mam-s17 (all iterations + final scan); target < 2 min on 2 cores.

Needs results/networks/{mam-published,mam-s17}/network.h5 (snakemake --cores 2
results/networks/mam-s17/network.h5 results/networks/mam-published/network.h5).
Usage: python benchmarks/bench_theory.py [--skip-stabilisation] [--naive-steps 20]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.integrate import quad
from scipy.special import erfcx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import RESULTS, machine  # noqa: E402

from cortexflow.structure.network_file import read_network  # noqa: E402
from cortexflow.theory.fixedpoint import solve  # noqa: E402
from cortexflow.theory.inputs import from_network  # noqa: E402
from cortexflow.theory.pipeline import stabilise_network  # noqa: E402


def naive_phi(mu, sigma, p):
    """Scalar shifted Siegert by adaptive quadrature (one call per population)."""
    y_th = (p.theta - mu) / sigma + p.shift
    y_r = (p.V_r - mu) / sigma + p.shift
    if y_th > 26.0:
        return 0.0
    return 1e3 / (p.tau_r + p.tau_m * np.sqrt(np.pi) * quad(lambda u: erfcx(-u), y_r, y_th, limit=200)[0])


def naive_steps(mf, steps, nu0, dt=0.01):
    nu = np.array(nu0, float)
    p1 = np.exp(-dt)
    for _ in range(steps):
        mu, sigma = mf.mu_sigma(nu)
        f = np.array([naive_phi(mu[i], sigma[i], mf.neuron) for i in range(mf.n)])
        nu = p1 * nu + (1 - p1) * f
    return nu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-stabilisation", action="store_true")
    ap.add_argument("--naive-steps", type=int, default=20)
    args = ap.parse_args()
    paths = {n: ROOT / f"results/networks/{n}/network.h5" for n in ("mam-published", "mam-s17")}
    for path in paths.values():
        if not path.exists():
            sys.exit(f"{path} missing: run `snakemake --cores 2 {path.relative_to(ROOT)}` first")
    out = {"machine": machine()}
    mf = from_network(read_network(paths["mam-published"]))
    solve(mf)  # warm-up (tables)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        fp = solve(mf)
        times.append(time.perf_counter() - t0)
    out["fixed_point_s"] = min(times)
    out["fixed_point_mean_rate"] = float(fp.rates.mean())
    t0 = time.perf_counter()
    naive_steps(mf, args.naive_steps, fp.rates)   # from the fixed point: every population active
    per_step = (time.perf_counter() - t0) / args.naive_steps
    out["naive_fixed_point_s_extrapolated"] = per_step * 3000
    out["ratio_naive_over_ours"] = out["naive_fixed_point_s_extrapolated"] / out["fixed_point_s"]
    print(f"fixed point (254 populations, 3000 steps + Newton): {out['fixed_point_s']:.3f} s (target < 0.5 s); "
          f"naive per-population loop: {per_step * 1e3:.1f} ms/step -> {out['naive_fixed_point_s_extrapolated']:.1f} s "
          f"(x{out['ratio_naive_over_ours']:.0f})")
    if not args.skip_stabilisation:
        t0 = time.perf_counter()
        _, result, _, _ = stabilise_network(read_network(paths["mam-s17"]), log=lambda m: None)
        out["stabilisation_s"] = time.perf_counter() - t0
        out["kappa_star"] = [it.kappa_low for it in result.iterations]
        print(f"S17 stabilisation ({len(result.iterations) - 1} steps, {len(result.iterations)} scans): "
              f"{out['stabilisation_s']:.1f} s (target < 120 s); kappa* = {out['kappa_star']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_theory.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
