# SPDX-License-Identifier: GPL-3.0-or-later
"""Glue of the scale study (config ``scaling_study``, rules/scaling.smk, docs/simulation.md "Scale study").

Every point of a study is run as a simulation of its own, named ``scaling_<study>_N<N>_K<K>_s<seed>``, whose
config entry is the study's template simulation with that point's N_scaling, K_scaling, seed (and optional
threads / t_sim). These names are added to the simulations the ``scale_network``, ``simulate`` and
``spike_statistics`` rules accept, but not to ``simulate_all``/``analysis_all``/``all``.
"""
from __future__ import annotations


def _fmt(x: float) -> str:
    return f"{x:g}"


def run_name(study: str, N: float, K: float, seed: int) -> str:
    return f"scaling_{study}_N{_fmt(N)}_K{_fmt(K)}_s{seed}"


def study_runs(config: dict, study: str) -> list[dict]:
    """[{name, N_scaling, K_scaling, seed, entry}] of one study, in config order (points, then seeds)."""
    spec = config["scaling_study"][study]
    sims = config.get("simulations") or {}
    template = spec["template"]
    if template not in sims:
        raise ValueError(f"config scaling_study.{study}.template: {template!r} is not a simulation of "
                         f"`simulations` ({sorted(sims)})")
    base = {k: v for k, v in sims[template].items() if k not in ("mem_mb", "runtime")}
    base_seed = int(base.get("seed", 1))
    runs, seen = [], set()
    for i, point in enumerate(spec["points"]):
        N, K = float(point["N_scaling"]), float(point["K_scaling"])
        if (N, K) in seen:
            raise ValueError(f"config scaling_study.{study}.points[{i}]: (N_scaling, K_scaling) = ({N:g}, {K:g}) "
                             "is listed twice")
        seen.add((N, K))
        for k in range(int(point.get("seeds") or 1)):
            entry = dict(base, N_scaling=N, K_scaling=K, seed=base_seed + k)
            t_sim = point.get("t_sim") or spec.get("t_sim")
            if t_sim:
                entry["t_sim"] = float(t_sim)
            if point.get("threads"):
                entry["threads"] = int(point["threads"])
            runs.append({"name": run_name(study, N, K, base_seed + k), "N_scaling": N, "K_scaling": K,
                         "seed": base_seed + k, "entry": entry})
    return runs


def available_studies(config: dict) -> list[str]:
    """The studies whose template is a simulation of this config. A config that replaces `simulations` (a
    test, a site config) keeps working; asking for a study without its template fails in ``study_runs``."""
    sims = config.get("simulations") or {}
    return [s for s, spec in (config.get("scaling_study") or {}).items() if spec.get("template") in sims]


def scaling_simulations(config: dict) -> dict[str, dict]:
    """{run name: simulation entry} of every available study."""
    return {r["name"]: r["entry"] for study in available_studies(config) for r in study_runs(config, study)}


def study_network(config: dict, study: str) -> str:
    """The (full-scale) network of a study: its template's network."""
    return config["simulations"][config["scaling_study"][study]["template"]]["network"]
