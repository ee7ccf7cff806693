# cortexflow: `make all` builds every figure of the default config, `make test` runs the test suite.
# Both create .venv from requirements.lock on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CORES ?= 2
# Raw data mirror: use ../shared/data/mam_raw when it exists (CI and developer machines); otherwise
# the raw_data rule downloads from the pinned upstream commit. Override: make all CORTEXFLOW_RAW_MIRROR=/path
CORTEXFLOW_RAW_MIRROR ?= $(abspath $(wildcard ../shared/data/mam_raw))
export CORTEXFLOW_RAW_MIRROR

.PHONY: all test venv lint report bench clean lock nest-mpi

# The last lines of `make all`: one validation verdict per validated simulation (never fails here; strict:
# snakemake validate --config validation_strict=1, docs/analysis.md "Verdicts").
all: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES)
	@$(BIN)/python -m cortexflow.analysis.verdicts --configfile config/config.yaml

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml src/cortexflow/configfiles.py
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; cortexflow needs Python 3.11 (make PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m cortexflow.configfiles --install  # one-line messages for unreadable config files (src/cortexflow/configfiles.py)
	touch $@

# NEST 3.10.0 with MPI, compiled from the PyPI sdist into .venv-mpi (wheel cached in ~/.cache/cortexflow)
nest-mpi: .venv-mpi/.installed

.venv-mpi/.installed: requirements.lock pyproject.toml envs/build_nest_mpi.sh
	PYTHON=$(PYTHON) envs/build_nest_mpi.sh
	touch $@

# ruff (pyproject [tool.ruff]), snakefmt (pyproject [tool.snakefmt]) and Snakemake's own linter; the same
# three run as pre-commit hooks (.pre-commit-config.yaml) and in CI (.ci/run).
lint: $(VENV)/.installed
	$(BIN)/ruff check src scripts tests benchmarks
	$(BIN)/snakefmt --check Snakefile rules/
	$(BIN)/snakefmt --check --line-length 88 Snakefile rules/  # also stable under snakefmt's default line length
	$(BIN)/snakemake --lint

report: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --report report.html

bench: $(VENV)/.installed
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

lock: $(VENV)/.installed
	( echo "# cortexflow dependency lock: pip install -r requirements.lock (Python 3.11). Regenerate with \`make lock\`."; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > requirements.lock

clean:
	rm -rf results logs benchmarks/results .snakemake figures/*/
