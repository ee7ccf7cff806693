# cortexflow: raw anatomical data -> connectivity -> mean field -> NEST -> analysis -> figures.
# See README.md for usage and docs/design.md for the architecture. The rule files hold rules only; their
# paths, input functions and targets come from cortexflow.workflow (rules/common.smk), so the order of the
# includes below is free except that a `use rule` follows the rule it reuses.


configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/structure.smk"
include: "rules/theory.smk"
include: "rules/figures_theory_extra.smk"
include: "rules/simulation.smk"
include: "rules/analysis.smk"
include: "rules/scaling.smk"
include: "rules/figures_structure.smk"
include: "rules/figures_dynamics.smk"
include: "rules/validation.smk"
include: "rules/data_dependence.smk"
include: "rules/pd14_package.smk"
include: "rules/figures_sim_extra.smk"
include: "rules/report.smk"


rule all:
    """Default target: every figure (and its inputs) of the default configuration, and their provenance."""
    default_target: True
    input:
        targets.figure_targets(config),
        targets.analysis_outputs(config),
        paths.PROVENANCE,
