# Stage 3: mean-field theory (docs/theory.md). Rules:
#   meanfield  results/networks/{net}/network.h5 -> results/theory/{net}/fixed_point.h5  (every network,
#              the stabilised ones included)
#   stabilise  S17 stabilisation of each network of theory.stabilisation.networks ->
#              results/networks/{net}-stable/network.h5 + results/theory/{net}/stabilisation.h5
#   figure_s17 figures/schuecker2017/{net}_{figure}.pdf|png;  aggregate: figures_theory
# (settings: cortexflow.workflow.settings.theory)


rule meanfield:
    """Fixed point of tau dnu/ds = -nu + Phi(mu, sigma) from zero rates (+ seeded random starts), refined
    by Newton; gain matrix and its spectrum. Fails when not converged."""
    input:
        network=paths.NETWORK,
    output:
        paths.FIXED_POINT,
    log:
        "logs/meanfield/{net}.log",
    benchmark:
        "benchmarks/results/meanfield_{net}.tsv"
    wildcard_constraints:
        net=WC["meanfield_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=settings.theory_options(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/meanfield.py"


rule stabilise:
    """Schuecker et al. 2017: indegree changes that put the network at kappa_network into the low-activity
    basin; compared with the published K_prime_original.npy."""
    input:
        network=paths.NETWORK,
        published=raw("K_prime_original.npy"),
    output:
        network=paths.STABLE_NETWORK,
        record=paths.STABILISATION,
    log:
        "logs/stabilise/{net}.log",
    benchmark:
        "benchmarks/results/stabilise_{net}.tsv"
    wildcard_constraints:
        net=WC["stabilised_net"],
    conda:
        "../envs/theory.yaml"
    params:
        options=settings.theory_options(config),
        stabilisation=settings.stabilisation(config),
    message:
        "{rule} {wildcards}: log in {log}"
    script:
        "../scripts/stabilise.py"


rule figure_s17:
    """One S17 figure of a stabilised network (bistability scan, rates, eigenspectrum, indegree changes,
    comparison with the published K')."""
    input:
        record=paths.STABILISATION,
        network=paths.NETWORK,
    output:
        **figure_outputs(
            paths.FIG_S17,
            caption="s17",
            category="Schuecker 2017: mean field and stabilisation",
        ),
    log:
        "logs/figures_theory/{net}_{figure}.log",
    benchmark:
        "benchmarks/results/figures_theory/{net}_{figure}.tsv"
    wildcard_constraints:
        net=WC["stabilised_net"],
        figure="|".join(settings.S17_FIGURES),
    conda:
        "../envs/theory.yaml"
    params:
        figure="{figure}",
        options=THEORY["figures"],
        kappa_network=THEORY["stabilisation"]["kappa_network"],
    script:
        "../scripts/fig_theory.py"


rule figures_theory:
    """Every fixed point and every S17 figure of the configuration."""
    input:
        targets.theory_targets(config),
