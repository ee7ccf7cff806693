# Stage 3: mean-field theory (docs/theory.md). Rules:
#   meanfield  results/networks/{net}/network.h5 -> results/theory/{net}/fixed_point.h5  (every network,
#              the stabilised ones included)
#   stabilise  S17 stabilisation of each network of theory.stabilisation.networks ->
#              results/networks/{net}-stable/network.h5 + results/theory/{net}/stabilisation.h5
#   figure_s17_<name>  figures/schuecker2017/{net}_<name>.pdf|png;  aggregate: figures_theory
import re

from cortexflow.theory.pipeline import DEFAULTS as _TH_DEFAULTS, STAB_DEFAULTS as _STAB_DEFAULTS

THEORY = {**_TH_DEFAULTS, **config.get("theory", {})}
THEORY["stabilisation"] = {"networks": [], **_STAB_DEFAULTS, **THEORY.get("stabilisation", {})}
THEORY["figures"] = {"dpi": 200, **THEORY.get("figures", {})}
THEORY_OPTS = {k: v for k, v in THEORY.items() if k not in ("stabilisation", "figures")}
S17_BASES = list(THEORY["stabilisation"]["networks"])
for _name in S17_BASES:
    if _name not in config["networks"] or config["networks"][_name]["model"] != "mam":
        raise ValueError(f"theory.stabilisation.networks: {_name!r} is not a mam network of config `networks`")
    if f"{_name}-stable" in config["networks"]:
        raise ValueError(f"networks.{_name}-stable: the name is reserved for the output of rule stabilise")
STABLE_NETS = [f"{b}-stable" for b in S17_BASES]
MEANFIELD_NETS = list(config["networks"]) + STABLE_NETS
S17_FIGURES = ["bistability", "rates", "eigenspectrum", "indegree_changes", "published_comparison"]
S17_CATEGORY = "Schuecker 2017: mean field and stabilisation"


rule meanfield:
    """Fixed point of tau dnu/ds = -nu + Phi(mu, sigma) from zero rates (+ seeded random starts), refined
    by Newton; gain matrix and its spectrum. Fails when not converged."""
    input:
        network="results/networks/{net}/network.h5",
    output:
        "results/theory/{net}/fixed_point.h5",
    params:
        options=THEORY_OPTS,
    wildcard_constraints:
        net="|".join(re.escape(n) for n in MEANFIELD_NETS),
    log:
        "logs/meanfield/{net}.log",
    benchmark:
        "benchmarks/results/meanfield_{net}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/meanfield.py"


rule stabilise:
    """Schuecker et al. 2017: indegree changes that put the network at kappa_network into the low-activity
    basin; compared with the published K_prime_original.npy."""
    input:
        network="results/networks/{net}/network.h5",
        published=raw("K_prime_original.npy"),
    output:
        network="results/networks/{net}-stable/network.h5",
        record="results/theory/{net}/stabilisation.h5",
    params:
        options=THEORY_OPTS,
        stabilisation={k: v for k, v in THEORY["stabilisation"].items() if k != "networks"},
    wildcard_constraints:
        net="|".join(re.escape(n) for n in S17_BASES),
    log:
        "logs/stabilise/{net}.log",
    benchmark:
        "benchmarks/results/stabilise_{net}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/stabilise.py"


rule figure_s17:
    """One S17 figure of a stabilised network (bistability scan, rates, eigenspectrum, indegree changes,
    comparison with the published K')."""
    input:
        record="results/theory/{net}/stabilisation.h5",
        network="results/networks/{net}/network.h5",
    output:
        pdf="figures/schuecker2017/{net}_{figure}.pdf",
        png=report("figures/schuecker2017/{net}_{figure}.png", caption="../report/captions/s17.rst",
                   category=S17_CATEGORY),
    params:
        figure="{figure}",
        options=THEORY["figures"],
        kappa_network=THEORY["stabilisation"]["kappa_network"],
    wildcard_constraints:
        net="|".join(re.escape(n) for n in S17_BASES),
        figure="|".join(S17_FIGURES),
    log:
        "logs/figures_theory/{net}_{figure}.log",
    benchmark:
        "benchmarks/results/figures_theory/{net}_{figure}.tsv"
    conda:
        "../envs/theory.yaml"
    script:
        "../scripts/fig_theory.py"


rule figures_theory:
    """Every fixed point and every S17 figure of the configuration."""
    input:
        expand("results/theory/{net}/fixed_point.h5", net=MEANFIELD_NETS),
        expand("figures/schuecker2017/{net}_{figure}.{ext}", net=S17_BASES, figure=S17_FIGURES, ext=["pdf", "png"]),
