# SPDX-License-Identifier: GPL-3.0-or-later
"""Snakemake glue of cortexflow in plain Python (no Snakemake import), imported once by rules/common.smk so
that the rule files hold rules only (docs/design.md "Workflow glue"):

* ``paths``: every file template of the rules (results/, figures/, data/raw/);
* ``inputs``: ``Inputs(config, raw_sources)``, the input, params and resource functions the rules name;
* ``targets``: the target lists of the aggregate rules (all, analysis_all, figures_*, validate, ...);
* ``settings``: config sections as the rules pass them on, and the wildcard constraints;
* ``figures``: the figure tables of the table-driven figure rules;
* ``simulations``: simulation names, seed variants, entries, caption lines;
* ``replicates``: the data-dependence replicates; ``scaling``: the scale-study runs.

The cross-key config checks that run at parse time are in cortexflow.config (``check_workflow``).
"""
