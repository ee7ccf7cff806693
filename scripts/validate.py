"""Rule validation_report: per-neuron distributions of the seed ensemble of one simulation ->
results/validation/{sim}/report.csv (one row per population x statistic x metric) and distances.csv
(every distance). Reference: published pd14 means / mean-field rates of the mam network
(cortexflow.analysis.reference; method: docs/analysis.md "Validation")."""
import json
import logging
import os
from pathlib import Path

from cortexflow.analysis import reference as ref
from cortexflow.analysis import validation
from cortexflow.analysis.io import read_distributions
from cortexflow.provenance import tracked
from cortexflow.theory.io import read_fixed_point


def write_csv(df, path, header: str):
    path = Path(path)
    tmp = path.with_name(".tmp-" + path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "w") as f:
        f.write(f"# {header}\n")
        df.to_csv(f, index=False, float_format="%.8g")
    return tmp


with tracked(snakemake) as prov:
    p = snakemake.params
    paths = list(snakemake.input.distributions)
    if len(paths) < 2:
        raise ValueError(f"validation of {snakemake.wildcards.sim}: needs >= 2 seeds (validation.n_seeds), "
                         f"got {len(paths)}")
    ensemble = [read_distributions(path) for path in paths]
    pops = list(ensemble[0])
    rates, label = ref.reference_rates(p.model, pops, read_fixed_point(snakemake.input.fixed_point))
    report, distances = validation.validation_report(ensemble, dict(zip(pops, rates)), p.statistics, p.metrics,
                                                     run_names=list(p.runs), window_s=p.window_s, seed=p.seed)
    header = json.dumps({"simulation": snakemake.wildcards.sim, "runs": list(p.runs), "seeds": list(p.seeds),
                         "reference": label, "reference_sample": "pooled runs x reference / pooled mean",
                         "rates_jitter": f"(count + U(0,1)) / T, T = {p.window_s} s, seed {p.seed}",
                         "criterion": "median(run-to-reference) <= max(seed-to-seed)"})
    tmps = [write_csv(report, snakemake.output.report, header),
            write_csv(distances, snakemake.output.distances, header)]
    for tmp, out in zip(tmps, (snakemake.output.report, snakemake.output.distances)):
        os.replace(tmp, out)
    rated = report[(report["statistic"] == "rates")]
    for _, r in rated.iterrows():
        logging.info("%s %s: run-to-reference %.4g, seed-to-seed max %.4g -> %s", r["population"], r["metric"],
                     r["model_to_reference_median"], r["seed_to_seed_max"], r["passed"])
    prov.notes["passed"] = {f"{r['population']}/{r['metric']}": r["passed"] for _, r in rated.iterrows()}
