"""cortexflow: the multi-area model of macaque visual cortex (Schmidt et al. 2018) and the
Potjans & Diesmann (2014) microcircuit, rebuilt from raw anatomical data to figures.

The science lives in the subpackages (anatomy, structure, theory, simulation, analysis, plotting);
the Snakemake rules in ``rules/`` call thin scripts in ``scripts/``. NEST is imported only in
:mod:`cortexflow.simulation`.
"""
__version__ = "0.1.0"
