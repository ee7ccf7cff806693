"""Raw anatomical data -> processed anatomy (Schmidt et al. 2018, Brain Struct Funct 223:1409); see
docs/anatomy.md. Entry point: :func:`cortexflow.anatomy.process.process_anatomy`."""
from .process import process_anatomy, to_json, write_json

__all__ = ["process_anatomy", "to_json", "write_json"]
