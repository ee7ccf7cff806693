# SPDX-License-Identifier: GPL-3.0-or-later
"""Snakemake glue of cortexflow: simulation names, input functions and targets, in plain Python (no Snakemake
import), imported by rules/common.smk so that the rule files hold rules only."""
