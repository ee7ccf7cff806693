"""Full-scale pd14 check (needs ~10-15 GB; not in CI): build the published microcircuit with cortexflow,
simulate it with the cortexflow NEST backend and compare the per-population rates with the PD14 reference
means (scripts/check_pd14_fullscale.py: within 10 %).

    python benchmarks/fullscale_pd14.py [--threads 16] [--t-sim 1500] [--out DIR]

Equivalent to `snakemake --configfile config/full_scale.yaml results/sims/pd14-full/spikes.h5` followed by
the check script, without Snakemake (so it runs on a bare machine with NEST, numpy, scipy, h5py).
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_simulation import V0_MEAN, V0_SD  # noqa: E402
from check_pd14_fullscale import main as check  # noqa: E402

from cortexflow.structure.network_file import write_network  # noqa: E402
from cortexflow.structure.pd14 import build_pd14  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--t-sim", type=float, default=1500.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "results/sims/pd14-fullscale-check"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_network(out / "network.h5", build_pd14())
    sim = {"network": "pd14", "N_scaling": 1.0, "K_scaling": 1.0, "t_sim": args.t_sim, "t_presim": 500.0,
           "threads": args.threads, "seed": args.seed, "delay_ext": 1.5, "V0_mean": V0_MEAN, "V0_sd": V0_SD}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cortexflow.simulation.run", "--name", "pd14-full",
                    "--network", str(out / "network.h5"), "--sim-json", json.dumps(sim),
                    "--spikes", str(out / "spikes.h5"), "--run-json", str(out / "run.json")], check=True)
    print(f"wall {time.perf_counter() - t0:.1f} s; run.json: {(out / 'run.json').read_text()}")
    return check(str(out / "spikes.h5"))


if __name__ == "__main__":
    sys.exit(main())
