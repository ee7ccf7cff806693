"""Rule ee_example: the reduced excitatory networks of S17 Fig 2 -> ee_example.h5."""
import logging

from cortexflow.provenance import tracked
from cortexflow.theory.ee_example import compute
from cortexflow.theory.io import write_arrays


with tracked(snakemake) as prov:
    options = dict(snakemake.params.options)
    out = compute(options)
    logging.info("base fixed points %s (lambda %s), stabilised K' = %.4f", out["base_fixed_points"],
                 out["base_lambda"], out["K_stabilised"])
    write_arrays(snakemake.output[0], out, {"ee_example": options})
