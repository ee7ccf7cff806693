# SPDX-License-Identifier: GPL-3.0-or-later
"""Config files that cannot be read: one line naming the file and, for YAML, the line (issue 17).

Snakemake reads ``--configfile`` files before it parses the Snakefile, so no check of the workflow can run
first: a missing file gave a 25-line Python traceback, a YAML syntax error "Config file is not valid JSON or
YAML" without file or line. ``install_hook`` (run by ``make venv``: ``python -m cortexflow.configfiles
--install``) puts a ``.pth`` file into the environment's site-packages that wraps Snakemake's config-file
loader as soon as Snakemake imports it; the wrapper prints one line and exits with status 1:

    error: config file <path>: not found (working directory <cwd>); check the --configfile path
    error: config file <path>, line <n>: <YAML problem>; fix the YAML syntax there
    error: config file <path>: the top level is a <type>, not a mapping of config keys

Without the hook (a venv made without ``make venv``) Snakemake's own messages stay.
``python -m cortexflow.configfiles FILE...`` checks files the same way without Snakemake.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import sysconfig
from pathlib import Path

TARGET_MODULE = "snakemake.common.configfile"
PTH_NAME = "cortexflow_configfiles.pth"
# one line (a .pth runs lines that start with "import"); silent where cortexflow is not installed
PTH_LINE = ('import importlib.util as _u; _u.find_spec("cortexflow") and '
            '__import__("cortexflow.configfiles").configfiles.register()\n')


class ConfigFileError(ValueError):
    """A config file is missing, not YAML/JSON, or not a mapping. The message is one ``error:`` line."""


def problem(path) -> str | None:
    """The ``error:`` line for a config file that cannot be used, or None if it reads as a mapping."""
    import json

    import yaml

    p = Path(path)
    if not p.is_file():
        return (f"error: config file {path}: not found (working directory {os.getcwd()}); "
                f"check the --configfile path")
    text = p.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            what = " ".join(str(err.problem or err.context or "invalid YAML").split())
            return f"error: config file {path}{where}: {what}; fix the YAML syntax there"
        except yaml.YAMLError as err:
            return f"error: config file {path}: {' '.join(str(err).split())}; fix the YAML syntax"
    if data is not None and not isinstance(data, dict):
        return (f"error: config file {path}: the top level is a {type(data).__name__}, not a mapping of "
                f"config keys (key: value)")
    return None


def _patch(module) -> None:
    """Wrap ``_load_configfile`` of Snakemake's config-file module (looked up at call time by
    ``load_configfile``, so every caller gets the wrapper)."""
    original = module._load_configfile
    if getattr(original, "_cortexflow", False):
        return

    def _load_configfile(configpath_or_obj, filetype="Config"):
        if isinstance(configpath_or_obj, (str, Path)) and filetype == "Config":
            line = problem(configpath_or_obj)
            if line:  # Snakemake would add frames of this file to a WorkflowError: print the line, exit 1
                print(line, file=sys.stderr, flush=True)
                raise SystemExit(1)
        return original(configpath_or_obj, filetype)

    _load_configfile._cortexflow = True
    module._load_configfile = _load_configfile


class _Finder(importlib.abc.MetaPathFinder):
    """Patches Snakemake's config-file module right after it is imported (nothing else is touched)."""

    def find_spec(self, name, path=None, target=None):
        if name != TARGET_MODULE:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch
        return spec


def register() -> None:
    """Called by the .pth file at interpreter start: patch now if Snakemake's module is loaded, else on import."""
    if TARGET_MODULE in sys.modules:
        _patch(sys.modules[TARGET_MODULE])
    elif not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def install_hook(site_packages: str | None = None) -> Path:
    """Write the .pth file into ``site_packages`` (default: this interpreter's purelib)."""
    target = Path(site_packages or sysconfig.get_paths()["purelib"]) / PTH_NAME
    target.write_text(PTH_LINE)
    return target


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--install"]:
        print(f"installed {install_hook()}")
        return 0
    lines = [line for line in map(problem, args) if line]
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
