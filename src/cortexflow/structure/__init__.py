"""Network construction: the multi-area model (mam), the microcircuit (pd14) and down-scaling."""
