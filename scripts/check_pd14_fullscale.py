# SPDX-License-Identifier: GPL-3.0-or-later
"""Check a full-scale pd14 simulation against the reference mean rates (not run in CI: ~10-15 GB).

    snakemake --cores 4 --configfile config/full_scale.yaml -- results/sims/pd14-full/spikes.h5
    python scripts/check_pd14_fullscale.py results/sims/pd14-full/spikes.h5

Rates per population over the recorded window after the analysis transient (analysis.t_min of
config/schema.yaml); passes when every population is within 10 % of the PD14 reference means
(INM-6/microcircuit-PD14-model full_mean_rates, cortexflow.analysis.reference).
"""
import sys

import h5py
import numpy as np

from cortexflow.analysis.reference import PD14_REFERENCE_RATES as REFERENCE
from cortexflow.config import schema_defaults

TRANSIENT_MS = float(schema_defaults("properties/analysis")["t_min"])


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
