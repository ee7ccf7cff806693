"""Figure rules of the mechanism and structure analyses (rules/figures_theory_extra.smk): PCB18 Fig 4 theory,
S17 Figs 2, 6, 8 and BSF18 Fig 8, each drawn from its science rule's file; PDF + PNG with provenance."""
import json
from pathlib import Path

from cortexflow.plotting import structure as splots, theory_panels as plots
from cortexflow.plotting.figure_rule import run_figure_rule
from cortexflow.theory.chi_sweep import read_sweep
from cortexflow.theory.io import read_arrays


def chi_sweep(inp, opts, prov):
    return plots.chi_sweep_figure(read_sweep(inp.data))


def ee_example(inp, opts, prov):
    return plots.ee_example_figure(read_arrays(inp.data))


def unstable_fixed_points(inp, opts, prov):
    d = read_arrays(inp.data)
    return plots.unstable_fixed_point_figure([p.decode() for p in d["populations"]], d)


def connectivity_analysis(inp, opts, prov):
    return plots.connectivity_analysis_figure(read_arrays(inp.data))


def laminar_paths(inp, opts, prov):
    return splots.laminar_paths_figure(json.loads(Path(inp.data).read_text()), cmap=opts["cmap"])


FIGURES = {f.__name__: f for f in (chi_sweep, ee_example, unstable_fixed_points, connectivity_analysis,
                                   laminar_paths)}
run_figure_rule(snakemake, FIGURES, "theory.figures")
