# SPDX-License-Identifier: GPL-3.0-or-later
"""Check a full-scale pd14 simulation against the reference mean rates (not run in CI: ~10-15 GB).

    snakemake --cores 4 --configfile config/full_scale.yaml -- results/sims/pd14-full/spikes.h5
    python scripts/check_pd14_fullscale.py results/sims/pd14-full/spikes.h5

Rates per population over the recorded window after the 500 ms analysis transient; passes when every
population is within 10 % of the PD14 reference means (INM-6/microcircuit-PD14-model full_mean_rates).
"""
import sys

import h5py
import numpy as np

REFERENCE = {"23E": 0.903, "23I": 2.965, "4E": 4.414, "4I": 5.876, "5E": 7.569, "5I": 8.633, "6E": 1.105,
             "6I": 7.829}
TRANSIENT_MS = 500.0


def main(path: str) -> int:
    ok = True
    with h5py.File(path, "r") as f:
        t_sim = float(f.attrs["t_sim"])
        for pop, ref in REFERENCE.items():
            g = f[pop]
            t_ms = g["times"][()] * g["times"].attrs["resolution"]
            rate = np.sum(t_ms > TRANSIENT_MS) / g.attrs["n_recorded"] / ((t_sim - TRANSIENT_MS) * 1e-3)
            good = abs(rate / ref - 1) <= 0.10
            ok &= good
            print(f"{pop:4s} {rate:7.3f} spikes/s  reference {ref:6.3f}  {100 * (rate / ref - 1):+6.1f} %  "
                  f"{'ok' if good else 'OUT OF 10 %'}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/sims/pd14-full/spikes.h5"))
