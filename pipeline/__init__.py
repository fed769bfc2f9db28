"""kehoach: Vietnamese administrative plan documents -> normalized, comparable tables.

Public verbs: pipeline.read, run, load_plan, load_run, parse_outline; and pipeline.api.normalize and
pipeline.api.extract (`pipeline.understand.extract` and `pipeline.reading.normalize` are the stages'
packages). The verbs are loaded on first use, so that importing one stage never imports the others.

The folders are the stages a plan passes through: reading/ (ingest, normalize) -> understand/ (outline,
extract) -> store/ (tables, export, reviews) -> analyse/ (audit, compare, graph) -> present/ (serve, web).
The helpers every stage shares stay at the top level (vi, labels, model, errors, rules/, progress,
fingerprint, version), as do the modules that call every stage (api, cli, runner, worker, options).
No module imports one of a higher stage (tests/test_layers.py). The read stage's folder is reading/,
so that no subpackage takes the name of the verb pipeline.read.
"""
from __future__ import annotations

from .version import __version__

_VERBS = ("read", "run", "load_plan", "load_run", "parse_outline")
__all__ = [*_VERBS, "__version__"]


def __getattr__(name: str):
    if name in _VERBS:
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
