# SPDX-License-Identifier: GPL-3.0-or-later
"""Constants the workflow needs when it is PARSED, kept free of numpy/scipy/h5py/pandas imports.

Snakemake parses the Snakefile in whatever environment it runs in; with ``--sdm conda`` that can be a minimal
Snakemake env (standard library, yaml, jsonschema) while the science runs in envs/*.yaml (issue #16). The
science modules import these names from here (cortexflow.anatomy.process,
cortexflow.structure.mam_raw, cortexflow.data_dependence.resample), so each list is defined once.
"""

# raw files read by rule process_anatomy (cortexflow.anatomy.process.INPUT_FILES)
ANATOMY_INPUT_FILES = (
    "ArchitecturalTypes.csv", "CoCoMac_complete_81.json", "cocomac_confirmative_studies.json",
    "cortical_surface.csv", "CorticalThickness.csv", "hierarchy_Reid.csv", "laminar_thicknesses_macaque.csv",
    "Markov2014_FLN_rawdata.csv", "Markov2014_InjectionSites.csv", "Median_Distances_81areas.csv",
    "NeuronalDensities_NeuN.csv", "NeuronalDensities_Nissl.csv", "Numbers_V1.csv", "overlap.json",
    "RData_prepared_logdensities.txt", "SchemeTranslation.csv", "SLN_Data.csv", "Thom_Distances.csv",
)

# raw files read by rule build_network for mam networks (cortexflow.structure.mam_raw.FILES)
MAM_RAW_FILES = {
    "binzegger": "BinzeggerData.csv",
    "intrinsic_connectivity": "Intrinsic_Connectivity.csv",
    "numbers_v1": "Numbers_V1.csv",
    "intrinsic_fln": "Intrinsic_FLN_Data.csv",
    "cragg": "SynapticDensity_Cragg.csv",
    "okusky": "SynapticDensity_OKusky.csv",
    "distances": "Median_Distances_81areas.csv",
    "surface": "cortical_surface.csv",
}

# raw files of a data-dependence replicate (cortexflow.data_dependence.resample.REPLICATE_FILES)
REPLICATE_FILES = tuple(sorted(set(ANATOMY_INPUT_FILES) | set(MAM_RAW_FILES.values())))
