# Shared set-up: config validation and helpers used by every stage.
import json
import hashlib
from pathlib import Path

import yaml
from snakemake.utils import min_version, validate

min_version("9.0")


from cortexflow.config import check_config

# Clear messages naming the offending key first, then Snakemake's own validation (which also fills defaults).
check_config(config, Path(workflow.basedir, "config/schema.yaml"))
validate(config, schema="../config/schema.yaml")

RAW_MANIFEST = "data/raw/sources.yaml"
RAW_SOURCES = yaml.safe_load(Path(workflow.basedir, RAW_MANIFEST).read_text())["files"]
RAW_FILES = sorted(RAW_SOURCES)


def raw(name):
    """Path of a raw data file under data/raw/ (produced by rule raw_data)."""
    if name not in RAW_SOURCES:
        raise ValueError(f"{name} is not listed in {RAW_MANIFEST}")
    return f"data/raw/{name}"


def config_digest(section):
    """Short content hash of a config section (used in labels and provenance)."""
    blob = json.dumps(section, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]
