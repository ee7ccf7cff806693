# cortexflow: raw anatomical data -> connectivity -> mean field -> NEST -> analysis -> figures.
# See README.md for usage and docs/design.md for the architecture.

configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/structure.smk"
include: "rules/theory.smk"
include: "rules/simulation.smk"
include: "rules/analysis.smk"
include: "rules/scaling.smk"
include: "rules/figures_structure.smk"
include: "rules/data_dependence.smk"

include: "rules/figures_dynamics.smk"
include: "rules/pd14_package.smk"

# Every figure of the default run (and, for theory, the fixed points it shows).
FIGURE_TARGETS = [*rules.figures_structure.input, *rules.figures_theory.input, *rules.figures_dynamics.input,
                  *rules.validate.input]


include: "rules/report.smk"


rule all:
    """Default target: every figure (and its inputs) of the default configuration, and their provenance."""
    default_target: True
    input:
        FIGURE_TARGETS,
        rules.analysis_all.input,
        rules.figure_provenance.output,
