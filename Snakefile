# cortexflow: raw anatomical data -> connectivity -> mean field -> NEST -> analysis -> figures.
# See README.md for usage and docs/design.md for the architecture.

configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/structure.smk"
include: "rules/theory.smk"
include: "rules/simulation.smk"
include: "rules/analysis.smk"
include: "rules/figures_structure.smk"


rule all:
    """Default target: every figure (and its inputs) of the default configuration."""
    default_target: True
    input:
        rules.figures_structure.input,
        rules.figures_theory.input,
