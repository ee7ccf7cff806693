# cortexflow: raw anatomical data -> connectivity -> mean field -> NEST -> analysis -> figures.
# See README.md for usage and ../DESIGN (docs/design.md) for the architecture.

configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/data.smk"


rule all:
    """Default target: every figure (and its inputs) of the default configuration."""
    default_target: True
    input:
        rules.process_anatomy.output,
