# SPDX-License-Identifier: GPL-3.0-or-later
"""The caption note of the thalamic-pulse response figure, free of numpy/h5py: the workflow calls it when it is
planned (cortexflow.workflow.sim_extra), which must work in a minimal Snakemake env (issue #16)."""
from __future__ import annotations


def thalamic_note(entry: dict, options: dict) -> str:
    """What the response figure states about its scale and criterion (a simulation's config entry and the
    analysis.stimulus options)."""
    K = float(entry.get("K_scaling", 1.0))
    n = int(entry.get("th_pulses", 1))
    when = (f"from {entry.get('th_start', 700.0):g} ms of model time (PD14 package)" if n == 1 else
            f"{n} times, every {entry.get('th_interval', 200.0):g} ms from {entry.get('th_start', 700.0):g} ms "
            f"of model time (rates averaged over the pulses; the PD14 package gives one)")
    lines = [(f"Pulse: {entry.get('num_th_neurons', 902)} thalamic neurons at {entry.get('th_rate', 120.0):g} "
              f"spikes/s for {entry.get('th_duration', 10.0):g} ms {when}, onto 4E, 4I, 6E, 6I."),
             (f"Onset: first {options.get('bin_ms', 0.5):g} ms bin above baseline + {options.get('k_sd', 5.0):g} SD "
              f"and + {options.get('min_rise', 5.0):g} spikes/s.")]
    if K != 1.0:
        lines.append(f"K_scaling {K:g}: thalamic synapses x{K:g}, weights / sqrt({K:g}), not DC-compensated, so the "
                     f"mean thalamic drive is {K ** 0.5:.2f}x full scale and the rise slower than at full scale.")
    return "\n".join(lines)
